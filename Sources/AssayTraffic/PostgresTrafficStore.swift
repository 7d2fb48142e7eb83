import AssayCore
import AssayPostgres
import Foundation
import PostgresNIO

/// The traffic log on the shared PostgreSQL store (`postgres:` in assay.yaml): every replica's
/// `TrafficLog` writes its batches here, so `assay report` sees the traffic of all of them. The
/// tables are the SQLite file's, rendered from the same description (`TrafficSchema`).
public struct PostgresTrafficStore: TrafficStore {
    let store: PostgresStore
    /// Rows per INSERT statement (28 parameters a row; the protocol allows 65,535 per statement).
    static let rowsPerStatement = 1_000
    static let columnsPerRow = 28
    /// Each row's placeholders, `($1, …, $28)`, `($29, …, $56)`…, made once instead of for every
    /// row of every batch.
    static let rowPlaceholders: [String] = (0..<rowsPerStatement).map { row in
        "(" + (1...columnsPerRow).map { "$\(row * columnsPerRow + $0)" }.joined(separator: ", ") + ")"
    }

    public init(store: PostgresStore) { self.store = store }

    public var location: String { store.settings.url }

    /// Creates or updates the traffic tables (idempotent; safe from several replicas at once).
    public func migrate() async throws { try await PostgresMigrator.migrate(store, TrafficSchema.postgresMigrations) }

    public func write(_ entries: [TrafficEntry]) async throws {
        guard !entries.isEmpty else { return }
        var rollups: [DailyKey: DailyRollup] = [:]
        for entry in entries { rollups[DailyKey(entry), default: DailyRollup()].add(entry) }
        let logger = store.logger
        try await store.transaction(doing: "writing the traffic log") { connection in
            let plain = entries.filter { $0.capture == nil }
            for start in stride(from: 0, to: plain.count, by: Self.rowsPerStatement) {
                let chunk = plain[start..<min(plain.count, start + Self.rowsPerStatement)]
                try await connection.query(Self.insert(chunk, returning: false), logger: logger)
            }
            for entry in entries where entry.capture != nil {
                let rows = try await connection.query(Self.insert([entry], returning: true), logger: logger)
                for try await id in rows.decode(Int64.self) {
                    let captured = entry.capture ?? .init(prompt: "", answer: "")
                    try await connection.query("INSERT INTO capture (request_id, prompt, answer) VALUES (\(id), \(captured.prompt), \(captured.answer))",
                                               logger: logger)
                }
            }
            // Replicas add to the same rollup rows: each row is locked in key order (no deadlock),
            // its latency histogram merged, its sums added.
            for key in rollups.keys.sorted(by: DailyKey.precedes) {
                guard let rollup = rollups[key] else { continue }
                try await rollup.add(to: key, on: connection, logger: logger)
            }
        }
    }

