#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The moment a request is signed, rendered the two ways SigV4 needs it, in UTC, without
/// Foundation's date formatters.
public struct SigningDate: Sendable, Equatable {
    /// Whole seconds since the Unix epoch.
    public let unixSeconds: Int

    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the four-digit years SigV4 can express.
    static let earliest: Int = -62_167_219_200
    static let latest: Int = 253_402_300_799

    /// Times outside years 0000-9999 are clamped to that range: AWS then rejects the request as
    /// skewed, which is what a clock that far off deserves, instead of producing a malformed date.
    public init(unixSeconds: Int) {
        self.unixSeconds = min(max(unixSeconds, Self.earliest), Self.latest)
    }

    /// Fractions of a second are dropped (rounding down); NaN counts as the epoch.
    public init(unixSeconds: Double) {
        guard !unixSeconds.isNaN else { self.init(unixSeconds: 0); return }
        let clamped = min(max(unixSeconds.rounded(.down), Double(Self.earliest)), Double(Self.latest))
        self.init(unixSeconds: Int(clamped))
    }

    public static func now() -> SigningDate {
        SigningDate(unixSeconds: Int(time(nil)))
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`, the `x-amz-date` header value.
    public var amzDate: String {
        let parts = civil
        return digits(parts.year, 4) + digits(parts.month, 2) + digits(parts.day, 2) + "T"
            + digits(parts.hour, 2) + digits(parts.minute, 2) + digits(parts.second, 2) + "Z"
    }

    /// `YYYYMMDD`, the first element of the credential scope.
    public var dateStamp: String {
        let parts = civil
        return digits(parts.year, 4) + digits(parts.month, 2) + digits(parts.day, 2)
    }

    private var civil: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let secondsPerDay = 86_400
        var days = unixSeconds / secondsPerDay
        var secondOfDay = unixSeconds % secondsPerDay
        if secondOfDay < 0 {
            secondOfDay += secondsPerDay
            days -= 1
        }
        // Walking year by year is at most ~8000 steps over the whole clamped range.
        var year = 1970
        while days < 0 {
            year -= 1
            days += Self.daysInYear(year)
        }
        while days >= Self.daysInYear(year) {
            days -= Self.daysInYear(year)
            year += 1
        }
        var month = 1
        var dayOfYear = days
        while dayOfYear >= Self.daysInMonth(month, year: year) {
            dayOfYear -= Self.daysInMonth(month, year: year)
            month += 1
        }
        let second = secondOfDay
        return (year, month, dayOfYear + 1, second / 3600, second / 60 % 60, second % 60)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInYear(_ year: Int) -> Int { isLeapYear(year) ? 366 : 365 }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
