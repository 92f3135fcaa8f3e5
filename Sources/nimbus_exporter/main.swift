import ArgumentParser
import HostMetrics

// Collector flags are taken out first (their set comes from the catalog); the flag parser
// handles the rest.
do {
    let (collectorArguments, arguments) = try CollectorArguments.extract(from: Array(CommandLine.arguments.dropFirst()))
    var command = try ExporterCommand.parse(arguments)
    command.collectorArguments = collectorArguments
    try command.run()
} catch let failure as CollectorArguments.Failure {
    ExporterCommand.exit(withError: ValidationError(failure.description))
} catch {
    ExporterCommand.exit(withError: error)
}
