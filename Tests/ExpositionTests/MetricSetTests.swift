import Exposition
import Testing

@Suite("MetricSet.normalize()")
struct MetricSetTests {
    private func labels(_ sample: Sample) -> String {
        sample.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
    }

    @Test func sortsFamiliesByName() {
        let names = ["node_load1", "nimbus_up", "node_load15", "aws_ec2_info", "node_load5", "Zeta", "node_cpu_seconds_total"]
        let (families, report) = normalized(names.map { .single($0, .gauge, help: "h", value: 1) })
        #expect(families.map(\.name)
            == ["Zeta", "aws_ec2_info", "nimbus_up", "node_cpu_seconds_total", "node_load1", "node_load15", "node_load5"])
        #expect(report == NormalizationReport())
    }

    @Test func sortsLabelsByNameWithinASeries() {
        var family = MetricFamily(name: "node_cpu_seconds_total", type: .counter, help: "h")
        family.add(1, ["mode": "idle", "cpu": "0"])
        family.add(2, labels: [Label("z", "1"), Label("a", "2"), Label("m", "3"), Label("_b", "4")])
        let (families, _) = normalized([family])
        #expect(families[0].samples.map(labels) == ["_b=4,a=2,m=3,z=1", "cpu=0,mode=idle"])
    }

    @Test func sortsSeriesByLabels() {
        var family = MetricFamily(name: "node_cpu_seconds_total", type: .counter, help: "h")
        family.add(1, ["cpu": "1", "mode": "user"])
        family.add(2, ["cpu": "10", "mode": "idle"])
        family.add(3, ["mode": "system", "cpu": "0"])
        family.add(4, ["cpu": "0", "mode": "idle"])
        family.add(5, ["cpu": "1", "mode": "idle"])
        family.add(6, ["cpu": "0"])
        family.add(7, ["core": "9"])
        let (families, _) = normalized([family])
        // Label by label, name then value ("1" < "10" as strings); a label set that is a prefix sorts first.
        #expect(families[0].samples.map(labels) == [
            "core=9", "cpu=0", "cpu=0,mode=idle", "cpu=0,mode=system", "cpu=1,mode=idle", "cpu=1,mode=user",
            "cpu=10,mode=idle",
        ])
        #expect(families[0].samples.map(\.value) == [7, 6, 4, 3, 5, 1, 2])
    }

    @Test func unlabelledSeriesSortsFirst() {
        var family = MetricFamily(name: "m", type: .gauge, help: "h")
        family.add(2, ["a": "x"])
        family.add(1)
        let (families, _) = normalized([family])
        #expect(families[0].samples.map(\.value) == [1, 2])
    }

    @Test func dropsDuplicateSeriesKeepingTheFirstAndCountsThem() {
        var family = MetricFamily(name: "node_filesystem_avail_bytes", type: .gauge, help: "h")
        family.add(10, ["device": "/dev/sda1", "mountpoint": "/"])
        family.add(20, ["mountpoint": "/", "device": "/dev/sda1"])  // same set, other order
        family.add(30, ["device": "/dev/sda2", "mountpoint": "/home"])
        family.add(40, ["device": "/dev/sda1", "mountpoint": "/"])
        family.add(50, ["device": "/dev/sda2", "mountpoint": "/home"])
        let (families, report) = normalized([family])
        #expect(families[0].samples.map(\.value) == [10, 30])
        #expect(report.duplicateSeries == 3)
        #expect(report.invalidSeries == 0)
    }

    @Test func duplicateUnlabelledSeriesIsDropped() {
        var family = MetricFamily(name: "node_load1", type: .gauge, help: "h")
        family.add(0.5)
        family.add(0.7)
        let (families, report) = normalized([family])
        #expect(families[0].samples.map(\.value) == [0.5])
        #expect(report.duplicateSeries == 1)
    }

    @Test func valuesDoNotMakeSeriesDistinct() {
        var family = MetricFamily(name: "m", type: .gauge, help: "h")
        family.add(.nan, ["a": "1"])
        family.add(.nan, ["a": "1"])
        #expect(normalized([family]).report.duplicateSeries == 1)
    }

    @Test func labelValuesCompareByBytesNotByUnicodeEquivalence() {
        // "é" precomposed (U+00E9) and decomposed (e + U+0301) are different label values to Prometheus:
        // neither may be dropped as a duplicate of the other.
        var family = MetricFamily(name: "m", type: .gauge, help: "h")
        family.add(1, ["name": "caf\u{E9}"])
        family.add(2, ["name": "cafe\u{301}"])
        family.add(3, ["name": "caff"])
        let (families, report) = normalized([family])
        #expect(report.duplicateSeries == 0)
        #expect(families[0].samples.count == 3)
        // Byte order, as Go sorts: "cafe\u{301}" (65 CC 81) < "caff" (66) < "caf\u{E9}" (C3 A9).
        #expect(families[0].samples.map(\.value) == [2, 3, 1])
    }

    @Test func mergesFamiliesWithTheSameNameIntoOne() {
        var fromCPU = MetricFamily(name: "node_scrape_collector_success", type: .gauge, help: "Whether a collector succeeded.")
        fromCPU.add(1, ["collector": "cpu"])
        var fromMemory = MetricFamily(name: "node_scrape_collector_success", type: .gauge, help: "Whether a collector succeeded.")
        fromMemory.add(0, ["collector": "meminfo"])
        fromMemory.add(1, ["collector": "diskstats"])
        let other = MetricFamily.single("node_load1", .gauge, help: "h", value: 1)
        let (families, report) = normalized([fromMemory, other, fromCPU])
        #expect(families.map(\.name) == ["node_load1", "node_scrape_collector_success"])
        #expect(families[1].samples.map(labels) == ["collector=cpu", "collector=diskstats", "collector=meminfo"])
        #expect(report == NormalizationReport())
        let text = render(families)
        #expect(text.components(separatedBy: "# HELP node_scrape_collector_success ").count == 2)
        #expect(text.components(separatedBy: "# TYPE node_scrape_collector_success ").count == 2)
    }

    @Test func duplicatesAcrossMergedFamiliesKeepTheFirstAdded() {
        let first = MetricFamily.single("nimbus_up", .gauge, help: "h", value: 1)
        let second = MetricFamily.single("nimbus_up", .gauge, help: "h", value: 0)
        let (families, report) = normalized([first, second])
        #expect(families.count == 1)
        #expect(families[0].samples.map(\.value) == [1])
        #expect(report.duplicateSeries == 1)
    }

    @Test func mergedFamilyTakesHelpFromALaterFamilyWhenTheFirstHasNone() {
        var first = MetricFamily(name: "m", type: .gauge, help: "")
        first.add(1, ["a": "1"])
        var second = MetricFamily(name: "m", type: .gauge, help: "The help.")
        second.add(2, ["a": "2"])
        let (families, _) = normalized([first, second])
        #expect(families.count == 1)
        #expect(families[0].help == "The help.")
    }

    @Test func dropsAFamilyWhoseTypeConflictsWithAnEarlierOne() {
        var gauge = MetricFamily(name: "nimbus_things", type: .gauge, help: "h")
        gauge.add(1, ["a": "1"])
        gauge.add(2, ["a": "2"])
        var counter = MetricFamily(name: "nimbus_things", type: .counter, help: "h")
        counter.add(3, ["a": "3"])
        counter.add(4, ["a": "4"])
        counter.add(5, ["a": "5"])
        let (families, report) = normalized([gauge, counter])
        #expect(families.count == 1)
        #expect(families[0].type == .gauge)
        #expect(families[0].samples.map(\.value) == [1, 2])
        #expect(report.invalidSeries == 3)
        #expect(report.duplicateSeries == 0)
    }

    @Test(arguments: ["", "1abc", "9", "a-b", "a b", "a.b", "caf\u{E9}", "a{b}", "a\"b"])
    func dropsFamiliesWithInvalidMetricNames(name: String) {
        var bad = MetricFamily(name: name, type: .gauge, help: "h")
        bad.add(1, ["a": "1"])
        bad.add(2, ["a": "2"])
        let good = MetricFamily.single("good", .gauge, help: "h", value: 1)
        let (families, report) = normalized([bad, good])
        #expect(families.map(\.name) == ["good"])
        #expect(report.invalidSeries == 2)
    }

    @Test(arguments: ["a", "_", "_a", "a:b", ":a", "a_1", "A9:z_", "node_cpu_seconds_total", "__name"])
    func keepsValidMetricNames(name: String) {
        let (families, report) = normalized([.single(name, .gauge, help: "h", value: 1)])
        #expect(families.map(\.name) == [name])
        #expect(report == NormalizationReport())
    }

    @Test(arguments: ["__reserved", "__name__", "1a", "0", "a-b", "a:b", "a.b", "", "caf\u{E9}", "a b"])
    func dropsSeriesWithInvalidLabelNames(labelName: String) {
        var family = MetricFamily(name: "m", type: .gauge, help: "h")
        family.add(1, labels: [Label("ok", "x"), Label(labelName, "v")])
        family.add(2, ["ok": "y"])
        let (families, report) = normalized([family])
        #expect(families[0].samples.map(\.value) == [2])
        #expect(report.invalidSeries == 1)
        #expect(report.duplicateSeries == 0)
    }

    @Test(arguments: ["a", "_", "_a", "a1", "A_b_9", "le", "quantile"])
    func keepsValidLabelNames(labelName: String) {
        var family = MetricFamily(name: "m", type: .gauge, help: "h")
        family.add(1, labels: [Label(labelName, "v")])
        let (families, report) = normalized([family])
        #expect(families[0].samples.count == 1)
        #expect(report == NormalizationReport())
    }

    @Test func dropsSeriesThatRepeatALabelName() {
        var family = MetricFamily(name: "m", type: .gauge, help: "h")
        family.add(1, labels: [Label("a", "1"), Label("b", "x"), Label("a", "2")])
        family.add(2, labels: [Label("a", "1"), Label("a", "1")])
        family.add(3, labels: [Label("a", "1"), Label("b", "x")])
        let (families, report) = normalized([family])
        #expect(families[0].samples.map(\.value) == [3])
        #expect(report.invalidSeries == 2)
        #expect(report.duplicateSeries == 0)
    }

    @Test func familyLeftWithoutValidSeriesIsNotRendered() {
        var family = MetricFamily(name: "m", type: .gauge, help: "h")
        family.add(1, ["__bad": "1"])
        let good = MetricFamily.single("n", .gauge, help: "h", value: 1)
        #expect(renderNormalized([family, good]) == "# HELP n h\n# TYPE n gauge\nn 1\n")
    }

    @Test func countsAddUpAcrossFamilies() {
        var a = MetricFamily(name: "a", type: .gauge, help: "h")
        a.add(1, ["x": "1"]); a.add(1, ["x": "1"]); a.add(1, ["1x": "1"])
        var b = MetricFamily(name: "b", type: .counter, help: "h")
        b.add(1); b.add(1); b.add(1)
        var bConflict = MetricFamily(name: "b", type: .gauge, help: "h")
        bConflict.add(1, ["y": "1"])
        let bad = MetricFamily.single("b-c", .gauge, help: "h", value: 1)
        let report = normalized([a, b, bConflict, bad]).report
        #expect(report == NormalizationReport(duplicateSeries: 3, invalidSeries: 3))
    }

    @Test func isIdempotent() {
        let families = DeterminismFixture.collectors.flatMap { $0 }
        let once = normalized(families).families
        let (twice, report) = normalized(once)
        #expect(render(once) == render(twice))
        #expect(report == NormalizationReport())
    }

    @Test func outputIsByteIdenticalWhateverTheCollectorOrder() {
        let collectors = DeterminismFixture.collectors
        let reference = TextEncoder.encode(normalized(collectors.flatMap { $0 }).families, format: .prometheusText)
        let referenceOM = TextEncoder.encode(normalized(collectors.flatMap { $0 }).families, format: .openMetrics)
        #expect(reference.count > 500)
        for permutation in permutations(Array(collectors.indices)) {
            let families = permutation.flatMap { collectors[$0] }
            let normalizedFamilies = normalized(families).families
            #expect(TextEncoder.encode(normalizedFamilies, format: .prometheusText) == reference, "order \(permutation)")
            #expect(TextEncoder.encode(normalizedFamilies, format: .openMetrics) == referenceOM, "order \(permutation)")
        }
        // Also with each collector's own families reversed, and everything reversed.
        let reversedInside = collectors.map { Array($0.reversed()) }.flatMap { $0 }
        #expect(TextEncoder.encode(normalized(reversedInside).families, format: .prometheusText) == reference)
        let allReversed = Array(collectors.flatMap { $0 }.reversed())
        #expect(TextEncoder.encode(normalized(allReversed).families, format: .prometheusText) == reference)
    }

    private func permutations(_ items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index -> [[Int]] in
            var rest = items
            let head = rest.remove(at: index)
            return permutations(rest).map { [head] + $0 }
        }
    }
}

