import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the server under test, for what HTTP clients will not do: send
/// half a request, trickle it, hang up mid-request. Blocking calls run on a thread of their own,
/// never on the concurrency pool the server's handlers need.
final class RawConnection: @unchecked Sendable {
    private let descriptor: Int32
    private var isOpen = true

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close() }

    /// Sends `text`; false when the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// What the server sends until it closes the connection, `seconds` pass, or (with `until`)
    /// the text received so far contains `until`; and whether the server closed the connection.
    func read(for seconds: Double, until marker: String? = nil) async -> (text: String, closed: Bool) {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            Thread {
                var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
                setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65_536)
                let deadline = Date().addingTimeInterval(seconds)
                while Date() < deadline {
                    let count = recv(descriptor, &buffer, buffer.count, 0)
                    if count == 0 { return continuation.resume(returning: (String(decoding: received, as: UTF8.self), true)) }
                    if count < 0 {
                        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                        return continuation.resume(returning: (String(decoding: received, as: UTF8.self), true))
                    }
                    received += buffer[0..<count]
                    if let marker, String(decoding: received, as: UTF8.self).contains(marker) {
                        return continuation.resume(returning: (String(decoding: received, as: UTF8.self), false))
                    }
                }
                continuation.resume(returning: (String(decoding: received, as: UTF8.self), false))
            }.start()
        }
    }

    /// One whole HTTP/1.1 response (head and a `content-length` body), or what arrived of it
    /// within `seconds`.
    func readResponse(for seconds: Double) async -> String {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            Thread {
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65_536)
                let deadline = Date().addingTimeInterval(seconds)
                var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
                setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                while Date() < deadline {
                    let text = String(decoding: received, as: UTF8.self)
                    if let end = text.range(of: "\r\n\r\n") {
                        let head = text[..<end.lowerBound].lowercased()
                        let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                        if text[end.upperBound...].utf8.count >= length { return continuation.resume(returning: text) }
                    }
                    let count = recv(descriptor, &buffer, buffer.count, 0)
                    if count == 0 { break }
                    if count > 0 { received += buffer[0..<count] }
                }
                continuation.resume(returning: String(decoding: received, as: UTF8.self))
            }.start()
        }
    }

    /// Hangs up.
    func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
        _ = Glibc.close(descriptor)
    }
}
