import AssayCore
import Foundation

/// Grades a response by whether it matches the item's regular expression anywhere.
///
/// Patterns come from suite files and responses from models, so either may be hostile: a
/// pattern such as `(a+)+$` backtracks exponentially on `aaaa…!`. Matching runs on ICU
/// (`NSRegularExpression`), which reports progress while it backtracks; a match that outlasts
/// `timeLimitMs` is abandoned and graded as a fail that says so.
package enum RegexGrader {
    /// The longest one match may take, in milliseconds.
    package static let timeLimitMs = 500

    package enum Outcome: Sendable, Equatable {
        case matched
        case notMatched
        case invalidPattern(String)
        /// Stopped after `timeLimitMs`: the pattern backtracks too much on this response.
        case abandoned
    }

    static func grade(_ response: String, pattern: String, caseInsensitive: Bool) -> Grade {
        switch match(pattern: pattern, text: response, caseInsensitive: caseInsensitive) {
        case .matched: .pass("matches /\(pattern)/")
        case .notMatched: .fail("'\(excerpt(response))' does not match /\(pattern)/")
        case .invalidPattern(let problem): .fail("/\(pattern)/ is not a valid regular expression: \(problem)")
        case .abandoned:
            .fail("matching /\(pattern)/ was abandoned after \(timeLimitMs) ms "
                  + "(the pattern backtracks too much on this response); counted as no match")
        }
    }

    /// Whether the pattern matches; an abandoned or invalid match counts as no match.
    package static func matches(pattern: String, text: String, caseInsensitive: Bool) -> Bool {
        match(pattern: pattern, text: text, caseInsensitive: caseInsensitive) == .matched
    }

    /// Compiles `pattern` as the grader will, or says why it cannot be.
    package static func compile(_ pattern: String, caseInsensitive: Bool) -> Result<NSRegularExpression, RegexError> {
        do {
            return .success(try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : []))
        } catch {
            return .failure(RegexError(message: "\(error.localizedDescription)"))
        }
    }

    package struct RegexError: Error, Sendable {
        package var message: String
    }

    package static func match(pattern: String, text: String, caseInsensitive: Bool,
                             limit: Duration = .milliseconds(timeLimitMs)) -> Outcome {
        let regex: NSRegularExpression
        switch compile(pattern, caseInsensitive: caseInsensitive) {
        case .success(let compiled): regex = compiled
        case .failure(let error): return .invalidPattern(error.message)
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        var outcome = Outcome.notMatched
        // ICU calls back every few thousand steps while it works (`.reportProgress`), which is
        // where a runaway match is stopped.
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) { result, _, stop in
            if result != nil {
                outcome = .matched
                stop.pointee = true
            } else if clock.now >= deadline {
                outcome = .abandoned
                stop.pointee = true
            }
        }
        return outcome
    }
}
