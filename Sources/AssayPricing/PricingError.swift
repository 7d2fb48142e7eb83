import AssayCore

/// The errors pricing sources raise, as `AssayError`s naming the source, file, row and field.
enum PricingError {
    static func fetch(_ url: String, _ message: String) -> AssayError {
        AssayError(.provider, "cannot fetch \(url): \(message)",
                   hint: "check the URL, the network and HTTPS_PROXY / NO_PROXY; nothing was changed")
    }

    static func file(_ path: String, _ message: String) -> AssayError {
        AssayError(.io, "cannot read \(path): \(message)")
    }

    static func data(_ where: String, _ message: String) -> AssayError {
        AssayError(.suite, "\(`where`): \(message)")
    }
}
