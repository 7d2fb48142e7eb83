import Hummingbird
import NIOCore

/// The request context of `assay serve`: Hummingbird's basics plus the connection the request
/// came on, so a handler can notice the client hanging up (`HangUpWatch`).
struct AssayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