    static func insert(_ entries: some Collection<TrafficEntry>, returning: Bool) throws -> PostgresQuery {
        precondition(entries.count <= Self.rowsPerStatement, "at most \(Self.rowsPerStatement) rows a statement")
        var bindings = PostgresBindings(capacity: entries.count * Self.columnsPerRow)
        for entry in entries {
            bindings.append(Int64((entry.at.timeIntervalSince1970 * 1_000).rounded()))
            bindings.append(Int64(entry.day))
            bindings.append(entry.client)
            bindings.append(entry.endpoint)
            bindings.append(entry.requestedModel)
            bindings.append(Int64(entry.stream ? 1 : 0))
            bindings.append(entry.task)
            bindings.append(entry.taskSource)
            bindings.append(entry.taskConfidence)
            bindings.append(entry.model)
            bindings.append(entry.effort)
            bindings.append(entry.catalogSha256)
            bindings.append(Int64(max(0, entry.fallbacks)))
            bindings.append(Int64(entry.status))
            bindings.append(entry.error)
            bindings.append(Int64(max(0, entry.latencyMs)))
            bindings.append(entry.ttftMs.map { Int64(max(0, $0)) })
            bindings.append(Int64(entry.usage.inputTokens))
            bindings.append(Int64(entry.usage.cachedInputTokens))
            bindings.append(Int64(entry.usage.outputTokens))
            bindings.append(Int64(entry.usage.reasoningTokens))
            bindings.append(entry.cost.map { max(0, $0.nanoUSD) })
            bindings.append(entry.baselineCost.map { max(0, $0.nanoUSD) })
            bindings.append(entry.cascade?.path)
            bindings.append(entry.cascade?.check)
            bindings.append(entry.cascade?.workerCost.map { max(0, $0.nanoUSD) })
            bindings.append(entry.cascade?.checkCost.map { max(0, $0.nanoUSD) })
            bindings.append(entry.cascade?.advisorCost.map { max(0, $0.nanoUSD) })
        }
        let sql = """
            INSERT INTO request (at_ms, day, client, endpoint, requested_model, stream, task, task_source, task_confidence, model,
                effort, catalog_sha256, fallbacks, status, error, latency_ms, ttft_ms, input_tokens, cached_input_tokens, output_tokens,
                reasoning_tokens, cost_nusd, baseline_cost_nusd, cascade_path, cascade_check, worker_cost_nusd, check_cost_nusd,
                advisor_cost_nusd)
            VALUES \(Self.rowPlaceholders[0..<entries.count].joined(separator: ", "))\(returning ? " RETURNING id" : "")
            """
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    public func trim(maxAgeDays: Int, maxRows: Int, now: Date) async throws -> Int {
        let cutoff = Int64((now.timeIntervalSince1970 - Double(maxAgeDays) * 86_400) * 1_000)
        let logger = store.logger
        return try await store.transaction(doing: "trimming the traffic log") { connection in
            var deleted = 0
            for try await count in try await connection.query(
                "WITH gone AS (DELETE FROM request WHERE at_ms < \(cutoff) RETURNING 1) SELECT count(*) FROM gone", logger: logger
            ).decode(Int.self) { deleted += count }
            for try await count in try await connection.query("""
                WITH gone AS (DELETE FROM request WHERE id < (SELECT id FROM request ORDER BY id DESC LIMIT 1 OFFSET \(maxRows - 1)) RETURNING 1)
                SELECT count(*) FROM gone
                """, logger: logger).decode(Int.self) { deleted += count }
            return deleted
        }
    }

    public func report(from: Int, to: Int, by dimension: TrafficReport.Dimension) async throws -> TrafficReport {
        var builder = TrafficReportBuilder(from: from, to: to, by: dimension)
        let rows = try await store.query("""
            SELECT \(unescaped: Accumulator.columns), day, client, task, model, effort, endpoint FROM daily WHERE day BETWEEN \(from) AND \(to)
            """, doing: "reading the traffic log")
        for row in rows {
            let cells = row.makeRandomAccess()
            func int(_ index: Int) throws -> Int { try cells[index].decode(Int.self) }
            func text(_ index: Int) throws -> String { try cells[index].decode(String.self) }
            var sums = DailyRollup()
            (sums.requests, sums.errors, sums.fallbacks) = (try int(0), try int(1), try int(2))
            (sums.input, sums.cached, sums.output, sums.reasoning) = (try int(3), try int(4), try int(5), try int(6))
            (sums.cost, sums.baseline) = (Money(nanoUSD: Int64(try int(7))), Money(nanoUSD: Int64(try int(8))))
            (sums.baselinePriced, sums.baselinePricedCost) = (try int(9), Money(nanoUSD: Int64(try int(10))))
            sums.latency = LatencyHistogram(text: try text(11))
            builder.add(Accumulator(sums: sums), day: try int(12), client: try text(13), task: try text(14), model: try text(15),
                        effort: try text(16), endpoint: try text(17))
        }
        return builder.report
    }

    public func requestCount() async throws -> Int {
        try await store.query("SELECT count(*) FROM request", doing: "counting the traffic log").first?.decode(Int.self) ?? 0
    }
}
