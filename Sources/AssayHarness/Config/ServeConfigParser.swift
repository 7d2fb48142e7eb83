import AssayCore
import AssaySuites

/// Reads the `serve:` section of `assay.yaml` (docs/config.md, docs/server.md), every problem a
/// diagnostic with its line and key path.
enum ServeConfigParser {
    static let keys = ["keys_file", "rpm", "baseline", "sessions", "deadline_seconds", "attempt_timeout_seconds", "passthrough",
                       "max_tokens", "allowed_hosts", "allowed_origins", "max_connections", "max_in_flight", "idle_timeout_seconds",
                       "body_timeout_seconds", "traffic", "aliases", "unknown_prompts", "catalog_url", "catalog_poll_seconds",
                       "catalog_token_env", "cascade"]
    static let trafficKeys = ["enabled", "database", "max_age_days", "max_rows", "queue", "capture_sample_rate", "capture_max_bytes"]

    static func read(_ value: YAMLValue, into serve: inout AssayConfig.Serve) {
        guard let map = value.mapping(allowed: keys) else { return }
        if let path = map["keys_file"]?.string() { serve.keysFile = path }
        if let rpm = map["rpm"]?.int(in: 0...10_000_000) { serve.rpm = rpm }
        if let sessions = map["sessions"]?.int(in: 1...10_000_000) { serve.sessions = sessions }
        if let maxTokens = map["max_tokens"]?.int(in: 1...100_000_000) { serve.maxTokens = maxTokens }
        if let connections = map["max_connections"]?.int(in: 1...1_000_000) { serve.maxConnections = connections }
        if let inFlight = map["max_in_flight"]?.int(in: 1...1_000_000) { serve.maxInFlight = inFlight }
        let durations: [(String, WritableKeyPath<AssayConfig.Serve, Double>)] = [
            ("deadline_seconds", \.deadlineSeconds), ("attempt_timeout_seconds", \.attemptTimeoutSeconds),
            ("idle_timeout_seconds", \.idleTimeoutSeconds), ("body_timeout_seconds", \.bodyTimeoutSeconds),
        ]
        for (key, path) in durations {
            guard let value = map[key], let seconds = value.double() else { continue }
            if seconds <= 0 || seconds > 86_400 { value.error("must be more than 0 and at most 86400 seconds") }
            serve[keyPath: path] = seconds
        }
        if let value = map["baseline"], let text = value.string() {
            if let ref = ModelRef(text) { serve.baseline = ref } else { value.error("expected provider/model, found '\(text)'") }
        }
        if let value = map["passthrough"], let patterns = value.stringList() {
            for pattern in patterns where ModelRef(pattern.hasSuffix("*") ? pattern.dropLast() + "x" : pattern) == nil {
                value.error("'\(pattern)' is not provider/model or a provider/prefix* pattern")
            }
            serve.passthrough = patterns
        }
        if let list = map["aliases"]?.sequence() {
            serve.aliases = list.compactMap { readAlias($0) }
        }
        if let value = map["unknown_prompts"] { readUnknownPrompts(value, into: &serve.unknownPrompts) }
        if let traffic = map["traffic"]?.mapping(allowed: trafficKeys) {
            if let enabled = traffic["enabled"]?.bool() { serve.traffic.enabled = enabled }
            if let path = traffic["database"]?.string() { serve.traffic.database = path }
            if let days = traffic["max_age_days"]?.int(in: 1...36_500) { serve.traffic.maxAgeDays = days }
            if let rows = traffic["max_rows"]?.int(in: 1_000...1_000_000_000) { serve.traffic.maxRows = rows }
            if let queue = traffic["queue"]?.int(in: 100...10_000_000) { serve.traffic.queue = queue }
            if let value = traffic["capture_sample_rate"], let rate = value.double() {
                if (0...1).contains(rate) { serve.traffic.captureSampleRate = rate } else { value.error("must be between 0 (store no prompts) and 1 (store every one)") }
            }
            if let bytes = traffic["capture_max_bytes"]?.int(in: 64...10_000_000) { serve.traffic.captureMaxBytes = bytes }
        }
        if let value = map["catalog_url"], let text = value.string() {
            if text.hasPrefix("http://") || text.hasPrefix("https://"), text.count > 8 { serve.catalogURL = text } else {
                value.error("'\(text.prefix(60))' is not an http(s) URL; name where the measuring machine publishes catalog.json")
            }
        }
        if let value = map["catalog_poll_seconds"], let seconds = value.double() {
            if (1...86_400).contains(seconds) { serve.catalogPollSeconds = seconds } else { value.error("must be between 1 and 86400 seconds") }
        }
        if let value = map["catalog_token_env"], let name = value.string() {
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { serve.catalogTokenEnv = name } else {
                value.error("expected the name of an environment variable that holds the token, such as ASSAY_CATALOG_TOKEN")
            }
        }
        if let value = map["cascade"] { readCascade(value, into: &serve) }
        if let hosts = map["allowed_hosts"]?.stringList() { serve.allowedHosts = hosts }
        if let value = map["allowed_origins"], let origins = value.stringList() {
            for origin in origins where !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) || origin.hasSuffix("/") {
                value.error("'\(origin)' is not an origin: scheme, host and port only, such as https://app.example.com")
            }
            serve.allowedOrigins = origins
        }
    }

    /// One `serve.aliases` rule: `{match: "claude-sonnet-*", route: "auto:coding"}`.
    static func readAlias(_ value: YAMLValue) -> AssayConfig.Serve.Alias? {
        guard let rule = value.mapping(allowed: ["match", "route"]),
              let match = rule.required("match", hint: "a model name or pattern such as claude-sonnet-*"),
              let route = rule.required("route", hint: "auto, auto:<task> or provider/model"),
              let pattern = match.string(), let target = route.string() else { return nil }
        guard !pattern.isEmpty, pattern.utf8.count <= 256 else {
            match.error("must be 1 to 256 bytes: a model name, where * matches any run of characters and ? one")
            return nil
        }
        guard target == "auto" || (target.hasPrefix("auto:") && target.count > 5) || ModelRef(target) != nil else {
            route.error("expected auto, auto:<task> or provider/model, found '\(target)'")
            return nil
        }
        return AssayConfig.Serve.Alias(match: pattern, route: target)
    }

    /// `serve.cascade: {plan: path, default: true | false}`: `default` needs `plan`.
    static func readCascade(_ value: YAMLValue, into serve: inout AssayConfig.Serve) {
        guard let map = value.mapping(allowed: ["plan", "default"]) else { return }
        if let path = map["plan"]?.string() { serve.cascadePlan = path }
        if let flag = map["default"]?.bool() { serve.cascadeDefault = flag }
        if serve.cascadeDefault && serve.cascadePlan == nil {
            value.error("default: true needs 'plan: <file>' (write it with 'assay cascade plan --json > cascade-plan.json')")
        }
    }

    /// `serve.unknown_prompts: {policy: mix | default_entry | robust, entry: provider/model@effort,
    /// confidence_below: 0…1, similarity_below: 0…1}`; `default_entry` needs `entry`.
    static func readUnknownPrompts(_ value: YAMLValue, into unknown: inout AssayConfig.Serve.UnknownPrompts) {
        guard let map = value.mapping(allowed: ["policy", "entry", "confidence_below", "similarity_below"]) else { return }
        if let policy = map["policy"], let name = policy.string() {
            if ["mix", "default_entry", "robust"].contains(name) { unknown.policy = name } else {
                policy.error("expected mix, default_entry or robust, found '\(name)'")
            }
        }
        if let entry = map["entry"], let name = entry.string() {
            if let at = name.lastIndex(of: "@"), ModelRef(String(name[..<at])) != nil, !name[name.index(after: at)...].isEmpty {
                unknown.entry = name
            } else {
                entry.error("expected provider/model@effort, found '\(name)'")
            }
        }
        for (key, path) in [("confidence_below", \AssayConfig.Serve.UnknownPrompts.confidenceBelow),
                            ("similarity_below", \AssayConfig.Serve.UnknownPrompts.similarityBelow)] {
            guard let number = map[key], let threshold = number.double() else { continue }
            if (0...1).contains(threshold) { unknown[keyPath: path] = threshold } else { number.error("must be between 0 and 1") }
        }
        if unknown.policy == "default_entry" && unknown.entry == nil {
            value.error("policy default_entry needs 'entry: provider/model@effort' (the catalog entry unknown prompts go to)")
        }
    }
}