/// Four "collectors", each producing its families in a fixed order; two of them contribute
/// series to the same family, one family appears in two collectors with disjoint series.
enum DeterminismFixture {
    static var collectors: [[MetricFamily]] {
        var cpu = MetricFamily(name: "node_cpu_seconds_total", type: .counter, help: "Seconds the CPUs spent in each mode.")
        for cpuIndex in [3, 0, 11, 1, 2] {
            for mode in ["user", "idle", "system", "iowait"] {
                cpu.add(Double(cpuIndex * 1000) + Double(mode.count) + 0.25, ["mode": mode, "cpu": String(cpuIndex)])
            }
        }
        let load = ["node_load15", "node_load1", "node_load5"].map { MetricFamily.single($0, .gauge, help: "Load average.", value: 0.41) }
        var fs = MetricFamily(name: "node_filesystem_avail_bytes", type: .gauge, help: "Filesystem space available.")
        fs.add(1.6514691072e10, ["mountpoint": "/", "fstype": "ext4", "device": "/dev/sda1"])
        fs.add(2.4e10, ["mountpoint": "/mnt/with space", "fstype": "xfs", "device": "/dev/sdb1"])
        fs.add(.nan, ["mountpoint": "/weird\\\"\nmount", "fstype": "tmpfs", "device": "tmpfs"])
        func success(_ collector: String, _ value: Double) -> MetricFamily {
            var family = MetricFamily(name: "node_scrape_collector_success", type: .gauge,
                                      help: "node_exporter: Whether a collector succeeded.")
            family.add(value, ["collector": collector])
            return family
        }
        var ec2 = MetricFamily(name: "aws_ec2_info", type: .info, help: "EC2 instances.")
        ec2.add(1, ["instance_id": "i-0b", "tag_Name": "web \"b\"", "region": "eu-west-1"])
        ec2.add(1, ["instance_id": "i-0a", "tag_Name": "db", "region": "eu-west-1"])
        let age = MetricFamily.single("nimbus_cloud_cache_age_seconds", .gauge, help: "Age of cached cloud values.", value: 12.5)
        return [
            [cpu, success("cpu", 1)],
            load + [success("loadavg", 1)],
            [success("filesystem", 0), fs],
            [age, ec2, MetricFamily(name: "nimbus_never_filled", type: .untyped, help: "Empty.")],
        ]
    }
}
