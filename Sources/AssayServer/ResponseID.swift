/// The ids Assay gives the answers it writes: a prefix and random lowercase hex
/// (`chatcmpl-assay-…` for OpenAI, `msg_assay_…` for Anthropic).
enum ResponseID {
    static func make(_ prefix: String, hexDigits: Int) -> String {
        var id = prefix
        var generator = SystemRandomNumberGenerator()
        var left = hexDigits
        while left > 0 {
            let hex = String(generator.next() as UInt64, radix: 16)
            id += (String(repeating: "0", count: 16 - hex.count) + hex).prefix(min(16, left))
            left -= 16
        }
        return id
    }
}
