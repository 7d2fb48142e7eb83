import AssayPostgres
import Foundation
import Logging

/// A real, throwaway PostgreSQL server for tests: `initdb` into a temporary folder, `pg_ctl start`
/// on a free loopback port (password auth for TCP, as a deployment has), stopped and removed
/// when the body ends. As root it runs as the `postgres` user (the server refuses root). Absent
/// PostgreSQL is a failure, never a skip: scripts/install-deps.sh installs it.
package struct PostgresServer: Sendable {
    package let port: Int
    package let directory: String
    package static let user = "assay"
    package static let passwordVariable = "ASSAY_TEST_PG_PASSWORD"
    package let password: String

    /// Settings for database `name` on this server, the password named by `passwordVariable`.
    package func settings(database name: String = "postgres") -> PostgresSettings {
        PostgresSettings(host: "127.0.0.1", port: port, user: Self.user, database: name, passwordEnv: Self.passwordVariable)
    }

    /// The environment a client of this server needs (the password variable).
    package var environment: [String: String] { [Self.passwordVariable: password] }

    /// `postgres:` for an `assay.yaml`.
    package func configSection(database name: String) -> String {
        "postgres:\n  url: postgres://\(Self.user)@127.0.0.1:\(port)/\(name)\n  password_env: \(Self.passwordVariable)\n"
    }

    /// A new empty database on this server; returns its name.
    package func createDatabase(_ label: String = "assay") async throws -> String {
        let name = "\(label)_\(UUID().uuidString.prefix(8).lowercased())"
        try await Self.run(binary("psql"), ["-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user, "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                                      "-c", "CREATE DATABASE \(name)"], environment: ["PGPASSWORD": password], asPostgres: false)
        return name
    }

    /// Runs `body` with a fresh server; stops it afterwards whatever happens.
    package static func withRunning<T: Sendable>(_ body: @Sendable (PostgresServer) async throws -> T) async throws -> T {
        let server = try await start()
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// The folder with `initdb` and `pg_ctl` (the newest of Debian's /usr/lib/postgresql/N/bin), or nil.
    package static var binDirectory: String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.compactMap { Int($0) }.sorted().reversed().map { "\(root)/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl") }
    }

    static func start() async throws -> PostgresServer {
        guard let bin = binDirectory else { throw Missing() }
        let directory = NSTemporaryDirectory() + "assay-pg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let password = UUID().uuidString
        try password.write(toFile: directory + "/pwfile", atomically: true, encoding: .utf8)
        if getuid() == 0 { try await run("/usr/bin/chown", ["-R", "postgres:postgres", directory], asPostgres: false) }
        try await run(bin + "/initdb", ["-D", directory + "/data", "-U", user, "--pwfile=" + directory + "/pwfile", "--auth-local=trust",
                                  "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions"])
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try freePort()
            do {
                try await run(bin + "/pg_ctl", startArguments(port: port, directory: directory))
                return PostgresServer(port: port, directory: directory, password: password)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? Missing()
    }

    /// `pg_ctl start` for the data in `directory` on `port`, loopback only.
    static func startArguments(port: Int, directory: String) -> [String] {
        ["-D", directory + "/data", "-l", directory + "/log", "-w", "-t", "60", "-o",
         "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"]
    }

    /// Stops the server (fast: open connections are closed) and keeps its data: an outage, until `resume`.
    package func halt() async throws {
        guard let bin = Self.binDirectory else { throw Missing() }
        try await Self.run(bin + "/pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "stop"])
    }

    /// Starts a halted server again, with its data, on the same port.
    package func resume() async throws {
        guard let bin = Self.binDirectory else { throw Missing() }
        try await Self.run(bin + "/pg_ctl", Self.startArguments(port: port, directory: directory))
    }

    /// Stops the server (fast: open connections are closed) and removes its folder.
    package func stop() async {
        if let bin = Self.binDirectory {
            try? await Self.run(bin + "/pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "stop"])
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    func binary(_ name: String) -> String {
        (Self.binDirectory.map { $0 + "/" + name }).flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil } ?? "/usr/bin/" + name
    }

    package static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw Failed(command: "bind", output: "no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a PostgreSQL program (as `postgres` when we are root) and waits; throws its output on failure.
    static func run(_ path: String, _ arguments: [String], environment: [String: String] = [:], asPostgres: Bool = true) async throws {
        // On a dispatch thread: waiting for a process must not hold one of the few threads Swift concurrency runs tests on.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(path, arguments, environment: environment, asPostgres: asPostgres) })
            }
        }
    }

    /// posix_spawn and waitpid, not Foundation's `Process`: `pg_ctl start` leaves the server
    /// running with what it inherited, and `Process` waits for its own descriptor to close,
    /// which the server never does. 
    static func runBlocking(_ path: String, _ arguments: [String], environment: [String: String], asPostgres: Bool) throws {
        let command = asPostgres && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", path] + arguments : [path] + arguments
        // From /, a folder the postgres user may enter (the test's own folder may be closed to it).
        let argv = ["/bin/sh", "-c", "cd / && exec \"$0\" \"$@\""] + command
        let outputPath = NSTemporaryDirectory() + "assay-pg-output-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = variables.map { strdup($0) } + [nil]
        defer { for pointer in cArguments + cEnvironment { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, cEnvironment)
        guard spawned == 0 else { throw Failed(command: argv.joined(separator: " "), output: String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw Failed(command: argv.joined(separator: " "), output: "status \(status): " + text)
        }
    }

    /// PostgreSQL is not installed: the test fails and says how to fix it.
    package struct Missing: Error, CustomStringConvertible {
        package var description: String {
            "PostgreSQL's server programs (initdb, pg_ctl) are not under /usr/lib/postgresql/N/bin: install postgresql (scripts/install-deps.sh)"
        }
    }

    package struct Failed: Error, CustomStringConvertible {
        var command: String
        var output: String
        package var description: String { "\(command) failed: \(output.suffix(2_000))" }
    }
}
