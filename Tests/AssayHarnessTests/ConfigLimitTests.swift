import AssayCore
import AssayHarness
import AssayTestSupport
import Foundation
import Testing

/// Config files built to hurt the loader.
@Suite("Config limits")
struct ConfigLimitTests {
    @Test("a config over 1 MiB is refused with its name and the limit")
    func oversized() throws {
        let path = try Fixtures.file(named: "assay.yaml", contents: "database: x.sqlite\n#" + String(repeating: "x", count: 1 << 20))
        let error = #expect(throws: AssayError.self) { try ConfigLoader.load(file: path) }
        #expect(error?.code == .config)
        #expect(error?.message == "the config file \(path) is larger than 1 MiB, the most a config may hold")
    }

    @Test("a billion-laughs config fails fast with file, line and a config exit code")
    func billionLaughs() throws {
        var lines = ["database: x.sqlite", "run: {concurrency: 1}", "l0: &l0 [a, a, a, a, a, a, a, a, a, a]"]
        for level in 1...9 { lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        let path = try Fixtures.file(named: "assay.yaml", contents: lines.joined(separator: "\n"))
        let clock = ContinuousClock()
        var thrown: DiagnosticsError?
        let elapsed = clock.measure { thrown = #expect(throws: DiagnosticsError.self) { try ConfigLoader.load(file: path) } }
        #expect(elapsed < .seconds(1))
        #expect(thrown?.code == .config)
        #expect(thrown?.diagnostics.map(\.description).first?.hasPrefix("\(path):7:") == true, "\(String(describing: thrown))")
        #expect(thrown?.diagnostics.first?.message.contains("aliases expand this document past 100000 extra nodes") == true)
    }
}
