import AssayCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves the pricing page the way a real site does: an ETag and Last-Modified, 304 to a
/// matching conditional request, gzip when the client accepts it, and a redirect from an old URL.
struct PricingResponder: Sendable {
    let zoo: Zoo
    /// When the simulated page last changed (stable, so Last-Modified validates).
    static let lastModified = "Mon, 23 Nov 2026 09:00:00 GMT"

    func respond(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        let variant = query["variant"].flatMap { PricingPage.Variant(rawValue: String($0)) } ?? .standard
        let body = Array(PricingPage.html(zoo: zoo, variant: variant).utf8)
        let etag = "\"" + String(sha256Hex(body).prefix(16)) + "\""
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .eTag: etag, .lastModified: Self.lastModified,
                                   .cacheControl: "max-age=60"]
        if let match = request.headers[.ifNoneMatch] {
            if match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
                return Response(status: .notModified, headers: headers)
            }
        } else if request.headers[.ifModifiedSince] == Self.lastModified {
            return Response(status: .notModified, headers: headers)
        }
        if request.headers[.acceptEncoding]?.contains("gzip") == true {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Gzip.stored(body))))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// `/pricing/old` moved permanently to `/pricing` (keeping the query).
    func redirect(_ request: Request) -> Response {
        let query = request.uri.query.map { "?" + $0 } ?? ""
        return Response(status: .movedPermanently, headers: [.location: "/pricing" + query])
    }
}

/// A gzip stream of uncompressed ("stored") deflate blocks: valid gzip any client decodes,
/// written by hand so the simulator needs no zlib.
enum Gzip {
    static func stored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let final: UInt8 = offset + length == data.count ? 1 : 0
            out.append(final)
            out += [UInt8(length & 0xff), UInt8(length >> 8), UInt8(~length & 0xff), UInt8((~length >> 8) & 0xff)]
            out += data[offset..<offset + length]
            offset += length
        } while offset < data.count
        out += littleEndian(crc32(data)) + littleEndian(UInt32(truncatingIfNeeded: data.count))
        return out
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xff) } }

    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
