import AssayCore

extension HoldOut {
    /// What a cascade's checks know of one entry's stored answer to one item (docs/cascades.md).
    public struct Answer: Sendable, Equatable {
        /// Fingerprint of the answer's normalised text (epoch 0, or the lowest stored epoch).
        public var fingerprint: UInt64
        /// The same entry's answer in another epoch, when one is stored: a second cheap answer.
        public var otherEpochFingerprint: UInt64?
        /// The judge's stored score of the answer (items graded by a judge), nil when none.
        public var judgeScore: Double?
        /// What one judge call about this answer would cost at the judge's price: the prompt and
        /// the answer read again, plus `judgeOverheadTokens` in and `judgeVerdictTokens` out.
        /// nil when there is no stored verdict or the judge has no known price.
        public var judgeCostNusd: Double?
        /// The judge that gave the stored score (`provider/model`), nil when none.
        public var judge: String?

        public init(fingerprint: UInt64, otherEpochFingerprint: UInt64? = nil, judgeScore: Double? = nil,
                    judgeCostNusd: Double? = nil, judge: String? = nil) {
            self.fingerprint = fingerprint
            self.otherEpochFingerprint = otherEpochFingerprint
            self.judgeScore = judgeScore
            self.judgeCostNusd = judgeCostNusd
            self.judge = judge
        }
    }

    /// Rubric and instructions a judge call reads beside the prompt and the answer.
    package static let judgeOverheadTokens = 300
    /// The judge's verdict (score and reason).
    package static let judgeVerdictTokens = 80

    /// Per item, per entry name (`provider/model@effort`).
    public typealias Answers = [ItemRef: [String: Answer]]
}
