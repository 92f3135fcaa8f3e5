import CloudCrypto
import Testing

/// SHA-256 (FIPS 180-2 examples) and HMAC-SHA256 (RFC 4231 test cases) on libcrypto.
@Suite struct DigestTests {
    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256KnownAnswers(input: String, expected: String) throws {
        #expect(hexEncoded(try Digest.sha256(Self.bytes(input))) == expected)
    }

    @Test func sha256OfOneMillionAs() throws {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(hexEncoded(try Digest.sha256(input)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func sha256AcceptsSlicesAndNonContiguousCollections() throws {
        let expected = try Digest.sha256(Self.bytes("abc"))
        let padded = Self.bytes("xxabcxx")
        #expect(try Digest.sha256(padded[2..<5]) == expected)
        #expect(try Digest.sha256("abc".utf8) == expected)
        #expect(try Digest.sha256(Self.bytes("abc").lazy.map { $0 }) == expected)
        #expect(expected.count == Digest.sha256Length)
    }

    struct HMACCase: Sendable, CustomTestStringConvertible {
        var number: Int
        var key: [UInt8]
        var data: [UInt8]
        /// Case 5 checks only the leading 128 bits.
        var expectedPrefix: String
        var testDescription: String { "RFC 4231 test case \(number)" }
    }

    static let rfc4231: [HMACCase] = [
        HMACCase(number: 1, key: [UInt8](repeating: 0x0b, count: 20), data: bytes("Hi There"),
                 expectedPrefix: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        HMACCase(number: 2, key: bytes("Jefe"), data: bytes("what do ya want for nothing?"),
                 expectedPrefix: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HMACCase(number: 3, key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
                 expectedPrefix: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        HMACCase(number: 4, key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50),
                 expectedPrefix: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        HMACCase(number: 5, key: [UInt8](repeating: 0x0c, count: 20), data: bytes("Test With Truncation"),
                 expectedPrefix: "a3b6167473100ee06e0c796c2955552b"),
        HMACCase(number: 6, key: [UInt8](repeating: 0xaa, count: 131),
                 data: bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
                 expectedPrefix: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        HMACCase(number: 7, key: [UInt8](repeating: 0xaa, count: 131),
                 data: bytes("This is a test using a larger than block-size key and a larger than block-size data. "
                     + "The key needs to be hashed before being used by the HMAC algorithm."),
                 expectedPrefix: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: rfc4231)
    func hmacSHA256KnownAnswers(_ testCase: HMACCase) throws {
        let mac = hexEncoded(try Digest.hmacSHA256(key: testCase.key, data: testCase.data))
        #expect(mac.count == 64)
        #expect(mac.hasPrefix(testCase.expectedPrefix))
    }

    /// Empty key and data must reach libcrypto as zero-length input, not as "no argument".
    @Test func hmacSHA256OfEmptyKeyAndData() throws {
        let mac = try Digest.hmacSHA256(key: [UInt8](), data: [UInt8]())
        #expect(hexEncoded(mac) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func hexEncodingIsLowercaseTwoDigitsPerByte() {
        #expect(hexEncoded([0x00, 0x0f, 0xf0, 0xff, 0xa5]) == "000ff0ffa5")
        #expect(hexEncoded([UInt8]()) == "")
    }

    @Test func cryptoErrorDescriptionNamesOperation() {
        let error = CryptoError.openSSL(operation: "EVP_Digest(SHA-256)", reason: "unsupported")
        #expect(error.description == "EVP_Digest(SHA-256) failed: unsupported")
    }
}
