import AssayCore
import AssaySuites
import AssayTraffic
import Foundation

/// Turns captured requests into a private suite set (pure: no I/O). Captures are grouped by the
/// task they were routed as; each group is a suite of task `<prefix>-<task>`, sampled in a
/// deterministic order (by a stable hash of seed and prompt), near-duplicates removed, up to
/// `perTask` items. Every item is graded by the judge against the baseline model's answer.
package struct TrafficSuiteBuilder: Sendable {
    package struct Options: Sendable {
        /// The most items a task's suite keeps.
        package var perTask = 40
        /// A task with fewer distinct items than this gets no suite.
        package var minItems = 3
        /// Jaccard similarity of word 3-shingles at or above which a prompt is a near-duplicate of a kept one.
        package var similarity = 0.7
        package var seed = "0"
        /// Task (and suite) names are `<prefix>-<routed task>`.
        package var prefix = "traffic"

        package init() {}
    }

    /// One sampled item before its reference is known.
    package struct Candidate: Sendable, Hashable {
        package var id: String
        /// What the item sends as its user message.
        package var prompt: String
        package var capture: CapturedRequest
    }

    package struct TaskSample: Sendable {
        package var task: String
        /// The routed task the captures carried (`unrouted` when they had none).
        package var routedTask: String
        package var captured: Int
        package var duplicates: Int
        package var items: [Candidate]
    }

    /// The rubric every traffic item is judged by; the reference answer is given to the judge
    /// as the points a good response covers.
    package static let rubric = """
        The points to cover are a frontier model's answer to the same request (the reference). Score how well the response serves \
        the request compared with that reference: full marks when it is as correct, complete and useful and follows every \
        instruction in the request (language, length, format, tone); take marks off for wrong facts, missing parts, ignored \
        instructions, a refusal the reference did not make, or needless length. Different wording is fine.
        """

    package let options: Options

    package init(options: Options = Options()) { self.options = options }

    /// The sample per task, tasks by name.
    package func sample(_ captures: [CapturedRequest]) -> (kept: [TaskSample], skipped: [TaskSample]) {
        let groups = Dictionary(grouping: captures) { Self.kebab($0.task ?? "") }
        var kept: [TaskSample] = []
        var skipped: [TaskSample] = []
        for routed in groups.keys.sorted() {
            let routedTask = routed.isEmpty ? "unrouted" : routed
            let task = String(Self.kebab("\(options.prefix)-\(routedTask)").prefix(64))
            let ordered = groups[routed, default: []]
                .map { (capture: $0, prompt: Self.prompt(from: $0.prompt)) }
                .filter { !$0.prompt.allSatisfy(\.isWhitespace) }
                .sorted { (StableHash.hash([options.seed, $0.prompt]), $0.capture.id) < (StableHash.hash([options.seed, $1.prompt]), $1.capture.id) }
            var items: [Candidate] = []
            var shingles: [Shingles] = []
            var duplicates = 0
            for candidate in ordered where items.count < options.perTask {
                let set = Shingles(candidate.prompt)
                if shingles.contains(where: { $0.jaccard(set) >= options.similarity }) { duplicates += 1; continue }
                shingles.append(set)
                // The id comes from the prompt, so the same traffic gives the same items whatever order it was logged in.
                items.append(Candidate(id: "t-" + sha256Hex(candidate.prompt).prefix(12), prompt: candidate.prompt, capture: candidate.capture))
            }
            let sample = TaskSample(task: task, routedTask: routedTask, captured: ordered.count, duplicates: duplicates, items: items)
            if items.count >= options.minItems { kept.append(sample) } else { skipped.append(sample) }
        }
        return (kept, skipped)
    }

    /// The item prompt for a captured conversation: a lone user message is that message; any
    /// other conversation (a system message, earlier turns, tool results) stays the captured
    /// transcript, one `role: content` block per message, since a suite item is one user message.
    package static func prompt(from captured: String) -> String {
        let roles = ["system: ", "user: ", "assistant: ", "tool: "]
        guard captured.hasPrefix("user: ") else { return captured }
        let body = String(captured.dropFirst(6))
        let otherTurn = body.split(separator: "\n", omittingEmptySubsequences: false).contains { line in roles.contains { line.hasPrefix($0) } }
        return otherTurn ? captured : body
    }

    /// The YAML of one task's suite; `references[id]` is each item's reference answer (items
    /// without one are left out). Values are written through the YAML serializer, so any text
    /// a client sent stays a string.
    package func yaml(_ sample: TaskSample, references: [String: String], baseline: String) throws -> (text: String, items: Int) {
        var items: [[(String, Any)]] = []
        for item in sample.items {
            guard let reference = references[item.id], !reference.allSatisfy(\.isWhitespace) else { continue }
            items.append([("id", item.id), ("prompt", item.prompt), ("answer", reference), ("reference", reference)])
        }
        let header = SuiteWriter.Header(
            suite: sample.task, task: sample.task,
            description: "Captured traffic routed as '\(sample.routedTask)': \(items.count) of \(sample.captured) captured requests "
                + "(near-duplicates removed: word 3-shingle Jaccard >= \(options.similarity)); references from \(baseline).",
            grader: [("type", "judge"), ("scale", "10"), ("rubric", Self.rubric)], system: nil)
        let text = try SuiteWriter.yaml(header: header, items: items,
                                        comment: "Written by 'assay suites from-traffic' from captured client requests: private, do not publish.")
        return (text, items.count)
    }

    static func kebab(_ text: String) -> String {
        let mapped = text.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        return String(mapped).split(separator: "-").joined(separator: "-")
    }
}
