import AssayCore
import AssayProviders
import AssaySuites
import Foundation

/// What a grading worker needs to ask and grade one request of a run, as the job's payload in
/// the queue: the item (by suite content hash and item id), the model and effort, and what the
/// measuring machine decided for the run (max tokens, prices). A worker's own config supplies
/// only the providers (and their keys), the judge and the sandbox.
struct RemoteJob: Codable, Sendable, Hashable {
    var suite: String
    var suiteSHA256: String
    var item: String
    var model: String
    var effort: String
    /// The model's own effort field when it overrides its provider's.
    var effortParameter: String?
    var epoch: Int
    var maxTokens: Int
    /// The model's prices in force when the run was planned: the sample's cost.
    var price: PriceSheet
    /// The judge's prices, for the cost of judge calls a judge-graded item makes.
    var judgePrice: PriceSheet?

    enum CodingKeys: String, CodingKey {
        case suite, suiteSHA256 = "suite_sha256", item, model, effort, effortParameter = "effort_parameter", epoch
        case maxTokens = "max_tokens", price, judgePrice = "judge_price"
    }

    init(_ work: WorkItem, maxTokens: Int, judgePrice: PriceSheet?) {
        suite = work.suite.name
        suiteSHA256 = work.suite.contentSHA256
        item = work.item.id
        model = work.model.description
        effort = work.effort.rawValue
        effortParameter = work.effortParameter?.rawValue
        epoch = work.epoch
        self.maxTokens = maxTokens
        price = work.price
        self.judgePrice = judgePrice
    }

    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Reads a payload from the queue; a sentence saying what is wrong when it cannot be used.
    static func parse(_ text: String) throws(RemoteJobProblem) -> RemoteJob {
        let job: RemoteJob
        do { job = try JSONDecoder().decode(RemoteJob.self, from: Data(text.utf8)) } catch {
            throw RemoteJobProblem("the job's payload is not a job this worker can read (\(clip(String(describing: error), 160)))")
        }
        guard ModelRef(job.model) != nil else { throw RemoteJobProblem("the job names model '\(clip(job.model, 80))', not provider/model") }
        guard Effort(rawValue: job.effort) != nil else { throw RemoteJobProblem("the job names an unknown effort '\(clip(job.effort, 40))'") }
        if let parameter = job.effortParameter, EffortParameter(rawValue: parameter) == nil {
            throw RemoteJobProblem("the job names an unknown effort field '\(clip(parameter, 40))'")
        }
        guard (1...10_000_000).contains(job.maxTokens), job.epoch >= 0 else {
            throw RemoteJobProblem("the job's max_tokens (\(job.maxTokens)) or epoch (\(job.epoch)) is out of range")
        }
        return job
    }
}

/// Why a job's payload cannot be run; the job ends as an error sample saying so.
struct RemoteJobProblem: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// At most `limit` characters of `text` (untrusted text quoted in a message).
func clip(_ text: String, _ limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(limit)) + "…"
}
