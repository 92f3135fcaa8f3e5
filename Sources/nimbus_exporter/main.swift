import HostMetrics

// Collector switches are taken out first; the flag parser handles the rest.
let (selection, arguments) = CollectorSelection.extract(from: Array(CommandLine.arguments.dropFirst()),
                                                        known: CollectorCatalog.names)
do {
    var command = try ExporterCommand.parseAsRoot(arguments)
    if var exporter = command as? ExporterCommand {
        exporter.selection = selection
        command = exporter
    }
    try command.run()
} catch {
    ExporterCommand.exit(withError: error)
}
