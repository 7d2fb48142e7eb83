import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayRouter
import AssayStore
import Foundation

/// A small catalog with two tasks whose prompts differ, and, within math, two kinds of item:
/// additions the small model solves and geometry it fails. Prices make the big model's prompt
/// cache worth keeping.
enum RouterFixture {
    static let names = ["Ana", "Ben", "Chen", "Dara", "Eli", "Farah", "Goran", "Hana", "Ivo", "Jun", "Kofi", "Lea"]
    static let objects = ["apples", "marbles", "stamps", "coins", "shells", "cards", "pencils", "books", "stones", "beads"]
    static let shapes = ["triangle", "circle", "rectangle", "trapezoid", "hexagon", "square"]
    static let fields = ["email address", "phone number", "street address", "company name"]

    static func addition(_ i: Int) -> String {
        "\(names[i % names.count]) has \(3 + i) \(objects[i % objects.count]) and is given \(7 + 2 * i) more. How many \(objects[i % objects.count]) does \(names[i % names.count]) have now?"
    }

    static func geometry(_ i: Int) -> String {
        "A \(shapes[i % shapes.count]) has sides of \(4 + i) cm and an inscribed angle of \(30 + i) degrees. Compute the area of the \(shapes[i % shapes.count]) in square centimetres, using the sine rule."
    }

    static func extraction(_ i: Int) -> String {
        "Extract the \(fields[i % fields.count]) from this record as JSON: \(names[i % names.count]) Ltd, contact \(names[(i + 3) % names.count].lowercased())@example.org, +44 20 7946 \(1000 + i), \(10 + i) High Street."
    }

    /// Items 0..<count of each kind; `held` of them are left out of the catalog for held-out checks.
    static let count = 24

    struct Item { var suite: String; var key: String; var task: String; var prompt: String; var kind: String }

    static var items: [Item] {
        (0..<count).flatMap { i in
            [Item(suite: "arith", key: "add-\(i)", task: "math", prompt: addition(i), kind: "add"),
             Item(suite: "arith", key: "geo-\(i)", task: "math", prompt: geometry(i), kind: "geo"),
             Item(suite: "records", key: "rec-\(i)", task: "extraction", prompt: extraction(i), kind: "rec")]
        }
    }

    /// (model, effort, cost per sample in nano-USD, score by item kind and index)
    typealias Model = (model: String, effort: String, cost: Int64, score: @Sendable (String, Int) -> Double)

    static let entries: [Model] = [
        ("big", "high", 10_000, { _, _ in 1 }),
        ("mid", "low", 1_000, { kind, i in kind == "geo" ? (i % 4 == 0 ? 0 : 1) : 1 }),
        ("small", "none", 100, { kind, _ in kind == "geo" ? 0 : 1 }),
    ]

    static func facts(items: [Item], models: [Model] = entries) -> [SampleFact] {
        items.flatMap { item in
            models.map { model, effort, cost, score in
                SampleFact(provider: "sim", model: model, effort: effort, task: item.task, suite: item.suite, itemKey: item.key,
                           score: score(item.kind, Int(item.key.split(separator: "-").last!)!),
                           usage: Usage(inputTokens: 100, outputTokens: 10), costNusd: cost, latencyMs: model == "big" ? 900 : 100)
            }
        }
    }

    static var prompts: [ItemRef: String] {
        Dictionary(uniqueKeysWithValues: items.map { (ItemRef(suite: $0.suite, item: $0.key), $0.prompt) })
    }

    /// Input $1/M and cached input $0.10/M for big: a long cached conversation is worth staying for.
    static let prices: [ModelRef: PriceSheet] = [
        ModelRef(provider: "sim", model: "big"): PriceSheet([.input: 1_000_000_000, .cachedInput: 100_000_000, .output: 4_000_000_000]),
    ]

    static func document(items: [Item] = items) -> CatalogDocument {
        CatalogBuilder(margin: 0.02, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000), prompts: prompts)
            .build(facts: facts(items: items))
            .withPrices(prices)
    }

    static func snapshot(_ options: RouterOptions = RouterOptions()) throws -> RouterSnapshot {
        try RouterSnapshot(document: document(), options: options)
    }

    /// A 30-point margin: wide enough for the evidence of 8 near items, shrunk toward small's
    /// 50% on math, to make small non-inferior on an addition (2 points is not: see ObjectiveTests).
    static func lenient() throws -> RouterSnapshot { try snapshot(RouterOptions(margin: 0.3)) }
}

extension CatalogDocument {
    /// The same catalog with the router's cache prices from `prices` (costs stay as sampled).
    func withPrices(_ prices: [ModelRef: PriceSheet]) -> CatalogDocument {
        var copy = self
        copy.router?.prices = prices.map {
            .init(model: $0.key.description, inputNusdPerMtok: $0.value.rate(.input), cachedInputNusdPerMtok: $0.value.rate(.cachedInput))
        }
        return copy
    }
}
