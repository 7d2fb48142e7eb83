import AssayCore
import AssayStore
import AssaySuites

/// Grades stored answers again with the current graders (or another judge), without asking
/// the graded models anything: `assay regrade`.
package struct Regrader: Sendable {
    package let database: AssayDatabase
    package let grading: Grading

    package init(database: AssayDatabase, grading: Grading) {
        self.database = database
        self.grading = grading
    }

    package struct Summary: Sendable, Hashable, Encodable {
        package var regraded = 0
        package var errors = 0
        package var bySuite: [String: Int] = [:]
    }

    /// Regrades every stored answer of the current versions of `suites`.
    package func regrade(suites: [Suite]) async throws -> Summary {
        let bySHA = Dictionary(suites.map { ($0.contentSHA256, $0) }, uniquingKeysWith: { a, _ in a })
        let answers = try database.storedAnswers(suiteSHA256s: suites.map(\.contentSHA256))
        var summary = Summary()
        let grading = self.grading
        try grading.checkReady(for: suites)
        let updates = await withTaskGroup(of: (AssayDatabase.GradeUpdate, String)?.self) { group in
            for answer in answers {
                guard let suite = bySHA[answer.suiteSHA256], let item = suite.items.first(where: { $0.id == answer.itemKey }) else { continue }
                group.addTask {
                    let grader = suite.grader.typeName
                    do throws(Grading.Failure) {
                        let outcome = try await grading.grade(answer.response, suite: suite, item: item)
                        return (AssayDatabase.GradeUpdate(sampleID: answer.sampleID, score: outcome.grade.score, passed: outcome.grade.passed,
                                                          grader: grader, reason: outcome.grade.reason, detail: outcome.detail?.jsonText,
                                                          judge: outcome.judge, verdict: outcome.verdict, errorMessage: nil), suite.name)
                    } catch {
                        return (AssayDatabase.GradeUpdate(sampleID: answer.sampleID, score: nil, passed: nil, grader: grader, reason: nil,
                                                          detail: nil, judge: error.judge, verdict: error.verdict,
                                                          errorMessage: error.message), suite.name)
                    }
                }
            }
            var collected: [(AssayDatabase.GradeUpdate, String)] = []
            for await result in group { if let result { collected.append(result) } }
            return collected
        }
        for (update, suite) in updates {
            summary.regraded += 1
            summary.bySuite[suite, default: 0] += 1
            if update.errorMessage != nil { summary.errors += 1 }
        }
        try await database.updateGrades(updates.map(\.0))
        return summary
    }
}
