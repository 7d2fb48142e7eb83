import AssayProviders
import HTTPTypes
import Hummingbird
import NIOCore

/// Same-format passthrough of a whole answer: when an OpenAI client's answer comes from an
/// OpenAI-format upstream, the upstream's own bytes go back with only `model` rewritten to the
/// `provider/model` that answered, instead of the decoded answer encoded anew. The answer is
/// still decoded once for what the server records (usage, cost, circuit breakers, the traffic
/// log); an answer whose usage had to be clamped is written anew, so that the client never sees
/// counts the server refused to believe.
///
/// Not for Anthropic → Anthropic: the upstream's `thinking` blocks, which the written answer
/// leaves out, would reach clients that read `content[0]` as the text (the SDK test scripts do).
enum AnswerRelay {
    /// The formats whose answers are relayed.
    static let relayedFormats: Set<UpstreamBody.Format> = [.openAI]

    /// The bytes to send for `answer`, or nil when it must be written from the decoded answer.
    static func relayed(_ answer: ChatResponse, to format: UpstreamBody.Format, model: String) -> [UInt8]? {
        guard relayedFormats.contains(format), let body = answer.upstreamBody, body.format == format, answer.usageAnomalies.isEmpty,
              let fields = try? JSONFields(body.bytes) else { return nil }
        return fields.replacing("model", withString: model)
    }

    /// `answer` in `format` for `model`: the upstream's bytes when they can be relayed, else `write`'s answer.
    static func respond(_ answer: ChatResponse, as format: UpstreamBody.Format, model: String, headers: HTTPFields,
                        write: () -> Response) -> Response {
        guard let bytes = relayed(answer, to: format, model: model) else { return write() }
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
