/// A stable hash of an answer's normalised text: case, surrounding and repeated whitespace, and
/// a final full stop ignored ("Answer: B." and "answer:  b" agree). A cascade's `agreement` check
/// compares two answers by it, offline over stored answers (`assay cascade eval`) and live in
/// `assay serve`, so both decide alike.
package enum AnswerFingerprint {
    package static func of(_ response: String) -> UInt64 {
        var text = response.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        while text.hasSuffix(".") { text.removeLast() }
        return StableHash.hash([text])
    }
}
