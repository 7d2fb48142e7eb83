import AssayCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A stand-in OpenTelemetry collector: a real HTTP server on loopback that takes OTLP/HTTP
/// exports at `POST /v1/traces`, keeps every body and header as sent, and reads the spans of the
/// JSON ones (OTLP's JSON encoding, `protocol: http/json`).
package final class OTLPReceiver: Sendable {
    /// One export request as it arrived.
    package struct Export: Sendable {
        package var body: String
        package var contentType: String?
        /// By lower-cased name.
        package var headers: [String: String]
    }

    /// One span of an export, with its resource's attributes.
    package struct Span: Sendable {
        package var traceID: String
        package var spanID: String
        package var parentSpanID: String
        package var name: String
        /// OTLP's `SpanKind`: 2 server, 3 client.
        package var kind: Int
        package var attributes: [String: JSONValue]
        /// OTLP's status code: 0 unset, 1 ok, 2 error.
        package var statusCode: Int
        package var resource: [String: JSONValue]
    }

    private let store = Mutex<[Export]>([])

    package var exports: [Export] { store.withLock { $0 } }

    package var spans: [Span] { exports.flatMap { Self.spans(in: $0.body) } }

    /// Runs the receiver on a free loopback port for `body`.
    package static func withRunning<T: Sendable>(_ body: @Sendable (OTLPReceiver, Int) async throws -> T) async throws -> T {
        let receiver = OTLPReceiver()
        let router = Router()
        router.post("/v1/traces") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 16 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            receiver.store.withLock {
                $0.append(Export(body: String(buffer: buffer), contentType: request.headers[.contentType], headers: headers))
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: Fixtures.quietLogger)
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: Fixtures.quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { continuation.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await tasks.waitForAll()
                throw AssayError(.io, "the OTLP receiver did not start")
            }
            do {
                let result = try await body(receiver, port)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// Waits (up to `seconds`) until `condition` holds for the spans received so far.
    package func waitFor(seconds: Double = 30, _ condition: ([Span]) -> Bool) async throws -> [Span] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            let spans = self.spans
            if condition(spans) { return spans }
            try await Task.sleep(for: .milliseconds(100))
        }
        return spans
    }

    /// The spans of an OTLP JSON `ExportTraceServiceRequest`.
    static func spans(in body: String) -> [Span] {
        guard let root = JSONValue(parsing: body)?.objectValue else { return [] }
        var result: [Span] = []
        for resourceSpans in root["resourceSpans"]?.arrayValue ?? [] {
            let resource = attributes(resourceSpans.objectValue?["resource"]?.objectValue?["attributes"])
            for scope in resourceSpans.objectValue?["scopeSpans"]?.arrayValue ?? [] {
                for span in scope.objectValue?["spans"]?.arrayValue ?? [] {
                    guard let fields = span.objectValue else { continue }
                    result.append(Span(traceID: hexID(fields["traceId"]), spanID: hexID(fields["spanId"]), parentSpanID: hexID(fields["parentSpanId"]),
                                       name: fields["name"]?.stringValue ?? "", kind: Int(fields["kind"]?.numberValue ?? 0),
                                       attributes: attributes(fields["attributes"]),
                                       statusCode: Int(fields["status"]?.objectValue?["code"]?.numberValue ?? 0), resource: resource))
                }
            }
        }
        return result
    }

    /// OTLP JSON's `[{key, value: {stringValue | intValue | boolValue | doubleValue | arrayValue}}]`
    /// as plain values (an `intValue` arrives as a string: it is read back as a number).
    static func attributes(_ list: JSONValue?) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for entry in list?.arrayValue ?? [] {
            guard let key = entry.objectValue?["key"]?.stringValue, let value = entry.objectValue?["value"] else { continue }
            result[key] = plain(value)
        }
        return result
    }

    static func plain(_ value: JSONValue) -> JSONValue {
        guard let fields = value.objectValue else { return value }
        if let text = fields["stringValue"] { return text }
        if let int = fields["intValue"] { return int.stringValue.flatMap(Double.init).map(JSONValue.number) ?? int }
        if let bool = fields["boolValue"] { return bool }
        if let double = fields["doubleValue"] { return double }
        if let array = fields["arrayValue"]?.objectValue?["values"]?.arrayValue { return .array(array.map(plain)) }
        return value
    }

    /// A trace or span ID as lower-case hex: OTLP JSON says hex, protobuf's JSON mapping gives base64.
    static func hexID(_ value: JSONValue?) -> String {
        guard let text = value?.stringValue, !text.isEmpty else { return "" }
        if (text.count == 32 || text.count == 16), text.allSatisfy(\.isHexDigit) { return text.lowercased() }
        guard let data = Data(base64Encoded: text) else { return text }
        return data.map { String(format: "%02x", $0) }.joined()
    }
}
