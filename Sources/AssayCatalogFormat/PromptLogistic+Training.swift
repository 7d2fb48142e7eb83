import AssayCore
import Foundation

extension PromptLogistic {
    /// One entry's scores on the task's items (indices into the task's item order) and its quality.
    package struct EntryScores: Sendable {
        package var entry: String
        package var quality: Double
        package var scores: [Int: Double]
        /// Cost per task, nano-USD (the catalog entry's).
        package var costNusd: Int64

        package init(entry: String, quality: Double, scores: [Int: Double], costNusd: Int64 = 0) {
            self.entry = entry
            self.quality = quality
            self.scores = scores
            self.costNusd = costNusd
        }
    }

    /// Fewer training items than this and a task gets no learned estimator.
    package static let minimumItems = 12
    static let ridges: [Double] = [0.3, 1, 3, 10, 30, 100, 300]
    static let innerFolds = 5
    /// L2 penalty on an entry curve's slope per unit of standardised hardness (its intercept is nearly free).
    static let slopePenalty = 0.5

    /// Trains the task's estimator from its items (`key`, `prompt`, in the task's item order)
    /// and the entries' per-item scores; nil when too few items have a prompt and scores.
    /// Deterministic: folds come from a stable hash of the item key.
    package static func train(items: [(key: String, prompt: String?)], entries: [EntryScores], spec: FeatureSpec,
                             table: String? = nil, margin: Double = 0.02) -> PromptLogistic? {
        var unused: [(predicted: Double, observed: Double)] = []
        return train(items: items, entries: entries, spec: spec, table: table, margin: margin, heldOutPairs: &unused)
    }

