import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// `postgres:` done wrong stops the command at start with a message that says what to fix, and
/// never shows the password.
@Suite("Shared store: bad settings")
struct SharedStoreCLITests {
    @Test("an unset password variable is exit 78 naming it; an unreachable server is exit 74 naming the URL; a password in the URL is refused unrepeated")
    func badSettings() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let closedPort = try PostgresServer.freePort()
        try ServeFixture.write("postgres:\n  url: postgres://assay@127.0.0.1:\(closedPort)/assay\n  password_env: ASSAY_TEST_UNSET_PASSWORD\n", to: directory)
        let unset = try await AssayProcess.runDetached(["report"], in: directory)
        #expect(unset.status == 78 && unset.stderr.contains("ASSAY_TEST_UNSET_PASSWORD"), "\(unset.stderr)")

        let unreachable = try await AssayProcess.runDetached(["keys", "list"], in: directory,
                                                             environment: ["ASSAY_TEST_UNSET_PASSWORD": "pw-never-shown-7731"])
        #expect(unreachable.status == 74, "\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("postgres://assay@127.0.0.1:\(closedPort)/assay"))
        #expect(!unreachable.stderr.contains("pw-never-shown-7731"))

        try ServeFixture.write("postgres:\n  url: postgres://assay:hunter2-7731@127.0.0.1:5432/assay\n", to: directory)
        let inURL = try await AssayProcess.runDetached(["report"], in: directory)
        #expect(inURL.status == 78 && inURL.stderr.contains("assay.yaml:3") && inURL.stderr.contains("password_env"), "\(inURL.stderr)")
        #expect(!inURL.stderr.contains("hunter2"))
    }
}
