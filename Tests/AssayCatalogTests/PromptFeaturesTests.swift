import AssayCatalog
import AssayCatalogFormat
import AssayCore
import Testing

/// The fast hashing must produce exactly what the spec (docs/router.md, step 1) describes,
/// since catalogs built before it carry counts the router compares against.
@Suite("Prompt features")
struct PromptFeaturesTests {
    /// The spec, written plainly: every occurrence listed, then counted.
    static func reference(_ text: String, spec: FeatureSpec) -> [Int32: Float] {
        var words: [[UInt8]] = [[]]
        for byte in text.utf8.prefix(spec.maxBytes) {
            let normal: UInt8? = switch byte {
            case 0x41...0x5a: byte | 0x20
            case 0x61...0x7a, 0x80...: byte
            case 0x30...0x39: 0x30
            default: nil
            }
            if let normal { words[words.count - 1].append(normal) } else if !words[words.count - 1].isEmpty { words.append([]) }
        }
        words.removeAll { $0.isEmpty }
        let padded: [UInt8] = [0x20] + words.flatMap { $0 + [0x20] } + (words.isEmpty ? [] : [])
        func fnv(_ bytes: some Sequence<UInt8>, salt: UInt64) -> UInt64 {
            bytes.reduce(0xcbf2_9ce4_8422_2325 ^ (salt &* 0x9e37_79b9_7f4a_7c15)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        }
        func bucket(_ hash: UInt64) -> Int32 { Int32(((StableHash.mix(hash) >> 32) &* UInt64(spec.buckets)) >> 32) }
        var occurrences: [Int32] = []
        for n in spec.charNgrams where n <= padded.count {
            for start in 0...(padded.count - n) { occurrences.append(bucket(fnv(padded[start..<(start + n)], salt: UInt64(n)))) }
        }
        let hashes = words.map { fnv($0, salt: 0x77) }
        occurrences += hashes.map(bucket)
        if spec.wordNgrams > 1 { occurrences += zip(hashes, hashes.dropFirst()).map { bucket($0 &* 31 ^ $1 ^ 0xb16) } }
        return occurrences.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    static let texts = ["", "a", "abc", "Maya has 24 Pencils!", "  spaced   out\tand\nnewlines  ", "naïve café — déjà vu, 3.14",
                        String(repeating: "long prompt with repeated words ", count: 100),
                        "Extract the email address from: Ana Ltd, ana@example.org, +44 20 7946 1001."]

    /// The default spec counts densely; a million buckets go through the hash table.
    @Test("counts match the spec's plain reference, sorted and unsorted", arguments: texts, [1 << 14, 1 << 20])
    func matchesReference(text: String, buckets: Int) {
        let spec = FeatureSpec(buckets: buckets)
        let expected = Self.reference(text, spec: spec)
        let sorted = PromptFeatures.counts(text, spec: spec)
        #expect(Dictionary(uniqueKeysWithValues: zip(sorted.buckets, sorted.counts)) == expected)
        #expect(sorted.buckets == sorted.buckets.sorted())
        let unsorted = PromptFeatures.counts(text, spec: spec, sorted: false)
        #expect(Dictionary(uniqueKeysWithValues: zip(unsorted.buckets, unsorted.counts)) == expected)
    }
}
