import Crypto

/// Lowercase hex SHA-256, the content hash used for suites, prompts, configs and catalogs.
public func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
    SHA256.hash(data: Array(bytes)).map { byte in
        let hex = String(byte, radix: 16)
        return byte < 16 ? "0" + hex : hex
    }.joined()
}

public func sha256Hex(_ text: String) -> String { sha256Hex(Array(text.utf8)) }
