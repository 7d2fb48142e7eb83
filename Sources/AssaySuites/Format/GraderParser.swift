import AssayCore

/// Reads a suite's `grader:` mapping.
enum GraderParser {
    static func parse(_ value: YAMLValue) -> GraderSpec? {
        guard let map = value.mapping(allowed: ["type", "tolerance", "case_sensitive", "case_insensitive", "schema"]
                                      + sandboxKeys + judgeKeys) else {
            return nil
        }
        guard let typeValue = map.required("type", hint: "one of \(GraderSpec.typeNames.joined(separator: ", "))"),
              let type = typeValue.string() else { return nil }
        let allowedKeys: [String: [String]] = [
            "exact": ["type", "case_sensitive"], "choice": ["type"], "numeric": ["type", "tolerance"],
            "regex": ["type", "case_insensitive"], "contains": ["type"], "json": ["type", "schema"],
            "python-tests": ["type"] + sandboxKeys, "judge": ["type"] + judgeKeys,
        ]
        guard let allowed = allowedKeys[type] else {
            let known = GraderSpec.typeNames.joined(separator: ", ")
            let suggestion = closest(to: type, in: GraderSpec.typeNames).map { " (did you mean '\($0)'?)" } ?? ""
            typeValue.error("unknown grader '\(type)'\(suggestion); known graders: \(known)")
            return nil
        }
        for key in map.keys where !allowed.contains(key) {
            map[key]?.error("'\(key)' does not apply to the \(type) grader; it takes: \(allowed.joined(separator: ", "))")
        }
        switch type {
        case "exact":
            return .exact(caseSensitive: map["case_sensitive"]?.bool() ?? false)
        case "choice":
            return .choice
        case "numeric":
            guard let tolerance = map["tolerance"].map({ $0.double() }) ?? 0.000_001 else { return nil }
            if tolerance < 0 { map["tolerance"]?.error("must not be negative") }
            return .numeric(tolerance: tolerance)
        case "regex":
            return .regex(caseInsensitive: map["case_insensitive"]?.bool() ?? true)
        case "contains":
            return .contains
        case "json":
            guard let schemaValue = map["schema"] else { return .json(schema: JSONSchemaSubset()) }
            return parseSchema(schemaValue).map { .json(schema: $0) }
        case "python-tests":
            return parseLimits(map).map { .pythonTests(limits: $0) }
        case "judge":
            return parseRubric(map).map { .judge($0) }
        default:
            return nil
        }
    }

    static let sandboxKeys = ["timeout_seconds", "cpu_seconds", "memory_mb", "file_mb", "test_seconds", "disk_mb"]
    static let judgeKeys = ["rubric", "scale", "pass_score"]

    static func parseLimits(_ map: YAMLMapping) -> SandboxLimits? {
        var limits = SandboxLimits()
        if let value = map["timeout_seconds"] { guard let v = value.double() else { return nil }; limits.timeoutSeconds = v }
        if let value = map["test_seconds"] { guard let v = value.double() else { return nil }; limits.testSeconds = v }
        if let value = map["cpu_seconds"] { guard let v = value.int(in: 1...600) else { return nil }; limits.cpuSeconds = v }
        if let value = map["memory_mb"] { guard let v = value.int(in: 64...65_536) else { return nil }; limits.memoryMB = v }
        if let value = map["file_mb"] { guard let v = value.int(in: 1...4096) else { return nil }; limits.fileMB = v }
        if let value = map["disk_mb"] { guard let v = value.int(in: 1...4096) else { return nil }; limits.diskMB = v }
        if !(0.1...600).contains(limits.timeoutSeconds) { map["timeout_seconds"]?.error("must be between 0.1 and 600 seconds") }
        if !(0.1...600).contains(limits.testSeconds) { map["test_seconds"]?.error("must be between 0.1 and 600 seconds") }
        return limits
    }

    static func parseRubric(_ map: YAMLMapping) -> JudgeRubric? {
        guard let rubric = map.required("rubric", hint: "what the judge scores the response against")?.string() else { return nil }
        let scale = map["scale"].map { $0.int(in: 1...100) } ?? 10
        guard let scale else { return nil }
        let passScore = map["pass_score"].map { $0.int(in: 0...scale) } ?? JudgeRubric(rubric: rubric, scale: scale).passScore
        guard let passScore else { return nil }
        return JudgeRubric(rubric: rubric, scale: scale, passScore: passScore)
    }

    static func parseSchema(_ value: YAMLValue) -> JSONSchemaSubset? {
        guard let map = value.mapping(allowed: ["required", "properties", "additional_properties"]) else { return nil }
        let required = map["required"]?.stringList() ?? []
        var properties: [String: String] = [:]
        if let propertiesValue = map["properties"], case .mapping(let mapping) = propertiesValue.node {
            for (keyNode, typeNode) in mapping {
                guard let key = keyNode.string else { continue }
                let typeValue = YAMLValue(node: typeNode, path: "\(propertiesValue.path).\(key)", sink: value.sink)
                guard let type = typeValue.string() else { continue }
                if !JSONSchemaSubset.typeNames.contains(type) {
                    typeValue.error("unknown type '\(type)'; use one of \(JSONSchemaSubset.typeNames.joined(separator: ", "))")
                }
                properties[key] = type
            }
        } else if let propertiesValue = map["properties"] {
            propertiesValue.error("expected a mapping of property name to type")
        }
        for key in required where !properties.isEmpty && properties[key] == nil {
            map["required"]?.error("required key '\(key)' has no type in 'properties'")
        }
        let additional = map["additional_properties"]?.bool() ?? true
        return JSONSchemaSubset(required: required, properties: properties, additionalProperties: additional)
    }
}
