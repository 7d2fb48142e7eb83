import AssayCatalogFormat
import AssayCore
import AssayStore

/// Stored answers as a cascade's checks see them (the builder's side of `HoldOut.Answer`).
extension HoldOut {
    /// Groups `facts` per item and entry: the lowest epoch's fingerprint, another epoch's when
    /// stored, and the judge's stored score with what that judge call costs at the price of the
    /// judge that gave it (no price: the verdict is kept, its cost is unknown and the judge check
    /// is left out). An answer graded otherwise takes its stored check verdict (`check_verdict`),
    /// priced from that call's own tokens.
    public static func answers(facts: [AssayDatabase.AnswerFact], prices: [ModelRef: PriceSheet]) -> Answers {
        var byEntry: [ItemRef: [String: [AssayDatabase.AnswerFact]]] = [:]
        for fact in facts {
            byEntry[ItemRef(suite: fact.suite, item: fact.itemKey), default: [:]][fact.entry, default: []].append(fact)
        }
        return byEntry.mapValues { entries in
            entries.mapValues { samples in
                let sorted = samples.sorted { $0.epoch < $1.epoch }
                let first = sorted[0]
                let fingerprint = first.fingerprint, again = sorted.dropFirst().first?.fingerprint
                if first.judgeScore == nil, let check = first.check {
                    // A check verdict (`assay regrade --judge-check`): the call's own tokens, at today's price.
                    let cost = ModelRef(check.judge).flatMap { prices[$0] }.map { Double($0.cost(of: check.usage).nanoUSD) }
                    return Answer(fingerprint: fingerprint, otherEpochFingerprint: again, judgeScore: check.score, judgeCostNusd: cost,
                                  judge: check.judge)
                }
                let judgePrice = first.judge.flatMap(ModelRef.init).flatMap { prices[$0] }
                let judgeCost = first.judgeScore == nil ? nil : judgePrice.map { price in
                    Double(price.cost(of: Usage(inputTokens: first.inputTokens + first.outputTokens + judgeOverheadTokens,
                                                outputTokens: judgeVerdictTokens)).nanoUSD)
                }
                return Answer(fingerprint: fingerprint, otherEpochFingerprint: again, judgeScore: first.judgeScore, judgeCostNusd: judgeCost,
                              judge: first.judgeScore == nil ? nil : first.judge)
            }
        }
    }
}
