import AssayCore
import AssayHarness
import AssayPostgres
import AssayServer
import ArgumentParser
import Foundation

/// `assay keys add|list|revoke`: the client keys `assay serve` accepts (the file `serve.keys_file`
/// names). Only each key's SHA-256 is stored; a new key is printed once.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Client keys for 'assay serve': add, list, revoke.",
        discussion: """
            The keys file holds each key's name, SHA-256 and rate limit, never the key. A running \
            server re-reads it within a second, so a new or revoked key takes effect without a restart. \
            The file is the config's serve.keys_file, or --file. With postgres: in the config (and no --file) the keys \
            live in PostgreSQL, shared by every replica, which refuse a revoked key after their next sync (200 ms).
            """,
        subcommands: [Add.self, List.self, Revoke.self])

    struct FileOptions: ParsableArguments {
        @OptionGroup var global: GlobalOptions
        @Option(help: "The keys file (default: serve.keys_file in the config).") var file: String?

        /// The shared store, when the config has `postgres:` and no `--file` was given.
        func shared() throws -> PostgresSettings? {
            guard file == nil else { return nil }
            return try global.loadConfig(required: false).postgres
        }

        /// Runs `body` on the shared store's key table.
        func withShared<T: Sendable>(_ settings: PostgresSettings, _ body: @Sendable (SharedClientKeys) async throws -> T) async throws -> T {
            try await PostgresStore.withOpened(settings, logger: Pipeline.logger()) { store in
                let keys = SharedClientKeys(store: store)
                try await keys.migrate()
                return try await body(keys)
            }
        }

        func path() throws -> String {
            if let file { return file }
            let config = try global.loadConfig(required: false)
            guard let path = config.serve.keysFile else {
                throw AssayError(.config, "no keys file: the config has no serve.keys_file", hint: "add 'serve: {keys_file: keys.json}' to assay.yaml, or pass --file")
            }
            return path
        }

        /// Changes the keys file under its lock; a damaged file is a config error naming the field.
        func update(_ path: String, _ change: (inout ClientKeyFile) throws -> Void) throws {
            do { try ClientKeyFile.update(path, change) } catch let error as ClientKeyFileError { throw AssayError(.config, error.description) }
        }

        func load() throws -> (String, ClientKeyFile) {
            let path = try path()
            do { return (path, try ClientKeyFile.load(path)) } catch { throw AssayError(.config, error.description) }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; prints it once (only its hash is kept).")
        @OptionGroup var options: FileOptions
        @Argument(help: "A name for the key's holder (shown in logs and rate-limit errors).") var name: String
        @Option(help: "Requests per minute for this key (0 = unlimited; default: serve.rpm).") var rpm: Int?
        @Option(help: "The most this key may spend per UTC day, in USD, e.g. 5 or 0.25 (default: unlimited).") var dailyBudget: DollarAmount?
        @Option(help: "The most max_tokens one request of this key may ask (default: serve.max_tokens).") var maxTokens: Int?
        @Flag(help: "Print JSON: {name, key, rpm}.") var json = false

        func validate() throws {
            if let rpm, rpm < 0 { throw ValidationError("--rpm must be 0 (unlimited) or more") }
            if let dailyBudget, dailyBudget.money < .zero {
                throw ValidationError("--daily-budget must be a dollar amount such as 5 or 0.25")
            }
            if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be 1 or more") }
            if name.isEmpty || name.contains(where: \.isNewline) { throw ValidationError("give a one-line name") }
        }

        func run() async throws {
            try await reportingErrors {
                let key = ClientKeyFile.newKey()
                let entry = ClientKeyFile.Entry(name: name, sha256: ClientKeyFile.hash(key), rpm: rpm,
                                                createdAt: ISO8601DateFormatter().string(from: Date()), dailyBudgetUsd: dailyBudget?.text, maxTokens: maxTokens)
                let path: String
                if let shared = try options.shared() {
                    path = shared.url
                    try await options.withShared(shared) { try await $0.add(entry) }
                } else {
                    path = try options.path()
                    try options.update(path) { file in
                        guard !file.keys.contains(where: { $0.name == name }) else {
                            throw AssayError(.usage, "a key named '\(name)' already exists in \(path)", hint: "revoke it first, or choose another name")
                        }
                        file.keys.append(entry)
                    }
                }
                if json {
                    try printJSON(Created(name: name, key: key, rpm: rpm))
                } else {
                    print(key)
                    FileHandle.standardError.write(Data("key '\(name)' added to \(path); this is the only time it is shown\n".utf8))
                }
            }
        }

        struct Created: Encodable { var name: String; var key: String; var rpm: Int? }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys' names, limits and creation times (never the keys).")
        @OptionGroup var options: FileOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let keys: [ClientKeyFile.Entry]
                if let shared = try options.shared() { keys = try await options.withShared(shared) { try await $0.list() } } else { keys = try options.load().1.keys }
                let file = ClientKeyFile(keys: keys)
                if json { return try printJSON(file.keys.map { Listed(name: $0.name, rpm: $0.rpm, createdAt: $0.createdAt, sha256Prefix: String($0.sha256.prefix(12))) }) }
                if file.keys.isEmpty { print("no keys") }
                for key in file.keys {
                    print("\(key.name)  rpm \(key.rpm.map { $0 == 0 ? "unlimited" : String($0) } ?? "default")  created \(key.createdAt)  sha256 \(key.sha256.prefix(12))…")
                }
            }
        }

        struct Listed: Encodable { var name: String; var rpm: Int?; var createdAt: String; var sha256Prefix: String }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a key by name; a running server refuses it within a second.")
        @OptionGroup var options: FileOptions
        @Argument(help: "The key's name.") var name: String

        func run() async throws {
            try await reportingErrors {
                if let shared = try options.shared() {
                    try await options.withShared(shared) { try await $0.revoke(name) }
                    print("key '\(name)' revoked (replicas refuse it after their next sync)")
                    return
                }
                let path = try options.path()
                try options.update(path) { file in
                    guard file.keys.contains(where: { $0.name == name }) else {
                        throw AssayError(.notFound, "no key named '\(name)' in \(path)", hint: "'assay keys list' shows the names")
                    }
                    file.keys.removeAll { $0.name == name }
                }
                print("key '\(name)' revoked")
            }
        }
    }
}
