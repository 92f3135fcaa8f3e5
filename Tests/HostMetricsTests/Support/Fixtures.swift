import Exposition
import HostMetrics

/// Locates `Tests/Fixtures` from this source file, so tests run from any working directory.
enum Fixtures {
    static let root: String = {
        var path = #filePath
        // .../Tests/HostMetricsTests/Support/Fixtures.swift -> .../Tests/Fixtures
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/Fixtures"
    }()

    /// A path below `Tests/Fixtures`.
    static func path(_ relative: String) -> String { root + "/" + relative }

    /// The captured host tree: `Tests/Fixtures/host/{proc,sys,udev}`.
    static var host: HostPaths {
        HostPaths(procfs: path("host/proc"), sysfs: path("host/sys"), rootfs: "/", udevData: path("host/udev"))
    }

    /// A hand-made tree below `Tests/Fixtures/edge/<name>/{proc,sys,udev}`.
    static func edge(_ name: String) -> HostPaths {
        HostPaths(procfs: path("edge/\(name)/proc"), sysfs: path("edge/\(name)/sys"), rootfs: "/",
                  udevData: path("edge/\(name)/udev"))
    }
}

/// Runs one collector against a tree and returns its families.
func collect(_ collector: some Collector, paths: HostPaths) throws -> [MetricFamily] {
    var context = CollectContext(paths: paths)
    return try collector.collect(&context)
}

extension [MetricFamily] {
    /// The family with this name, if the collector produced it.
    subscript(family name: String) -> MetricFamily? { first { $0.name == name } }

    /// The value of the series of `name` with exactly these labels.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        guard let family = self[family: name] else { return nil }
        for sample in family.samples {
            var found: [String: String] = [:]
            for label in sample.labels { found[label.name] = label.value }
            if found == labels { return sample.value }
        }
        return nil
    }
}
