/// Near-duplicate detection for captured prompts: each prompt becomes its set of word 3-shingles
/// (lowercased, split on anything that is not a letter or digit; a prompt of fewer than three
/// words is one shingle of its words), and two prompts are near-duplicates when the Jaccard
/// similarity of their sets (|A ∩ B| / |A ∪ B|) reaches the threshold. Exact Jaccard, not a
/// MinHash estimate: a sample compares each candidate only with the items already kept (at most
/// `perTask`), so the cost is candidates × kept set comparisons.
package struct Shingles: Sendable, Hashable {
    package let set: Set<String>

    package init(_ text: String, width: Int = 3) {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
        if words.count < width {
            set = [words.joined(separator: " ")]
        } else {
            set = Set((0...(words.count - width)).map { words[$0..<($0 + width)].joined(separator: " ") })
        }
    }

    /// |A ∩ B| / |A ∪ B|; two empty texts are identical.
    package func jaccard(_ other: Shingles) -> Double {
        let union = set.union(other.set).count
        return union == 0 ? 1 : Double(set.intersection(other.set).count) / Double(union)
    }
}
