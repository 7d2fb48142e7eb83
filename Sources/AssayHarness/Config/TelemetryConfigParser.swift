import AssaySuites

/// Reads the `telemetry:` section of `assay.yaml`, every problem a diagnostic with its line and key path.
enum TelemetryConfigParser {
    static let keys = ["endpoint", "protocol", "service_name", "sample_ratio", "headers_env", "headers"]
    static let protocols = ["http/protobuf", "http/json"]

    static func read(_ value: YAMLValue) -> TelemetryConfig? {
        guard let map = value.mapping(allowed: keys) else { return nil }
        if let headers = map["headers"] {
            headers.error("header values (such as an Authorization token) do not belong in the config file: put each in an environment variable and name it under headers_env, e.g. headers_env: {Authorization: ASSAY_OTEL_AUTH}")
        }
        guard let endpointValue = map.required("endpoint", hint: "the collector's OTLP/HTTP base URL, such as http://127.0.0.1:4318"),
              let endpoint = endpointValue.string() else { return nil }
        guard (endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) && endpoint.count > 8 && !endpoint.contains(" ") else {
            endpointValue.error("'\(endpoint.prefix(80))' is not an http(s) URL; name the collector's OTLP/HTTP endpoint, such as http://127.0.0.1:4318")
            return nil
        }
        var telemetry = TelemetryConfig(endpoint: endpoint)
        if let value = map["protocol"], let name = value.string() {
            if protocols.contains(name) { telemetry.wireProtocol = name } else {
                value.error("expected \(protocols.joined(separator: " or ")), found '\(name.prefix(40))' (gRPC is not built into assay; collectors take OTLP/HTTP on port 4318)")
            }
        }
        if let value = map["service_name"], let name = value.string() {
            if !name.isEmpty && name.utf8.count <= 256 { telemetry.serviceName = name } else { value.error("must be 1 to 256 bytes") }
        }
        if let value = map["sample_ratio"], let ratio = value.double() {
            if (0...1).contains(ratio) { telemetry.sampleRatio = ratio } else { value.error("must be between 0 (keep no traces) and 1 (keep every one)") }
        }
        if let value = map["headers_env"] {
            guard case .mapping(let headers) = value.node else {
                value.error("expected a mapping of header name to the environment variable that holds its value")
                return telemetry
            }
            for (nameNode, variableNode) in headers {
                let name = nameNode.string ?? ""
                let variable = YAMLValue(node: variableNode, path: "\(value.path).\(name)", sink: value.sink)
                guard let envName = variable.string() else { continue }
                guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }) else {
                    variable.error("'\(name.prefix(40))' is not an HTTP header name")
                    continue
                }
                guard !envName.isEmpty, envName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    variable.error("expected the name of an environment variable that holds the header's value, such as ASSAY_OTEL_AUTH")
                    continue
                }
                telemetry.headersEnv[name] = envName
            }
        }
        return telemetry
    }
}
