import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import NIOCore
import Synchronization
import Testing

/// A tiny in-process HTTP upstream for the shared request path: it records every request and
/// answers each with what `reply` says, so a test sees the exact path, headers and body an
/// adapter sends and what it makes of a canned answer. No simulator involved.
struct FakeUpstream {
    /// One request as it arrived.
    struct Received: Sendable {
        var method: String
        /// Path and query, e.g. `/v1/models/m:streamGenerateContent?alt=sse`.
        var uri: String
        var headers: [String: String]
        var body: Data
    }

    /// A canned answer.
    struct Reply: Sendable {
        var status: Int = 200
        var contentType = "application/json"
        var body: String
        var headers: [String: String] = [:]
    }

    /// What arrived, in order.
    final class Log: Sendable {
        private let received = Mutex<[Received]>([])
        func append(_ request: Received) { received.withLock { $0.append(request) } }
        var requests: [Received] { received.withLock { $0 } }
    }

    static let logger = Logger(label: "fake-upstream") { _ in SwiftLogNoOpLogHandler() }

    /// Runs `body` with the upstream listening on a free loopback port (HummingbirdTesting's live server).
    static func withRunning<T: Sendable>(reply: @escaping @Sendable (Received) -> Reply,
                                         _ body: @Sendable (_ baseURL: String, _ log: Log) async throws -> T) async throws -> T {
        let log = Log()
        let router = Router()
        router.on("**", method: .get) { request, context in try await answer(request, context, log: log, reply: reply) }
        router.on("**", method: .post) { request, context in try await answer(request, context, log: log, reply: reply) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))/v1", log)
        }
    }

    static func answer(_ request: Request, _ context: some RequestContext, log: Log,
                       reply: @Sendable (Received) -> Reply) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let received = Received(method: request.method.rawValue, uri: request.uri.description, headers: headers,
                                body: Data(buffer.readableBytesView))
        log.append(received)
        let canned = reply(received)
        var fields = HTTPFields()
        fields[.contentType] = canned.contentType
        for (name, value) in canned.headers { if let field = HTTPField.Name(name) { fields[field] = value } }
        return Response(status: .init(code: canned.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: canned.body)))
    }
}
