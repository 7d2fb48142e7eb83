import ArgumentParser
import AssayCore

/// A dollar amount on the command line (`2.50`, `0.002`, `$5`), read exactly by `Money(dollars:)`.
struct DollarAmount: ExpressibleByArgument, Sendable {
    var money: Money
    /// As typed, for files that keep the user's spelling (the keys file's `daily_budget_usd`).
    var text: String

    init?(argument: String) {
        guard let money = Money(dollars: argument) else { return nil }
        self.money = money
        self.text = argument
    }
}

/// `--objective cheapest|best|utility`; `utility` takes its λ from `--lambda` (`with(lambda:)`).
extension Objective: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument, lambda: 0)
    }

    public var defaultValueDescription: String { name }

    /// The objective with `--lambda` applied; `utility` without one is a usage error.
    func with(lambda: Double?) throws -> Objective {
        guard case .utility = self else { return self }
        guard let lambda else { throw ValidationError("--objective utility needs --lambda") }
        return .utility(lambda: lambda)
    }
}
