import AssayCore
import AssayHarness
import Foundation
import Synchronization

/// Progress on stderr: on a terminal, a redrawn bar for the run and one for each job in
/// progress (samples done, errors, spend, ETA); otherwise (logs, CI) the same as plain lines
/// every few seconds, so long runs are never silent.
final class TerminalProgress: RunProgressReporter {
    private struct State {
        var lastDraw: Double = -1
        var total = 0
        /// Lines drawn last time on the terminal, to move back over.
        var drawnLines = 0
    }

    /// Job bars shown at once on a terminal; the rest are counted in a last line.
    static let maxJobLines = 4

    private let state = Mutex(State())
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let label: String

    init(label: String) { self.label = label }

    func started(total: Int, alreadyStored: Int) {
        state.withLock { $0.total = total }
        let stored = alreadyStored > 0 ? " (\(alreadyStored) already stored, not asked again)" : ""
        printError("\(label): \(total) request\(total == 1 ? "" : "s") to make\(stored)")
    }

    func update(_ snapshot: RunProgressSnapshot) {
        let interval = isTerminal ? 0.1 : 5.0
        let finished = snapshot.done == snapshot.total
        let previousLines = state.withLock { state -> Int? in
            guard finished || snapshot.elapsedSeconds - state.lastDraw >= interval else { return nil }
            state.lastDraw = snapshot.elapsedSeconds
            return state.drawnLines
        }
        guard let previousLines else { return }
        let eta = snapshot.etaSeconds.map { " eta \(Int($0.rounded()))s" } ?? ""
        let counts = "\(snapshot.done)/\(snapshot.total) errors \(snapshot.errors) spent \(snapshot.spent)\(eta)"
        let jobs = finished ? [] : snapshot.activeJobs
        if isTerminal {
            var lines = ["\(label) \(Self.bar(snapshot.done, of: snapshot.total, width: 30)) \(counts)"]
            for job in jobs.prefix(Self.maxJobLines) { lines.append("  " + Self.describe(job, now: snapshot.elapsedSeconds, bar: true)) }
            if jobs.count > Self.maxJobLines { lines.append("  … and \(jobs.count - Self.maxJobLines) more jobs in progress") }
            let up = previousLines > 1 ? "\u{1B}[\(previousLines - 1)A" : ""
            let clearBelow = "\u{1B}[J"
            let text = up + "\r" + clearBelow + lines.joined(separator: "\n") + (finished ? "\n" : "")
            FileHandle.standardError.write(Data(text.utf8))
            state.withLock { $0.drawnLines = finished ? 0 : lines.count }
        } else {
            printError("\(label): \(counts)")
            for job in jobs { printError("\(label):   " + Self.describe(job, now: snapshot.elapsedSeconds, bar: false)) }
        }
    }

    static func describe(_ job: JobProgress, now: Double, bar: Bool) -> String {
        let eta = job.etaSeconds(now: now).map { " eta \(Int($0.rounded()))s" } ?? ""
        let prefix = bar ? Self.bar(job.done, of: job.total, width: 12) + " " : ""
        return "\(prefix)\(job.label): \(job.done)/\(job.total) errors \(job.errors) spent \(job.spent)\(eta)"
    }

    static func bar(_ done: Int, of total: Int, width: Int) -> String {
        let filled = total == 0 ? width : width * min(done, total) / total
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    }
}
