import AssayCore
import AssayPostgres
import AssayProviders
import AssaySuites
import AssayTraffic
import Foundation
import Logging

/// `assay suites from-traffic`: captured requests from the traffic log → one judge-graded suite
/// per routed task under a private folder. Each item's reference is the baseline model's answer:
/// the captured one when the baseline answered the request, else asked of the baseline now.
package enum TrafficSuites {
    package struct Written: Sendable, Encodable {
        package var task: String
        package var routedTask: String
        package var file: String
        package var captured: Int
        package var duplicates: Int
        package var items: Int
        package var referencesCaptured: Int
        package var referencesAsked: Int
    }

    package struct Summary: Sendable, Encodable {
        package var captures: Int
        package var baseline: String
        package var written: [Written]
        /// Tasks with too few distinct captures for a suite.
        package var skipped: [String]
    }

    /// Asks the baseline for one prompt's answer.
    package typealias Ask = @Sendable (String) async throws -> String

    /// Reads `traffic`, samples, gets references and writes `<out>/<task>.yaml` files.
    package static func write(traffic: String, out: String, baseline: ModelRef, options: TrafficSuiteBuilder.Options,
                             since: Date? = nil, ask: @escaping Ask) async throws -> Summary {
        try await write(captures: try TrafficDatabase.existing(path: traffic).captures(since: since), from: traffic, out: out,
                        baseline: baseline, options: options, ask: ask)
    }

    /// Samples `captures` (read from the log at `source`, for messages), gets references and writes `<out>/<task>.yaml` files.
    package static func write(captures: [CapturedRequest], from source: String, out: String, baseline: ModelRef,
                             options: TrafficSuiteBuilder.Options, ask: @escaping Ask) async throws -> Summary {
        guard !captures.isEmpty else {
            throw AssayError(.notFound, "the traffic log \(source) holds no captured prompts",
                             hint: "turn capture on (serve.traffic.capture_sample_rate, e.g. 0.2) and serve some traffic first")
        }
        let builder = TrafficSuiteBuilder(options: options)
        let (kept, skipped) = builder.sample(captures)
        let directory = URL(fileURLWithPath: out).standardizedFileURL
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [Written] = []
        for sample in kept {
            var references: [String: String] = [:]
            var captured = 0
            var toAsk: [TrafficSuiteBuilder.Candidate] = []
            for item in sample.items {
                if item.capture.model == baseline.description, !item.capture.answer.allSatisfy(\.isWhitespace) {
                    references[item.id] = item.capture.answer
                    captured += 1
                } else {
                    toAsk.append(item)
                }
            }
            for (id, answer) in try await askAll(toAsk, ask: ask) { references[id] = answer }
            let (text, items) = try builder.yaml(sample, references: references, baseline: baseline.description)
            guard items > 0 else { continue }
            // The name is kebab-case ASCII from the builder; the file must still land inside `out`.
            let file = directory.appendingPathComponent("\(sample.task).yaml").standardizedFileURL
            guard file.deletingLastPathComponent().path == directory.path else {
                throw AssayError(.usage, "refusing to write suite '\(sample.task)' outside \(directory.path)")
            }
            try Data(text.utf8).write(to: file, options: .atomic)
            written.append(Written(task: sample.task, routedTask: sample.routedTask, file: file.path, captured: sample.captured,
                                   duplicates: sample.duplicates, items: items, referencesCaptured: captured,
                                   referencesAsked: items - captured))
        }
        return Summary(captures: captures.count, baseline: baseline.description, written: written, skipped: skipped.map(\.task))
    }

    /// The baseline's answers to `items`, eight at a time.
    static func askAll(_ items: [TrafficSuiteBuilder.Candidate], ask: @escaping Ask) async throws -> [String: String] {
        var answers: [String: String] = [:]
        for start in stride(from: 0, to: items.count, by: 8) {
            try await withThrowingTaskGroup(of: (String, String).self) { group in
                for item in items[start..<min(items.count, start + 8)] {
                    group.addTask { (item.id, try await ask(item.prompt)) }
                }
                for try await (id, answer) in group { answers[id] = answer }
            }
        }
        return answers
    }

    /// `write` with the baseline asked through the configured providers (at its default effort, temperature 0),
    /// from the SQLite file `traffic`; without one, from the shared PostgreSQL store when the config has
    /// `postgres:` (every replica's captures), else from `serve.traffic.database`.
    package static func write(config: AssayConfig, traffic: String?, out: String, baseline: ModelRef,
                             options: TrafficSuiteBuilder.Options, since: Date? = nil, logger: Logger) async throws -> Summary {
        guard config.providers[baseline.provider] != nil else {
            throw AssayError(.config, "the baseline '\(baseline)' names provider '\(baseline.provider)', which is not configured",
                             hint: "configured providers: \(config.providers.keys.sorted().joined(separator: ", "))")
        }
        return try await ProviderRegistry.using(config, connections: 8, logger: logger) { registry in
            guard let provider = registry[baseline.provider] else { throw AssayError(.config, "provider '\(baseline.provider)' is not configured") }
            let maxTokens = config.maxTokens
            let ask: Ask = { prompt in
                let request = ChatRequest(model: baseline.model, messages: [.init(role: .user, content: prompt)], maxTokens: maxTokens,
                                          temperature: 0, seed: 0)
                return try await provider.complete(request).text
            }
            if traffic == nil, let postgres = config.postgres {
                let captures = try await PostgresStore.withOpened(postgres, logger: logger) { store in
                    let shared = PostgresTrafficStore(store: store)
                    try await shared.migrate()
                    return try await shared.captures(since: since)
                }
                return try await write(captures: captures, from: postgres.url, out: out, baseline: baseline, options: options, ask: ask)
            }
            return try await write(traffic: traffic ?? config.serve.traffic.database, out: out, baseline: baseline, options: options,
                                   since: since, ask: ask)
        }
    }
}
