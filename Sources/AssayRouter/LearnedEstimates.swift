import AssayCatalogFormat
import Foundation

/// A task's learned estimator laid out for one request: the hardness weights, then one
/// (intercept, slope) per candidate in the table's column order. A candidate the model has no
/// curve for (measured after it was trained) gets its task-level quality, flat.
struct LearnedEstimates: Sendable {
    let bias: Double
    let weights: [Double]
    let intercept: [Double]
    let slope: [Double]

    init(_ model: PromptLogistic, candidates: [TaskTable.Candidate]) {
        bias = model.bias
        weights = model.weights
        let curves = Dictionary(model.entries.map { ($0.entry, $0) }, uniquingKeysWith: { first, _ in first })
        intercept = candidates.map { candidate in
            curves[candidate.name]?.intercept ?? {
                let q = min(1 - 1e-3, max(1e-3, candidate.quality))
                return log(q / (1 - q))
            }()
        }
        slope = candidates.map { curves[$0.name]?.slope ?? 0 }
    }

    /// Every candidate's success probability on a prompt with these `PromptShape` features.
    func estimates(_ shape: [Float]) -> [Double] {
        var hardness = bias
        for (weight, value) in zip(weights, shape) { hardness += weight * Double(value) }
        var result = [Double](repeating: 0, count: intercept.count)
        for index in result.indices { result[index] = PromptLogistic.sigmoid(intercept[index] + slope[index] * hardness) }
        return result
    }
}
