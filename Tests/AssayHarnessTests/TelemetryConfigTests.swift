import AssayCore
import AssayHarness
import AssaySuites
import Testing

/// The `telemetry:` section: read as written, every bad value reported with its line and key
/// path, and a header value written into the file refused (it belongs in the environment).
@Suite("Telemetry config")
struct TelemetryConfigTests {
    static let head = """
        providers:
          sim: {type: openai, base_url: "http://127.0.0.1:8089/v1"}
        models:
          - sim/a
        """

    @Test("endpoint, protocol, service name, sample ratio and header variables are read; no section means no telemetry")
    func valid() throws {
        let config = try ConfigLoader.parse(Self.head + """

            telemetry:
              endpoint: http://collector.internal:4318
              protocol: http/json
              service_name: assay-eu
              sample_ratio: 0.25
              headers_env: {Authorization: ASSAY_OTEL_AUTH, x-tenant: ASSAY_OTEL_TENANT}
            """, file: "assay.yaml")
        let telemetry = try #require(config.telemetry)
        #expect(telemetry.endpoint == "http://collector.internal:4318" && telemetry.wireProtocol == "http/json")
        #expect(telemetry.serviceName == "assay-eu" && telemetry.sampleRatio == 0.25)
        #expect(telemetry.headersEnv == ["Authorization": "ASSAY_OTEL_AUTH", "x-tenant": "ASSAY_OTEL_TENANT"])
        let minimal = try #require(try ConfigLoader.parse(Self.head + "\ntelemetry: {endpoint: 'https://otel.example.com'}\n", file: "assay.yaml").telemetry)
        #expect(minimal.wireProtocol == "http/protobuf" && minimal.serviceName == "assay" && minimal.sampleRatio == 1 && minimal.headersEnv.isEmpty)
        #expect(try ConfigLoader.parse(Self.head, file: "assay.yaml").telemetry == nil)
    }

    @Test("a literal header, gRPC, a ratio past 1, a non-URL endpoint and a bad variable name each name their line")
    func invalid() throws {
        let text = Self.head + """

            telemetry:
              endpoint: collector:4317
              protocol: grpc
              sample_ratio: 1.5
              headers: {Authorization: "Bearer sk-live-123"}
              headers_env: {Authorization: "not a name"}
              exporter: zipkin
            """
        do {
            _ = try ConfigLoader.parse(text, file: "assay.yaml")
            Issue.record("expected errors")
        } catch let error as DiagnosticsError {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.hasPrefix("assay.yaml:6:") && $0.contains("telemetry.endpoint: 'collector:4317' is not an http(s) URL") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assay.yaml:9:") && $0.contains("telemetry.headers: header values") && $0.contains("headers_env") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assay.yaml:11:") && $0.contains("unknown key 'exporter'") }, "\(lines)")
            // The secret itself is never echoed back.
            #expect(!lines.contains { $0.contains("sk-live-123") }, "\(lines)")
        }
        do {
            _ = try ConfigLoader.parse(Self.head + """

                telemetry:
                  endpoint: http://127.0.0.1:4318
                  protocol: grpc
                  sample_ratio: 1.5
                  headers_env: {Authorization: "not a name"}
                """, file: "assay.yaml")
            Issue.record("expected errors")
        } catch let error as DiagnosticsError {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.hasPrefix("assay.yaml:7:") && $0.contains("telemetry.protocol: expected http/protobuf or http/json, found 'grpc'") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assay.yaml:8:") && $0.contains("telemetry.sample_ratio: must be between 0") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assay.yaml:9:") && $0.contains("telemetry.headers_env.Authorization: expected the name of an environment variable") }, "\(lines)")
        }
        #expect(throws: DiagnosticsError.self) {
            try ConfigLoader.parse(Self.head + "\ntelemetry: {protocol: http/json}\n", file: "assay.yaml")
        }
    }
}
