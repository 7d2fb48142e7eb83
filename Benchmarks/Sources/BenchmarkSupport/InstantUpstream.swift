import Foundation
import Hummingbird
import NIOCore

/// An upstream that answers every chat completion at once with the same small OpenAI answer
/// (with usage), so what is measured is HTTP and the proxy, not a model. With `--delay-ms N` it
/// answers each request N ms after reading it instead: a model's latency without a model's work,
/// so that 64 requests can be in flight without saturating the machine.
public enum InstantUpstream {
    static let answer = ByteBuffer(string: #"""
        {"id":"chatcmpl-instant","object":"chat.completion","created":1763900000,"model":"finch","choices":[{"index":0,"message":{"role":"assistant","content":"80"},"finish_reason":"stop"}],"usage":{"prompt_tokens":31,"completion_tokens":2,"total_tokens":33}}
        """#)

    public static func run(arguments: [String]) async throws {
        let delay = option("--delay-ms", in: arguments).flatMap(Int.init).map { Duration.milliseconds($0) }
        let router = Router()
        router.post("/v1/chat/completions") { request, _ in
            _ = try await request.body.collect(upTo: 1 << 20)
            if let delay { try await Task.sleep(for: delay) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: answer))
        }
        try await serveOnFreePort(router, label: "upstream")
    }
}
