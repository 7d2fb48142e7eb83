/// The byte-level grammar behind `JSONFields`: each function checks one JSON value starting at
/// an offset and returns the offset just past it, or throws where the bytes leave the grammar.
/// RFC 8259, plus the one leniency Foundation's `JSONDecoder` has: a comma before a closing
/// bracket or brace.
struct JSONScanner {
    typealias Malformed = JSONFields.Malformed
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func skipSpace(_ start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index
            }
        }
        return index
    }

    private func fail(_ offset: Int, _ reason: String) -> Malformed { Malformed(offset: offset, reason: reason) }

    func value(at start: Int, depth: Int) throws(Malformed) -> Int {
        guard start < bytes.count else { throw fail(start, "a value was expected, the document ended") }
        switch bytes[start] {
        case UInt8(ascii: "{"): return try object(at: start, depth: depth + 1, onMember: nil)
        case UInt8(ascii: "["): return try array(at: start, depth: depth + 1)
        case UInt8(ascii: "\""): return try string(at: start)
        case UInt8(ascii: "t"): return try literal("true", at: start)
        case UInt8(ascii: "f"): return try literal("false", at: start)
        case UInt8(ascii: "n"): return try literal("null", at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(at: start)
        default: throw fail(start, "a value was expected")
        }
    }

    /// An object whose `{` is at `start`; `onMember` hears each key and value range (top level only).
    func object(at start: Int, depth: Int, onMember: ((String, Range<Int>) -> Void)?) throws(Malformed) -> Int {
        guard depth <= JSONFields.maxDepth else { throw fail(start, "nested deeper than \(JSONFields.maxDepth)") }
        var index = skipSpace(start + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return index + 1 }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail(index, "a key string was expected") }
            let keyEnd = try string(at: index)
            let keyRange = index..<keyEnd
            index = skipSpace(keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail(index, "':' was expected after a key") }
            let valueStart = skipSpace(index + 1)
            let valueEnd = try value(at: valueStart, depth: depth)
            onMember?(decodeString(keyRange), valueStart..<valueEnd)
            index = skipSpace(valueEnd)
            guard index < bytes.count else { throw fail(index, "the object is not closed") }
            if bytes[index] == UInt8(ascii: "}") { return index + 1 }
            guard bytes[index] == UInt8(ascii: ",") else { throw fail(index, "',' or '}' was expected") }
            index = skipSpace(index + 1)
            // Foundation's decoder takes a comma before the closing brace; so does this reader.
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return index + 1 }
        }
    }

    func array(at start: Int, depth: Int) throws(Malformed) -> Int {
        guard depth <= JSONFields.maxDepth else { throw fail(start, "nested deeper than \(JSONFields.maxDepth)") }
        var index = skipSpace(start + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { return index + 1 }
        while true {
            index = skipSpace(try value(at: index, depth: depth))
            guard index < bytes.count else { throw fail(index, "the array is not closed") }
            if bytes[index] == UInt8(ascii: "]") { return index + 1 }
            guard bytes[index] == UInt8(ascii: ",") else { throw fail(index, "',' or ']' was expected") }
            index = skipSpace(index + 1)
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { return index + 1 }
        }
    }

    private func literal(_ word: StaticString, at start: Int) throws(Malformed) -> Int {
        let count = word.utf8CodeUnitCount
        guard start + count <= bytes.count else { throw fail(start, "'\(word)' was expected") }
        for offset in 0..<count where bytes[start + offset] != word.utf8Start[offset] { throw fail(start + offset, "'\(word)' was expected") }
        return start + count
    }

    /// JSON's number grammar; a number a Double cannot hold (overflow, or underflow to zero) is refused, as the decoder refuses it.
    private func number(at start: Int) throws(Malformed) -> Int {
        var index = start
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail(index, "a digit was expected") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        var large = index - integerStart > 15
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail(index, "a digit was expected after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail(index, "a digit was expected in the exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            large = true
        }
        if large {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            // The decoder refuses a number that overflows a Double, or underflows to zero from non-zero digits.
            let mantissa = text.utf8.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
            guard let value = Double(text), value.isFinite, value != 0 || !mantissa.contains(where: { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") }) else {
                throw fail(start, "the number \(text.prefix(40)) does not fit a Double")
            }
        }
        return index
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A string whose `"` is at `start`: valid UTF-8, no raw control characters, every escape
    /// whole and every `\u` surrogate in a pair.
    func string(at start: Int) throws(Malformed) -> Int {
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                return index + 1
            case UInt8(ascii: "\\"):
                index = try escape(at: index)
            case ..<0x20:
                throw fail(index, "a control character inside a string must be escaped")
            case ..<0x80:
                index += 1
            default:
                index = try scalar(at: index)
            }
        }
        throw fail(start, "the string is not closed")
    }

    /// One escape at `start` (its backslash); a high surrogate must be followed by a low one.
    private func escape(at start: Int) throws(Malformed) -> Int {
        guard start + 1 < bytes.count else { throw fail(start, "the escape is cut off") }
        switch bytes[start + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return start + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: start + 2)
            if (0xDC00...0xDFFF).contains(unit) { throw fail(start, "a low surrogate without a high one") }
            guard (0xD800...0xDBFF).contains(unit) else { return start + 6 }
            guard start + 7 < bytes.count, bytes[start + 6] == UInt8(ascii: "\\"), bytes[start + 7] == UInt8(ascii: "u") else {
                throw fail(start, "a high surrogate without a low one")
            }
            let low = try hex4(at: start + 8)
            guard (0xDC00...0xDFFF).contains(low) else { throw fail(start, "a high surrogate without a low one") }
            return start + 12
        default:
            throw fail(start, "an unknown escape")
        }
    }

    private func hex4(at start: Int) throws(Malformed) -> UInt32 {
        guard start + 4 <= bytes.count else { throw fail(start, "a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = hexDigit(bytes[start + offset]) else { throw fail(start + offset, "a \\u escape needs four hex digits") }
            value = value << 4 | digit
        }
        return value
    }

    private func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// One multi-byte UTF-8 scalar at `start` (Unicode's table 3-7: no overlong forms, no
    /// encoded surrogates, nothing past U+10FFFF).
    private func scalar(at start: Int) throws(Malformed) -> Int {
        let lead = bytes[start]
        let (count, low, high): (Int, UInt8, UInt8) = switch lead {
        case 0xC2...0xDF: (2, 0x80, 0xBF)
        case 0xE0: (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
        case 0xED: (3, 0x80, 0x9F)
        case 0xF0: (4, 0x90, 0xBF)
        case 0xF1...0xF3: (4, 0x80, 0xBF)
        case 0xF4: (4, 0x80, 0x8F)
        default: throw fail(start, "invalid UTF-8")
        }
        guard start + count <= bytes.count, (low...high).contains(bytes[start + 1]) else { throw fail(start, "invalid UTF-8") }
        for offset in 2..<max(count, 2) where !(0x80...0xBF).contains(bytes[start + offset]) { throw fail(start, "invalid UTF-8") }
        return start + count
    }

    /// The text of a checked string (quotes included in `range`), escapes undone.
    func decodeString(_ range: Range<Int>) -> String {
        let inner = UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(inner.count)
        var index = 0
        while index < inner.count {
            let byte = inner[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            let kind = inner[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex(inner, index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex(inner, index + 2) - 0xDC00)
                    index += 6
                }
                UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { out.append($0) }
            default: out.append(kind)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func hex(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { value, offset in value << 4 | (hexDigit(text[start + offset]) ?? 0) }
    }
}
