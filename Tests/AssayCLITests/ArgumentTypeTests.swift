@testable import assay
import ArgumentParser
import AssayCore
import Testing

@Suite("Argument types")
struct ArgumentTypeTests {
    @Test("a dollar amount is read exactly and keeps its spelling", arguments: [
        ("2.50", 2_500_000_000), ("0.002", 2_000_000), ("$5", 5_000_000_000),
    ] as [(String, Int64)])
    func dollars(text: String, nanoUSD: Int64) throws {
        let amount = try #require(DollarAmount(argument: text))
        #expect(amount.money == Money(nanoUSD: nanoUSD) && amount.text == text)
    }

    @Test("not a dollar amount is refused by the parser with a usage exit")
    func notDollars() {
        #expect(DollarAmount(argument: "lots") == nil)
        #expect(throws: (any Error).self) { try RunCommand.parse(["--budget", "lots"]) }
    }

    @Test("--objective parses by name; utility takes --lambda and needs it")
    func objective() throws {
        #expect(try RoutePolicyOptions.parse(["--objective", "best"]).objectiveValue == .best)
        #expect(try RoutePolicyOptions.parse(["--objective", "utility", "--lambda", "3"]).objectiveValue == .utility(lambda: 3))
        #expect(try RoutePolicyOptions.parse([]).objectiveValue == .cheapest)
        #expect(throws: (any Error).self) { try RoutePolicyOptions.parse(["--objective", "utility"]) }
        #expect(throws: (any Error).self) { try RoutePolicyOptions.parse(["--objective", "fastest"]) }
        let best = try CatalogCommand.Best.parse(["--task", "math", "--objective", "utility", "--lambda", "2", "--max-cost", "0.002"])
        #expect(try best.objective.with(lambda: best.lambda) == .utility(lambda: 2) && best.maxCost?.money.nanoUSD == 2_000_000)
    }
}