    /// As `train`, and appends each (entry, item)'s twice-held-out probability with the score it
    /// got to `heldOutPairs`: what `Recalibration` is fitted on.
    package static func train(items: [(key: String, prompt: String?)], entries: [EntryScores], spec: FeatureSpec,
                             table: String? = nil, margin: Double = 0.02,
                             heldOutPairs: inout [(predicted: Double, observed: Double)]) -> PromptLogistic? {
        let quality = entries.map(\.quality)
        // An item's hardness target: its standardised residual, (score − quality) / √(q(1 − q)),
        // averaged over the entries that sometimes fail and sometimes succeed; an entry right (or
        // wrong) on nearly every item says nothing about which items are hard. With no such entry,
        // every entry counts.
        let informative = quality.map { $0 >= 0.1 && $0 <= 0.9 }
        let useAll = !informative.contains(true)
        var rows: [(index: Int, key: String, x: [Double], y: Double)] = []
        for (index, item) in items.enumerated() {
            guard let prompt = item.prompt else { continue }
            var residual = 0.0, seen = 0
            for (e, entry) in entries.enumerated() where useAll || informative[e] {
                guard let score = entry.scores[index] else { continue }
                let q = min(0.99, max(0.01, quality[e]))
                residual += (score - quality[e]) / (q * (1 - q)).squareRoot()
                seen += 1
            }
            guard seen > 0 else { continue }
            let features = PromptFeatures.counts(prompt, spec: spec)
            let x = PromptShape.vector(prompt, buckets: features.buckets, counts: features.counts).map(Double.init)
            rows.append((index, item.key, x, residual / Double(seen)))
        }
        guard rows.count >= minimumItems else { return nil }
        let d = PromptShape.count
        var mean = [Double](repeating: 0, count: d), deviation = [Double](repeating: 0, count: d)
        for row in rows { for j in 0..<d { mean[j] += row.x[j] } }
        for j in 0..<d { mean[j] /= Double(rows.count) }
        for row in rows { for j in 0..<d { deviation[j] += (row.x[j] - mean[j]) * (row.x[j] - mean[j]) } }
        for j in 0..<d { deviation[j] = (deviation[j] / Double(rows.count)).squareRoot() }
        let standard = rows.map { row in (0..<d).map { deviation[$0] > 1e-9 ? (row.x[$0] - mean[$0]) / deviation[$0] : 0 } }
        let targets = rows.map(\.y)
        let folds = rows.map { min(innerFolds - 1, Int(StableHash.unit("prompt-logistic", $0.key) * Double(innerFolds))) }

        // Out-of-fold hardness for each ridge; keep the ridge with the least squared error.
        func outOfFold(_ ridge: Double) -> [Double] {
            var predicted = [Double](repeating: 0, count: rows.count)
            for fold in 0..<innerFolds {
                let train = rows.indices.filter { folds[$0] != fold }
                guard !train.isEmpty else { continue }
                let (b, w) = Ridge.fit(train.map { standard[$0] }, train.map { targets[$0] }, ridge: ridge)
                for i in rows.indices where folds[i] == fold { predicted[i] = b + zip(w, standard[i]).reduce(0) { $0 + $1.0 * $1.1 } }
            }
            return predicted
        }
        var best: (ridge: Double, error: Double, predicted: [Double])?
        for ridge in ridges {
            let predicted = outOfFold(ridge)
            let error = zip(predicted, targets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            if best == nil || error < best!.error - 1e-12 { best = (ridge, error, predicted) }
        }
        var chosen = best!
        // Hardness in units of its out-of-fold spread, so the curves' slope penalty does not
        // depend on how much the ridge shrank it.
        let spread = max(1e-6, Ridge.deviation(chosen.predicted))
        chosen.predicted = chosen.predicted.map { $0 / spread }
        let (intercept, standardWeights) = Ridge.fit(standard, targets, ridge: chosen.ridge)
        // Back to raw feature units, so the router needs no means or deviations.
        var weights = [Double](repeating: 0, count: d)
        var bias = intercept / spread
        for j in 0..<d where deviation[j] > 1e-9 {
            weights[j] = standardWeights[j] / deviation[j] / spread
            bias -= standardWeights[j] * mean[j] / deviation[j] / spread
        }
        var curves: [EntryCurve] = []
        // Each item's probabilities from curves fitted without its fold: the Brier scores and the
        // table check below are held out twice over (hardness and curve).
        var heldOut = [[Double]](repeating: [Double](repeating: 0, count: entries.count), count: rows.count)
        var brier = 0.0, constantBrier = 0.0, pairs = 0
        for (e, entry) in entries.enumerated() {
            let observed = rows.indices.compactMap { i in entry.scores[rows[i].index].map { (i: i, h: chosen.predicted[i], score: $0) } }
            let (a, b) = Self.fitCurve(observed.map { ($0.h, $0.score) }, prior: quality[e])
            curves.append(EntryCurve(entry: entry.entry, intercept: rounded(a), slope: rounded(b)))
            for fold in 0..<innerFolds {
                let (fa, fb) = Self.fitCurve(observed.filter { folds[$0.i] != fold }.map { ($0.h, $0.score) }, prior: quality[e])
                for pair in observed where folds[pair.i] == fold {
                    let p = sigmoid(fa + fb * pair.h)
                    heldOut[pair.i][e] = p
                    heldOutPairs.append((p, pair.score))
                    brier += (p - pair.score) * (p - pair.score)
                    constantBrier += (quality[e] - pair.score) * (quality[e] - pair.score)
                    pairs += 1
                }
            }
        }
        guard pairs > 0 else { return nil }
        var model = PromptLogistic(bias: rounded(bias), weights: weights.map(rounded), ridge: chosen.ridge, entries: curves,
                                   brier: rounded(brier / Double(pairs)), constantBrier: rounded(constantBrier / Double(pairs)),
                                   items: rows.count)
        // Route each training item by its out-of-fold probabilities, as the router's `cheapest`
        // objective would (the cheapest entry within `margin` of the top estimate), against the
        // table's pick on the same item.
        if let table, let pick = entries.firstIndex(where: { $0.entry == table }) {
            var quality: [Double] = [], routedCost = 0.0, tableCost = 0.0
            for (i, row) in rows.enumerated() {
                guard let pickScore = entries[pick].scores[row.index] else { continue }
                let scored = entries.indices.filter { entries[$0].scores[row.index] != nil }
                let p = scored.map { heldOut[i][$0] }
                let top = p.max() ?? 0
                let within = zip(scored, p).filter { $0.1 >= top - margin - 1e-12 }.map(\.0)
                guard let routed = within.min(by: { (entries[$0].costNusd, $0) < (entries[$1].costNusd, $1) }) else { continue }
                quality.append(entries[routed].scores[row.index]! - pickScore)
                routedCost += Double(entries[routed].costNusd)
                tableCost += Double(entries[pick].costNusd)
            }
            if quality.count > 1 {
                let mean = quality.reduce(0, +) / Double(quality.count)
                let variance = quality.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(quality.count - 1)
                let half = 1.96 * (variance / Double(quality.count)).squareRoot()
                model.tableCheck = .init(qualityDifference: [rounded(mean), rounded(mean - half), rounded(mean + half)],
                                         costRatio: tableCost > 0 ? rounded(routedCost / tableCost) : 1)
            }
        }
        return model
    }

    /// Logistic regression of scores (0…1, soft labels allowed) on hardness by Newton's method,
    /// with the slope penalised toward 0 and the intercept started at the entry's quality.
    static func fitCurve(_ observed: [(h: Double, score: Double)], prior: Double) -> (Double, Double) {
        let clamped = min(1 - 1e-3, max(1e-3, prior))
        var a = log(clamped / (1 - clamped)), b = 0.0
        guard !observed.isEmpty else { return (a, b) }
        let interceptPenalty = 1e-3
        for _ in 0..<50 {
            var ga = interceptPenalty * (a - log(clamped / (1 - clamped))), gb = slopePenalty * b
            var haa = interceptPenalty, hab = 0.0, hbb = slopePenalty
            for pair in observed {
                let p = sigmoid(a + b * pair.h)
                let r = p - pair.score, w = max(1e-9, p * (1 - p))
                ga += r
                gb += r * pair.h
                haa += w
                hab += w * pair.h
                hbb += w * pair.h * pair.h
            }
            let det = haa * hbb - hab * hab
            guard det > 1e-12 else { break }
            let da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det
            // A capped step keeps separable data (an entry right on every item) from running off.
            let step = min(1, 4 / max(abs(da), abs(db), 1e-12))
            a -= step * da
            b -= step * db
            if abs(da) + abs(db) < 1e-10 { break }
        }
        return (min(30, max(-30, a)), min(100, max(-100, b)))
    }

    static func rounded(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }
}

/// Ridge regression with an unpenalised intercept, solved by Cholesky.
enum Ridge {
    /// Population standard deviation.
    static func deviation(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }

