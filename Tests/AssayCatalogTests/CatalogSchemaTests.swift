import AssayCatalog
import AssayCatalogFormat
import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// catalog.json validated against catalog.schema.json by an independent validator (Python's
/// jsonschema), the way a consumer of the file would check it.
@Suite("Catalog schema")
struct CatalogSchemaTests {
    /// Exit status of validating `document` (a path) against `schema` with python3 + jsonschema.
    func validate(_ document: String, schema: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import json, sys, jsonschema
            jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
            """, document, schema]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    func sampleDocument() -> CatalogDocument {
        let facts = (0..<40).flatMap { index -> [SampleFact] in
            [("big", "high", 1.0, Int64(1_000)), ("big", "low", index % 9 == 0 ? 0 : 1, 300), ("small", "none", index % 4 == 0 ? 0 : 1, 10)]
                .map { model, effort, score, cost in
                    SampleFact(provider: "sim", model: model, effort: effort, task: index < 20 ? "math" : "reasoning", suite: "s",
                               itemKey: "i\(index)", epoch: 0, status: index == 7 && model == "small" ? .error : .ok,
                               score: score, costNusd: cost, latencyMs: 50 + index)
                }
        }
        // Prompts for most items, so the router section has a classifier and signatures.
        let prompts = Dictionary(uniqueKeysWithValues: (0..<36).map {
            (ItemRef(suite: "s", item: "i\($0)"), $0 < 20 ? "What is \($0) plus \($0 + 3)?" : "If all bloops are razzies, is bloop \($0) a razzie?")
        })
        return CatalogBuilder(margin: 0.05, prices: [:], prompts: prompts,
                              contextWindows: [ModelRef(provider: "sim", model: "big"): 200_000]).build(facts: facts)
    }

    @Test("a built catalog validates against the schema written beside it")
    func builtCatalogValidates() throws {
        let directory = try Fixtures.temporaryDirectory()
        let written = try CatalogWriter.write(sampleDocument(), to: directory)
        let schema = directory + "/catalog.schema.json"
        #expect(FileManager.default.fileExists(atPath: schema))
        let (status, errors) = try validate(written.jsonPath, schema: schema)
        #expect(status == 0, "\(errors)")
    }

    @Test("the schema rejects a float where money must be integer nano-USD, and another schema version")
    func schemaRejects() throws {
        let directory = try Fixtures.temporaryDirectory()
        let written = try CatalogWriter.write(sampleDocument(), to: directory)
        let schema = directory + "/catalog.schema.json"
        var json = try String(contentsOfFile: written.jsonPath, encoding: .utf8)
        let floatMoney = json.replacingOccurrences(of: "\"cost_per_task_nusd\":1000", with: "\"cost_per_task_nusd\":1000.5")
        #expect(floatMoney != json)
        try floatMoney.write(toFile: directory + "/float.json", atomically: true, encoding: .utf8)
        #expect(try validate(directory + "/float.json", schema: schema).0 != 0)
        json = json.replacingOccurrences(of: "\"schema_version\":3", with: "\"schema_version\":4")
        try json.write(toFile: directory + "/version.json", atomically: true, encoding: .utf8)
        #expect(try validate(directory + "/version.json", schema: schema).0 != 0)
    }
}
