import AssayCore
import Foundation

/// The differential check of `JSONFields` against the full decoder the handlers use
/// (Foundation's `JSONDecoder`, here into `JSONValue`), shared by the unit tests and the fuzz
/// target (`Fuzz/fuzz-json-fields`), which is why it is public.
public enum JSONFieldsCheck {
    /// Nil when `JSONFields` is no more lenient than `JSONDecoder` on `bytes` and reads what it
    /// accepts as the decoder does, else what differs: what the reader accepts, the decoder reads
    /// as an object with the same keys, each member's bytes decoding as the same value (strings
    /// scalar for scalar). The reader may refuse more than the decoder (another encoding, invalid
    /// UTF-8 the decoder replaces, a malformed `\u` escape in a key the decoder lets through, a
    /// top level that is not an object): its callers then take the decoder's path.
    public static func disagreement(_ bytes: [UInt8]) -> String? {
        guard let reader = try? JSONFields(bytes) else { return nil }
        let full = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        guard case .object(let object) = full else { return "the reader accepted what the decoder refuses" }
        let keys = Set(reader.members.map(\.key))
        guard keys == Set(object.keys) else { return "keys differ: reader \(keys.sorted()), decoder \(object.keys.sorted())" }
        for key in keys {
            guard let range = reader.range(of: key) else { return "no range for '\(key)'" }
            let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes[range]))
            guard let value, let expected = object[key], same(value, expected) else {
                return "member '\(key)': its bytes \(String(decoding: bytes[range].prefix(80), as: UTF8.self)) do not decode as the decoder's value"
            }
            if case .string(let text) = expected {
                guard let read = reader.string(key), Array(read.unicodeScalars) == Array(text.unicodeScalars) else {
                    return "member '\(key)': the reader's text \(reader.string(key).debugDescription) is not the decoder's \(text.debugDescription)"
                }
            }
        }
        return nil
    }

    /// Deep equality of two decoded values, strings compared scalar by scalar (not by canonical equivalence).
    static func same(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.object(let left), .object(let right)):
            left.count == right.count && left.allSatisfy { key, value in right[key].map { same(value, $0) } ?? false }
        case (.array(let left), .array(let right)):
            left.count == right.count && zip(left, right).allSatisfy { same($0, $1) }
        case (.string(let left), .string(let right)):
            Array(left.unicodeScalars) == Array(right.unicodeScalars)
        default:
            left == right
        }
    }
}
