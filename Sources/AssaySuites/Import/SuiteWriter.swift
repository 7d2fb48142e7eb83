import Foundation
import Yams

/// Writes a suite as YAML in Assay's format, with multi-line text as literal blocks so imported
/// code stays readable and diffable.
package enum SuiteWriter {
    package struct Header {
        package var suite: String
        package var task: String
        package var description: String
        package var grader: [(String, String)]
        package var system: String?

        package init(suite: String, task: String, description: String, grader: [(String, String)], system: String?) {
            (self.suite, self.task, self.description, self.grader, self.system) = (suite, task, description, grader, system)
        }
    }

    /// The YAML text; items are ordered key/value pairs (values are strings or integers).
    package static func yaml(header: Header, items: [[(String, Any)]], comment: String) throws -> String {
        func scalar(_ value: Any) -> Node {
            if let int = value as? Int { return Node(String(int)) }
            let text = "\(value)"
            if text.contains("\n") { return Node(text, Tag(.str), .literal) }
            // Text that would read back as another type when plain (`null`, `yes`, `1e3`, `~`) is quoted.
            return Node(text, Tag(.str), Resolver.default.resolveTag(of: Node(text)) == .str ? .any : .doubleQuoted)
        }
        var top: [(Node, Node)] = [
            (Node("suite"), Node(header.suite)), (Node("task"), Node(header.task)), (Node("version"), Node("1")),
            (Node("description"), scalar(header.description)),
            (Node("grader"), Node.mapping(.init(header.grader.map { (Node($0.0), Node($0.1)) }, .implicit, .flow))),
        ]
        if let system = header.system { top.append((Node("system"), scalar(system))) }
        let itemNodes = items.map { pairs in Node.mapping(.init(pairs.map { (Node($0.0), scalar($0.1)) })) }
        top.append((Node("items"), Node.sequence(.init(itemNodes))))
        let body = try Yams.serialize(node: Node.mapping(.init(top)), width: -1, allowUnicode: true)
        return comment.split(separator: "\n").map { "# \($0)" }.joined(separator: "\n") + "\n" + body
    }
}
