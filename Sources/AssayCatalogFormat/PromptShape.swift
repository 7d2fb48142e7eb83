import Foundation

/// The dense prompt features the learned estimator reads: its shape (length, words, digits,
/// sentences, lines, punctuation, distinct features) on a log scale, then the share of its
/// hashed features in each of `slots` coarse buckets (a bag of n-grams folded small enough to
/// fit a few dozen items per task). The catalog build and the router compute them with this code.
public enum PromptShape {
    /// Shape features before the hashed slots.
    package static let shapeCount = 7
    /// Coarse hashed n-gram slots: a feature bucket's low bits.
    package static let slots = 32
    public static var count: Int { shapeCount + slots }
    /// Bytes scanned for the shape counts (the length itself is the whole prompt's).
    static let scanLimit = 4_096

    public static let names: [String] = ["log_bytes", "log_words", "log_digits", "log_sentences", "log_lines", "log_punctuation",
                                         "log_distinct_features"] + (0..<slots).map { "ngram_slot_\($0)" }

    /// The features of `prompt`, given its hashed feature counts (`PromptFeatures.counts`).
    package static func vector(_ prompt: String, buckets: [Int32], counts: [Float]) -> [Float] {
        var result = [Float](repeating: 0, count: count)
        var words = 0, digits = 0, sentences = 0, lines = 0, punctuation = 0
        var inWord = false
        var scanned = 0
        for byte in prompt.utf8 {
            if scanned == scanLimit { break }
            scanned &+= 1
            switch byte {
            case 0x30...0x39: digits &+= 1
            case 0x2e, 0x3f, 0x21: sentences &+= 1
            case 0x0a: lines &+= 1
            case 0x2c, 0x3b, 0x3a, 0x28, 0x29: punctuation &+= 1
            default: break
            }
            let letter = byte > 0x20
            if letter && !inWord { words &+= 1 }
            inWord = letter
        }
        // Counts past the scanned prefix are extrapolated from it, so long prompts keep their scale.
        let bytes = prompt.utf8.count
        let scale = scanned > 0 ? Float(bytes) / Float(scanned) : 1
        result[0] = log1p(Float(bytes))
        result[1] = log1p(Float(words) * scale)
        result[2] = log1p(Float(digits) * scale)
        result[3] = log1p(Float(sentences) * scale)
        result[4] = log1p(Float(lines) * scale)
        result[5] = log1p(Float(punctuation) * scale)
        result[6] = log1p(Float(buckets.count))
        var total: Float = 0
        for (bucket, hits) in zip(buckets, counts) {
            result[shapeCount + (Int(bucket) & (slots - 1))] += hits
            total += hits
        }
        if total > 0 {
            for slot in shapeCount..<count { result[slot] /= total }
        }
        return result
    }
}
