import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayStore
import Foundation
import GRDB

/// `catalog build` over a large stored result set: by default 1,000,000 samples of 200
/// model+effort entries on 10 tasks (one 500-item suite each), in a real SQLite file.
/// Reports wall time and peak memory of loading the samples and building the catalog, against a
/// baseline measured in the same process: one plain pass over the same rows (the I/O floor).
@main
struct CatalogBuild {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        func value(_ flag: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.endIndex else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        let entries = value("--entries", 200), tasks = value("--tasks", 10), items = value("--items", 500)
        let directory = NSTemporaryDirectory() + "assay-catalog-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // --database PATH keeps the generated result set there and reuses it on the next run
        // (for profiling the build alone).
        let path = arguments.firstIndex(of: "--database").flatMap { $0 + 1 < arguments.endIndex ? arguments[$0 + 1] : nil }
        let database = try AssayDatabase(path: path ?? directory + "/assay.sqlite")

        let fillStart = ContinuousClock.now
        if try database.sampleCount() == 0 { try fill(database, entries: entries, tasks: tasks, items: items) }
        let samples = try database.sampleCount()
        print("stored \(samples) samples (\(entries) entries × \(tasks) tasks × \(items) items) in \(format(fillStart.duration(to: .now)))")

        let memoryBefore = peakResidentMB()
        let baselineStart = ContinuousClock.now
        let checksum = try database.writer.read { db -> Double in
            var total = 0.0
            let rows = try Row.fetchCursor(db, sql: "SELECT sample.score, sample.cost_nusd, sample.output_tokens FROM sample JOIN job ON job.id = sample.job_id JOIN item ON item.id = sample.item_id JOIN suite ON suite.id = job.suite_id")
            while let row = try rows.next() { total += (row[0] as Double? ?? 0) + Double(row[1] as Int64) + Double(row[2] as Int) }
            return total
        }
        let baseline = seconds(baselineStart.duration(to: .now))

        let readStart = ContinuousClock.now
        var read = 0
        try database.forEachSampleFact { _ in read += 1 }
        let readOnly = seconds(readStart.duration(to: .now))
        print(String(format: "reading %d samples as SampleFact values, nothing else  %6.3f s", read, readOnly))

        let buildStart = ContinuousClock.now
        let document = try CatalogBuilder(margin: 0.02, prices: try database.currentPrices(), currentSuites: try database.latestSuiteHashes())
            .build(database: database)
        let loaded = seconds(buildStart.duration(to: .now))
        let written = try CatalogWriter.write(document, to: directory + "/catalog")
        let build = seconds(buildStart.duration(to: .now))
        let peak = peakResidentMB()

        print(String(format: "baseline: one pass over the joined rows   %6.3f s   (checksum %.0f)", baseline, checksum))
        print(String(format: "catalog build: read and build %.3f s + write %.3f s = %6.3f s   %.1f× baseline", loaded, build - loaded, build, build / baseline))
        print(String(format: "peak resident memory %.0f MB (%.0f MB before loading)", peak, memoryBefore))
        print("tasks \(document.tasks.count), entries \(document.tasks.reduce(0) { $0 + $1.entries.count }), catalog \(written.jsonPath)")
        print(String(format: "target: under 3 s and 500 MB — %@", build < 3 && peak < 500 ? "met" : "NOT met"))
    }

    /// Writes the synthetic result set with prepared statements in one transaction.
    static func fill(_ database: AssayDatabase, entries: Int, tasks: Int, items: Int) throws {
        let efforts = ["low", "medium", "high", "xhigh"]
        try database.writer.write { db in
            let run = try db.makeStatement(sql: "INSERT INTO run (trigger, started_at, config_sha256) VALUES ('bench', '2026-11-23 00:00:00.000', 'x')")
            try run.execute()
            let runID = db.lastInsertedRowID
            var itemIDs: [[Int64]] = []
            var suiteIDs: [Int64] = []
            for task in 0..<tasks {
                try db.execute(sql: "INSERT INTO suite (name, task, version, content_sha256, item_count, file, loaded_at) VALUES (?, ?, 1, ?, ?, 'x', '2026-11-23 00:00:00.000')",
                               arguments: ["suite-\(task)", "task-\(task)", "hash-\(task)", items])
                let suiteID = db.lastInsertedRowID
                suiteIDs.append(suiteID)
                let insertItem = try db.makeStatement(sql: "INSERT INTO item (suite_id, item_key, prompt_sha256, difficulty) VALUES (?, ?, 'x', ?)")
                var ids: [Int64] = []
                for item in 0..<items {
                    try insertItem.execute(arguments: [suiteID, "item-\(item)", 1 + item % 5])
                    ids.append(db.lastInsertedRowID)
                }
                itemIDs.append(ids)
            }
            let insertJob = try db.makeStatement(sql: "INSERT INTO job (run_id, provider, model, effort, suite_id, suite_sha256, epoch, status, attempts, created_at) VALUES (?, 'sim', ?, ?, ?, ?, 0, 'done', 1, '2026-11-23 00:00:00.000')")
            let insertSample = try db.makeStatement(sql: """
                INSERT INTO sample (job_id, item_id, epoch, status, response, score, passed, grader, input_tokens, output_tokens,
                                    reasoning_tokens, cost_nusd, latency_ms, created_at)
                VALUES (?, ?, 0, ?, 'x', ?, ?, 'exact', ?, ?, ?, ?, ?, '2026-11-23 00:00:00.000')
                """)
            for entry in 0..<entries {
                let model = "model-\(entry / efforts.count)", effort = efforts[entry % efforts.count]
                let skill = Double(entry % 50) / 50
                for task in 0..<tasks {
                    try insertJob.execute(arguments: [runID, model, effort, suiteIDs[task], "hash-\(task)"])
                    let jobID = db.lastInsertedRowID
                    for (index, itemID) in itemIDs[task].enumerated() {
                        let draw = Double((index * 7919 + entry * 104_729 + task * 1_299_709) % 1000) / 1000
                        let error = draw > 0.995
                        let score = draw < skill ? 0.0 : 1.0
                        let output = 50 + (entry % efforts.count) * 400 + index % 100
                        try insertSample.execute(arguments: [
                            jobID, itemID, error ? "error" : "ok", error ? nil : score, error ? nil : score == 1,
                            error ? 0 : 300, error ? 0 : output, error ? 0 : output - 40, error ? 0 : Int64(output * (entry + 1) * 10),
                            error ? nil : 200 + index % 300,
                        ])
                    }
                }
            }
        }
    }

    static func peakResidentMB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024   // kilobytes on Linux
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ duration: Duration) -> String { String(format: "%.1f s", seconds(duration)) }
}
