import AssayCore
import Testing

@Suite("Entry keys and objectives")
struct DomainKeyTests {
    @Test("an entry key reads and writes model@effort, splitting at the last @")
    func entryKey() throws {
        let key = EntryKey(ModelRef(provider: "openrouter", model: "openai/gpt-5"), .high)
        #expect(key.description == "openrouter/openai/gpt-5@high")
        #expect(EntryKey(key.description) == key)
        let odd = try #require(EntryKey("sim/m@beta@low"))
        #expect(odd.model == "sim/m@beta" && odd.effort == "low")
        #expect(EntryKey("sim/m") == nil && EntryKey("@low") == nil && EntryKey("sim/m@") == nil)
    }

    @Test("objectives parse by name; utility needs its lambda", arguments: [
        ("cheapest", nil, Objective.cheapest), ("best", 2.0, .best), ("utility", 5.0, .utility(lambda: 5)),
    ] as [(String, Double?, Objective)])
    func objectiveNames(name: String, lambda: Double?, expected: Objective) {
        #expect(Objective(name: name, lambda: lambda) == expected)
    }

    @Test("objective names are what answers and decisions report")
    func objectiveReported() {
        #expect(Objective.cheapest.name == "cheapest" && Objective.best.name == "best")
        #expect(Objective.utility(lambda: 2.5).name == "utility(lambda=2.5)")
        #expect(Objective(name: "utility") == nil && Objective(name: "fastest") == nil)
        #expect(Objective.names == ["cheapest", "best", "utility"])
    }
}
