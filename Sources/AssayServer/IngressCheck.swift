import AssayCore
import AssayProviders
import Foundation

/// The server's ingress path for one request body without the network: decoded as the handlers
/// decode it, checked by `RequestValidation`, read into the neutral `Ask` and the `ChatRequest`
/// sent upstream. Public so the fuzz targets (`Fuzz/`, a separate package) drive exactly the code
/// a client's bytes reach.
public enum IngressCheck {
    public enum Format: Sendable { case openAI, anthropic }

    /// Why a body was refused: the status and field the client would see.
    public struct Refused: Error, Sendable, Hashable {
        public var status: Int
        public var code: String?
        package var param: String?
        public var message: String
    }

    /// What a body reached: a refusal, or the request that would be routed (model as asked).
    public static func check(_ body: [UInt8], as format: Format, maxTokensCap: Int) -> Result<ChatRequest, Refused> {
        let validation = RequestValidation(maxTokensCap: maxTokensCap)
        let ask: ProxyHandlers.Ask
        do {
            switch format {
            case .openAI:
                let wire = try JSONDecoder().decode(OpenAIWire.Request.self, from: Data(body))
                try validation.check(openAI: wire)
                ask = ProxyHandlers.Ask(openAI: wire)
            case .anthropic:
                let wire = try JSONDecoder().decode(AnthropicWire.Request.self, from: Data(body))
                try validation.check(anthropic: wire)
                ask = ProxyHandlers.Ask(anthropic: wire)
            }
        } catch let refusal as Refusal {
            return .failure(Refused(status: Int(refusal.status.code), code: refusal.code, param: refusal.param, message: refusal.message))
        } catch {
            return .failure(Refused(status: 400, code: "invalid_json", param: nil, message: "\(error)"))
        }
        return .success(ask.chatRequest(model: ask.model, effort: ask.effort))
    }
}
