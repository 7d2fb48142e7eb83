import AssayProviders
import AsyncHTTPClient
import BenchmarkSupport
import Foundation
import Hummingbird
import NIOCore

/// The floor under the proxy's cost: the same two libraries `assay serve` is built on
/// (Hummingbird in, AsyncHTTPClient out, the same client settings) relaying the request's bytes
/// to the upstream and its answer's bytes back, with no JSON, routing, metrics or translation.
/// What the proxy costs above this is Assay's own work.
enum BareRelay {
    static func run(arguments: [String]) async throws {
        guard let upstream = option("--upstream-port", in: arguments) else {
            throw BenchmarkError("usage: proxy-overhead relay --upstream-port N")
        }
        let client = HTTPClientFactory.make(maxConnectionsPerHost: 64)
        let url = "http://127.0.0.1:\(upstream)/v1/chat/completions"
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            var outbound = HTTPClientRequest(url: url)
            outbound.method = .POST
            outbound.headers.add(name: "content-type", value: "application/json")
            outbound.body = .bytes(try await request.body.collect(upTo: 1 << 22))
            let answer = try await client.execute(outbound, timeout: .seconds(60))
            let bytes = try await answer.body.collect(upTo: 1 << 24)
            return Response(status: .init(code: Int(answer.status.code)), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: bytes))
        }
        try await serveOnFreePort(router, label: "relay")
        try await client.shutdown()
    }
}
