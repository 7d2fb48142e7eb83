import AssayCore
import Foundation

/// One provider API's wire format: where a request goes, how it authenticates, and how a
/// neutral request and answer become its bodies and back. Pure (no I/O): `HTTPModelProvider`
/// walks the one request path for every dialect, so an adapter is this conformance and nothing else.
public protocol WireDialect: Sendable {
    /// Reads this API's streamed events.
    associatedtype Stream: StreamDecoder

    /// The path under the base URL that answers `request`, plain or streamed.
    static func path(for request: ChatRequest, streaming: Bool) -> String
    /// The headers that carry `apiKey` (and any version the API wants with every call).
    static func headers(apiKey: String?) -> [(String, String)]
    /// The request body for `request`, shaped by the provider's `settings` (effort field, token field).
    static func body(for request: ChatRequest, settings: ProviderSettings) throws(ProviderError) -> Data
    /// A plain (not streamed) answer body as a neutral answer.
    static func answer(from bytes: [UInt8], latencyMs: Int, attempts: Int) throws(ProviderError) -> ChatResponse
    /// The body of `GET /models` as listed models.
    static func listedModels(from bytes: [UInt8]) throws(ProviderError) -> [ListedModel]
    /// `answer` as the caller gets it, once it is whole (plain or streamed).
    static func completed(_ answer: ChatResponse, for request: ChatRequest) -> ChatResponse
}

extension WireDialect {
    public static func completed(_ answer: ChatResponse, for request: ChatRequest) -> ChatResponse { answer }

    /// `value` as a JSON body; a failure is the caller's bad request.
    static func encoded(_ value: some Encodable) throws(ProviderError) -> Data {
        do { return try JSONEncoder().encode(value) } catch {
            throw ProviderError(.badRequest, "cannot encode the request: \(error)")
        }
    }
}
