import AssayCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// An adapter for OpenAI's chat-completions API and the many services that speak it
/// (OpenRouter, DeepSeek, Together, Groq, vLLM, llama.cpp, Assay's simulator).
public struct OpenAICompatibleProvider: ModelProvider {
    public let settings: ProviderSettings
    let client: HTTPClient
    let logger: Logger
    let environment: [String: String]

    public var name: String { settings.name }

    public init(settings: ProviderSettings, client: HTTPClient, logger: Logger,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.settings = settings
        self.client = client
        self.logger = logger
        self.environment = environment
    }

    static let maxResponseBytes = 16 * 1024 * 1024

    public func complete(_ request: ChatRequest) async throws(ProviderError) -> ChatResponse {
        let body = try encode(request)
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            do throws(ProviderError) {
                let (status, headers, bytes) = try await send(path: "/chat/completions", method: .POST, body: body)
                guard status == 200 else {
                    throw ProviderError.from(status: status, body: String(decoding: bytes, as: UTF8.self),
                                             retryAfter: headers.first(name: "retry-after").flatMap(Double.init))
                }
                let wire: OpenAIWire.Response
                do {
                    wire = try JSONDecoder().decode(OpenAIWire.Response.self, from: Data(bytes))
                } catch {
                    throw ProviderError(.malformedResponse, "the response is not a chat completion: \(Self.describe(error))",
                                        statusCode: status)
                }
                guard let choice = wire.choices.first else {
                    throw ProviderError(.malformedResponse, "the response has no choices", statusCode: status)
                }
                let elapsed = started.duration(to: .now)
                return ChatResponse(text: choice.message.content ?? "", usage: wire.usage?.normalised ?? .zero,
                                    finishReason: choice.finishReason, model: wire.model,
                                    latencyMs: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
                                    attempts: attempt)
            } catch let error {
                guard error.isRetryable, attempt < settings.retry.maxAttempts, !Task.isCancelled else { throw error }
                let wait = settings.retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter, jitter: Double.random(in: 0..<1))
                logger.debug("retrying provider call", metadata: [
                    "provider.name": "\(name)", "provider.error": "\(error.kind.rawValue)",
                    "assay.attempt": "\(attempt)", "assay.wait_s": "\(wait)",
                ])
                do { try await Task.sleep(for: .seconds(wait)) } catch { throw ProviderError(.timeout, "cancelled while waiting to retry") }
            }
        }
    }

    public func listModels() async throws(ProviderError) -> [String] {
        let (status, headers, bytes) = try await send(path: "/models", method: .GET, body: nil)
        guard status == 200 else {
            throw ProviderError.from(status: status, body: String(decoding: bytes, as: UTF8.self),
                                     retryAfter: headers.first(name: "retry-after").flatMap(Double.init))
        }
        do {
            return try JSONDecoder().decode(OpenAIWire.ModelList.self, from: Data(bytes)).data.map(\.id)
        } catch {
            throw ProviderError(.malformedResponse, "the model list is not in OpenAI's format: \(Self.describe(error))")
        }
    }

    func encode(_ request: ChatRequest) throws(ProviderError) -> Data {
        var wire = OpenAIWire.Request(model: request.model, messages: request.messages,
                                      reasoningEffort: request.effort?.rawValue, temperature: request.temperature,
                                      seed: request.seed)
        if settings.maxTokensField == "max_completion_tokens" {
            wire.maxCompletionTokens = request.maxTokens
        } else {
            wire.maxTokens = request.maxTokens
        }
        do { return try JSONEncoder().encode(wire) } catch {
            throw ProviderError(.badRequest, "cannot encode the request: \(error)")
        }
    }

    /// One HTTP exchange with the deadline from settings; transport failures are classified.
    func send(path: String, method: HTTPMethod, body: Data?) async throws(ProviderError) -> (Int, HTTPHeaders, [UInt8]) {
        let base = settings.baseURL.hasSuffix("/") ? String(settings.baseURL.dropLast()) : settings.baseURL
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "user-agent", value: "assay/0.1")
        request.headers.add(name: "accept", value: "application/json")
        if let key = try settings.apiKey(environment: environment) {
            request.headers.add(name: "authorization", value: "Bearer \(key)")
        }
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

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
