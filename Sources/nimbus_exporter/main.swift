import ArgumentParser
import HostMetrics

// Collector flags are taken out first (their set comes from the catalog); the flag parser
// handles the rest.
do {
    let (collectorArguments, arguments) = try CollectorArguments.extract(from: Array(CommandLine.arguments.dropFirst()))
    var command = try ExporterCommand.parseAsRoot(arguments)
    if var exporter = command as? ExporterCommand {
        exporter.collectorArguments = collectorArguments
        command = exporter
    }
    try command.run()
} catch let failure as CollectorArguments.Failure {
    ExporterCommand.exit(withError: ValidationError(failure.description))
} catch {
    ExporterCommand.exit(withError: error)
}
