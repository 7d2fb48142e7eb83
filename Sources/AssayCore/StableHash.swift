/// Deterministic hashing for reproducible simulation: the same inputs give the same numbers on
/// every machine and every run (unlike `Hasher`, which is seeded per process).
public enum StableHash {
    /// 64-bit FNV-1a over the UTF-8 of the parts, separated so `("ab","c") != ("a","bc")`.
    public static func hash(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x100_0000_01b3
        }
        return mix(hash)
    }

    /// A uniform number in [0, 1) derived from the parts.
    public static func unit(_ parts: String...) -> Double {
        Double(hash(parts) >> 11) / Double(UInt64(1) << 53)
    }

    /// SplitMix64 finaliser: spreads FNV's weak low bits.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
