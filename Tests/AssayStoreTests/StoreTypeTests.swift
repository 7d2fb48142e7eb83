import AssayCore
import AssayStore
import Foundation
import GRDB
import Testing

@Suite("Store statuses and errors")
struct StoreTypeTests {
    @Test("statuses are stored as the text the schema's CHECKs name")
    func statusText() throws {
        let database = try AssayDatabase.inMemory()
        let run = try database.startRun(trigger: "test", budget: nil, configSHA256: "cfg")
        #expect(run.status == .running)
        try database.finishRun(id: run.id!, status: .interrupted, spent: .zero, note: nil)
        let stored = try database.writer.read { db in try String.fetchOne(db, sql: "SELECT status FROM run") }
        #expect(stored == "interrupted")
        #expect(try database.latestUnfinishedRun()?.status == .interrupted)
        #expect(SampleStatus.allCases.map(\.rawValue) == ["ok", "error"])
        #expect(RunStatus.allCases.map(\.rawValue) == ["running", "finished", "failed", "interrupted"])
    }

    @Test("a failed statement is an AssayError(.database) with SQLite's message, never a GRDB error")
    func errorsAreMapped() throws {
        let database = try AssayDatabase.inMemory()
        let error = try #require(throws: AssayError.self) {
            try database.insertSamples([SampleRecord(jobId: 999, itemId: 999, epoch: 0, status: .ok)])
        }
        #expect(error.code == .database && error.exitCode == 74)
        #expect(error.message.hasPrefix("database: ") && error.message.contains("FOREIGN KEY"), "\(error.message)")
        #expect(AssayDatabase.describe(error) == String(error.message.dropFirst("database: ".count)))
    }
}
