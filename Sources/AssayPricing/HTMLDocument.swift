import AssayCore
import CLibXML2

/// An HTML page parsed by libxml2's forgiving HTML parser, queried with XPath.
final class HTMLDocument {
    private let document: htmlDocPtr

    /// Parses `bytes`; the encoding comes from the page's `<meta charset>` or defaults to UTF-8.
    init(bytes: [UInt8], url: String) throws {
        LibXML.silence()
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    htmlReadMemory($0, Int32(buffer.count), url, nil, options)
                }
            } ?? nil
        }
        guard let parsed else { throw AssayError(.suite, "\(url): not an HTML page libxml2 can read (\(bytes.count) bytes)") }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    /// The nodes `expression` selects, relative to `node` (the document when nil).
    func select(_ expression: String, from node: xmlNodePtr? = nil) throws -> [xmlNodePtr] {
        guard let context = xmlXPathNewContext(document) else { return [] }
        defer { xmlXPathFreeContext(context) }
        if let node { context.pointee.node = node }
        context.pointee.error = { _, _ in }   // a bad expression is reported by Assay, not on stderr
        guard let result = xmlXPathEvalExpression(expression, context) else {
            throw AssayError(.config, "invalid XPath expression '\(expression)'")
        }
        defer { xmlXPathFreeObject(result) }
        guard let set = result.pointee.nodesetval, set.pointee.nodeNr > 0, let nodes = set.pointee.nodeTab else { return [] }
        return (0..<Int(set.pointee.nodeNr)).compactMap { nodes[$0] }
    }

    static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
    }

    static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { assay_xml_free(value) }
        return String(cString: value)
    }

    /// Element children named one of `names`.
    static func children(_ node: xmlNodePtr, named names: Set<String>) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, names.contains(name(current)) { result.append(current) }
            child = current.pointee.next
        }
        return result
    }

    /// The text a reader sees in `node`: footnote `<sup>`s, scripts and styles left out, `<br>` a space.
    static func text(_ node: xmlNodePtr) -> String {
        var out = ""
        func walk(_ node: xmlNodePtr) {
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { out += String(cString: content) }
            case XML_ELEMENT_NODE:
                let tag = name(node)
                if tag == "sup" || tag == "script" || tag == "style" { return }
                if tag == "br" { out += " " }
                var child = node.pointee.children
                while let current = child {
                    walk(current)
                    child = current.pointee.next
                }
                if tag == "p" || tag == "div" || tag == "li" { out += " " }
            default:
                break
            }
        }
        walk(node)
        return out
    }
}

enum LibXML {
    /// libxml2 prints parse and XPath errors on stderr unless given a handler; the page is read
    /// in recovery mode and bad expressions are reported by Assay instead.
    private static let quiet: Void = {
        xmlInitParser()
        xmlSetStructuredErrorFunc(nil) { _, _ in }
    }()

    static func silence() { _ = quiet }
}
