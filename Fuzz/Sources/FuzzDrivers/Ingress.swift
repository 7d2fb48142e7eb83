import AssayProviders
import AssayServer
import FuzzSupport

/// The cap the ingress targets validate against (a server's `serve.max_tokens`).
let maxTokensCap = 32_768

/// One request body through `IngressCheck`: a refusal is a 400; an accepted request names a
/// model, holds 1–10,000 messages (a system message may be added) and asks max_tokens within the cap.
public func checkIngress(_ body: UnsafeBufferPointer<UInt8>, as format: IngressCheck.Format) {
    switch IngressCheck.check(Array(body), as: format, maxTokensCap: maxTokensCap) {
    case .failure(let refused):
        require(refused.status == 400, "a body was refused with \(refused.status): \(refused.message)")
    case .success(let request):
        require(!request.model.isEmpty, "a request without a model was accepted")
        require((1...10_001).contains(request.messages.count), "\(request.messages.count) messages were accepted")
        if let maxTokens = request.maxTokens {
            require((1...maxTokensCap).contains(maxTokens), "max_tokens \(maxTokens) was accepted")
        } else {
            require(format == .openAI, "an Anthropic request without max_tokens was accepted")
        }
    }
}
