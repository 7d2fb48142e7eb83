import AssayRouter
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Follows a catalog published by URL (`serve.catalog_url`), so replicas track the measuring
/// machine's latest catalog without a shared disk: a conditional GET (`If-None-Match` with the
/// last `ETag`) every `interval`; a new body is loaded as a router snapshot first and, only if it
/// loads, written over the local `catalog.json` atomically (temporary file, then rename). The
/// file watcher then swaps it in as for a local edit, so a bad catalog is rejected in one place
/// and a restart without the network starts from the last good one.
package final class CatalogFollower: Service, Sendable {
    let url: String
    let path: String
    let options: RouterOptions
    let token: String?
    let interval: Duration
    let client: HTTPClient
    let logger: Logger
    private let etag = Mutex<String?>(nil)

    /// The most a catalog may weigh.
    package static let maxBytes = 256 << 20

    package init(url: String, path: String, options: RouterOptions, token: String?, interval: Duration, client: HTTPClient = .shared,
                logger: Logger) {
        self.url = url
        self.path = path
        self.options = options
        self.token = token
        self.interval = interval
        self.client = client
        self.logger = logger
    }

    /// What one check found.
    package enum Outcome: Sendable, Equatable {
        /// 304, or the same bytes as the local file.
        case unchanged
        /// A new catalog that loads, now in the local file (its sha256).
        case written(String)
    }

    /// The URL without its query (which may hold a token), for logs and errors.
    package var shownURL: String { String(url.split(separator: "?", maxSplits: 1)[0]) }

    /// One conditional GET; throws `CatalogFollowError` for a failed fetch or a catalog that
    /// does not load (the local file is then left as it was).
    @discardableResult
    package func check(timeout: Duration = .seconds(30)) async throws(CatalogFollowError) -> Outcome {
        var request = HTTPClientRequest(url: url)
        if let tag = etag.withLock({ $0 }) { request.headers.add(name: "If-None-Match", value: tag) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Accept", value: "application/json")
        let body: ByteBuffer
        let tag: String?
        do {
            let response = try await client.execute(request, timeout: timeout.timeAmount)
            if response.status == .notModified { return .unchanged }
            guard response.status == .ok else {
                throw CatalogFollowError("\(shownURL) answered \(response.status.code) \(response.status.reasonPhrase)")
            }
            tag = response.headers.first(name: "ETag")
            body = try await response.body.collect(upTo: Self.maxBytes)
        } catch let error as CatalogFollowError {
            throw error
        } catch is NIOTooManyBytesError {
            throw CatalogFollowError("\(shownURL) sent a catalog over \(Self.maxBytes >> 20) MB")
        } catch {
            throw CatalogFollowError("cannot fetch \(shownURL): \(error)")
        }
        let data = Data(buffer: body)
        let snapshot: RouterSnapshot
        do { snapshot = try RouterSnapshot(data: data, options: options) } catch {
            throw CatalogFollowError("the catalog at \(shownURL) was rejected, the local one stays: \(error.message)")
        }
        if FileManager.default.contents(atPath: path) == data {
            etag.withLock { $0 = tag }
            return .unchanged
        }
        let temporary = path + ".download-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw CatalogFollowError("cannot replace \(path): errno \(errno)") }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error as? CatalogFollowError ?? CatalogFollowError("cannot write \(path): \(error)")
        }
        etag.withLock { $0 = tag }
        return .written(snapshot.catalogSha256)
    }

    package func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do { try await Task.sleep(for: interval) } catch { return }
            do {
                if case .written(let sha) = try await check() {
                    logger.info("catalog fetched", metadata: ["assay.catalog.url": "\(shownURL)", "assay.catalog.sha256": "\(sha)"])
                }
            } catch {
                logger.error("catalog not followed; the current one stays", metadata: ["assay.error": "\(error.message)"])
            }
        }
    }
}

/// A catalog URL that could not be fetched, or whose catalog does not load.
package struct CatalogFollowError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
