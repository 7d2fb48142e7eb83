import AssayCore
import Foundation
import GRDB

extension TrafficDatabase {
    /// Stores `entries` and adds them to the daily rollups, in one transaction.
    public func write(_ entries: [TrafficEntry]) throws {
        guard !entries.isEmpty else { return }
        var rollups: [DailyKey: DailyRollup] = [:]
        for entry in entries { rollups[DailyKey(entry), default: DailyRollup()].add(entry) }
        do {
            try writer.write { db in
                let insert = try db.makeStatement(sql: """
                    INSERT INTO request (at_ms, day, client, endpoint, requested_model, stream, task, task_source, task_confidence, model,
                        effort, catalog_sha256, fallbacks, status, error, latency_ms, ttft_ms, input_tokens, cached_input_tokens, output_tokens,
                        reasoning_tokens, cost_nusd, baseline_cost_nusd)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let capture = try db.makeStatement(sql: "INSERT INTO capture (request_id, prompt, answer) VALUES (?, ?, ?)")
                for entry in entries {
                    try insert.execute(arguments: [
                        Int64((entry.at.timeIntervalSince1970 * 1_000).rounded()), entry.day, entry.client, entry.endpoint,
                        entry.requestedModel, entry.stream, entry.task, entry.taskSource, entry.taskConfidence, entry.model, entry.effort,
                        entry.catalogSha256, max(0, entry.fallbacks), entry.status, entry.error, max(0, entry.latencyMs),
                        entry.ttftMs.map { max(0, $0) }, entry.usage.inputTokens, entry.usage.cachedInputTokens, entry.usage.outputTokens,
                        entry.usage.reasoningTokens, entry.cost.map { max(0, $0.nanoUSD) }, entry.baselineCost.map { max(0, $0.nanoUSD) },
                    ])
                    if let captured = entry.capture {
                        try capture.execute(arguments: [db.lastInsertedRowID, captured.prompt, captured.answer])
                    }
                }
                for (key, rollup) in rollups { try rollup.upsert(key, in: db) }
            }
        } catch let error as DatabaseError {
            throw AssayError(.database, "cannot write the traffic log \(path): \(error.message ?? "\(error)")",
                             hint: "check free disk space and the file's permissions (serve.traffic.database)")
        }
    }

    /// Deletes requests (and their captures) older than `maxAgeDays` days before `now`, then the
    /// oldest past `maxRows`; the daily rollups stay. Returns the number of requests deleted.
    @discardableResult
    public func trim(maxAgeDays: Int, maxRows: Int, now: Date = Date()) throws -> Int {
        let cutoff = Int64((now.timeIntervalSince1970 - Double(maxAgeDays) * 86_400) * 1_000)
        return try writer.write { db in
            try db.execute(sql: "DELETE FROM capture WHERE request_id IN (SELECT id FROM request WHERE at_ms < ?)", arguments: [cutoff])
            try db.execute(sql: "DELETE FROM request WHERE at_ms < ?", arguments: [cutoff])
            var deleted = db.changesCount
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM request") ?? 0
            if count > maxRows {
                let bound = "(SELECT id FROM request ORDER BY id LIMIT 1 OFFSET ?)"
                try db.execute(sql: "DELETE FROM capture WHERE request_id < \(bound)", arguments: [count - maxRows])
                try db.execute(sql: "DELETE FROM request WHERE id < \(bound)", arguments: [count - maxRows])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// Rows of `request`, for tests and `assay report --requests`.
    public func requestCount() throws -> Int { try writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM request") ?? 0 } }
}

/// What one daily rollup row is keyed by ('' for what a request did not have).
struct DailyKey: Hashable {
    var day: Int, client: String, endpoint: String, task: String, model: String, effort: String

    init(_ entry: TrafficEntry) {
        (day, client, endpoint) = (entry.day, entry.client ?? "", entry.endpoint)
        (task, model, effort) = (entry.task ?? "", entry.model ?? "", entry.effort ?? "")
    }
}

/// The sums one daily row adds up.
struct DailyRollup {
    var requests = 0, errors = 0, fallbacks = 0
    var input = 0, cached = 0, output = 0, reasoning = 0
    var cost = Money.zero, baseline = Money.zero, baselinePriced = 0, baselinePricedCost = Money.zero
    var latency = LatencyHistogram()

    mutating func add(_ entry: TrafficEntry) {
        requests += 1
        if entry.status >= 400 { errors += 1 }
        if entry.fallbacks > 0 { fallbacks += 1 }
        input += entry.usage.inputTokens
        cached += entry.usage.cachedInputTokens
        output += entry.usage.outputTokens
        reasoning += entry.usage.reasoningTokens
        cost += entry.cost ?? .zero
        if let baselineCost = entry.baselineCost, let actual = entry.cost {
            baseline += baselineCost
            baselinePriced += 1
            baselinePricedCost += actual
        }
        latency.add(entry.latencyMs)
    }

    func upsert(_ key: DailyKey, in db: Database) throws {
        let old = try Row.fetchOne(db, sql: "SELECT latency_histogram FROM daily WHERE day = ? AND client = ? AND endpoint = ? AND task = ? AND model = ? AND effort = ?",
                                   arguments: [key.day, key.client, key.endpoint, key.task, key.model, key.effort])
        var histogram = latency
        if let text: String = old?["latency_histogram"] { histogram.merge(LatencyHistogram(text: text)) }
        try db.execute(sql: """
            INSERT INTO daily (day, client, endpoint, task, model, effort, requests, errors, fallbacks, input_tokens, cached_input_tokens,
                output_tokens, reasoning_tokens, cost_nusd, baseline_cost_nusd, baseline_priced, baseline_priced_cost_nusd, latency_histogram)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (day, client, endpoint, task, model, effort) DO UPDATE SET
                requests = requests + excluded.requests, errors = errors + excluded.errors, fallbacks = fallbacks + excluded.fallbacks,
                input_tokens = input_tokens + excluded.input_tokens, cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
                output_tokens = output_tokens + excluded.output_tokens, reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
                cost_nusd = cost_nusd + excluded.cost_nusd, baseline_cost_nusd = baseline_cost_nusd + excluded.baseline_cost_nusd,
                baseline_priced = baseline_priced + excluded.baseline_priced,
                baseline_priced_cost_nusd = baseline_priced_cost_nusd + excluded.baseline_priced_cost_nusd,
                latency_histogram = excluded.latency_histogram
            """, arguments: [key.day, key.client, key.endpoint, key.task, key.model, key.effort, requests, errors, fallbacks, input, cached,
                             output, reasoning, cost.nanoUSD, baseline.nanoUSD, baselinePriced, baselinePricedCost.nanoUSD, histogram.text])
    }
}

extension TrafficDatabase {
    /// The newest `limit` requests, newest first, with their captures.
    public func entries(limit: Int) throws -> [TrafficEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT request.*, capture.prompt, capture.answer FROM request LEFT JOIN capture ON capture.request_id = request.id
                ORDER BY request.id DESC LIMIT ?
                """, arguments: [limit]).map { row in
                let prompt: String? = row["prompt"], answer: String? = row["answer"]
                let cost: Int64? = row["cost_nusd"], baseline: Int64? = row["baseline_cost_nusd"]
                return TrafficEntry(
                    at: Date(timeIntervalSince1970: Double(row["at_ms"] as Int64) / 1_000), client: row["client"], endpoint: row["endpoint"],
                    requestedModel: row["requested_model"], stream: row["stream"], task: row["task"], taskSource: row["task_source"],
                    taskConfidence: row["task_confidence"], model: row["model"], effort: row["effort"], catalogSha256: row["catalog_sha256"],
                    fallbacks: row["fallbacks"], status: row["status"], error: row["error"], latencyMs: row["latency_ms"], ttftMs: row["ttft_ms"],
                    usage: Usage(inputTokens: row["input_tokens"], cachedInputTokens: row["cached_input_tokens"], outputTokens: row["output_tokens"],
                                 reasoningTokens: row["reasoning_tokens"]),
                    cost: cost.map { Money(nanoUSD: $0) }, baselineCost: baseline.map { Money(nanoUSD: $0) },
                    capture: prompt.map { TrafficEntry.Capture(prompt: $0, answer: answer ?? "") })
            }
        }
    }
}
