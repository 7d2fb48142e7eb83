import AssayCore

/// How prompts become sparse vectors: hashed word uni- and bigrams and character n-grams.
///
/// The catalog build and the router hash with the same code and the spec stored in
/// `catalog.json`, so a catalog never depends on the process that reads it. Text is lowercased
/// (ASCII), digits fold to `0` (so "24 pencils" and "38 pencils" share features) and anything
/// else that is ASCII punctuation separates words. Only the first `maxBytes` bytes count.
public struct FeatureSpec: Codable, Sendable, Equatable {
    /// Hash buckets (dimension of the vectors).
    public var buckets: Int
    /// Character n-gram lengths, over words padded with a space.
    public var charNgrams: [Int]
    /// Word n-gram lengths up to this (1 = unigrams, 2 = also bigrams).
    public var wordNgrams: Int
    public var maxBytes: Int

    public init(buckets: Int = 1 << 14, charNgrams: [Int] = [3, 4], wordNgrams: Int = 2, maxBytes: Int = 2_048) {
        self.buckets = buckets
        self.charNgrams = charNgrams
        self.wordNgrams = wordNgrams
        self.maxBytes = maxBytes
    }
}

/// A sparse vector: strictly increasing bucket indices and their values.
public struct SparseVector: Codable, Sendable, Equatable {
    public var buckets: [Int]
    public var values: [Double]

    public init(buckets: [Int] = [], values: [Double] = []) {
        self.buckets = buckets
        self.values = values
    }
}

