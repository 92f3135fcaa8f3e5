/// Seconds since the Unix epoch for an ISO 8601 / RFC 3339 date-time as AWS sends them:
/// `2026-11-22T10:01:00Z`, `2026-11-22T10:01:00.000Z`, `2026-11-22T12:01:00+02:00`.
/// A zone (`Z` or an offset) is required; nil for anything else or an impossible date.
public func parseISO8601(_ text: String) -> Double? {
    var scanner = DigitScanner(Array(text.utf8))
    guard let year = scanner.number(digits: 4), scanner.skip("-"),
          let month = scanner.number(digits: 2), scanner.skip("-"),
          let day = scanner.number(digits: 2), scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
          let hour = scanner.number(digits: 2), scanner.skip(":"),
          let minute = scanner.number(digits: 2), scanner.skip(":"),
          let second = scanner.number(digits: 2)
    else { return nil }
    guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
          hour <= 23, minute <= 59, second <= 60  // 60: a leap second
    else { return nil }

    var fraction = 0.0
    if scanner.skip(".") || scanner.skip(",") {
        // Nanoseconds are plenty; further digits are read and dropped.
        var numerator = 0
        var denominator = 1
        var count = 0
        while let digit = scanner.digit() {
            if count < 9 {
                numerator = numerator * 10 + digit
                denominator *= 10
            }
            count += 1
        }
        guard count > 0 else { return nil }
        fraction = Double(numerator) / Double(denominator)
    }

    var offsetSeconds = 0
    if scanner.skip("Z") || scanner.skip("z") {
        offsetSeconds = 0
    } else if let sign = scanner.sign() {
        guard let offsetHours = scanner.number(digits: 2) else { return nil }
        _ = scanner.skip(":")
        guard let offsetMinutes = scanner.number(digits: 2), offsetHours <= 23, offsetMinutes <= 59 else { return nil }
        offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
    } else {
        return nil
    }
    guard scanner.isAtEnd else { return nil }

    let days = daysSinceEpoch(year: year, month: month, day: day)
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
    return Double(seconds) + fraction
}

private func isLeapYear(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

private func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date, counted in 400-year eras
/// (146 097 days each) from a year that starts in March, so leap days fall at year end.
private func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let marchYear = month <= 2 ? year - 1 : year
    let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
    let yearOfEra = marchYear - era * 400
    let monthFromMarch = (month + 9) % 12
    let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    mutating func digit() -> Int? {
        guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return nil }
        defer { index += 1 }
        return Int(bytes[index] - UInt8(ascii: "0"))
    }

    /// Exactly `digits` decimal digits.
    mutating func number(digits: Int) -> Int? {
        var value = 0
        for _ in 0..<digits {
            guard let next = digit() else { return nil }
            value = value * 10 + next
        }
        return value
    }

    mutating func skip(_ character: Character) -> Bool {
        guard index < bytes.count, let ascii = character.asciiValue, bytes[index] == ascii else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}
