/// Base64 with the URL- and filename-safe alphabet (RFC 4648 §5) and no `=` padding, as JSON Web
/// Tokens (RFC 7515) encode their three parts.
public func base64URLEncoded(_ bytes: some Sequence<UInt8>) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    let input = Array(bytes)
    var out: [UInt8] = []
    out.reserveCapacity((input.count * 4 + 2) / 3)
    var index = 0
    while index < input.count {
        let remaining = input.count - index
        let b0 = UInt32(input[index])
        let b1 = remaining > 1 ? UInt32(input[index + 1]) : 0
        let b2 = remaining > 2 ? UInt32(input[index + 2]) : 0
        let group = b0 << 16 | b1 << 8 | b2
        out.append(alphabet[Int(group >> 18 & 0x3f)])
        out.append(alphabet[Int(group >> 12 & 0x3f)])
        if remaining > 1 { out.append(alphabet[Int(group >> 6 & 0x3f)]) }
        if remaining > 2 { out.append(alphabet[Int(group & 0x3f)]) }
        index += 3
    }
    return String(decoding: out, as: UTF8.self)
}
