import AssayCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP side every adapter shares: one exchange with a deadline and classified failures,
/// and retries with backoff that honour `Retry-After`.
public struct ProviderTransport: Sendable {
    public let settings: ProviderSettings
    let client: HTTPClient
    let logger: Logger
    /// Shared by every request to this provider (one transport per configured provider).
    public let limiter: ProviderLimiter

    public init(settings: ProviderSettings, client: HTTPClient, logger: Logger) {
        self.settings = settings
        self.client = client
        self.logger = logger
        self.limiter = ProviderLimiter(settings.limits)
    }

    static let maxResponseBytes = 16 * 1024 * 1024

    var base: String { settings.baseURL.hasSuffix("/") ? String(settings.baseURL.dropLast()) : settings.baseURL }

    /// One HTTP exchange; a non-2xx status becomes a classified `ProviderError`.
    func exchange(path: String, method: HTTPMethod, body: Data?, headers: [(String, String)]) async throws(ProviderError) -> [UInt8] {
        let (status, responseHeaders, bytes) = try await send(path: path, method: method, body: body, headers: headers)
        guard (200..<300).contains(status) else {
            throw ProviderError.from(status: status, body: Redaction.redact(String(decoding: bytes, as: UTF8.self), secrets: headers.map(\.1)),
                                     retryAfter: responseHeaders.first(name: "retry-after").flatMap(Double.init))
        }
        return bytes
    }

    func send(path: String, method: HTTPMethod, body: Data?, headers: [(String, String)]) async throws(ProviderError) -> (Int, HTTPHeaders, [UInt8]) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "user-agent", value: "assay/0.1")
        request.headers.add(name: "accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let timeout = TimeAmount.milliseconds(Int64(settings.timeoutSeconds * 1000))
        do {
            let response = try await client.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: Self.maxResponseBytes)
            return (Int(response.status.code), response.headers, Array(buffer.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw ProviderError(.timeout, "no complete response from \(settings.name) within \(settings.timeoutSeconds)s")
        } catch let error as HTTPClientError where error == .connectTimeout {
            throw ProviderError(.unreachable, "cannot connect to \(base) (connect timeout)")
        } catch let error as NIOTooManyBytesError {
            throw ProviderError(.malformedResponse, "the response is larger than \(Self.maxResponseBytes) bytes: \(error)")
        } catch is CancellationError {
            throw ProviderError(.timeout, "the request was cancelled")
        } catch {
            throw ProviderError(.unreachable, "cannot reach \(base): \(Self.describe(error))")
        }
    }

    /// One streamed exchange: `onData` gets each `data:` payload of a server-sent-events body as
    /// it arrives. Returns whether the stream ended with bytes of an unfinished event.
    func stream(path: String, body: Data, headers: [(String, String)],
                onData: (String) async throws(ProviderError) -> Void) async throws(ProviderError) -> Bool {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "user-agent", value: "assay/0.1")
        request.headers.add(name: "accept", value: "text/event-stream")
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let timeout = TimeAmount.milliseconds(Int64(settings.timeoutSeconds * 1000))
        var parser = SSEParser()
        let response: HTTPClientResponse
        // No answer at all is unreachable (or a timeout), as for a plain exchange; a stream that
        // started and broke off is truncated.
        do { response = try await client.execute(request, timeout: timeout) } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout {
            throw ProviderError(.timeout, "no response from \(settings.name) within \(settings.timeoutSeconds)s")
        } catch is CancellationError {
            throw ProviderError(.timeout, "the request was cancelled")
        } catch {
            throw ProviderError(.unreachable, "cannot reach \(base): \(Self.describe(error))")
        }
        do {
            guard (200..<300).contains(Int(response.status.code)) else {
                let buffer = try await response.body.collect(upTo: 1 << 20)
                throw ProviderError.from(status: Int(response.status.code), body: Redaction.redact(String(buffer: buffer), secrets: headers.map(\.1)),
                                         retryAfter: response.headers.first(name: "retry-after").flatMap(Double.init))
            }
            for try await buffer in response.body {
                for payload in parser.feed(buffer.readableBytesView) { try await onData(payload) }
            }
            return parser.hasPartialEvent
        } catch let error as ProviderError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw ProviderError(.timeout, "the stream from \(settings.name) did not finish within \(settings.timeoutSeconds)s")
        } catch is CancellationError {
            throw ProviderError(.timeout, "the request was cancelled")
        } catch {
            throw ProviderError(.truncatedStream, "the stream from \(base) broke off: \(Self.describe(error))")
        }
    }

    /// Runs `attempt` until it succeeds, fails for good (or `retryIf` says no), or the retry
    /// budget is spent. Each attempt first waits for the provider's limits (`estimatedTokens`
    /// counts against TPM).
    func retrying<T: Sendable>(estimatedTokens: Int = 0, retryIf: (ProviderError) -> Bool = { _ in true },
                               _ attempt: (Int) async throws(ProviderError) -> T) async throws(ProviderError) -> T {
        var number = 0
        while true {
            number += 1
            do throws(ProviderError) {
                do { try await limiter.acquire(estimatedTokens: estimatedTokens) } catch {
                    throw ProviderError(.timeout, "cancelled while waiting for \(settings.name)'s rate limits")
                }
                let result: T
                do throws(ProviderError) {
                    result = try await attempt(number)
                } catch let error {
                    await limiter.release(estimatedTokens: estimatedTokens,
                                          error.kind == .rateLimited ? .rateLimited(retryAfter: error.retryAfter) : .failed)
                    throw error
                }
                let used = (result as? ChatResponse).map { Usage.sum($0.usage.inputTokens, $0.usage.outputTokens) }
                await limiter.release(estimatedTokens: estimatedTokens, .succeeded(usedTokens: used))
                return result
            } catch let error {
                guard error.isRetryable, retryIf(error), number < settings.retry.maxAttempts, !Task.isCancelled else { throw error }
                let wait = settings.retry.delay(afterAttempt: number, retryAfter: error.retryAfter, jitter: Double.random(in: 0..<1))
                logger.debug("retrying provider call", metadata: [
                    "provider.name": "\(settings.name)", "provider.error": "\(error.kind.rawValue)",
                    "assay.attempt": "\(number)", "assay.wait_s": "\(wait)",
                ])
                do { try await Task.sleep(for: .seconds(wait)) } catch { throw ProviderError(.timeout, "cancelled while waiting to retry") }
            }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], what: String) throws(ProviderError) -> T {
        do { return try JSONDecoder().decode(type, from: Data(bytes)) } catch {
            throw ProviderError(.malformedResponse, "the response is not \(what): \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = start.duration(to: .now)
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
