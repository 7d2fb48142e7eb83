import AssayProviders

/// Runs `body`, abandoning it (cancelling its task, which cancels its HTTP request) when it has
/// not finished within `limit`: a `timeout` provider error, so the next candidate can be tried.
func withinLimit<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws(ProviderError) -> T) async throws(ProviderError) -> T {
    try await withinLimits(firstPiece: limit, whole: limit, abandonIfWaiting: { true }, body)
}

/// Runs a streamed `body` that must send its first piece within `firstPiece` and finish within
/// `whole`; past either it is cancelled with a `timeout` error. At `firstPiece`,
/// `abandonIfWaiting` decides atomically: true (no piece yet, and none will be taken now) times
/// out, false (a piece was sent) lets the body run on.
func withinLimits<T: Sendable>(firstPiece: Duration, whole: Duration, abandonIfWaiting: @escaping @Sendable () -> Bool,
                               _ body: @escaping @Sendable () async throws(ProviderError) -> T) async throws(ProviderError) -> T {
    let outcome: Result<T, ProviderError> = await withTaskGroup(of: Result<T, ProviderError>?.self) { group in
        group.addTask {
            do throws(ProviderError) { return .success(try await body()) } catch { return .failure(error) }
        }
        group.addTask {
            do { try await Task.sleep(for: firstPiece) } catch { return nil }
            guard !abandonIfWaiting() else {
                return .failure(ProviderError(.timeout, "no answer within \(firstPiece.formattedSeconds) (serve.attempt_timeout_seconds or the request's deadline)"))
            }
            do { try await Task.sleep(for: whole - firstPiece) } catch { return nil }
            return .failure(ProviderError(.timeout, "the request's deadline passed mid-answer"))
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first ?? .failure(ProviderError(.timeout, "cancelled"))
    }
    return try outcome.get()
}

extension Duration {
    var formattedSeconds: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\((seconds * 10).rounded() / 10) s"
    }
}
