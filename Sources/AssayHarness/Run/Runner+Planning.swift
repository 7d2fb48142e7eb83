import AssayCore
import AssayProviders
import AssayStore
import AssaySuites
import Foundation

extension Runner {
    func select(suites: [Suite], names: [String]) throws -> [Suite] {
        guard !names.isEmpty else { return suites }
        let known = Set(suites.map(\.name)).union(suites.map(\.task))
        for name in names where !known.contains(name) {
            throw AssayError(.usage, "no suite or task named '\(name)'",
                             hint: "known suites: \(suites.map(\.name).sorted().joined(separator: ", "))")
        }
        return suites.filter { names.contains($0.name) || names.contains($0.task) }
    }

    /// The configured models `names` pick (provider/model or model; all when empty).
    package func select(models names: [String]) throws -> [AssayConfig.ModelEntry] {
        guard !config.models.isEmpty else {
            throw AssayError(.config, "no models are configured", hint: "list models under 'models:' in \(config.file ?? "assay.yaml")")
        }
        guard !names.isEmpty else { return config.models }
        return try names.map { name in
            guard let entry = config.models.first(where: { $0.ref.description == name || $0.ref.model == name }) else {
                throw AssayError(.usage, "model '\(name)' is not in the config",
                                 hint: "configured models: \(config.models.map(\.ref.description).joined(separator: ", "))")
            }
            return entry
        }
    }

    /// Stores suites and prices, claims one job per (model, effort, suite, epoch) and lists the
    /// items each job still lacks.
    func plan(runID: Int64, suites: [Suite], models: [AssayConfig.ModelEntry], options: RunOptions) throws -> (jobs: [JobPlan], skipped: [SkippedEffort]) {
        var stored: [String: AssayDatabase.StoredSuite] = [:]
        for suite in suites {
            stored[suite.name] = try database.storeSuite(
                name: suite.name, task: suite.task, version: suite.version, contentSHA256: suite.contentSHA256, file: suite.file,
                items: suite.items.map { .init(key: $0.id, promptSHA256: sha256Hex($0.renderedPrompt), cluster: $0.cluster,
                                               difficulty: $0.difficulty) })
        }
        for model in models {
            try database.touchModel(model.ref)
            if let price = model.price, !price.isEmpty { try database.recordPrices(price, for: model.ref, source: AssayDatabase.configSource) }
        }
        let prices = try database.currentPrices()
        let epochs = max(1, options.epochs ?? config.epochs)
        func claim(_ model: AssayConfig.ModelEntry, _ effort: Effort, _ suite: Suite, epoch: Int) throws -> JobPlan? {
            guard let storedSuite = stored[suite.name] else { return nil }
            let job = try database.claimJob(runID: runID, model: model.ref, effort: effort,
                                            suiteID: storedSuite.record.id!, suiteSHA256: suite.contentSHA256, epoch: epoch)
            let answered = try database.answeredItemIDs(jobID: job.id!)
            let price = prices[model.ref] ?? PriceSheet()
            let pending = suite.items.compactMap { item -> WorkItem? in
                guard let itemID = storedSuite.itemIDs[item.id], !answered.contains(itemID) else { return nil }
                return WorkItem(jobID: job.id!, itemID: itemID, epoch: epoch, model: model.ref, effort: effort,
                                suite: suite, item: item, price: price, effortParameter: model.effortParameter)
            }
            return JobPlan(job: job, pending: pending, alreadyStored: answered.count)
        }
        if let jobs = options.jobs {
            // An explicit plan (assay nightly): exactly these jobs, in this order.
            return (try jobs.compactMap { spec -> JobPlan? in
                guard let model = models.first(where: { $0.ref.description == spec.model }), let effort = Effort(rawValue: spec.effort),
                      let suite = suites.first(where: { $0.name == spec.suite }) else { return nil }
                return try claim(model, effort, suite, epoch: spec.epoch)
            }, [])
        }
        var plans: [JobPlan] = []
        var skipped: [SkippedEffort] = []
        for model in models {
            var efforts: [Effort] = []
            for effort in config.efforts(for: model) where options.efforts.isEmpty || options.efforts.contains(effort) {
                if let reason = config.unsupportedReason(effort, for: model) {
                    skipped.append(SkippedEffort(model: model.ref.description, effort: effort.rawValue, reason: reason))
                    logger.notice("skipping an effort the model cannot take", metadata: [
                        "assay.model": "\(model.ref)", "assay.effort": "\(effort.rawValue)", "assay.reason": "\(reason)"])
                } else {
                    efforts.append(effort)
                }
            }
            let price = prices[model.ref] ?? PriceSheet()
            if price.isEmpty {
                logger.warning("no price known for model; its cost is recorded as 0", metadata: ["assay.model": "\(model.ref)"])
            }
            for effort in efforts {
                for suite in suites {
                    for epoch in 0..<epochs {
                        if let plan = try claim(model, effort, suite, epoch: epoch) { plans.append(plan) }
                    }
                }
            }
        }
        return (plans, skipped)
    }

    /// Marks each job done when every item has an ok sample, failed otherwise.
    func finishJobs(_ plans: [JobPlan]) throws {
        for plan in plans {
            let answered = try database.answeredItemIDs(jobID: plan.job.id!).count
            let expected = plan.alreadyStored + plan.pending.count
            let missing = expected - answered
            try database.finishJob(id: plan.job.id!, status: missing == 0 ? .done : .failed,
                                   note: missing == 0 ? nil : "\(missing) item(s) without a successful sample")
        }
    }
}
