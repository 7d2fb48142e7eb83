import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite("Tool support")
struct ToolSupportTests {
    @Test("a model listed with parameters but without tools is known not to take them; one listed without parameters is unknown")
    func withoutTools() throws {
        let database = try AssayDatabase(path: try Fixtures.temporaryDirectory() + "/assay.sqlite")
        try database.recordModelInfo([
            ModelInfo(model: ModelRef(provider: "or", model: "plain"), supportedParameters: ["max_tokens", "temperature"]),
            ModelInfo(model: ModelRef(provider: "or", model: "agent"), supportedParameters: ["max_tokens", "tool_choice", "tools"]),
            ModelInfo(model: ModelRef(provider: "or", model: "silent"), contextWindow: 8_000),
        ])
        #expect(try database.modelsWithoutTools() == [ModelRef(provider: "or", model: "plain")])
        try database.recordModelInfo([ModelInfo(model: ModelRef(provider: "or", model: "plain"), supportedParameters: ["tools"])])
        #expect(try database.modelsWithoutTools().isEmpty, "a later listing that adds tools clears it")
    }
}
