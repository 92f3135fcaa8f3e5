import Exposition
import Glibc
import HostMetrics
import Testing

/// `sockaddr` bytes as the kernel lays them out (family in the machine's byte order).
private func sockaddrIn(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: MemoryLayout<sockaddr_in>.size)
    withUnsafeBytes(of: UInt16(AF_INET)) { bytes.replaceSubrange(0..<2, with: $0) }
    bytes.replaceSubrange(4..<8, with: [a, b, c, d])
    return bytes
}

private func sockaddrIn6(_ address: [UInt8], scope: UInt32 = 0) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: MemoryLayout<sockaddr_in6>.size)
    withUnsafeBytes(of: UInt16(AF_INET6)) { bytes.replaceSubrange(0..<2, with: $0) }
    bytes.replaceSubrange(8..<24, with: address)
    withUnsafeBytes(of: scope) { bytes.replaceSubrange(24..<28, with: $0) }
    return bytes
}

private func sockaddrLL(_ hardware: [UInt8]) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: 20)
    withUnsafeBytes(of: UInt16(17)) { bytes.replaceSubrange(0..<2, with: $0) }
    bytes[11] = UInt8(hardware.count)
    bytes.replaceSubrange(12..<(12 + hardware.count), with: hardware)
    return bytes
}

private func decode(_ bytes: [UInt8]) -> (family: SocketAddress.Family, text: String)? {
    bytes.withUnsafeBytes { raw in
        SocketAddress.decode(raw).map { ($0.family, SocketAddress.string($0.family, $0.bytes)) }
    }
}

@Suite struct NetifCollectorTests {
    @Test func inetAddresses() {
        let decoded = decode(sockaddrIn(192, 168, 1, 20))
        #expect(decoded?.family == .inet && decoded?.text == "192.168.1.20")
        #expect(decode(sockaddrIn(255, 255, 255, 0))?.text == "255.255.255.0")
        #expect(decode(sockaddrIn(0, 0, 0, 0))?.text == "0.0.0.0")
    }

