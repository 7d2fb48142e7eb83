/// What a choice among a task's entries optimises: `catalog best`, `route` and the router's default.
public enum Objective: Sendable, Hashable {
    /// The cheapest entry shown non-inferior to the best (the router: within the margin of the highest estimate).
    case cheapest
    /// The highest quality (under the cost cap, if any).
    case best
    /// The highest quality − λ × cost per task in dollars.
    case utility(lambda: Double)

    /// `cheapest`, `best` or `utility(lambda=…)`, as answers and decisions report it.
    public var name: String {
        switch self {
        case .cheapest: "cheapest"
        case .best: "best"
        case .utility(let lambda): "utility(lambda=\(lambda))"
        }
    }

    /// Parses `cheapest`, `best` or `utility` (which needs `lambda`).
    public init?(name: String, lambda: Double? = nil) {
        switch name {
        case "cheapest": self = .cheapest
        case "best": self = .best
        case "utility":
            guard let lambda else { return nil }
            self = .utility(lambda: lambda)
        default: return nil
        }
    }

    /// The names `init(name:lambda:)` takes.
    public static let names = ["cheapest", "best", "utility"]
}
