import AssayCatalogFormat
import AssayCore
import AssayStore

/// Stored answers as a cascade's checks see them (the builder's side of `HoldOut.Answer`).
extension HoldOut {
    /// Groups `facts` per item and entry: the lowest epoch's fingerprint, another epoch's when
    /// stored, and the judge's stored score with what that judge call costs at the price of the
    /// judge that gave it (no price: the verdict is kept, its cost is unknown and the judge check
    /// is left out).
    public static func answers(facts: [AssayDatabase.AnswerFact], prices: [ModelRef: PriceSheet]) -> Answers {
        var byEntry: [ItemRef: [String: [AssayDatabase.AnswerFact]]] = [:]
        for fact in facts {
            byEntry[ItemRef(suite: fact.suite, item: fact.itemKey), default: [:]][fact.entry, default: []].append(fact)
        }
        return byEntry.mapValues { entries in
            entries.mapValues { samples in
                let sorted = samples.sorted { $0.epoch < $1.epoch }
                let first = sorted[0]
                let judgePrice = first.judge.flatMap(ModelRef.init).flatMap { prices[$0] }
                let judgeCost = first.judgeScore == nil ? nil : judgePrice.map { price in
                    Double(price.cost(of: Usage(inputTokens: first.inputTokens + first.outputTokens + judgeOverheadTokens,
                                                outputTokens: judgeVerdictTokens)).nanoUSD)
                }
                return Answer(fingerprint: first.fingerprint, otherEpochFingerprint: sorted.dropFirst().first?.fingerprint,
                              judgeScore: first.judgeScore, judgeCostNusd: judgeCost)
            }
        }
    }
}
