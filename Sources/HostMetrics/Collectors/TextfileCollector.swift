#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Exposition

/// Metrics other programs write as `*.prom` files (text exposition format) into a directory
/// (`--collector.textfile.directory`, which may be a glob of directories), plus
/// `node_textfile_mtime_seconds{file}` for each file read and `node_textfile_scrape_error`.
///
/// A file that cannot be read or parsed, carries sample timestamps, repeats a series, or gives a
/// family another type or help text than an earlier file did is skipped as a whole and sets the
/// error to 1; the other files are still exported and the collector never fails.
public struct TextfileCollector: Collector {
    public let name = "textfile"
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        var errored = false
        var merger = Merger()
        var mtimes = MetricFamily(name: "node_textfile_mtime_seconds", type: .gauge,
                                  help: "Modification time of each textfile read successfully, in seconds since the epoch.")
        if !directory.isEmpty {
            for directory in Self.expand(directory) {
                guard let names = try? FileReader.listDirectory(directory) else {
                    errored = true
                    continue
                }
                for name in names where name.hasSuffix(".prom") {
                    let path = Self.join(directory, name)
                    do {
                        // Only regular files (through symlinks): opening a FIFO would block the scrape.
                        var info = stat()
                        guard stat(path, &info) == 0 else { throw HostFileError(path: path, errno: errno) }
                        guard info.st_mode & S_IFMT == S_IFREG else { throw CollectorError("\(path) is not a regular file") }
                        let bytes = try context.reader.read(path)
                        let families = try Self.parse(bytes, path: path)
                        try merger.add(families, from: path)
                        mtimes.add(Double(info.st_mtim.tv_sec), ["file": path])
                    } catch {
                        errored = true
                    }
                }
            }
        }
        var result = merger.families()
        if !mtimes.samples.isEmpty { result.append(mtimes) }
        result.append(.single("node_textfile_scrape_error", .gauge,
                              help: "1 if a textfile could not be read or parsed on this scrape, else 0.",
                              value: errored ? 1 : 0))
        return result
    }

    /// The families of one file; a file with sample timestamps is refused, as node_exporter does.
    static func parse(_ bytes: ArraySlice<UInt8>, path: String) throws -> [TextFormatParser.Family] {
        let families: [TextFormatParser.Family]
        do {
            families = try TextFormatParser.parse(bytes)
        } catch {
            throw CollectorError("\(path): \(error)")
        }
        for family in families where family.samples.contains(where: { $0.timestamp != nil }) {
            throw CollectorError("\(path): \(family.name) has sample timestamps, which textfiles may not carry")
        }
        return families
    }

    /// The directories a `--collector.textfile.directory` value names: the matches of a glob
    /// pattern, else the value itself.
    static func expand(_ pattern: String) -> [String] {
        guard pattern.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) else { return [pattern] }
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0 else { return [pattern] }
        var result: [String] = []
        for index in 0..<Int(matches.gl_pathc) {
            if let path = matches.gl_pathv[index] { result.append(String(cString: path)) }
        }
        return result.isEmpty ? [pattern] : result.sorted()
    }

    static func join(_ directory: String, _ name: String) -> String {
        var base = directory
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        return base == "/" ? "/" + name : base + "/" + name
    }

    /// Families gathered from several files: same-named families merge, series keep file order.
    struct Merger {
        private struct Entry {
            var kind: TextFormatParser.Kind
            /// The HELP text a file gave, if any did.
            var help: String?
            var files: [String]
            /// Exposed families (a histogram or summary becomes several) and their series.
            var samples: [Sample]
            var sampleNames: [String]
        }

        private var entries: [String: Entry] = [:]
        private var order: [String] = []
        /// Every series so far: name and its non-empty labels, sorted.
        private var seen: Set<SeriesKey> = []

        private struct SeriesKey: Hashable {
            var name: String
            var labels: [Label]
        }

        /// Adds one file's families, or none of them when any conflicts with what is there.
        mutating func add(_ families: [TextFormatParser.Family], from path: String) throws {
            var newSeries: Set<SeriesKey> = []
            for family in families where !family.samples.isEmpty {
                if let existing = entries[family.name] {
                    guard existing.kind == family.kind else {
                        throw CollectorError("\(path): \(family.name) is a \(family.kind.rawValue) here but a \(existing.kind.rawValue) in \(existing.files[0])")
                    }
                    if let help = family.help, let earlier = existing.help, help != earlier {
                        throw CollectorError("\(path): \(family.name) has another HELP text than in \(existing.files[0])")
                    }
                }
                for sample in family.samples {
                    let key = SeriesKey(name: sample.name,
                                        labels: sample.labels.filter { !$0.value.isEmpty }.sorted { $0.name < $1.name })
                    guard !seen.contains(key), newSeries.insert(key).inserted else {
                        throw CollectorError("\(path): series \(sample.name) with labels \(key.labels.map { "\($0.name)=\($0.value)" }) is given twice")
                    }
                }
            }
            seen.formUnion(newSeries)
            for family in families where !family.samples.isEmpty {
                var entry = entries[family.name] ?? Entry(kind: family.kind, help: nil, files: [], samples: [], sampleNames: [])
                if entries[family.name] == nil { order.append(family.name) }
                if entry.help == nil { entry.help = family.help }
                if entry.files.last != path { entry.files.append(path) }
                for sample in family.samples {
                    entry.samples.append(Sample(labels: sample.labels, value: sample.value))
                    entry.sampleNames.append(sample.name)
                }
                entries[family.name] = entry
            }
        }

        /// The merged families, in the order their names first appeared. Within a family every
        /// series carries every label name the family uses (empty where a file left it out), as
        /// node_exporter pads them; a histogram's `le` and a summary's `quantile` are not padded.
        /// Counters, gauges, histograms and summaries keep their type; a histogram's or summary's
        /// samples keep their `_bucket`, `_sum` and `_count` names as suffixes of the family.
        func families() -> [MetricFamily] {
            var result: [MetricFamily] = []
            for name in order {
                guard let entry = entries[name] else { continue }
                let help = entry.help ?? "Read from textfile \(entry.files.joined(separator: ", "))."
                switch entry.kind {
                case .histogram, .summary:
                    var family = MetricFamily(name: name, type: entry.kind == .histogram ? .histogram : .summary, help: help)
                    for (sample, sampleName) in zip(entry.samples, entry.sampleNames) {
                        family.add(sample.value, labels: sample.labels, suffix: String(sampleName.dropFirst(name.count)))
                    }
                    result.append(Self.padded(family, except: entry.kind == .histogram ? "le" : "quantile"))
                case .counter, .gauge, .untyped:
                    let type: MetricType = entry.kind == .counter ? .counter : entry.kind == .gauge ? .gauge : .untyped
                    var byName: [String: MetricFamily] = [:]
                    var names: [String] = []
                    for (sample, sampleName) in zip(entry.samples, entry.sampleNames) {
                        if byName[sampleName] == nil {
                            names.append(sampleName)
                            byName[sampleName] = MetricFamily(name: sampleName, type: type, help: help)
                        }
                        byName[sampleName]!.samples.append(sample)
                    }
                    for sampleName in names {
                        result.append(Self.padded(byName[sampleName]!, except: nil))
                    }
                }
            }
            return result
        }

        private static func padded(_ family: MetricFamily, except bound: String?) -> MetricFamily {
            var labelNames: [String] = []
            for sample in family.samples {
                for label in sample.labels where label.name != bound && !labelNames.contains(label.name) {
                    labelNames.append(label.name)
                }
            }
            var result = family
            for index in result.samples.indices {
                for labelName in labelNames where !result.samples[index].labels.contains(where: { $0.name == labelName }) {
                    result.samples[index].labels.append(Label(labelName, ""))
                }
            }
            return result
        }
    }
}
