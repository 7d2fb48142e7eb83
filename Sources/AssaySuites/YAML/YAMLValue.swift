import AssayCore
import Foundation
import Yams

/// A YAML node with its key path, read through typed accessors that record a diagnostic (with
/// line and column) instead of throwing, so a reader can go on and find every problem.
package struct YAMLValue {
    package let node: Node
    package let path: String
    package let sink: DiagnosticSink

    package init(node: Node, path: String, sink: DiagnosticSink) {
        self.node = node
        self.path = path
        self.sink = sink
    }

    package var line: Int? { node.mark?.line }
    package var column: Int? { node.mark?.column }

    /// Parses a document; a syntax error becomes a diagnostic and the result is nil.
    /// Aliases that would expand the document past `AliasBudget.maxAddedNodes` are refused
    /// before any node is built, with the line of the alias that crossed the bound.
    package static func parse(_ text: String, sink: DiagnosticSink) -> YAMLValue? {
        if let refusal = AliasBudget.check(text) {
            sink.error(line: refusal.line, column: refusal.column, "",
                       "aliases expand this document past \(AliasBudget.maxAddedNodes) extra nodes (an alias of aliases, as in a "
                       + "'billion laughs' file); it was refused before expanding. Write the repeated content out, or use fewer "
                       + "nested aliases")
            return nil
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                sink.error(line: 1, "", "the file is empty")
                return nil
            }
            return YAMLValue(node: node, path: "", sink: sink)
        } catch let error as YamlError {
            sink.error(line: YAMLValue.line(of: error), "", "not valid YAML: \(YAMLValue.problem(of: error))")
            return nil
        } catch {
            sink.error(line: nil, "", "not valid YAML: \(error)")
            return nil
        }
    }

    package func error(_ message: String) { sink.error(line: line, column: column, path, message) }
    package func warning(_ message: String) { sink.warning(line: line, column: column, path, message) }

    private var kindName: String {
        switch node {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private var isQuoted: Bool {
        if case .scalar(let scalar) = node { return scalar.style == .singleQuoted || scalar.style == .doubleQuoted }
        return false
    }

    private var isNull: Bool {
        if case .scalar = node, !isQuoted, node.tag.rawValue == Tag.Name.null.rawValue { return true }
        return false
    }

    package var scalarText: String? {
        if case .scalar(let scalar) = node { return scalar.string }
        return nil
    }

    /// A non-empty string; numbers and booleans written unquoted are accepted as their text.
    package func string(allowEmpty: Bool = false) -> String? {
        guard let text = scalarText, !isNull else {
            error("expected a string, found \(isNull ? "null" : kindName)")
            return nil
        }
        if !allowEmpty && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error("must not be empty")
            return nil
        }
        return text
    }

    package func int(in range: ClosedRange<Int>? = nil) -> Int? {
        guard let text = scalarText, !isQuoted, let value = Int(text) else {
            error("expected an integer, found \(describeFound)")
            return nil
        }
        if let range, !range.contains(value) {
            error("must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
            return nil
        }
        return value
    }

    package func double() -> Double? {
        guard let text = scalarText, !isQuoted, let value = Double(text) else {
            error("expected a number, found \(describeFound)")
            return nil
        }
        return value
    }

    /// The exact decimal text of a number (for money), e.g. `0.075`.
    package func decimalText() -> String? {
        guard let text = scalarText, Money.parseDecimal(text, scale: 9) != nil else {
            error("expected a decimal number such as 0.15, found \(describeFound)")
            return nil
        }
        return text
    }

    package func bool() -> Bool? {
        guard let text = scalarText, !isQuoted else {
            error("expected true or false, found \(describeFound)")
            return nil
        }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error("expected true or false, found '\(text)'")
            return nil
        }
    }

    package func sequence() -> [YAMLValue]? {
        guard case .sequence(let sequence) = node else {
            error("expected a list, found \(describeFound)")
            return nil
        }
        return sequence.enumerated().map { index, child in
            YAMLValue(node: child, path: "\(path)[\(index)]", sink: sink)
        }
    }

    package func stringList() -> [String]? {
        guard let values = sequence() else { return nil }
        let strings = values.compactMap { $0.string() }
        return strings.count == values.count ? strings : nil
    }

    /// A mapping whose keys must come from `allowed`; unknown keys are reported with the
    /// closest allowed key as a suggestion.
    package func mapping(allowed: [String]) -> YAMLMapping? {
        guard case .mapping(let mapping) = node else {
            error("expected a mapping, found \(describeFound)")
            return nil
        }
        var entries: [(String, YAMLValue)] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { continue }
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if !allowed.contains(key) {
                let keyValue = YAMLValue(node: keyNode, path: childPath, sink: sink)
                let suggestion = closest(to: key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                keyValue.error("unknown key '\(key)'\(suggestion); allowed keys: \(allowed.joined(separator: ", "))")
                continue
            }
            entries.append((key, YAMLValue(node: valueNode, path: childPath, sink: sink)))
        }
        return YAMLMapping(owner: self, entries: entries)
    }

    /// Converts the node to a JSON value (answers, expected objects).
    package func json() -> JSONValue {
        switch node {
        case .scalar:
            if isNull { return .null }
            let text = scalarText ?? ""
            if isQuoted { return .string(text) }
            if node.tag.rawValue == Tag.Name.bool.rawValue, let value = bool() { return .bool(value) }
            if node.tag.rawValue == Tag.Name.int.rawValue || node.tag.rawValue == Tag.Name.float.rawValue, let value = Double(text) { return .number(value) }
            return .string(text)
        case .sequence:
            return .array((sequence() ?? []).map { $0.json() })
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.string else { continue }
                object[key] = YAMLValue(node: valueNode, path: "\(path).\(key)", sink: sink).json()
            }
            return .object(object)
        case .alias:
            return .null
        }
    }

    private var describeFound: String {
        if isNull { return "null" }
        if let text = scalarText { return "'\(text.count > 40 ? String(text.prefix(40)) + "…" : text)'" }
        return kindName
    }
}

/// The entries of a YAML mapping, looked up by key.
package struct YAMLMapping {
    package let owner: YAMLValue
    package let entries: [(String, YAMLValue)]

    package subscript(key: String) -> YAMLValue? { entries.first { $0.0 == key }?.1 }

    /// The value for `key`, or a diagnostic on the mapping when it is missing.
    package func required(_ key: String, hint: String? = nil) -> YAMLValue? {
        if let value = self[key] { return value }
        let at = owner.path.isEmpty ? key : "\(owner.path).\(key)"
        owner.sink.error(line: owner.line, column: owner.column, at,
                         "missing required key '\(key)'" + (hint.map { "; \($0)" } ?? ""))
        return nil
    }

    package var keys: [String] { entries.map(\.0) }
}

/// The allowed word nearest to `word` by edit distance, if it is plausibly a typo.
func closest(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
    return best.0
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

extension YAMLValue {
    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            return [context.map { "\($0.text)" }, problem].compactMap { $0 }.joined(separator: ", ")
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicated keys: \(duplicates.joined(separator: ", "))"
        default:
            return "\(error)"
        }
    }
}
