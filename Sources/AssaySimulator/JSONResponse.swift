import Foundation
import Hummingbird
import NIOCore

/// A JSON response, as every simulated API answers.
func jsonResponse(_ value: some Encodable) -> Response {
    let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
