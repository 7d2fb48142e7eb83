import AssayCore
@testable import AssayServer
import AssayTestSupport
import Foundation
import Testing

/// The keys file cannot be redirected or read through a planted file or link, and bad limits in
/// it are refused with the field named.
@Suite struct KeysFileTests {
    @Test("a symlink planted at the temporary name is not followed: the write fails and the link's target is untouched")
    func plantedSymlink() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = directory + "/keys.json"
        let target = directory + "/elsewhere.txt"
        try "precious\n".write(toFile: target, atomically: true, encoding: .utf8)
        // `write` removes a stale temporary of its own pid first, so plant the link as a
        // directory-swap would: make the temporary name a directory holding a file.
        let temporary = path + ".tmp-\(getpid())"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        try "x".write(toFile: temporary + "/inside", atomically: true, encoding: .utf8)
        #expect(throws: ClientKeyFileError.self) { try ClientKeyFile(keys: []).write(to: path) }
        try FileManager.default.removeItem(atPath: temporary)
        #expect(symlink(target, temporary) == 0)
        try ClientKeyFile(keys: []).write(to: path)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n", "the link's target was not written through")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("a lock file that is a symlink is refused")
    func symlinkedLock() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = directory + "/keys.json"
        #expect(symlink(directory + "/nowhere", path + ".lock") == 0)
        #expect(throws: ClientKeyFileError.self) { try ClientKeyFile.update(path) { _ in } }
        #expect(!FileManager.default.fileExists(atPath: directory + "/nowhere"))
    }

    @Test("bad limits are refused naming the field", arguments: [
        ("\"daily_budget_usd\": \"lots\"", "keys[0].daily_budget_usd"), ("\"daily_budget_usd\": \"-1\"", "keys[0].daily_budget_usd"),
        ("\"max_tokens\": 0", "keys[0].max_tokens"), ("\"rpm\": -1", "keys[0].rpm"),
    ])
    func badLimits(field: String, named: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = directory + "/keys.json"
        let text = "{\"keys\": [{\"name\": \"a\", \"sha256\": \"\(String(repeating: "0", count: 64))\", \"created_at\": \"x\", \(field)}]}"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ClientKeyFile.load(path)
            Issue.record("accepted \(field)")
        } catch {
            #expect(error.description.contains(named), "\(error.description)")
        }
    }
}
