import AssayCore
import AssayProviders
import AssayRouter
import Synchronization

/// The conversations the server has routed, so the next turn can stay on the model that holds
/// its prompt cache when switching would lose more than it saves (the router decides; this
/// remembers). A conversation is named by the `x-assay-session` header, else by the hash of its
/// system prompt and first user message — the prefix every later turn repeats.
final class SessionTable: Sendable {
    struct Entry {
        var previous: String
        var promptTokens: Int
        var lastUsed: UInt64
    }

    let capacity: Int
    private let state = Mutex<(entries: [String: Entry], clock: UInt64)>(([:], 0))

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The conversation's name: the header, else the hash of its opening, or nil without a user
    /// message; within the calling client key's own space, so tenants never share a conversation.
    static func id(header: String?, client: String?, messages: [ChatRequest.Message]) -> String? {
        let space = (client ?? "") + "\u{0}"
        // A long header is kept as its hash: a client cannot make each of the table's entries 80 KB.
        if let header, !header.isEmpty { return space + "h:" + (header.utf8.count <= 64 ? header : sha256Hex(header)) }
        guard let first = messages.first(where: { $0.role == .user }) else { return nil }
        let system = messages.first(where: { $0.role == .system })?.content ?? ""
        return space + "p:" + sha256Hex(system + "\u{0}" + first.content)
    }

    /// The previous turn's route, for a conversation that has one.
    func session(_ id: String) -> RouteRequest.Session? {
        state.withLock { state in
            guard var entry = state.entries[id] else { return nil }
            state.clock += 1
            entry.lastUsed = state.clock
            state.entries[id] = entry
            return RouteRequest.Session(previous: entry.previous, cachedPromptTokens: entry.promptTokens)
        }
    }

    /// Remembers where a turn went and how long its prompt was (what that model now has cached).
    func record(_ id: String, entry: String, promptTokens: Int) {
        state.withLock { state in
            state.clock += 1
            state.entries[id] = Entry(previous: entry, promptTokens: promptTokens, lastUsed: state.clock)
            if state.entries.count > capacity {
                // Drop the least recently used tenth at once, so eviction is amortised.
                let drop = state.entries.sorted { $0.value.lastUsed < $1.value.lastUsed }.prefix(max(1, capacity / 10))
                for (key, _) in drop { state.entries[key] = nil }
            }
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