public enum PromptFeatures {
    /// Feature counts of `text`: distinct buckets and how often each was hit, in bucket order
    /// when `sorted` (the router does not need the order and skips the sort).
    public static func counts(_ text: String, spec: FeatureSpec, sorted: Bool = true) -> (buckets: [Int32], counts: [Float]) {
        var copy = text
        var result = copy.withUTF8 { distinctCounts(bytes: $0, spec: spec) }
        if sorted && result.buckets.count > 1 {
            // One primitive sort of (bucket, count) packed into 64 bits: no comparator closure.
            var packed = zip(result.buckets, result.counts).map { UInt64(UInt32(bitPattern: $0)) << 32 | UInt64($1.bitPattern) }
            packed.sort()
            result = (packed.map { Int32(bitPattern: UInt32(truncatingIfNeeded: $0 >> 32)) },
                      packed.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) })
        }
        return result
    }

    /// Counts features straight into an open-addressing table sized for the text, so no list of
    /// every occurrence is built and sorted; buckets come out in first-seen order.
    ///
    /// A slot holds bucket + 1 (0: empty) in 32 bits, with its count in a parallel array, and the
    /// slots are listed in first-seen order: a probe is one load and one compare, and a 350-byte
    /// prompt's table takes 16 KB, inside L1.
    static func distinctCounts(bytes: UnsafeBufferPointer<UInt8>, spec: FeatureSpec) -> (buckets: [Int32], counts: [Float]) {
        // Occurrences are at most one per position per character n-gram length, plus words and bigrams.
        let bound = (min(bytes.count, spec.maxBytes) + 2) * (spec.charNgrams.count + 2)
        if spec.buckets <= denseLimit && bound < Int(UInt16.max) { return denseCounts(bytes: bytes, spec: spec, bound: bound) }
        var shift: UInt32 = 28
        while 1 << (32 - shift) <= bound { shift -= 1 }
        let capacity = 1 << (32 - shift)
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity) { slots in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity) { hits in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: bound) { order in
                    slots.initialize(repeating: 0)
                    var found = 0
                    forEachFeature(bytes: bytes, spec: spec) { bucket in
                        let key = UInt32(bitPattern: bucket) &+ 1
                        var slot = Int(truncatingIfNeeded: (key &* 0x9e37_79b1) &>> shift)
                        while true {
                            let entry = slots[slot]
                            if entry == key {
                                hits[slot] &+= 1
                                return
                            }
                            if entry == 0 {
                                slots[slot] = key
                                hits[slot] = 1
                                order[found] = UInt32(truncatingIfNeeded: slot)
                                found &+= 1
                                return
                            }
                            slot = (slot &+ 1) & (capacity &- 1)
                        }
                    }
                    let seen = UnsafeBufferPointer(rebasing: order[..<found])
                    return (seen.map { Int32(bitPattern: slots[Int($0)] &- 1) }, seen.map { Float(hits[Int($0)]) })
                }
            }
        }
    }

    /// Above this many buckets the dense counter's array would not stay in cache.
    static let denseLimit = 1 << 15

    /// Counts into one 16-bit counter per bucket (32 KB for the default 16,384), without a branch
    /// per occurrence: whether a bucket is new decides only how far the first-seen list advances.
    /// A hash table's new-or-seen branch is a coin toss on text, and its mispredictions cost more
    /// than clearing the counters.
    static func denseCounts(bytes: UnsafeBufferPointer<UInt8>, spec: FeatureSpec, bound: Int) -> (buckets: [Int32], counts: [Float]) {
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: spec.buckets) { hits in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: bound + 1) { order in
                hits.initialize(repeating: 0)
                var found = 0
                forEachFeature(bytes: bytes, spec: spec) { bucket in
                    let seen = hits[Int(bucket)]
                    order[found] = bucket
                    found &+= seen == 0 ? 1 : 0
                    hits[Int(bucket)] = seen &+ 1
                }
                let first = UnsafeBufferPointer(rebasing: order[..<found])
                return (Array(first), first.map { Float(hits[Int($0)]) })
            }
        }
    }

    /// Calls `body` with the bucket of every feature occurrence of `bytes` (repeated).
    @inline(__always)
    static func forEachFeature(bytes: UnsafeBufferPointer<UInt8>, spec: FeatureSpec, _ body: (Int32) -> Void) {
        let limit = min(bytes.count, spec.maxBytes)
        let buckets = UInt64(max(1, spec.buckets))
        // A bucket from the hash's high 32 bits by multiply-shift: no division per feature.
        @inline(__always) func bucket(_ hash: UInt64) -> Int32 { Int32(truncatingIfNeeded: ((StableHash.mix(hash) >> 32) &* buckets) >> 32) }
        // Normalised text: words separated by one space, with a space before and after.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: limit + 2) { text in
            text[0] = 0x20
            var length = 1
            for index in 0..<limit {
                let byte = normalise(bytes[index])
                if byte == 0x20 && text[length - 1] == 0x20 { continue }
                text[length] = byte
                length += 1
            }
            if text[length - 1] != 0x20 {
                text[length] = 0x20
                length += 1
            }
            let base = text.baseAddress!
            for n in spec.charNgrams where n > 0 && n <= length {
                let start = seed(UInt64(n))
                for first in 0...(length - n) {
                    var hash = start
                    for offset in 0..<n { hash = (hash ^ UInt64(base[first &+ offset])) &* prime }
                    body(bucket(hash))
                }
            }
            guard spec.wordNgrams > 0 else { return }
            let wordSeed = seed(0x77)
            var previous: UInt64 = 0
            var word = wordSeed
            var inWord = false
            for index in 1..<length {
                let byte = base[index]
                if byte != 0x20 {
                    word = (word ^ UInt64(byte)) &* prime
                    inWord = true
                    continue
                }
                guard inWord else { continue }
                body(bucket(word))
                if spec.wordNgrams > 1 && previous != 0 {
                    body(bucket(previous &* 31 ^ word ^ 0xb16))
                }
                previous = word
                word = wordSeed
                inWord = false
            }
        }
    }

    static let prime: UInt64 = 0x100_0000_01b3

    @inline(__always)
    static func seed(_ salt: UInt64) -> UInt64 { 0xcbf2_9ce4_8422_2325 ^ (salt &* 0x9e37_79b9_7f4a_7c15) }

    /// Lowercase ASCII letters, fold digits to `0`, turn other ASCII into a space; keep non-ASCII.
    @inline(__always)
    static func normalise(_ byte: UInt8) -> UInt8 {
        switch byte {
        case 0x41...0x5a: byte | 0x20
        case 0x61...0x7a: byte
        case 0x30...0x39: 0x30
        case 0x80...: byte
        default: 0x20
        }
    }
}
