#!/usr/bin/env python3
"""Every `import X` in a target's Swift files must be a dependency that target declares in
Package.swift (a module reached only through another dependency links by accident and breaks
when that dependency changes). Reads `swift package dump-package`; prints file:line for each
undeclared import and exits 1. Usage: scripts/check-imports.py [package-path]  (default: .)
"""
import json
import os
import re
import subprocess
import sys

# Modules of the toolchain and the platform, importable without a package dependency.
SYSTEM = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Dispatch",
    "Glibc", "Musl", "Darwin", "Android", "WinSDK", "Synchronization", "Testing", "XCTest",
    "_Concurrency", "_StringProcessing", "RegexBuilder", "os", "Observation", "Distributed",
}
# Modules no product exposes, imported on purpose: Yams's C parser (its alias counting,
# AliasBudget.swift) is a target of the Yams package, not a product one could declare.
UNDECLARABLE = {"AssaySuites": {"CYaml"}}
IMPORT = re.compile(r"^\s*(?:@[\w()]+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?"
                    r"([A-Za-z_][A-Za-z0-9_]*)")


def declared_modules(target):
    """Module names a target may import: its target dependencies and its products' names."""
    names = set()
    for dependency in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                names.add(dependency[kind][0])
    return names


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    package = json.loads(subprocess.run(["swift", "package", "--package-path", root, "dump-package"],
                                        check=True, capture_output=True, text=True).stdout)
    problems = []
    for target in package["targets"]:
        if target["type"] == "system":
            continue
        folder = target.get("path") or os.path.join("Tests" if target["type"] == "test" else "Sources", target["name"])
        allowed = declared_modules(target) | SYSTEM | {target["name"]} | UNDECLARABLE.get(target["name"], set())
        for directory, _, files in os.walk(os.path.join(root, folder)):
            for name in sorted(files):
                if not name.endswith(".swift"):
                    continue
                path = os.path.join(directory, name)
                with open(path, encoding="utf-8") as file:
                    in_string = False  # inside a multi-line string literal (e.g. Python source in a test)
                    for number, line in enumerate(file, 1):
                        if line.count('"""') % 2 == 1:
                            in_string = not in_string
                            continue
                        match = None if in_string else IMPORT.match(line)
                        if match and match.group(1) not in allowed:
                            problems.append(f"{os.path.relpath(path, root)}:{number}: imports {match.group(1)}, "
                                            f"which target {target['name']} does not declare in Package.swift")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} undeclared import(s): add each module to its target's dependencies in Package.swift")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