    static func fit(_ x: [[Double]], _ y: [Double], ridge: Double) -> (intercept: Double, weights: [Double]) {
        let n = x.count
        guard n > 0, let d = x.first?.count else { return (0, []) }
        let meanY = y.reduce(0, +) / Double(n)
        var meanX = [Double](repeating: 0, count: d)
        for row in x { for j in 0..<d { meanX[j] += row[j] / Double(n) } }
        var a = [Double](repeating: 0, count: d * d), rhs = [Double](repeating: 0, count: d)
        for (row, target) in zip(x, y) {
            for j in 0..<d {
                let xj = row[j] - meanX[j]
                rhs[j] += xj * (target - meanY)
                for k in 0...j { a[j * d + k] += xj * (row[k] - meanX[k]) }
            }
        }
        for j in 0..<d { a[j * d + j] += ridge }
        // Cholesky, lower triangle in place.
        for j in 0..<d {
            var diagonal = a[j * d + j]
            for k in 0..<j { diagonal -= a[j * d + k] * a[j * d + k] }
            diagonal = max(diagonal, 1e-12).squareRoot()
            a[j * d + j] = diagonal
            for i in (j + 1)..<max(j + 1, d) {
                var value = a[i * d + j]
                for k in 0..<j { value -= a[i * d + k] * a[j * d + k] }
                a[i * d + j] = value / diagonal
            }
        }
        var z = rhs
        for i in 0..<d {
            for k in 0..<i { z[i] -= a[i * d + k] * z[k] }
            z[i] /= a[i * d + i]
        }
        var w = z
        for i in stride(from: d - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(i + 1, d) { w[i] -= a[k * d + i] * w[k] }
            w[i] /= a[i * d + i]
        }
        let intercept = meanY - zip(w, meanX).reduce(0) { $0 + $1.0 * $1.1 }
        return (intercept, w)
    }
}
