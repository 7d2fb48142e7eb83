import Foundation
import Synchronization

/// Per-model circuit breakers: after `threshold` failures in a row a model is skipped (when
/// the request has other candidates) for `coolDown`, then tried again; one success closes it.
final class CircuitBreakers: Sendable {
    private struct Breaker {
        var failures = 0
        var openUntil: Date?
    }

    private let breakers = Mutex<[String: Breaker]>([:])
    let threshold: Int
    let coolDown: TimeInterval

    init(threshold: Int = 3, coolDown: TimeInterval = 30) {
        self.threshold = threshold
        self.coolDown = coolDown
    }

    func isOpen(_ model: String, now: Date = Date()) -> Bool {
        breakers.withLock { $0[model]?.openUntil.map { $0 > now } ?? false }
    }

    func failed(_ model: String, now: Date = Date()) {
        breakers.withLock { all in
            var breaker = all[model] ?? Breaker()
            breaker.failures += 1
            if breaker.failures >= threshold { breaker.openUntil = now.addingTimeInterval(coolDown) }
            all[model] = breaker
        }
    }

    func succeeded(_ model: String) {
        breakers.withLock { $0[model] = nil }
    }
}
