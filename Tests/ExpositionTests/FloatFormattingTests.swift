import Exposition
import Testing

@Suite("Float formatting matches Go's strconv.FormatFloat(v, 'g', -1, 64)")
struct FloatFormattingTests {
    // Go's formatDigits, shortest case: `eprec = 6`; exponent form iff `exp < -4 || exp >= 6`
    // where exp = decimal point position - 1; the exponent has a sign and at least two digits.
    @Test(arguments: [
        (0.0, "0"),
        (-0.0, "-0"),
        (1.0, "1"),
        (-1.0, "-1"),
        (100_000.0, "100000"),
        (999_999.0, "999999"),
        (999_999.5, "999999.5"),
        (1e6, "1e+06"),
        (-1e6, "-1e+06"),
        (1_000_001.0, "1.000001e+06"),
        (1_234_567.0, "1.234567e+06"),
        (-1_234_567.0, "-1.234567e+06"),
        (2.4e10, "2.4e+10"),
        (1.795316879e+09, "1.795316879e+09"),
        (16_514_691_072.0, "1.6514691072e+10"),
        (0.41, "0.41"),
        (0.1, "0.1"),
        (0.0001, "0.0001"),
        (0.00012, "0.00012"),
        (0.00001, "1e-05"),
        (0.000015, "1.5e-05"),
        (1e-7, "1e-07"),
        (20.272000000000002, "20.272000000000002"),
        (65.71000000000001, "65.71000000000001"),
        (0.1 + 0.2, "0.30000000000000004"),
        (Double.leastNonzeroMagnitude, "5e-324"),
        (2.2250738585072014e-308, "2.2250738585072014e-308"),
        (1.7976931348623157e+308, "1.7976931348623157e+308"),
        (-1.7976931348623157e+308, "-1.7976931348623157e+308"),
        (-1.5, "-1.5"),
        (123_456.5, "123456.5"),
        (1_234_567.5, "1.2345675e+06"),
        (1e15, "1e+15"),
        (999_999_999_999_999.0, "9.99999999999999e+14"),
        (9_007_199_254_740_992.0, "9.007199254740992e+15"),
        (9_007_199_254_740_994.0, "9.007199254740994e+15"),
        (1e17, "1e+17"),
        (123_456_789_012_345_680.0, "1.2345678901234568e+17"),
        (12_345_678_901_234_567_890.0, "1.2345678901234567e+19"),
        (1e21, "1e+21"),
        (1e22, "1e+22"),
        (1e23, "1e+23"),
        (1e100, "1e+100"),
        (1e-100, "1e-100"),
        (Double.infinity, "+Inf"),
        (-Double.infinity, "-Inf"),
        (Double.nan, "NaN"),
        (-Double.nan, "NaN"),
        (Double.signalingNaN, "NaN"),
    ])
    func knownValues(value: Double, expected: String) {
        #expect(formatted(value) == expected)
    }

    /// Several hundred values whose expected text came from an independent oracle (see the table).
    @Test func agreesWithOracleTable() {
        #expect(goFormatFloatTable.count > 400)
        var mismatches: [String] = []
        for entry in goFormatFloatTable {
            let value = Double(bitPattern: entry.bits)
            let got = formatted(value)
            if got != entry.text {
                mismatches.append("bits 0x\(String(entry.bits, radix: 16)): got \(got), want \(entry.text)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(10))")
    }

    @Test func appendsWithoutClearingTheBuffer() {
        var out = Array("x ".utf8)
        FloatFormatting.append(1234567, to: &out)
        FloatFormatting.append(-0.5, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x 1.234567e+06-0.5")
    }

    /// Formatting then parsing gives back the exact same double, across the whole range.
    @Test func roundTripsThroughDoubleParsing() {
        var generator = SplitMix64(seed: 0x6E69_6D62_7573)
        var values: [Double] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .ulpOfOne]
        for _ in 0..<100_000 {
            // Uniform over bit patterns: every exponent, mostly 16–17 significant digits.
            values.append(Double(bitPattern: generator.next()))
        }
        for _ in 0..<50_000 {
            // Integers of every size, including the fast path (< 1e15) and beyond 2^53.
            let magnitude = Double(generator.next() >> (generator.next() % 64))
            values.append(generator.next() & 1 == 0 ? magnitude : -magnitude)
        }
        for _ in 0..<50_000 {
            // Short decimals like the ones /proc gives (0.41, 123.5, 2.4e10) at all scales.
            let mantissa = Double(generator.next() % 100_000)
            let exponent = Int(generator.next() % 60) - 30
            values.append(mantissa * pow10(exponent))
        }
        var failures: [String] = []
        for value in values where !value.isNaN {
            let text = formatted(value)
            guard let parsed = Double(text) else {
                failures.append("unparsable \(text) for \(value)")
                continue
            }
            if parsed.bitPattern != value.bitPattern {
                failures.append("\(text) parsed as \(parsed), expected bits of \(value)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures: \(failures.prefix(10))")
        #expect(formatted(.nan) == "NaN" && Double("NaN")!.isNaN)
    }

    private func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}
