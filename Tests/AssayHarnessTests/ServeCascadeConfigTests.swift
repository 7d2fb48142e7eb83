import AssayCore
import AssayHarness
import AssaySuites
import Testing

/// `serve.cascade`: the plan file and whether the cascade is the default objective; bad values
/// reported with their line.
@Suite("Serve cascade config")
struct ServeCascadeConfigTests {
    @Test("plan and default are read; without the section there is no plan and no default")
    func valid() throws {
        let config = try ConfigLoader.parse(ServeRoutingConfigTests.head + """

            serve:
              cascade: {plan: results/cascade-plan.json, default: true}
            """, file: "assay.yaml")
        #expect(config.serve.cascadePlan == "results/cascade-plan.json" && config.serve.cascadeDefault)
        let defaults = try ConfigLoader.parse(ServeRoutingConfigTests.head, file: "assay.yaml")
        #expect(defaults.serve.cascadePlan == nil && !defaults.serve.cascadeDefault)
    }

    @Test("default without a plan, an unknown key and a wrong type are reported with line and key path")
    func invalid() throws {
        for (body, line, expected) in [
            ("  cascade: {default: true}", 6, "default: true needs 'plan: <file>'"),
            ("  cascade: {plan: p.json, threshold: 0.5}", 6, "unknown key 'threshold'"),
            ("  cascade: {plan: p.json, default: sometimes}", 6, "serve.cascade.default"),
            ("  cascade: {plan: \"\"}", 6, "serve.cascade.plan: must not be empty"),
        ] {
            do {
                _ = try ConfigLoader.parse(ServeRoutingConfigTests.head + "\nserve:\n" + body + "\n", file: "assay.yaml")
                Issue.record("expected an error for \(body)")
            } catch let error as DiagnosticsError {
                let lines = error.diagnostics.map(\.description)
                #expect(lines.contains { $0.hasPrefix("assay.yaml:\(line):") && $0.contains(expected) }, "\(lines)")
            }
        }
    }
}
