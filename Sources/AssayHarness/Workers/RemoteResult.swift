import AssayCore
import AssayStore
import Foundation

/// What a worker writes back for a job: the graded sample as a local run would store it (its
/// job and item ids are the measuring machine's, filled in there), what the judge cost, and who
/// ran it.
struct RemoteResult: Codable, Sendable {
    var sample: SampleRecord
    var judgeCostNusd: Int64
    var worker: String

    enum CodingKeys: String, CodingKey {
        case sample, judgeCostNusd = "judge_cost_nusd", worker
    }

    var jsonText: String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Reads a result from the queue; a sentence saying what is wrong when it cannot be stored.
    static func parse(_ text: String) throws(RemoteJobProblem) -> RemoteResult {
        let result: RemoteResult
        do { result = try JSONDecoder().decode(RemoteResult.self, from: Data(text.utf8)) } catch {
            throw RemoteJobProblem("a worker wrote a result this machine cannot read (\(clip(String(describing: error), 160)))")
        }
        let sample = result.sample
        let counts = [sample.inputTokens, sample.cachedInputTokens, sample.cacheWriteTokens, sample.outputTokens, sample.reasoningTokens]
        guard sample.costNusd >= 0, result.judgeCostNusd >= 0, counts.allSatisfy({ $0 >= 0 }),
              sample.score.map({ (0...1).contains($0) }) ?? true else {
            throw RemoteJobProblem("worker '\(clip(result.worker, 60))' wrote a result with a negative cost or count, or a score outside 0…1")
        }
        return result
    }
}
