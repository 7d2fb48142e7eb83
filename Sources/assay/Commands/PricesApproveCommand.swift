import AssayCore
import AssayStore
import ArgumentParser
import Foundation

struct PricesApprove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Apply quarantined prices (by id, by source, or all).",
        discussion: "A price jump is recorded; a vanished model's prices from that source are closed; a layout problem is acknowledged (fix the extractor, then scrape again).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Quarantine ids, as 'assay prices scrape' and 'show' list them.") var ids: [Int64] = []
    @Option(help: "Approve everything pending from this source.") var source: String?
    @Flag(help: "Approve everything pending.") var all = false

    func validate() throws {
        if ids.isEmpty && source == nil && !all { throw ValidationError("name quarantine ids, --source NAME, or --all") }
    }

    func run() async throws {
        try await reportingErrors {
            let config = try global.loadConfig()
            let database = try AssayDatabase(path: global.databasePath(config))
            var chosen = ids
            if all || source != nil { chosen += try database.pendingQuarantines(source: source).compactMap(\.id) }
            if chosen.isEmpty { print("nothing is awaiting approval") }
            for id in chosen {
                let record = try database.approveQuarantine(id: id)
                print("approved #\(id) [\(record.kind)] \(record.message)")
            }
        }
    }
}
