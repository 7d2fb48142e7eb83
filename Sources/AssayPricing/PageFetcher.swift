import AssayCore
import CCurl
import Foundation

/// Fetches pricing pages with libcurl, as a scraper would: redirects followed (never from https
/// to http), gzip / brotli /
/// zstd accepted, a descriptive User-Agent, connect and total timeouts, a size cap, and
/// `HTTPS_PROXY` / `NO_PROXY` honoured (libcurl reads them from the environment).
///
/// With a `validator` from the last fetch it sends `If-None-Match` / `If-Modified-Since`, so an
/// unchanged page answers 304 and costs nothing.
package struct PageFetcher: Sendable {
    package struct Options: Sendable {
        package var userAgent = "Assay/0.1 (pricing tracker; +https://github.com/assay-bench/assay)"
        package var connectTimeoutSeconds = 10
        package var timeoutSeconds = 30
        package var maxBytes = 8 * 1024 * 1024
        package var maxRedirects = 5

        package init() {}
    }

    /// What identifies the version of a page the server sent last time.
    package struct Validator: Sendable, Hashable, Codable {
        package var etag: String?
        package var lastModified: String?

        package init(etag: String? = nil, lastModified: String? = nil) {
            self.etag = etag
            self.lastModified = lastModified
        }
    }

    package struct Page: Sendable {
        /// HTTP status of the final response (304 when unchanged).
        package var status: Int
        /// The decoded body; empty on 304.
        package var body: [UInt8]
        /// Where the redirects ended.
        package var finalURL: String
        package var validator: Validator
        package var notModified: Bool { status == 304 }
    }

    package var options: Options

    package init(options: Options = Options()) {
        self.options = options
        CurlGlobal.initialize()
    }

    package func fetch(_ url: String, validator: Validator? = nil) throws -> Page {
        guard let handle = curl_easy_init() else { throw PricingError.fetch(url, "libcurl could not start a transfer") }
        defer { curl_easy_cleanup(handle) }
        let sink = BodySink(limit: options.maxBytes)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        var headers: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headers) }
        if let etag = validator?.etag { headers = curl_slist_append(headers, "If-None-Match: \(etag)") }
        if let date = validator?.lastModified { headers = curl_slist_append(headers, "If-Modified-Since: \(date)") }
        headers = curl_slist_append(headers, "Accept: text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8")

        var error = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = error.withUnsafeMutableBufferPointer { errorBuffer in
            assay_curl_setopt_string(handle, CURLOPT_URL, url)
            assay_curl_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent)
            assay_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")   // every encoding libcurl can decode
            assay_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
            assay_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, Self.redirectProtocols(for: url))
            assay_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
            assay_curl_setopt_long(handle, CURLOPT_MAXREDIRS, options.maxRedirects)
            assay_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, options.connectTimeoutSeconds)
            assay_curl_setopt_long(handle, CURLOPT_TIMEOUT, options.timeoutSeconds)
            assay_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            assay_curl_setopt_long(handle, CURLOPT_FAILONERROR, 0)
            assay_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxBytes))
            assay_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers))
            assay_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer.baseAddress))
            assay_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION, bodySinkWrite)
            assay_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque())
            return curl_easy_perform(handle)
        }
        if sink.overflowed || code == CURLE_FILESIZE_EXCEEDED {
            throw PricingError.fetch(url, "the page is larger than the \(options.maxBytes)-byte cap")
        }
        if code == CURLE_UNSUPPORTED_PROTOCOL, Self.redirectProtocols(for: url) == "https" {
            throw PricingError.fetch(url, "refused a redirect away from https (a page fetched over https may only redirect to https)")
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw PricingError.fetch(url, text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var status = 0
        assay_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafeMutablePointer<CChar>?
        assay_curl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective)
        let finalURL = effective.map { String(cString: $0) } ?? url
        guard status == 200 || status == 304 else {
            throw PricingError.fetch(url, "HTTP \(status)" + (finalURL == url ? "" : " from \(finalURL)"))
        }
        let received = Validator(etag: Self.header("ETag", handle) ?? (status == 304 ? validator?.etag : nil),
                                 lastModified: Self.header("Last-Modified", handle) ?? (status == 304 ? validator?.lastModified : nil))
        return Page(status: status, body: status == 304 ? [] : sink.bytes, finalURL: finalURL, validator: received)
    }

    /// The protocols a redirect may lead to: a page asked for over https may only redirect to
    /// https, so a redirect cannot downgrade it to plain http (where anyone on the path could
    /// rewrite the prices); a page asked for over http may go to either.
    package static func redirectProtocols(for url: String) -> String {
        url.lowercased().hasPrefix("https:") ? "https" : "http,https"
    }

    /// The value of `name` in the last response (after redirects).
    static func header(_ name: String, _ handle: UnsafeMutableRawPointer) -> String? {
        var header: UnsafeMutablePointer<curl_header>?
        guard curl_easy_header(handle, name, 0, assay_curlh_header, -1, &header) == CURLHE_OK,
              let value = header?.pointee.value else { return nil }
        return String(cString: value)
    }
}

/// Accumulates a response body, refusing more than `limit` bytes.
final class BodySink: @unchecked Sendable {
    var bytes: [UInt8] = []
    let limit: Int
    var overflowed = false

    init(limit: Int) { self.limit = limit }
}

private let bodySinkWrite: assay_curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<BodySink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    if sink.bytes.count + length > sink.limit {
        sink.overflowed = true
        return 0   // libcurl stops with CURLE_WRITE_ERROR
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
    return length
}

/// `curl_global_init` must run once, before any other thread uses libcurl.
enum CurlGlobal {
    private static let once: Void = { assay_curl_global_init() }()
    static func initialize() { _ = once }
}
