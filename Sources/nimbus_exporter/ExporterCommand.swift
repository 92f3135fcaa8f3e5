import ArgumentParser
import CShims
import CloudCache
import Foundation
import HTTPServer
import HostMetrics
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The command line. Flag names follow node_exporter's wherever it has one for the same thing.
struct ExporterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nimbus_exporter",
        abstract: "Prometheus exporter for Linux host metrics (node_exporter-compatible) and cloud metrics.",
        discussion: CollectorArguments.helpText,
        version: BuildInfo.version
    )

    @Option(name: .customLong("web.listen-address"),
            help: "Address to listen on; repeat for several (host:port, :port, [v6addr]:port).")
    var listenAddresses: [String] = [":10049"]

    @Option(name: .customLong("web.telemetry-path"), help: "Path under which to expose metrics.")
    var telemetryPath = "/metrics"

    @Option(name: .customLong("web.max-requests"),
            help: "Maximum number of parallel scrape requests; 0 disables the limit.")
    var maxRequests = 40

    @Option(name: .customLong("web.connection-timeout"), help: "Idle time after which a client connection is closed.")
    var connectionTimeout = "30s"

    @Option(name: .customLong("web.max-connections"), help: "Maximum number of simultaneous client connections per address.")
    var maxConnections: UInt32 = 512

    @Option(name: .customLong("path.procfs"), help: "procfs mountpoint.")
    var procfs = "/proc"

    @Option(name: .customLong("path.sysfs"), help: "sysfs mountpoint.")
    var sysfs = "/sys"

    @Option(name: .customLong("path.rootfs"), help: "rootfs mountpoint (the host's / in a container).")
    var rootfs = "/"

    @Option(name: .customLong("path.udev.data"), help: "udev data path.")
    var udevData = "/run/udev/data"

    @Option(name: .customLong("collector.timeout"),
            help: "Deadline for each collector in a scrape; a late collector is reported failed.")
    var collectorTimeout = "9s"

    @Option(name: .customLong("config.file"),
            help: "YAML file of cloud jobs (aws:) and cache settings; without it only host metrics are exported.")
    var configFile: String?

    @Option(name: .customLong("cache.directory"),
            help: "Directory where cloud caches persist across restarts (overrides cache.directory in the config file).")
    var cacheDirectory: String?

    @Option(name: .customLong("log.level"), help: "Only log messages of this severity or above: debug, info, warn, error.")
    var logLevel = "info"

    /// Set by `main` from the collector flags taken out before parsing.
    var collectorArguments = CollectorArguments()

    enum CodingKeys: String, CodingKey {
        case listenAddresses, telemetryPath, maxRequests, connectionTimeout, maxConnections, procfs, sysfs, rootfs,
             udevData, collectorTimeout, configFile, cacheDirectory, logLevel
    }

    func validate() throws {
        guard telemetryPath.hasPrefix("/") else {
            throw ValidationError("--web.telemetry-path must start with '/', got \"\(telemetryPath)\"")
        }
        guard Self.logLevel(logLevel) != nil else {
            throw ValidationError("--log.level must be one of debug, info, warn, error; got \"\(logLevel)\"")
        }
        for (flag, value) in [("web.connection-timeout", connectionTimeout), ("collector.timeout", collectorTimeout)]
        where CollectorSettings.parseDuration(value) == nil {
            throw ValidationError("--\(flag) must be a duration like 500ms, 5s or 1m; got \"\(value)\"")
        }
        for address in listenAddresses {
            do {
                _ = try ListenAddress(parsing: address)
            } catch {
                throw ValidationError("--web.listen-address: \(error)")
            }
        }
    }

    func run() throws {
        let level = Self.logLevel(logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "nimbus_exporter")
        ShutdownSignals.block()
        // glibc gives each thread that allocates its own arena; a scrape touches several threads,
        // and two arenas are plenty for this allocation pattern.
        _ = nimbus_limit_malloc_arenas(2)

        let collectors: [any Collector]
        do {
            collectors = try CollectorCatalog.build(given: collectorArguments.settings, isEnabled: collectorArguments.isEnabled)
        } catch {
            throw ValidationError("collector configuration: \(error)")
        }
        let paths = HostPaths(procfs: procfs, sysfs: sysfs, rootfs: rootfs, udevData: udevData)
        // One collector thread per CPU (reads of /proc are CPU-bound), at least two.
        let pool = WorkerPool(initialThreads: min(max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 2), 8))
        let runner = CollectorRunner(collectors: collectors, paths: paths,
                                     timeoutSeconds: CollectorSettings.parseDuration(collectorTimeout) ?? 9, pool: pool)
        let cloud: CloudCache?
        do {
            cloud = try CloudSetup.build(configFile: configFile, cacheDirectory: cacheDirectory,
                                         environment: ProcessInfo.processInfo.environment, logger: logger)
        } catch {
            logger.critical("invalid configuration", metadata: ["err": "\(error)"])
            throw ValidationError("\(error)")
        }
        cloud?.start()
        let pipeline = MetricsPipeline(runner: runner, cloud: cloud, logger: logger)
        let handler = ExporterHandler(pipeline: pipeline, metricsPath: telemetryPath, maximumScrapes: maxRequests)
        let limits = HTTPServerLimits(connectionTimeoutSeconds: UInt32(CollectorSettings.parseDuration(connectionTimeout) ?? 30),
                                      maximumConnections: maxConnections)
        let server = HTTPServer(handler: handler, limits: limits)
        let addresses = listenAddresses.compactMap { try? ListenAddress(parsing: $0) }
        do {
            try server.start(addresses: addresses)
        } catch {
            logger.critical("cannot start", metadata: ["err": "\(error)"])
            throw ExitCode(1)
        }
        logger.info("listening", metadata: [
            "addresses": "\(addresses.map(\.description).joined(separator: ","))",
            "collectors": "\(collectors.map(\.name).joined(separator: ","))",
            "version": "\(BuildInfo.version)",
        ])
        // Start-up code (flag parsing, configuration, loading) never runs again; let its pages go.
        _ = nimbus_release_code_pages()
        let signal = ShutdownSignals.wait()
        logger.info("shutting down", metadata: ["signal": "\(signal == SIGTERM ? "SIGTERM" : "SIGINT")"])
        server.stop()
        cloud?.stop()
    }

    private static func logLevel(_ text: String) -> Logger.Level? {
        switch text.lowercased() {
        case "debug": .debug
        case "info": .info
        case "warn", "warning": .warning
        case "error": .error
        default: nil
        }
    }
}
