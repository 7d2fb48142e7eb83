import Foundation

extension Bubblewrap {
    /// `bwrap` set up for `python`, when it is installed and can start the interpreter here (it
    /// cannot, for example, for an ordinary user where unprivileged user namespaces are off).
    static func probe(python: String) -> Bubblewrap? {
        guard let executable = ["/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }),
            let files = interpreterFiles(python) else { return nil }
        var readOnly: [String] = []
        var links: [Link] = []
        for path in ["/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64", "/lib32"] {
            if let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                links.append(Link(path: path, destination: destination))
            } else if FileManager.default.fileExists(atPath: path) {
                readOnly.append(path)
            }
        }
        if FileManager.default.fileExists(atPath: "/etc/ld.so.cache") { readOnly.append("/etc/ld.so.cache") }
        for path in files.sorted() where !readOnly.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
            readOnly.append(path)
        }
        let sandbox = Bubblewrap(executable: executable, readOnly: readOnly, links: links, asRoot: geteuid() == 0)
        let check = sandbox.command(python: files.executable, runnerFolder: nil, diskMB: 1, arguments: ["-I", "-S", "-c", "print('ok')"])
        guard SandboxEnvironment.output(of: check) == "ok\n" else { return nil }
        return sandbox
    }

    struct InterpreterFiles {
        var executable: String
        var folders: [String]
        func sorted() -> [String] { ([executable] + folders).sorted() }
    }

    /// The interpreter's real executable and the folders it loads from (its library folder, the
    /// standard library and its extension modules), asked of the interpreter itself.
    static func interpreterFiles(_ python: String) -> InterpreterFiles? {
        let script = """
            import os, sys, sysconfig
            paths = [sysconfig.get_config_var('LIBDIR'), sysconfig.get_path('stdlib'), sysconfig.get_path('platstdlib')]
            print(os.path.realpath(sys.executable))
            for p in paths:
                if p and os.path.isdir(p): print(os.path.realpath(p))
            """
        guard let text = SandboxEnvironment.output(of: [python, "-I", "-S", "-c", script]) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard let executable = lines.first else { return nil }
        // Folders inside another one are bound with it.
        let folders = Set(lines.dropFirst()).sorted()
        let outermost = folders.filter { folder in !folders.contains { folder.hasPrefix($0 + "/") } }
        return InterpreterFiles(executable: executable, folders: outermost)
    }
}
