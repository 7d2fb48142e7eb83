import ArgumentParser

/// The `assay` command: measure models on graded suites, keep the results, build the catalog.
@main
struct Assay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Measure which model and reasoning effort is good enough for each task, and what it costs.",
        discussion: """
            Quick start, no API keys: 'assay demo' runs every suite on the built-in simulated model zoo, \
            builds catalog/ and prints the best pick per task. Then 'assay catalog best --task math'.

            Exit codes: 0 ok; 1 unexpected failure; 3 a run finished but some samples failed, or prices were quarantined; \
            64 bad usage; 65 bad data (suite, catalog); 66 not found (unknown task, missing file); \
            69 provider unavailable; 74 database or file error; 75 another run holds the database; 78 bad config; \
            130 interrupted (Ctrl-C): stored samples are kept, rerun to finish.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, DemoCommand.self, SimulateCommand.self, SuitesCommand.self, RunCommand.self,
            CatalogCommand.self, RouteCommand.self, RouterCommand.self, CascadeCommand.self, ServeCommand.self, KeysCommand.self, ModelsCommand.self, PlanCommand.self, NightlyCommand.self, PricesCommand.self, RegradeCommand.self,
            ReportCommand.self, TrafficCommand.self, WorkerCommand.self,
        ])
}
