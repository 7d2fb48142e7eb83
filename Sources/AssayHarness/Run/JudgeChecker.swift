import AssayCore
import AssayProviders
import AssayStore
import AssaySuites

/// `assay regrade --judge-check`: asks the judge about every stored answer of suites graded
/// otherwise (exact, numeric, code…), with the cascade check's rubric in the one judge prompt
/// shape (`JudgeGrader.checkPrompt`), and stores each verdict with its call's tokens and cost in
/// `check_verdict`, so `assay cascade eval --check judge` and `assay cascade plan` can replay a
/// judge check on every task (docs/cascades.md). The sample's own grade is left as it is.
package struct JudgeChecker: Sendable {
    package let database: AssayDatabase
    package let judge: ProviderJudge
    /// The judge's price (its verdicts' cost; nil: stored unpriced).
    package let price: PriceSheet?
    /// Judge calls in flight at once.
    package let concurrency: Int

    package init(database: AssayDatabase, judge: ProviderJudge, price: PriceSheet?, concurrency: Int) {
        (self.database, self.judge, self.price, self.concurrency) = (database, judge, price, max(1, concurrency))
    }

    package struct Summary: Sendable, Hashable, Encodable {
        package var judge = ""
        /// Answers the judge scored now; already scored by this judge (not asked again); no verdict.
        package var checked = 0
        package var alreadyChecked = 0
        package var errors = 0
        package var bySuite: [String: Int] = [:]
        /// What the calls made now cost at the judge's price (nil: it has none).
        package var costNusd: Int64?
        /// Suites left out because the judge grades them already (their grade is its verdict).
        package var judgeGraded: [String] = []
    }

    /// `assay regrade --judge-check`: the judge (`judge`, else the config's), its price (the
    /// database's, else the config's), then `check`.
    package static func run(config: AssayConfig, database: AssayDatabase, providers: ProviderRegistry, judge override: ModelRef?,
                            suites: [Suite], limit: Money?) async throws -> Summary {
        guard let ref = override ?? config.judge else {
            throw AssayError(.config, "--judge-check needs a judge: assay.yaml names none", hint: "set 'judge: provider/model' or pass --judge provider/model")
        }
        guard let provider = providers[ref.provider] else {
            throw AssayError(.config, "the judge '\(ref)' names provider '\(ref.provider)', which is not configured",
                             hint: "configured providers: \(providers.providers.keys.sorted().joined(separator: ", "))")
        }
        let price = try database.currentPrices()[ref] ?? config.models.first { $0.ref == ref }?.price
        if let limit, price == nil {
            throw AssayError(.config, "the judge \(ref) has no known price, so its calls cannot be held to --budget \(limit)",
                             hint: "give \(ref) a price (scrape it, or 'price:' under models:) or run without --budget")
        }
        let checker = JudgeChecker(database: database, judge: ProviderJudge(model: ref, provider: provider), price: price,
                                   concurrency: config.concurrency)
        return try await checker.check(suites: suites, limit: limit)
    }

    /// Checks the stored answers of the current versions of `suites`, within `limit` when given.
    package func check(suites: [Suite], limit: Money? = nil) async throws -> Summary {
        var summary = Summary(judge: judge.model.description)
        let checked = suites.filter { !$0.grader.isJudge }
        summary.judgeGraded = suites.filter(\.grader.isJudge).map(\.name).sorted()
        let bySHA = Dictionary(checked.map { ($0.contentSHA256, $0) }, uniquingKeysWith: { a, _ in a })
        let done = try database.checkedSamples(judge: judge.model.description)
        var work: [(AssayDatabase.StoredAnswer, Suite, SuiteItem)] = []
        for answer in try database.storedAnswers(suiteSHA256s: checked.map(\.contentSHA256)) {
            guard let suite = bySHA[answer.suiteSHA256], let item = suite.items.first(where: { $0.id == answer.itemKey }) else { continue }
            if done.contains(answer.sampleID) { summary.alreadyChecked += 1 } else { work.append((answer, suite, item)) }
        }
        var judge = self.judge
        if limit != nil { judge.meter = ProviderJudge.Meter(budget: RunBudget(limit: limit), price: price ?? PriceSheet()) }
        let verdicts = await Self.ask(judge, about: work, price: price, concurrency: concurrency)
        for (verdict, suite) in verdicts {
            summary.bySuite[suite, default: 0] += 1
            if verdict.score == nil { summary.errors += 1 } else { summary.checked += 1 }
        }
        let costs = verdicts.map(\.0.cost)
        summary.costNusd = price == nil ? nil : costs.compactMap { $0?.nanoUSD }.reduce(0, +)
        try await database.storeCheckVerdicts(verdicts.map(\.0))
        return summary
    }

    /// Each answer's verdict (or why there is none), `concurrency` calls at a time.
    static func ask(_ judge: ProviderJudge, about work: [(AssayDatabase.StoredAnswer, Suite, SuiteItem)], price: PriceSheet?,
                    concurrency: Int) async -> [(AssayDatabase.CheckVerdict, String)] {
        await withTaskGroup(of: (AssayDatabase.CheckVerdict, String).self) { group in
            var results: [(AssayDatabase.CheckVerdict, String)] = []
            var next = work.makeIterator()
            func start() {
                guard let (answer, suite, item) = next.next() else { return }
                group.addTask { (await verdict(judge, on: answer, item: item, price: price), suite.name) }
            }
            for _ in 0..<concurrency { start() }
            while let result = await group.next() {
                results.append(result)
                start()
            }
            return results
        }
    }

    /// One verdict: the judge's score over the scale, or the failure (a call that failed, a
    /// verdict without a final `SCORE: n/10` line) stored as such, never as a zero.
    static func verdict(_ judge: ProviderJudge, on answer: AssayDatabase.StoredAnswer, item: SuiteItem, price: PriceSheet?) async
        -> AssayDatabase.CheckVerdict {
        let name = judge.model.description
        do {
            let reply = try await judge.call(system: JudgePrompt.system, prompt: JudgeGrader.checkPrompt(item: item, response: answer.response))
            let cost = price.map { $0.cost(of: reply.usage) }
            guard let score = JudgePrompt.score(in: reply.text, scale: JudgePrompt.checkScale) else {
                return .init(sampleID: answer.sampleID, judge: name, score: nil, verdict: String(reply.text.prefix(4000)), usage: reply.usage,
                             cost: cost, errorMessage: "the verdict does not end with 'SCORE: n/\(JudgePrompt.checkScale)'")
            }
            return .init(sampleID: answer.sampleID, judge: name, score: Double(score) / Double(JudgePrompt.checkScale),
                         verdict: String(reply.text.prefix(4000)), usage: reply.usage, cost: cost, errorMessage: nil)
        } catch {
            return .init(sampleID: answer.sampleID, judge: name, score: nil, verdict: nil, usage: .zero, cost: nil,
                         errorMessage: "the judge \(name) failed: \(String(describing: error).prefix(300))")
        }
    }
}
