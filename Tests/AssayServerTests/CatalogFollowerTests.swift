import AssayCatalogFormat
import AssayRouter
@testable import AssayServer
import AssayTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// `serve.catalog_url`: a replica follows the measuring machine's catalog over HTTP, by
/// conditional GET, keeping its local catalog when the published one is bad or unreachable.
@Suite struct CatalogFollowerTests {
    /// What the publisher serves next: status, body, ETag; and what it saw.
    final class Publisher: Sendable {
        struct State { var status = 200; var body = Data(); var etag = "\"a\""; var conditional = 0; var authorizations: [String] = [] }
        let state = Mutex(State())

        func application() -> some ApplicationProtocol {
            let router = Router()
            router.get("/catalog.json") { request, _ -> Response in
                let (status, body, etag, match) = self.state.withLock { state in
                    state.authorizations.append(request.headers[.authorization] ?? "")
                    return (state.status, state.body, state.etag, request.headers[.ifNoneMatch])
                }
                if match == etag {
                    self.state.withLock { $0.conditional += 1 }
                    return Response(status: .notModified, headers: [.eTag: etag])
                }
                return Response(status: .init(code: status), headers: [.eTag: etag, .contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(data: body)))
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    @Test("a new catalog is fetched and swapped in; 304 changes nothing; a bad or failing one keeps the local catalog; the token is sent and never shown")
    func follows() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = directory + "/catalog/catalog.json"
        let first = try CatalogDocument.encoder().encode(ServerFixture.document())
        let second = try CatalogDocument.encoder().encode(ServerFixture.document(margin: 0.05))
        let publisher = Publisher()
        publisher.state.withLock { $0.body = first }
        try await publisher.application().test(.live) { client in
            let port = try #require(client.port)
            let follower = CatalogFollower(url: "http://127.0.0.1:\(port)/catalog.json?sig=s3cret", path: path, options: RouterOptions(),
                                           token: "tok-123", interval: .seconds(60), logger: Logger(label: "test"))
            // First fetch: the folder is made and the catalog written.
            guard case .written = try await follower.check() else { Issue.record("the first fetch writes the catalog"); return }
            #expect(FileManager.default.contents(atPath: path) == first)
            let holder = try RouterHolder(path: path)
            let firstSha = holder.snapshot.catalogSha256

            // Unchanged at the publisher: a conditional GET answered 304.
            #expect(try await follower.check() == .unchanged)
            #expect(publisher.state.withLock { $0.conditional } == 1)

            // A malformed catalog is rejected before it touches the local file.
            publisher.state.withLock { $0.body = Data("{\"schema_version\": 99".utf8); $0.etag = "\"b\"" }
            await #expect(throws: CatalogFollowError.self) { try await follower.check() }
            #expect(FileManager.default.contents(atPath: path) == first)
            // So is an error status; the message names the URL without its query.
            publisher.state.withLock { $0.status = 500; $0.etag = "\"c\"" }
            do throws(CatalogFollowError) { try await follower.check(); Issue.record("a 500 is an error") } catch {
                #expect(error.message.contains("500") && error.message.contains("/catalog.json") && !error.message.contains("s3cret"))
            }
            #expect(FileManager.default.contents(atPath: path) == first)

            // A new good catalog is written, and the file watcher swaps it in.
            publisher.state.withLock { $0.status = 200; $0.body = second; $0.etag = "\"d\"" }
            guard case .written(let sha) = try await follower.check() else { Issue.record("a new catalog is written"); return }
            #expect(FileManager.default.contents(atPath: path) == second)
            // The modification time may not tick within the same second on every filesystem.
            try await Task.sleep(for: .milliseconds(1_100))
            try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
            #expect(holder.reloadIfChanged(logger: Logger(label: "test")) == .accepted)
            #expect(holder.snapshot.catalogSha256 == sha && sha != firstSha)
            #expect(publisher.state.withLock { $0.authorizations }.allSatisfy { $0 == "Bearer tok-123" })
        }
        // Unreachable: an error, the local catalog untouched.
        let gone = CatalogFollower(url: "http://127.0.0.1:9/catalog.json", path: path, options: RouterOptions(), token: nil,
                                   interval: .seconds(60), logger: Logger(label: "test"))
        await #expect(throws: CatalogFollowError.self) { try await gone.check(timeout: .seconds(5)) }
        #expect(FileManager.default.contents(atPath: path) == second)
    }
}
