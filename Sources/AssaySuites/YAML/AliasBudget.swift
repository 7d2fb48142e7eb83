import CYaml

/// Counts what aliases would expand a YAML document to, from libyaml's events, before Yams
/// builds any node: a "billion laughs" file (aliases of aliases of lists) is refused here,
/// in time and memory linear in the file, instead of being expanded while it is read.
///
/// Yams shares an alias's node rather than copying it, but every later walk (conversion,
/// hashing a mapping key to find duplicates) visits the expansion, so the expansion is what
/// is bounded.
enum AliasBudget {
    /// The most nodes aliases may add to one document (each alias counts the whole node it
    /// stands for, nested aliases included). Files without aliases are bounded by their size.
    static let maxAddedNodes = 100_000

    struct Refusal: Error {
        var line: Int
        var column: Int
        var added: Int
    }

    /// Nil when the document stays within the budget, or cannot be parsed (Yams reports that).
    static func check(_ text: String, limit: Int = maxAddedNodes) -> Refusal? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var counter = Counter(limit: limit)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                let refusal = counter.take(event)
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                if let refusal { return refusal }
                if done { break }
            }
            return nil
        }
    }

    /// The expanded size of every node still open, and of every anchor seen.
    private struct Counter {
        let limit: Int
        var anchors: [String: Int] = [:]
        var open: [(anchor: String?, size: Int)] = []
        var added = 0
        /// Sizes are capped well below overflow; anything near it is refused long before.
        static let cap = 1 << 40

        init(limit: Int) { self.limit = limit }

        mutating func take(_ event: yaml_event_t) -> Refusal? {
            switch event.type {
            case YAML_SCALAR_EVENT:
                close(size: 1, anchor: name(event.data.scalar.anchor))
            case YAML_SEQUENCE_START_EVENT:
                open.append((name(event.data.sequence_start.anchor), 1))
            case YAML_MAPPING_START_EVENT:
                open.append((name(event.data.mapping_start.anchor), 1))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                if let node = open.popLast() { close(size: node.size, anchor: node.anchor) }
            case YAML_ALIAS_EVENT:
                let size = name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
                added = min(Self.cap, added + size - 1)
                if added > limit {
                    return Refusal(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1, added: added)
                }
                close(size: size, anchor: nil)
            default:
                break
            }
            return nil
        }

        private mutating func close(size: Int, anchor: String?) {
            if let anchor { anchors[anchor] = size }
            if !open.isEmpty { open[open.count - 1].size = min(Self.cap, open[open.count - 1].size + size) }
        }

        private func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
    }
}
