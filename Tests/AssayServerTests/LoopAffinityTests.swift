@testable import AssayServer
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `LoopAffinityMiddleware` keeps a request's work on its connection's event loop: after every
/// await (the body, a sleep on the concurrency pool's clock) the handler is back on that loop;
/// switched off, it runs on the concurrency pool as before. A real server on loopback.
@Suite("Loop affinity")
struct LoopAffinityTests {
    @Test("with loop affinity a handler resumes on its connection's event loop after each await; without it, it runs off the loop")
    func resumesOnTheConnectionsLoop() async throws {
        for enabled in [true, false] {
            let router = Router(context: AssayRequestContext.self)
            router.add(middleware: LoopAffinityMiddleware(enabled: enabled))
            router.post("/probe") { request, context -> String in
                var seen = [context.channel.eventLoop.inEventLoop]
                _ = try await request.body.collect(upTo: 1_024)
                seen.append(context.channel.eventLoop.inEventLoop)
                try await Task.sleep(for: .milliseconds(2))
                seen.append(context.channel.eventLoop.inEventLoop)
                return seen.map(String.init).joined(separator: ",")
            }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                for _ in 0..<5 {
                    let answer = try await client.execute(uri: "/probe", method: .post, body: ByteBuffer(string: "{}"))
                    #expect(answer.status == .ok)
                    #expect(String(buffer: answer.body) == Array(repeating: String(enabled), count: 3).joined(separator: ","), "enabled: \(enabled)")
                }
            }
        }
    }
}
