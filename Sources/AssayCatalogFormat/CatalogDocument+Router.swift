/// What the router needs beyond the entries (schema 3, docs/router.md): how prompts are hashed,
/// the task classifier, each task's items with their signatures, and the prices that decide
/// whether a conversation stays on its model. Entries carry their per-item scores
/// (`Entry.itemScores`), indexed by the positions of `tasks[].items` here.
extension CatalogDocument {
    public struct RouterSection: Codable, Sendable, Equatable {
        public var features: FeatureSpec
        /// Training prompts (items with a known prompt, across tasks).
        public var documents: Int
        /// In how many training prompts each bucket occurs: the router's idf.
        public var documentFrequency: SparseVector
        public var classifier: Classifier
        public var tasks: [RouterTask]
        /// Input and cached-input price per model, nano-USD per million tokens.
        public var prices: [ModelPrice]
        /// Context window per model, in tokens, where discovery saw one; absent in older catalogs
        /// (the router then filters no entry by context).
        public var contextWindows: [ModelContext]?
        /// The per-request estimator the router uses where a task ships one (`prompt-logistic`), and
        /// why: absent in older catalogs and when no task's learned estimator beat its entries'
        /// task-level quality on held-out items (the router then uses nearest items everywhere).
        public var estimator: EstimatorChoice?
        /// Per estimator, the monotone map from its raw success probability to the rate observed on
        /// cross-fitted held-out items, which the router applies to every estimate; absent in older
        /// catalogs and when too few items were scored (the router then uses raw estimates).
        public var recalibration: [Recalibration]?

        public init(features: FeatureSpec, documents: Int, documentFrequency: SparseVector, classifier: Classifier,
                    tasks: [RouterTask], prices: [ModelPrice], contextWindows: [ModelContext]? = nil) {
            self.features = features
            self.documents = documents
            self.documentFrequency = documentFrequency
            self.classifier = classifier
            self.tasks = tasks
            self.prices = prices
            self.contextWindows = contextWindows
        }
    }

    /// How many tokens (prompt plus output) a model accepts, from its provider's model list.
    public struct ModelContext: Codable, Sendable, Equatable {
        public var model: String
        public var contextTokens: Int

        public init(model: String, contextTokens: Int) {
            self.model = model
            self.contextTokens = contextTokens
        }
    }

    /// Multinomial naive Bayes over hashed features, with additive smoothing `alpha`.
    public struct Classifier: Codable, Sendable, Equatable {
        public var alpha: Double
        public var classes: [ClassifierClass]
        /// Divides the log-scores before the posterior is taken (temperature scaling, fitted on
        /// leave-one-out predictions of the training prompts); absent in older catalogs: 1.
        public var temperature: Double?

        public init(alpha: Double, classes: [ClassifierClass], temperature: Double? = nil) {
            self.alpha = alpha
            self.classes = classes
            self.temperature = temperature
        }
    }

    public struct ClassifierClass: Codable, Sendable, Equatable {
        public var task: String
        public var documents: Int
        /// Feature occurrences per bucket over the task's training prompts.
        public var featureCounts: SparseVector

        public init(task: String, documents: Int, featureCounts: SparseVector) {
            self.task = task
            self.documents = documents
            self.featureCounts = featureCounts
        }
    }

    /// Which per-request estimator the catalog tells the router to use, for which tasks.
    public struct EstimatorChoice: Codable, Sendable, Equatable {
        /// `prompt-logistic`.
        public var name: String
        /// Tasks that ship it (`RouterTask.estimator`); the others use nearest items.
        public var tasks: [String]
        public var reason: String

        public init(name: String, tasks: [String], reason: String) {
            self.name = name
            self.tasks = tasks
            self.reason = reason
        }
    }

    public struct RouterTask: Codable, Sendable, Equatable {
        public var task: String
        /// The task's items, in a stable order (suite, item key): `Entry.itemScores` indexes them.
        public var items: [RouterItem]
        /// The learned per-request estimator, when it beat the task-level quality on held-out items.
        public var estimator: PromptLogistic?

        public init(task: String, items: [RouterItem]) {
            self.task = task
            self.items = items
        }
    }

    public struct RouterItem: Codable, Sendable, Equatable {
        /// `suite/item`.
        public var key: String
        /// The item's prompt as its top features (tf-idf, L2-normalised); absent when the prompt
        /// was unknown at build time, or for an item held out.
        public var signature: SparseVector?

        public init(key: String, signature: SparseVector? = nil) {
            self.key = key
            self.signature = signature
        }
    }

    public struct ModelPrice: Codable, Sendable, Equatable {
        public var model: String
        public var inputNusdPerMtok: Int64
        public var cachedInputNusdPerMtok: Int64

        public init(model: String, inputNusdPerMtok: Int64, cachedInputNusdPerMtok: Int64) {
            self.model = model
            self.inputNusdPerMtok = inputNusdPerMtok
            self.cachedInputNusdPerMtok = cachedInputNusdPerMtok
        }
    }

    /// An entry's mean score (over epochs) per item, `items` indexing the task's `router.tasks[].items`.
    ///
    /// In JSON it is one string, `"index:score index:score …"` (scores with at most 4 decimals):
    /// a catalog holds entries × items of them, and one string per entry costs the encoder and
    /// decoder a fraction of a million numbers.
    public struct ItemScores: Codable, Sendable, Equatable {
        public var items: [Int]
        public var scores: [Double]

        public init(items: [Int], scores: [Double]) {
            self.items = items
            self.scores = scores
        }

        public func encode(to encoder: any Encoder) throws {
            var text = ""
            text.reserveCapacity(items.count * 8)
            for (index, (item, score)) in zip(items, scores).enumerated() {
                if index > 0 { text.append(" ") }
                text.append(String(item))
                text.append(":")
                let scaled = Int((min(1, max(0, score)) * 10_000).rounded())
                text.append(String(scaled / 10_000))
                var fraction = scaled % 10_000
                if fraction > 0 {
                    var digits = 4
                    while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
                    let padded = String(fraction)
                    text.append(".")
                    text.append(String(repeating: "0", count: digits - padded.count))
                    text.append(padded)
                }
            }
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            items = []
            scores = []
            for pair in text.split(separator: " ") {
                guard let colon = pair.firstIndex(of: ":"), let item = Int(pair[..<colon]),
                      let score = Double(pair[pair.index(after: colon)...]) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "item score '\(pair)' is not index:score"))
                }
                items.append(item)
                scores.append(score)
            }
        }
    }
}
