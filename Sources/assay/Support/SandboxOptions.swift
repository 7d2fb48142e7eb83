import ArgumentParser
import AssayHarness

/// The flag of every command that grades python-tests answers (docs/security.md).
struct SandboxOptions: ParsableArguments {
    @Flag(name: .customLong("allow-unsandboxed-code"),
          help: "Run model-written python-tests code even where bubblewrap cannot isolate it (only rlimits and an audit hook then; also ASSAY_SANDBOX=none).")
    var allowUnsandboxedCode = false

    func apply(to config: inout AssayConfig) {
        if allowUnsandboxedCode { config.allowUnsandboxedCode = true }
    }
}
