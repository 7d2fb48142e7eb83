import AssayCore
@testable import AssayServer
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing

/// A web page cannot drive the proxy: not by a cross-site form or text/plain POST (CSRF), not
/// by pointing its own name at 127.0.0.1 (DNS rebinding), not by a preflight. Each refusal is in
/// the shape of the API the path belongs to, and nothing reaches the upstream.
@Suite struct BrowserGuardTests {
    static let body = Wire.chat()

    @Test("a cross-site simple POST (form or text/plain body, no preflight) is refused with 415", arguments: [
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", nil,
    ])
    func simplePost(type: String?) async throws {
        let fixture = try ServerFixture()
        var fields: HTTPFields = [:]
        if let type { fields[.contentType] = type }
        let headers = fields
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Self.body) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(Wire.error(response.body, "code") == "unsupported_media_type")
            }
        }
        #expect(fixture.upstream.calls == 0)
    }

    @Test("a request from a page of another origin is refused with 403, even with a JSON body", arguments: [
        ("origin", "https://evil.example"), ("origin", "null"), ("sec-fetch-site", "cross-site"), ("sec-fetch-site", "same-site"),
    ])
    func crossOrigin(header: String, value: String) async throws {
        let fixture = try ServerFixture()
        var fields = Wire.json
        fields[HTTPField.Name(header)!] = value
        let headers = fields
        try await fixture.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Self.body) { response in
                #expect(response.status == .forbidden)
                #expect(Wire.error(response.body, "code") == "origin_not_allowed")
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: Wire.messages()) { response in
                #expect(response.status == .forbidden)
                #expect(Wire.error(response.body, "type") == "permission_error", "Anthropic's error shape under /v1/messages")
            }
        }
        #expect(fixture.upstream.calls == 0)
    }

    /// A raw request with `Host: host` (test clients always send `localhost`).
    static func raw(_ method: String, _ path: String, host: String, port: Int) async throws -> String {
        let connection = try RawConnection(port: port)
        let body = method == "POST" ? "{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"What is 3 plus 5?\"}]}" : ""
        connection.send("\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        return await connection.read(for: 15).text
    }

    @Test("a Host that is not the server's own (DNS rebinding) is refused with 421, metrics and models included", arguments: [
        "evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.",
    ])
    func rebinding(host: String) async throws {
        let fixture = try ServerFixture()
        try await fixture.test(.live) { client in
            let port = try #require(client.port)
            for (method, path) in [("POST", "/v1/chat/completions"), ("GET", "/v1/models"), ("GET", "/metrics")] {
                let text = try await Self.raw(method, path, host: host, port: port)
                #expect(text.hasPrefix("HTTP/1.1 421"), "\(path): \(text.prefix(80))")
                #expect(text.contains("host_not_allowed"))
            }
            for host in ["127.0.0.1:\(port)", "LOCALHOST", "[::1]:8787"] {
                let text = try await Self.raw("POST", "/v1/chat/completions", host: host, port: port)
                #expect(text.hasPrefix("HTTP/1.1 200"), "\(host): \(text.prefix(80))")
            }
        }
        #expect(fixture.upstream.calls == 3)
    }

    @Test("the host part of an authority is read as browsers and clients send it")
    func hostNames() {
        #expect(BrowserGuard.hostName("Example.com:8080") == "example.com")
        #expect(BrowserGuard.hostName("[::1]:8787") == "::1")
        #expect(BrowserGuard.hostName("[::1") == nil)
        #expect(BrowserGuard.hostName(":80") == nil)
        #expect(BrowserGuard.hostName("127.0.0.1") == "127.0.0.1")
    }

    @Test("an allowed origin gets CORS headers and its preflight a 204; a look-alike origin does not")
    func allowed() async throws {
        var fixture = try ServerFixture()
        fixture.settings.browserGuard = BrowserGuard(allowedOrigins: ["https://app.example.com"])
        try await fixture.test { client in
            var page = Wire.json
            page[.origin] = "https://app.example.com"
            try await client.execute(uri: "/v1/chat/completions", method: .options, headers: page) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
                #expect(response.headers[.accessControlAllowHeaders]?.contains("authorization") == true)
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: page, body: Self.body) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
            }
            page[.origin] = "https://app.example.com.evil.example"
            try await client.execute(uri: "/v1/chat/completions", method: .options, headers: page) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(fixture.upstream.calls == 1)
    }
}
