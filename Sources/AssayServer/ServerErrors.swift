import AssayProviders
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// OpenAI-shaped error bodies (`{"error": {"message", "type", "code"}}`) for every refusal.
enum ServerErrors {
    static func openAI(_ status: Int, _ type: String, _ message: String, code: String? = nil, param: String? = nil) -> Response {
        let data = (try? JSONEncoder().encode(OpenAIWire.ErrorBody(message: message, type: type, code: code, param: param))) ?? Data()
        return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A JSON response (slashes unescaped: model ids are `provider/model`).
func json(_ value: some Encodable, encoder: JSONEncoder = plainEncoder(), headers: HTTPFields = [:]) -> Response {
    var fields = headers
    fields[.contentType] = "application/json"
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

func plainEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .withoutEscapingSlashes
    return encoder
}
