/// A strict reader of one JSON object's top-level members, straight from its bytes: the whole
/// document is checked (RFC 8259: strings of valid UTF-8 without raw control characters, escapes
/// and surrogate pairs whole, numbers in JSON's grammar, nesting at most `maxDepth`, nothing after
/// the value), then each member's value is found by key without building Foundation objects.
/// The proxy uses it to relay an upstream's answer with one field rewritten (`replacing`).
///
/// Hand-written: no JSON library in reach reads fields from bytes without decoding the whole
/// document. It accepts nothing Foundation's `JSONDecoder` refuses and reads every member as it
/// decodes (checked by `JSONFieldsTests` and `Fuzz/fuzz-json-fields` through `JSONFieldsCheck`);
/// it is stricter where the decoder is lenient (another encoding, invalid UTF-8 the decoder
/// replaces, a malformed `\u` escape in a key, a top level that is not an object): its callers
/// then take the full decoder's path.
public struct JSONFields: Sendable {
    /// Why the bytes are not one JSON object, and where.
    public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "malformed JSON at byte \(offset): \(reason)" }
    }

    /// One top-level member: its key as written (escapes undone) and its value's bytes.
    public struct Member: Sendable {
        public var key: String
        public var value: Range<Int>
    }

    /// Foundation's `JSONDecoder` refuses nesting deeper than this.
    public static let maxDepth = 512

    public let bytes: [UInt8]
    /// In document order; a key written twice is found at its first place, as `JSONDecoder` keeps it.
    public private(set) var members: [Member] = []

    public init(_ bytes: [UInt8]) throws(Malformed) {
        self.bytes = bytes
        var found: [Member] = []
        let end = try bytes.withUnsafeBufferPointer { buffer throws(Malformed) -> Int in
            let scanner = JSONScanner(buffer)
            let start = scanner.skipSpace(0)
            guard start < buffer.count, buffer[start] == UInt8(ascii: "{") else {
                throw Malformed(offset: start, reason: "the document is not an object")
            }
            return try scanner.object(at: start, depth: 1) { key, value in found.append(Member(key: key, value: value)) }
        }
        let rest = bytes.withUnsafeBufferPointer { JSONScanner($0).skipSpace(end) }
        guard rest == bytes.count else { throw Malformed(offset: rest, reason: "bytes after the object") }
        members = found
    }

    /// The bytes of the value of top-level member `key` (its first occurrence), if present.
    public func range(of key: String) -> Range<Int>? { members.first { $0.key == key }?.value }

    /// The string value of `key`, escapes undone; nil when absent or not a string.
    public func string(_ key: String) -> String? {
        guard let range = range(of: key), bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        return bytes.withUnsafeBufferPointer { JSONScanner($0).decodeString(range) }
    }

    /// The value of `key` as an object of its own (nil when absent or not an object).
    public func object(_ key: String) -> JSONFields? {
        guard let range = range(of: key), bytes[range.lowerBound] == UInt8(ascii: "{") else { return nil }
        return try? JSONFields(Array(bytes[range]))
    }

    /// The value of `key` as an integer, when it is written as one (no fraction or exponent) and fits.
    public func int(_ key: String) -> Int? {
        guard let range = range(of: key) else { return nil }
        return Int(String(decoding: bytes[range], as: UTF8.self))
    }

    /// The document with the value of top-level `key` replaced by the string `value`; nil when the
    /// document has no such member, or has it twice (readers disagree on which one counts). Every
    /// other byte is kept as it was.
    public func replacing(_ key: String, withString value: String) -> [UInt8]? {
        guard let range = range(of: key), members.lazy.filter({ $0.key == key }).count == 1 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + value.utf8.count)
        result.append(contentsOf: bytes[..<range.lowerBound])
        Self.appendString(value, to: &result)
        result.append(contentsOf: bytes[range.upperBound...])
        return result
    }

    /// `value` as a JSON string literal: quotes, backslashes and control characters escaped.
    public static func appendString(_ value: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case ..<0x20: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
