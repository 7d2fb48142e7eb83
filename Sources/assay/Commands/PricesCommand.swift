import ArgumentParser

struct PricesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices",
        abstract: "Scrape providers' prices, keep their history, and hold back suspicious changes.",
        discussion: """
            Sources are declared under 'pricing:' in assay.yaml (docs/pricing.md). A page that no \
            longer matches its extractor, a price moving more than max_change_factor (default 5×), \
            or a model gone from its page is quarantined: not applied until 'assay prices approve'.
            """,
        subcommands: [PricesScrape.self, PricesShow.self, PricesHistory.self, PricesConflicts.self, PricesApprove.self])
}
