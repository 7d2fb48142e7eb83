import BenchmarkSupport
import Foundation

/// nginx as a plain reverse proxy in front of the instant upstream: the best-known proxy, so every
/// run prints what Assay's proxy costs against it. Debian's package (`apt-get install nginx`),
/// started by the driver as an ordinary process (`daemon off`), its configuration, pid file and
/// temporary paths in a fresh temporary directory, listening on loopback only; keep-alive
/// connections to the upstream, as an operator would configure it, no access log.
enum NginxProxy {
    /// Where Debian installs it; `NGINX` in the environment names another binary.
    static var binary: String? {
        let candidates = [ProcessInfo.processInfo.environment["NGINX"], "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The configuration: one worker per core, HTTP/1.1 keep-alive to the upstream.
    static func configuration(prefix: String, port: Int, upstreamPort: Int) -> String {
        """
        worker_processes auto;
        pid \(prefix)/nginx.pid;
        error_log \(prefix)/error.log error;
        events { worker_connections 4096; }
        http {
            access_log off;
            client_body_temp_path \(prefix)/body;
            proxy_temp_path \(prefix)/proxy;
            fastcgi_temp_path \(prefix)/fastcgi;
            uwsgi_temp_path \(prefix)/uwsgi;
            scgi_temp_path \(prefix)/scgi;
            upstream instant { server 127.0.0.1:\(upstreamPort); keepalive 64; }
            server {
                listen 127.0.0.1:\(port);
                location / {
                    proxy_pass http://instant;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                }
            }
        }

        """
    }

    /// Starts nginx in front of `upstreamPort`; its CPU is the master's and its workers'.
    static func start(upstreamPort: Int) throws -> Child {
        guard let binary else {
            throw BenchmarkError("nginx is not installed: apt-get install -y nginx (Debian's package), set NGINX=/path/to/nginx, or pass --no-nginx to skip its row")
        }
        let prefix = NSTemporaryDirectory() + "assay-proxy-overhead-nginx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: prefix, withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        try configuration(prefix: prefix, port: port, upstreamPort: upstreamPort).write(toFile: prefix + "/nginx.conf", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        // -e: the error log before the configuration is read (the default is under /var/log).
        process.arguments = ["-p", prefix, "-c", prefix + "/nginx.conf", "-e", prefix + "/error.log", "-g", "daemon off;"]
        try process.run()
        let deadline = ContinuousClock.now + .seconds(10)
        while !canConnect(port: port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                if process.isRunning { process.terminate() }
                let log = (try? String(contentsOfFile: prefix + "/error.log", encoding: .utf8)) ?? ""
                throw BenchmarkError("nginx did not start on 127.0.0.1:\(port) (\(binary)): \(log)")
            }
            usleep(20_000)
        }
        return Child(process: process, port: port, withChildren: true, directory: prefix)
    }

    /// A loopback port nothing listens on now (bound to port 0, read back, closed).
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchmarkError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BenchmarkError("could not bind a loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }
}
