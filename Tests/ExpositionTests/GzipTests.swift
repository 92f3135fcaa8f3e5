import Exposition
import Foundation
import Testing

@Suite("Gzip")
struct GzipTests {
    private func compressed(_ input: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        try Gzip.compress(input, into: &out)
        return out
    }

    @Test func roundTripsAScrape() throws {
        let text = TextEncoder.encode(normalized(DeterminismFixture.collectors.flatMap { $0 }).families, format: .prometheusText)
        let packed = try compressed(text)
        #expect(packed.count < text.count)
        #expect(try Gzip.decompress(packed) == text)
    }

    @Test func roundTripsEmptyInput() throws {
        let packed = try compressed([])
        #expect(packed.starts(with: [0x1F, 0x8B]))
        #expect(try Gzip.decompress(packed) == [])
    }

    @Test func roundTripsOneMegabyteOfText() throws {
        var text: [UInt8] = []
        var line = 0
        while text.count < 1 << 20 {
            text.append(contentsOf: "node_cpu_seconds_total{cpu=\"\(line % 64)\",mode=\"idle\"} \(Double(line) * 1.25)\n".utf8)
            line += 1
        }
        let packed = try compressed(text)
        #expect(packed.starts(with: [0x1F, 0x8B]))
        #expect(packed.count < text.count / 4)
        #expect(try Gzip.decompress(packed) == text)
    }

    @Test func roundTripsOneMegabyteOfIncompressibleBytes() throws {
        var generator = SplitMix64(seed: 7)
        let noise = (0..<(1 << 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let packed = try compressed(noise)
        #expect(packed.count > noise.count)  // stored blocks plus header: it really was incompressible
        #expect(try Gzip.decompress(packed) == noise)
    }

    @Test func outputIsAGzipMemberWithDeflate() throws {
        let packed = try compressed(Array("hello\n".utf8))
        #expect(Array(packed.prefix(3)) == [0x1F, 0x8B, 0x08])
        // Trailer: CRC-32 and length (little endian) of the uncompressed data.
        let size = packed.suffix(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
        #expect(size == 6)
        let crc = packed.dropLast(4).suffix(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
        #expect(crc == 0x363A_3020)  // CRC-32 of "hello\n"
    }

    @Test func compressReplacesTheBufferContents() throws {
        var out = [UInt8](repeating: 0xAA, count: 4096)
        try Gzip.compress(Array("abc".utf8), into: &out)
        #expect(out.starts(with: [0x1F, 0x8B]))
        #expect(try Gzip.decompress(out) == Array("abc".utf8))
        try Gzip.compress(Array("second".utf8), into: &out)
        #expect(try Gzip.decompress(out) == Array("second".utf8))
    }

    @Test func decompressRejectsGarbage() throws {
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array("this is not gzip at all".utf8)) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress([]) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress([0x1F, 0x8B]) }
        let packed = try compressed(Array(repeating: UInt8(ascii: "x"), count: 10_000))
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array(packed.dropLast(6))) }
        var corrupt = packed
        corrupt[corrupt.count - 6] ^= 0xFF  // CRC no longer matches
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(corrupt) }
    }

    /// A second, independent decoder: the system's gzip(1).
    @Test func systemGzipDecodesTheOutput() throws {
        let gzipPath = "/usr/bin/gzip"
        try #require(FileManager.default.isExecutableFile(atPath: gzipPath), "gzip(1) not installed at \(gzipPath)")
        let text = TextEncoder.encode(normalized(DeterminismFixture.collectors.flatMap { $0 }).families, format: .openMetrics)
        let result = try runTool(gzipPath, ["-dc"], input: try compressed(text))
        #expect(result.status == 0, "gzip stderr: \(result.stderr)")
        #expect(result.stdout == text)
    }
}

/// Runs a tool with `input` on stdin; returns its exit status and output.
func runTool(_ path: String, _ arguments: [String], input: [UInt8]) throws -> (status: Int32, stdout: [UInt8], stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Drain the outputs while writing, so neither side can block on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data(), errData = Data()
    DispatchQueue.global().async(group: group) { outData = stdout.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) { errData = stderr.fileHandleForReading.readDataToEndOfFile() }
    stdin.fileHandleForWriting.write(Data(input))
    try stdin.fileHandleForWriting.close()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, [UInt8](outData), String(decoding: errData, as: UTF8.self))
}
