import AssayCore
import Logging
import PostgresNIO

extension DailyKey {
    /// The order rollup rows are locked in, the same in every replica, so two writers never wait on each other in a cycle.
    static func precedes(_ a: DailyKey, _ b: DailyKey) -> Bool {
        (a.day, a.client, a.endpoint, a.task, a.model, a.effort) < (b.day, b.client, b.endpoint, b.task, b.model, b.effort)
    }
}

extension DailyRollup {
    /// Adds these sums to the rollup row `key` on the shared store: the row is made if missing,
    /// locked, its latency histogram merged with this one, its counts added. Another replica
    /// adding to the same row waits for this transaction instead of overwriting its histogram.
    func add(to key: DailyKey, on connection: PostgresConnection, logger: Logger) async throws {
        let (day, client, endpoint, task, model, effort) = (Int64(key.day), key.client, key.endpoint, key.task, key.model, key.effort)
        try await connection.query("""
            INSERT INTO daily (day, client, endpoint, task, model, effort, requests, errors, fallbacks, input_tokens, cached_input_tokens,
                output_tokens, reasoning_tokens, cost_nusd, baseline_cost_nusd, baseline_priced, baseline_priced_cost_nusd, latency_histogram)
            VALUES (\(day), \(client), \(endpoint), \(task), \(model), \(effort), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '')
            ON CONFLICT DO NOTHING
            """, logger: logger)
        var histogram = latency
        let old = try await connection.query("""
            SELECT latency_histogram FROM daily
            WHERE day = \(day) AND client = \(client) AND endpoint = \(endpoint) AND task = \(task) AND model = \(model) AND effort = \(effort)
            FOR UPDATE
            """, logger: logger)
        for try await text in old.decode(String.self) where !text.isEmpty { histogram.merge(LatencyHistogram(text: text)) }
        try await connection.query("""
            UPDATE daily SET requests = requests + \(Int64(requests)), errors = errors + \(Int64(errors)),
                fallbacks = fallbacks + \(Int64(fallbacks)), input_tokens = input_tokens + \(Int64(input)),
                cached_input_tokens = cached_input_tokens + \(Int64(cached)), output_tokens = output_tokens + \(Int64(output)),
                reasoning_tokens = reasoning_tokens + \(Int64(reasoning)), cost_nusd = cost_nusd + \(cost.nanoUSD),
                baseline_cost_nusd = baseline_cost_nusd + \(baseline.nanoUSD), baseline_priced = baseline_priced + \(Int64(baselinePriced)),
                baseline_priced_cost_nusd = baseline_priced_cost_nusd + \(baselinePricedCost.nanoUSD), latency_histogram = \(histogram.text)
            WHERE day = \(day) AND client = \(client) AND endpoint = \(endpoint) AND task = \(task) AND model = \(model) AND effort = \(effort)
            """, logger: logger)
    }
}
