import AssayCore
import AssayHarness
import Foundation
import Synchronization

/// Progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise
/// (logs, CI), so long runs are never silent.
final class TerminalProgress: RunProgressReporter {
    private struct State {
        var lastDraw: Double = -1
        var total = 0
    }

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
        let shouldDraw = state.withLock { state -> Bool in
            guard finished || snapshot.elapsedSeconds - state.lastDraw >= interval else { return false }
            state.lastDraw = snapshot.elapsedSeconds
            return true
        }
        guard shouldDraw else { return }
        let eta = snapshot.etaSeconds.map { " eta \(Int($0.rounded()))s" } ?? ""
        let counts = "\(snapshot.done)/\(snapshot.total) errors \(snapshot.errors) spent \(snapshot.spent)\(eta)"
        if isTerminal {
            let width = 30
            let filled = snapshot.total == 0 ? width : width * snapshot.done / snapshot.total
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(label) \(bar) \(counts)\(finished ? "\n" : "")".utf8))
        } else {
            printError("\(label): \(counts)")
        }
    }
}
