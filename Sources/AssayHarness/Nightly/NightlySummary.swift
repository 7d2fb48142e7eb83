import AssayCore
import AssayStore

/// What a nightly did, as its one summary line or `--json` for alerting.
package struct NightlySummary: Codable, Sendable, Equatable {
    package var newModels: [String]
    package var goneModels: [String]
    package var planned: Int
    package var samples: Int
    package var errors: Int
    package var alreadyStored: Int
    package var spentNusd: Int64
    package var budgetNusd: Int64?
    package var stoppedByBudget: Bool
    package var catalogChanges: [String]
    package var catalogSha256: String?
    package var status: RunStatus
    /// Prices opened or changed by tonight's scrape, prices held in quarantine, and sources that failed.
    package var pricesChanged = 0
    package var pricesQuarantined = 0
    package var priceSourceErrors: [String] = []

    enum CodingKeys: String, CodingKey {
        case newModels = "new_models", goneModels = "gone_models", planned, samples, errors, alreadyStored = "already_stored"
        case spentNusd = "spent_nusd", budgetNusd = "budget_nusd", stoppedByBudget = "stopped_by_budget"
        case catalogChanges = "catalog_changes", catalogSha256 = "catalog_sha256", status
        case pricesChanged = "prices_changed", pricesQuarantined = "prices_quarantined", priceSourceErrors = "price_source_errors"
    }

    package var line: String {
        let budget = budgetNusd.map { " of \(Money(nanoUSD: $0))" } ?? ""
        let models = newModels.isEmpty ? "no new models" : "\(newModels.count) new model(s) (\(newModels.joined(separator: ", ")))"
        var text = "nightly \(status): \(models), \(samples) samples (\(errors) errors, \(alreadyStored) already stored), "
            + "spent \(Money(nanoUSD: spentNusd))\(budget), catalog: \(catalogChanges.count) change(s)"
        if stoppedByBudget { text += "; stopped by the budget" }
        if pricesChanged > 0 { text += "; \(pricesChanged) price(s) changed" }
        if pricesQuarantined > 0 { text += "; \(pricesQuarantined) price change(s) quarantined: see 'assay prices show', apply with 'assay prices approve'" }
        if !priceSourceErrors.isEmpty { text += "; price sources failed: \(priceSourceErrors.joined(separator: "; "))" }
        if !goneModels.isEmpty { text += "; gone: \(goneModels.joined(separator: ", "))" }
        return text
    }
}
