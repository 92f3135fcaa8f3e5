/// The canonical forms SigV4 hashes, following botocore's `SigV4Auth` for every service but S3.
enum CanonicalRequest {
    /// Dot segments and empty segments removed, then every byte but unreserved characters and
    /// `/` percent-encoded. The path arrives already encoded, so its escapes are encoded a
    /// second time (`%20` becomes `%2520`): that is what AWS expects outside S3.
    static func path(_ raw: [UInt8]) -> String {
        guard !raw.isEmpty else { return "/" }
        var segments: [ArraySlice<UInt8>] = []
        for segment in raw.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if segment.elementsEqual([UInt8(ascii: ".")]) { continue }
            if segment.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                _ = segments.popLast()
                continue
            }
            segments.append(segment)
        }
        var normalized: [UInt8] = raw.first == UInt8(ascii: "/") ? [UInt8(ascii: "/")] : []
        normalized.append(contentsOf: segments.joined(separator: [UInt8(ascii: "/")]))
        if raw.last == UInt8(ascii: "/") && !segments.isEmpty {
            normalized.append(UInt8(ascii: "/"))
        }
        var encoded: [UInt8] = []
        AWSPercentEncoding.append(normalized, keepingSlash: true, to: &encoded)
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Each name and value decoded and re-encoded with the unreserved set (so `AWS/EC2` and
    /// `AWS%2FEC2` sign alike, as the service sees them), sorted by name then value, `name=`
    /// for an empty value. Empty `&&` segments carry no parameter and are skipped.
    static func query(_ raw: [UInt8]?) throws(SigV4Error) -> String {
        guard let raw else { return "" }
        var pairs: [(name: [UInt8], value: [UInt8])] = []
        for parameter in raw.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = parameter.firstIndex(of: UInt8(ascii: "=")) ?? parameter.endIndex
            let value = equals == parameter.endIndex ? parameter[equals...] : parameter[(equals + 1)...]
            guard let decodedName = AWSPercentEncoding.decode(parameter[..<equals]),
                  let decodedValue = AWSPercentEncoding.decode(value) else {
                throw .invalidURL(reason: "query has a % not followed by two hex digits")
            }
            var name: [UInt8] = []
            var encodedValue: [UInt8] = []
            AWSPercentEncoding.append(decodedName, keepingSlash: false, to: &name)
            AWSPercentEncoding.append(decodedValue, keepingSlash: false, to: &encodedValue)
            pairs.append((name, encodedValue))
        }
        pairs.sort { left, right in
            if left.name != right.name { return left.name.lexicographicallyPrecedes(right.name) }
            return left.value.lexicographicallyPrecedes(right.value)
        }
        var output: [UInt8] = []
        for (index, pair) in pairs.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "&")) }
            output.append(contentsOf: pair.name)
            output.append(UInt8(ascii: "="))
            output.append(contentsOf: pair.value)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `name:value` lines sorted by lowercase name, and the `;`-joined name list. Repeated
    /// names become one line, their values joined with `,` in the order given.
    static func headers(_ headers: [(name: String, value: String)]) -> (lines: String, signedNames: String) {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased()
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(trimmed(header.value))
        }
        let names = order.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let lines = names.map { $0 + ":" + (values[$0] ?? []).joined(separator: ",") }
        return (lines.joined(separator: "\n"), names.joined(separator: ";"))
    }

    /// Leading and trailing blanks dropped, inner runs of spaces and tabs cut to one space.
    static func trimmed(_ value: String) -> String {
        value.utf8.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            .map { String(decoding: $0, as: UTF8.self) }
            .joined(separator: " ")
    }
}