    @Test func inet6AddressesInTheirShortForm() {
        let linkLocal: [UInt8] = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x16, 0x3e, 0xff, 0xfe, 0x12, 0x34, 0x56]
        let decoded = decode(sockaddrIn6(linkLocal, scope: 2))
        // The scope is the device label's business, not the address's.
        #expect(decoded?.family == .inet6 && decoded?.text == "fe80::216:3eff:fe12:3456")
        #expect(decode(sockaddrIn6([UInt8](repeating: 0, count: 15) + [1]))?.text == "::1")
        let documentation: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]
        #expect(decode(sockaddrIn6(documentation))?.text == "2001:db8::1:0:0:1")
        let mask: [UInt8] = [UInt8](repeating: 0xff, count: 8) + [UInt8](repeating: 0, count: 8)
        #expect(decode(sockaddrIn6(mask))?.text == "ffff:ffff:ffff:ffff::")
        let mapped: [UInt8] = [UInt8](repeating: 0, count: 10) + [0xff, 0xff, 192, 0, 2, 1]
        #expect(decode(sockaddrIn6(mapped))?.text == "::ffff:192.0.2.1")
    }

    @Test func linkAddresses() {
        let decoded = decode(sockaddrLL([0x52, 0x54, 0x00, 0xab, 0xcd, 0xef]))
        #expect(decoded?.family == .link && decoded?.text == "52:54:00:ab:cd:ef")
        #expect(decode(sockaddrLL([]))?.text == "")
        // A length past the 8-byte field is cut to it.
        var long = sockaddrLL([1, 2, 3, 4, 5, 6, 7, 8])
        long[11] = 200
        #expect(decode(long)?.text == "01:02:03:04:05:06:07:08")
    }

    @Test func otherFamiliesAndShortBuffersAreSkipped() {
        var unix = [UInt8](repeating: 0, count: 110)
        withUnsafeBytes(of: UInt16(AF_UNIX)) { unix.replaceSubrange(0..<2, with: $0) }
        #expect(decode(unix) == nil)
        #expect(decode(Array(sockaddrIn(10, 0, 0, 1).prefix(6))) == nil)
        #expect(decode(Array(sockaddrIn6([UInt8](repeating: 0, count: 16)).prefix(20))) == nil)
        #expect(decode([2]) == nil)
    }

    @Test func prefixLengths() {
        #expect(SocketAddress.prefixLength([255, 255, 255, 0]) == 24)
        #expect(SocketAddress.prefixLength([255, 255, 255, 255]) == 32)
        #expect(SocketAddress.prefixLength([0, 0, 0, 0]) == 0)
        #expect(SocketAddress.prefixLength([255, 255, 240, 0]) == 20)
        #expect(SocketAddress.prefixLength([255, 128, 0, 0]) == 9)
        #expect(SocketAddress.prefixLength([UInt8](repeating: 0xff, count: 8) + [UInt8](repeating: 0, count: 8)) == 64)
        #expect(SocketAddress.prefixLength([UInt8](repeating: 0xff, count: 16)) == 128)
        // Not contiguous: no prefix length.
        #expect(SocketAddress.prefixLength([255, 0, 255, 0]) == nil)
        #expect(SocketAddress.prefixLength([255, 255, 253, 0]) == nil)
    }

    @Test func labelsLeaveOutWhatDoesNotApply() {
        let family = NetifCollector.family([
            .init(device: "eth0", family: .inet, address: "10.0.0.5", netmask: "255.255.255.0", prefixLength: 24,
                  broadcast: "10.0.0.255"),
            .init(device: "eth0", family: .link, address: "52:54:00:ab:cd:ef", broadcast: "ff:ff:ff:ff:ff:ff"),
            .init(device: "wg0", family: .inet, address: "10.9.0.1", netmask: "255.255.255.255", prefixLength: 32,
                  peer: "10.9.0.2"),
        ])
        #expect(family.name == "nimbus_network_address_info" && family.type == .gauge)
        let labelSets = family.samples.map { Dictionary(uniqueKeysWithValues: $0.labels.map { ($0.name, $0.value) }) }
        #expect(labelSets[0] == ["device": "eth0", "family": "inet", "address": "10.0.0.5", "netmask": "255.255.255.0",
                                 "prefix_length": "24", "broadcast": "10.0.0.255"])
        #expect(labelSets[1] == ["device": "eth0", "family": "link", "address": "52:54:00:ab:cd:ef",
                                 "broadcast": "ff:ff:ff:ff:ff:ff"])
        #expect(labelSets[2] == ["device": "wg0", "family": "inet", "address": "10.9.0.1", "netmask": "255.255.255.255",
                                 "prefix_length": "32", "peer": "10.9.0.2"])
        #expect(family.samples.allSatisfy { $0.value == 1 })
    }

    @Test func liveLoopback() throws {
        // getifaddrs reads the kernel, whatever the paths say.
        let families = try collect(NetifCollector(), paths: Fixtures.edge("missing"))
        #expect(families.map(\.name) == ["nimbus_network_address_info"])
        #expect(families.value("nimbus_network_address_info", ["device": "lo", "family": "inet", "address": "127.0.0.1",
                                                                "netmask": "255.0.0.0", "prefix_length": "8"]) == 1)
        #expect(families.value("nimbus_network_address_info", ["device": "lo", "family": "link",
                                                                "address": "00:00:00:00:00:00"]) == 1)
        let excluded = try collect(NetifCollector(deviceExclude: "^lo$"), paths: HostPaths())
        #expect(excluded.first?.samples.contains { $0.labels.contains(Label("device", "lo")) } == false)
        let included = try collect(NetifCollector(deviceInclude: "^lo$"), paths: HostPaths())
        #expect(included.first?.samples.allSatisfy { $0.labels.contains(Label("device", "lo")) } == true)
        #expect(throws: CollectorError.self) { try NetifCollector(deviceInclude: "lo", deviceExclude: "eth") }
    }
}
