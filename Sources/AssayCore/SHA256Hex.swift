import Crypto

/// Lowercase hex SHA-256, the content hash used for suites, prompts, configs and catalogs.
public func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
    hex(SHA256.hash(data: Array(bytes)))
}

public func sha256Hex(_ text: String) -> String {
    var text = text
    return text.withUTF8 { hex(SHA256.hash(data: $0)) }
}

private let hexDigits = Array("0123456789abcdef".utf8)

/// Lowercase hex of `digest`, written straight into the string's storage.
private func hex(_ digest: SHA256.Digest) -> String {
    String(unsafeUninitializedCapacity: SHA256.Digest.byteCount * 2) { buffer in
        var index = 0
        for byte in digest {
            buffer[index] = hexDigits[Int(byte >> 4)]
            buffer[index + 1] = hexDigits[Int(byte & 0x0f)]
            index += 2
        }
        return index
    }
}
