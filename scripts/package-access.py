#!/usr/bin/env python3
"""`public` only where the separate packages (Benchmarks/, Fuzz/) need it; `package` everywhere else.

Usage: scripts/package-access.py [CHECKOUT] [--no-build | --quick] [--rounds N]   (CHECKOUT defaults to .)

Assay's library modules see each other through `package` access (one SwiftPM package). Only the
Benchmarks/ and Fuzz/ packages import Assay's library products from outside, so only what they
use, and what that use drags in, has to be `public`. This script rewrites the explicit access
modifier of every `public` or `package` declaration in Sources/ and Tests/AssayTestSupport/ to
one of the two, and is meant to be RE-RUN after merging branches that added new `public` code.

Phase 1 (text only, seconds): a declaration stays `public` when it is in the keep set, the
closure of
  - names the Benchmarks/Fuzz sources mention: top-level declarations by name, members by name
    when their enclosing type stays public (or is a type of another module: String, Logger, ...);
  - the declarations in scripts/package-access-keep.txt (what phase 2 learned; see below);
  - every type named in the signature of a kept declaration (parameters, results, property types,
    default argument values, generic constraints, inheritance clauses, a typealias's target,
    a kept enum's case payloads, a kept protocol's requirements), and the types enclosing it;
  - in a kept type: its initializers, subscripts, operators, type aliases, and members whose
    names are protocol requirements (the standard library's usual witnesses listed in WITNESSES,
    and the requirements of the repository's own protocols it conforms to); in an extension
    of a kept protocol: members that are default implementations of its requirements.
  Everything else with an explicit `public` becomes `package`. Declarations without a modifier
  (internal) and `private`/`fileprivate` ones are never touched. The result depends only on the
  source and the keep file, so running the script twice changes nothing the second time.

Phase 2 (builds, skipped with --no-build): build the root package with its tests, then the
Benchmarks package, then every Fuzz target (compile only, no fuzzer flags: access does not
change what links). Each access error the compiler prints (a witness that must be public, a
public declaration using a package type, a name Benchmarks/Fuzz cannot see, ...) is traced to
the declaration it concerns, which is appended to scripts/package-access-keep.txt ("path<TAB>
qualified name", sorted); phase 1 then runs again and the builds repeat, until they pass or a
round learns nothing. Commit the keep file with the rewrite: on a later run (e.g. on a main that
gained code from other branches) phase 1 already knows those declarations, so phase 2 needs at
most a round or two for the new code.

--quick replaces the Benchmarks and Fuzz builds of phase 2 by type-checking their sources with
swiftc against the modules the root build just made (flags from .build/debug.yaml), under a
package name of their own so that `package` declarations are invisible to them, as to the real
packages: seconds instead of minutes (a first build of Benchmarks or Fuzz compiles every
dependency again, ~40 min on 2 busy cores). Sharing Benchmarks' build folder with Fuzz
(--scratch-path) does not work: SwiftPM keeps the first package's build description there.

Typical re-run after a merge: scripts/package-access.py --quick, then build Benchmarks once
(swift build --package-path Benchmarks) and commit Sources/, Tests/ and the keep file.

Exit status: 0 when the builds pass (or --no-build), 1 when a round learned nothing while a
build still fails (its errors are printed), 2 on bad usage.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

KEEP_FILE = "scripts/package-access-keep.txt"
REWRITTEN_DIRS = ("Sources", "Tests/AssayTestSupport")
EXTERNAL_DIRS = ("Benchmarks/Sources", "Fuzz/Sources")
TYPE_KINDS = {"struct", "enum", "class", "actor", "protocol", "typealias"}
# Requirements of standard-library / dependency protocols that a public type's members commonly
# witness; a witness of a public protocol in a public type must itself be public.
WITNESSES = {
    "description", "debugDescription", "errorDescription", "failureReason", "recoverySuggestion",
    "helpAnchor", "localizedDescription", "hash", "hashValue", "encode", "rawValue", "allCases", "id",
    "callAsFunction", "makeIterator", "makeAsyncIterator", "next", "startIndex", "endIndex", "index",
    "run", "handle", "respond", "response", "log", "logLevel", "metadata", "metadataProvider",
    "coreContext", "requestDecoder", "responseEncoder", "databaseTableName", "databaseSelection",
    "persistenceConflictPolicy", "didInsert", "databaseColumnDecodingStrategy", "databaseColumnEncodingStrategy",
    "databaseDecodingUserInfo", "databaseEncodingUserInfo", "databaseJSONDecoder", "databaseJSONEncoder",
    "databaseDateDecodingStrategy", "databaseDateEncodingStrategy", "databaseUUIDEncodingStrategy", "CodingKeys", "Element", "Iterator", "AsyncIterator",
    "Failure", "RawValue", "ID", "Context", "Input", "Output", "Body",
}
KEYWORDS = {
    "let", "var", "func", "init", "case", "if", "else", "return", "in", "where", "some", "any", "throws",
    "rethrows", "async", "await", "try", "inout", "self", "Self", "true", "false", "nil", "static", "public",
    "package", "internal", "private", "fileprivate", "struct", "enum", "class", "protocol", "extension",
    "typealias", "mutating", "nonisolated", "get", "set", "final", "actor", "subscript", "_", "as", "is",
}
MODIFIERS = (r"(?:(?:static|class|final|override|mutating|nonmutating|nonisolated|convenience|required|indirect|"
             r"lazy|weak|unowned|dynamic|isolated|consuming|borrowing|(?:private|fileprivate|internal|package|public)"
             r"\(set\))\s+)*")
DECL = re.compile(r"^(\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*)(public|package)(\s+)(" + MODIFIERS + r")"
                  r"(struct|enum|class|actor|protocol|extension|func|var|let|init|subscript|typealias|"
                  r"associatedtype|macro)\b[?!]?\s*([A-Za-z_][A-Za-z0-9_.]*|`[^`]+`|[^\sA-Za-z_(<`]+)?")
# Type and extension headers with any modifiers (or none), to track the enclosing type.
HEADER = re.compile(r"^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private|final|"
                    r"indirect|open)\s+)*(struct|enum|class|actor|protocol|extension)\s+([A-Za-z_][A-Za-z0-9_.]*)")
MEMBER = re.compile(r"^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*" + MODIFIERS +
                    r"(case|func|var|let|init|subscript|associatedtype|typealias)\b[?!]?\s*([A-Za-z_][A-Za-z0-9_]*|`[^`]+`)?")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def strip_code(text):
    """The text with comments and string-literal contents blanked (same length, newlines kept),
    so braces and identifiers are counted only in code. Interpolations are kept as code."""
    out = list(text)
    i, n = 0, len(text)
    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    def skip_string(i, hashes, triple):
        """From the first character of a string body; returns the index after the closing quote."""
        close = ('"""' if triple else '"') + "#" * hashes
        while i < n:
            if text.startswith(close, i):
                blank(i, i + len(close))
                return i + len(close)
            if text[i] == "\\" and text.startswith("#" * hashes, i + 1):
                j = i + 1 + hashes
                if j < n and text[j] == "(":
                    # interpolation: code until the matching parenthesis
                    blank(i, j + 1)
                    depth, k = 1, j + 1
                    while k < n and depth:
                        if text[k] == '"':
                            triple2 = text.startswith('"""', k)
                            k = skip_string(k + (3 if triple2 else 1), 0, triple2)
                            continue
                        if text[k] == "(":
                            depth += 1
                        elif text[k] == ")":
                            depth -= 1
                        k += 1
                    out[k - 1] = " "
                    i = k
                    continue
                blank(i, min(j + 1, n))
                i = j + 1
                continue
            if not triple and text[i] == "\n":
                return i  # unterminated: stop at the line end
            blank(i, i + 1)
            i += 1
        return i

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif c == "#" and re.match(r'#+"', text[i:i + 8]):
            hashes = len(re.match(r"#+", text[i:]).group(0))
            triple = text.startswith('"""', i + hashes)
            start = i + hashes + (3 if triple else 1)
            blank(i, start)
            i = skip_string(start, hashes, triple)
        elif c == '"':
            triple = text.startswith('"""', i)
            start = i + (3 if triple else 1)
            blank(i, start)
            i = skip_string(start, 0, triple)
        else:
            i += 1
    return "".join(out)


class Decl:
    """A declaration with an explicit `public` or `package` modifier (or an implicit member of
    an enum or protocol: cases and requirements, which follow their type)."""

    def __init__(self, path, line, kind, name, scope, signature, explicit):
        self.path, self.line, self.kind, self.name, self.scope = path, line, kind, name, scope
        self.signature, self.explicit = signature, explicit
        self.qualified = f"{scope}.{name}" if scope else name
        self.keep = False
        self.inherits = []  # for types and extensions: names in the inheritance clause

    def key(self):
        return f"{self.path}\t{self.qualified}"


def swift_files(root, dirs):
    for d in dirs:
        for dirpath, dirnames, files in os.walk(os.path.join(root, d)):
            dirnames[:] = sorted(n for n in dirnames if n not in (".build", "Corpus"))
            for f in sorted(files):
                if f.endswith(".swift"):
                    yield os.path.join(dirpath, f)


def signature_text(code_lines, start):
    """A declaration's signature: from its line to the opening brace of its body (or the end of
    the statement), across wrapped lines."""
    text, depth = "", 0
    for k in range(start, min(start + 40, len(code_lines))):
        line = code_lines[k]
        for ch in line:
            if ch in "([<":
                depth += 1
            elif ch in ")]>":
                depth = max(0, depth - 1)
            elif ch == "{" and depth == 0:
                return text + line[:line.index("{")] if "{" in line else text
            text += ch
        text += "\n"
        stripped = line.rstrip()
        if depth == 0 and not stripped.endswith((",", "->", "=", ":", "&", "where")) and \
                not (k + 1 < len(code_lines) and code_lines[k + 1].lstrip().startswith(("->", "where", ":", "&", "throws", "async", "."))):
            return text
    return text


def parse(root):
    """Every declaration with an access modifier, every type and extension, with scopes."""
    decls, types, extensions, requirements = [], [], [], {}
    for path in swift_files(root, REWRITTEN_DIRS):
        rel = os.path.relpath(path, root)
        source = open(path, encoding="utf-8").read()
        code = strip_code(source)
        lines = code.split("\n")
        stack = []  # (brace depth at which the scope's body lives, qualified name, kind, Decl)
        depth = 0
        pending = None
        for number, line in enumerate(lines):
            scope = stack[-1][1] if stack else ""
            scope_kind = stack[-1][2] if stack else ""
            in_type_body = stack and stack[-1][0] == depth
            at_top = not stack and depth == 0
            header = HEADER.match(line) if (at_top or in_type_body) else None
            m = DECL.match(line) if (at_top or in_type_body) else None
            decl = None
            if m:
                kind = m.group(5)
                name = (m.group(6) or kind).strip("`")
                sig = signature_text(lines, number)
                decl = Decl(rel, number, kind, name, "" if kind == "extension" else scope, sig, True)
                decls.append(decl)
            elif in_type_body and scope_kind in ("enum", "protocol"):
                mm = MEMBER.match(line)
                if mm and (mm.group(1) == "case" and scope_kind == "enum" or scope_kind == "protocol"):
                    name = (mm.group(2) or mm.group(1)).strip("`")
                    decl = Decl(rel, number, mm.group(1), name, scope, signature_text(lines, number), False)
                    decls.append(decl)
                    if scope_kind == "protocol":
                        requirements.setdefault(scope, set()).add(name)
            if header:
                kind, name = header.group(1), header.group(2)
                qualified = name if kind == "extension" or not scope else f"{scope}.{name}"
                sig = signature_text(lines, number)
                after = re.sub(r"^[^:]*?\b" + kind + r"\s+[\w.]+\s*(<[^>]*>)?", "", sig.replace("\n", " "), count=1)
                inherits = IDENT.findall(after.split(" where ")[0]) if after.lstrip().startswith(":") else []
                if decl is None or decl.kind != kind:
                    decl = Decl(rel, number, kind, name, "" if kind == "extension" else scope, sig, False)
                decl.inherits = inherits
                decl.qualified = qualified
                (extensions if kind == "extension" else types).append(decl)
                pending = (qualified, kind, decl)
            for ch in line:
                if ch == "{":
                    depth += 1
                    if pending:
                        stack.append((depth, pending[0], pending[1], pending[2]))
                        pending = None
                elif ch == "}":
                    if stack and stack[-1][0] == depth:
                        stack.pop()
                    depth -= 1
            if pending and pending[2].line != number and line.strip() == "":
                pending = None
    return decls, types, extensions, requirements


def external_names(root):
    names = set()
    for path in swift_files(root, EXTERNAL_DIRS):
        names |= set(IDENT.findall(strip_code(open(path, encoding="utf-8").read())))
    split = set()
    for name in names:
        split |= set(name.split("."))
    return split


def read_keep(root):
    path = os.path.join(root, KEEP_FILE)
    if not os.path.exists(path):
        return set()
    keep = set()
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line and not line.startswith("#"):
            keep.add(line)
    return keep


def write_keep(root, keep):
    path = os.path.join(root, KEEP_FILE)
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Declarations that must stay `public` which scripts/package-access.py's phase 1 cannot infer\n"
                "# (learned from compiler errors in its phase 2): path<TAB>qualified name. Keep sorted.\n")
        for entry in sorted(keep):
            f.write(entry + "\n")


def closure(root, decls, types, extensions, requirements, keep_entries):
    external = external_names(root)
    by_qualified, by_last = {}, {}
    for t in types + [d for d in decls if d.kind == "typealias" or d.kind == "associatedtype"]:
        by_qualified.setdefault(t.qualified, []).append(t)
        by_last.setdefault(t.qualified.split(".")[-1], []).append(t)
    ours = set(by_qualified)
    members = {}
    for d in decls:
        if d.kind not in ("struct", "enum", "class", "actor", "protocol", "extension"):
            members.setdefault(d.scope, []).append(d)
    # An extension's header decl is keyed by the extended type; its members have that scope.
    conformances = {}
    for t in types + extensions:
        conformances.setdefault(t.qualified, set()).update(x.split(".")[-1] for x in t.inherits)

    def resolve(name, scope):
        """Type declarations a (possibly dotted) name in `scope` refers to."""
        parts = name.split(".")
        head = parts[0]
        found = []
        s = scope
        while True:
            q = f"{s}.{head}" if s else head
            if q in by_qualified:
                found = by_qualified[q]
                prefix = q
                break
            if not s:
                break
            s = s.rsplit(".", 1)[0] if "." in s else ""
        if not found:
            if head not in by_last:
                return []
            candidates = by_last[head]
            if len(parts) == 1:
                return candidates
            prefix = candidates[0].qualified
        for part in parts[1:]:
            q = f"{prefix}.{part}"
            if q in by_qualified:
                found, prefix = by_qualified[q], q
            else:
                break
        return found

    def enclosing_public(scope):
        if not scope:
            return True
        if scope in by_qualified:
            return any(t.keep for t in by_qualified[scope])
        # A type of another module (String, Array, Logger, ...) or internal: members follow
        # their names. An internal type of ours is found by its last name component.
        return scope.split(".")[-1] not in by_last or any(t.keep for t in by_last[scope.split(".")[-1]])

    worklist = []

    def mark(d):
        if not d.keep:
            d.keep = True
            worklist.append(d)

    for d in decls + types:
        if d.key() in keep_entries:
            mark(d)
    changed = True
    while changed:
        changed = False
        for d in decls:
            if d.keep or not d.explicit and d.kind not in ("case",):
                continue
            if d.kind in TYPE_KINDS and not d.scope and d.name in external:
                mark(d)
            elif d.name in external and d.scope and enclosing_public(d.scope):
                mark(d)
            elif not d.scope and d.kind not in TYPE_KINDS and d.name in external:
                mark(d)
        while worklist:
            changed = True
            d = worklist.pop()
            scope_for_names = d.qualified if d.kind in ("struct", "enum", "class", "actor", "protocol") else d.scope
            # Types named in the signature.
            for name in IDENT.findall(d.signature):
                if name in KEYWORDS or name == d.name:
                    continue
                for t in resolve(name, scope_for_names):
                    mark(t)
                # A default argument value or an initial value may name a static member.
                last = name.split(".")[-1]
                for owner in (d.scope, scope_for_names):
                    for m in members.get(owner, []):
                        if m.name == last and m.kind in ("var", "let", "func") and d.kind in ("func", "init", "subscript"):
                            mark(m)
            # Enclosing types.
            s = d.scope
            while s:
                for t in by_qualified.get(s, []):
                    mark(t)
                s = s.rsplit(".", 1)[0] if "." in s else ""
            if d.kind in ("struct", "enum", "class", "actor", "protocol"):
                q = d.qualified
                names = set(WITNESSES)
                for proto in conformances.get(q, ()):
                    names |= requirements.get(proto, set())
                    for p in by_last.get(proto, []):
                        names |= requirements.get(p.qualified, set())
                    for t in by_last.get(proto, []):
                        if t.kind == "protocol" or t.kind == "class":
                            mark(t)
                for m in members.get(q, []):
                    if m.kind in ("init", "subscript", "typealias", "case", "associatedtype") or \
                            not (m.name[:1].isalpha() or m.name[:1] == "_") or m.name in names or \
                            (d.kind == "protocol" and not m.explicit):
                        mark(m)
                # An extension of this type adds conformances; its inheritance clause is public too.
                for e in extensions:
                    if e.qualified == q:
                        for name in e.inherits:
                            for t in resolve(name, q):
                                if t.kind in ("protocol", "class"):
                                    mark(t)
                if d.kind == "protocol":
                    # Default implementations in its extensions witness its requirements, or
                    # those of the protocols it refines (WITNESSES for other modules' protocols).
                    refined = set(WITNESSES) | requirements.get(q, set())
                    for proto in conformances.get(q, ()):
                        for p in by_last.get(proto, []):
                            refined |= requirements.get(p.qualified, set())
                    for m in members.get(q, []):
                        if m.name in refined:
                            mark(m)
    return decls


def rewrite(root, decls):
    """Sets each explicit modifier to `public` (kept) or `package`; returns (public, package) counts."""
    by_file = {}
    for d in decls:
        if d.explicit:
            by_file.setdefault(d.path, []).append(d)
    for rel, items in by_file.items():
        path = os.path.join(root, rel)
        lines = open(path, encoding="utf-8").read().split("\n")
        for d in items:
            line = lines[d.line]
            m = DECL.match(line)
            if not m:
                continue
            want = "public" if d.keep else "package"
            if m.group(2) != want:
                lines[d.line] = line[:m.start(2)] + want + line[m.end(2):]
        new = "\n".join(lines)
        if new != open(path, encoding="utf-8").read():
            open(path, "w", encoding="utf-8").write(new)
    # An extension's explicit modifier is the default of its members: keep it public if any of
    # its members must be public (else `'public' modifier conflicts with extension's default`).
    return sum(d.keep for d in decls if d.explicit), sum(not d.keep for d in decls if d.explicit)


def phase1(root):
    keep_entries = read_keep(root)
    decls, types, extensions, requirements = parse(root)
    # Types carry the Decl objects of their explicit declarations (same line, same file).
    type_index = {(t.path, t.line): t for t in types}
    merged = []
    for d in decls:
        t = type_index.get((d.path, d.line))
        if t is not None and d.kind == t.kind:
            t.explicit = True
            merged.append(t)
        else:
            merged.append(d)
    decls = merged
    closure(root, decls, types, extensions, requirements, keep_entries)
    # Extensions with an explicit modifier: public when a member in them is kept.
    for e in [d for d in decls if d.kind == "extension" and d.explicit]:
        e.keep = True  # conservative: an extension's modifier only sets its members' default
    return rewrite(root, decls)


def decl_at(root, rel, number, decls_cache={}):
    """The Decl whose signature covers line `number` (0-based) of file `rel`."""
    if "decls" not in decls_cache or decls_cache.get("root") != root:
        decls, types, extensions, requirements = parse(root)
        decls_cache["decls"], decls_cache["types"], decls_cache["root"] = decls, types, root
    best = None
    for d in decls_cache["decls"] + decls_cache["types"]:
        if d.path == rel and d.line <= number and number <= d.line + d.signature.count("\n"):
            if best is None or d.line > best.line:
                best = d
    return best


ERROR = re.compile(r"^(/[^:\n]+\.swift):(\d+):(\d+): (error|warning|note): (.*)$", re.M)


def learn(root, text):
    """Keep entries for the declarations the compiler's access errors point at."""
    entries = set()
    root_abs = os.path.realpath(root)
    decls, types, extensions, requirements = parse(root)
    everything = decls + types
    in_rewritten = lambda rel: rel.startswith(REWRITTEN_DIRS)
    messages = [(os.path.relpath(os.path.realpath(p), root_abs), int(l) - 1, k, msg)
                for p, l, _, k, msg in ERROR.findall(text)]
    for i, (rel, number, kind, msg) in enumerate(messages):
        if kind == "warning" and "modifier conflicts with extension" not in msg:
            continue
        access = re.search(r"\b(public|package|inaccessible|protection level|cannot find|has no member)\b", msg)
        if not access:
            continue
        if kind == "note":
            # "'x' declared here" after an access error; "mark the property as 'public' to satisfy
            # the requirement" at a witness (a default implementation may sit in another file).
            if ("declared here" in msg or "as 'public'" in msg) and in_rewritten(rel) and i > 0 and \
                    messages[i - 1][2] in ("error", "note"):
                d = decl_at(root, rel, number)
                if d:
                    entries.add(d.key())
            continue
        if in_rewritten(rel):
            d = decl_at(root, rel, number)
            if d is None:
                continue
            if re.search(r"must be declared public|must be as accessible|must be public", msg):
                entries.add(d.key())
            # A public declaration that uses a package type: the types it names become public.
            if "uses a package type" in msg or "is package and cannot be referenced" in msg or \
                    "package and cannot be" in msg or "must be declared package" in msg or \
                    "superclass" in msg or "cannot be declared public" in msg:
                named = set(re.findall(r"'([\w.]+)", msg))
                for name in set(IDENT.findall(d.signature)) | named:
                    last = name.split(".")[-1]
                    for t in everything:
                        if t.name == last and (t.kind in TYPE_KINDS or name in named):
                            entries.add(t.key())
            if "modifier conflicts with extension" in msg:
                entries.add(d.key())
        else:
            # Benchmarks/Fuzz cannot see a name: keep every declaration of that name.
            for name in re.findall(r"'([A-Za-z_][\w]*)(?:\([^']*\))?'", msg):
                if name in KEYWORDS:
                    continue
                for t in everything:
                    if t.name == name:
                        entries.add(t.key())
    return entries


def run(cmd, cwd, log):
    log.write(f"$ {' '.join(cmd)}\n")
    log.flush()
    result = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log.write(result.stdout)
    log.flush()
    return result.returncode == 0, result.stdout


def fuzz_targets(root):
    text = open(os.path.join(root, "Fuzz/Package.swift"), encoding="utf-8").read()
    return re.findall(r'fuzzTarget\("([\w-]+)"', text)


def root_compile_flags(root):
    """Search paths and C module maps of the root build's `assay` module (it reaches every
    dependency Benchmarks and Fuzz import), from .build/debug.yaml."""
    text = open(os.path.join(root, ".build/debug.yaml"), encoding="utf-8").read()
    m = re.search(r'"C\.assay-[^"]*-debug\.module":.*?\n\s+args: (\[.*?\])\n', text, re.S)
    if not m:
        return None
    args = json.loads(m.group(1))
    flags, i = [], 0
    while i < len(args):
        a = args[i]
        if a in ("-I", "-target", "-module-cache-path", "-sdk", "-Xcc", "-swift-version"):
            flags += [a, args[i + 1]]
            i += 2
            continue
        if a.startswith(("-F", "-I")) and len(a) > 2:
            flags.append(a)
        i += 1
    return flags


def quick_external_check(root, log):
    """Type-checks the Benchmarks and Fuzz sources against the modules the root build just made,
    as another package would (a package name of their own: `package` declarations are invisible).
    Seconds instead of building their packages; returns (passed, compiler output)."""
    flags = root_compile_flags(root)
    if flags is None:
        return True, ""
    work = tempfile.mkdtemp(prefix="package-access-")
    common = ["swiftc", "-typecheck", "-package-name", "assay_external_check", "-DSWIFT_PACKAGE"] + flags + \
             ["-I", work]
    outputs, ok_all = [], True

    def check(directory, module, extra, emit=False):
        nonlocal ok_all
        files = [os.path.join(directory, f) for f in sorted(os.listdir(directory)) if f.endswith(".swift")]
        if not files:
            return
        mode = ["-parse-as-library"] if "main.swift" not in map(os.path.basename, files) else []
        cmd = common + ["-module-name", module] + mode + extra + files
        if emit:
            cmd = [c for c in cmd if c != "-typecheck"] + ["-emit-module", "-emit-module-path",
                                                          os.path.join(work, module + ".swiftmodule")]
        ok, out = run(cmd, root, log)
        if not ok:
            ok_all = False
            outputs.append(out)

    bench = os.path.join(root, "Benchmarks/Sources")
    for target in sorted(os.listdir(bench)):
        check(os.path.join(bench, target), target.replace("-", "_"), [])
    fuzz = os.path.join(root, "Fuzz/Sources")
    header = os.path.join(fuzz, "CLibFuzzer/include/CLibFuzzer.h")
    modulemap = os.path.join(work, "module.modulemap")
    with open(modulemap, "w", encoding="utf-8") as f:
        f.write(f'module CLibFuzzer {{\n    umbrella header "{header}"\n    export *\n}}\n')
    cflags = ["-Xcc", f"-fmodule-map-file={modulemap}"]
    for support in ("FuzzSupport", "FuzzDrivers"):
        check(os.path.join(fuzz, support), support, cflags, emit=True)
    for target in fuzz_targets(root):
        check(os.path.join(fuzz, target), target.replace("-", "_"), cflags)
    shutil.rmtree(work, ignore_errors=True)
    return ok_all, "\n".join(outputs)


def builds(root, log, quick):
    """Runs the builds in order; returns (all passed, combined output of the failing ones)."""
    outputs, ok_all = [], True
    ok, out = run(["swift", "build", "--build-tests"], root, log)
    if not ok:
        return False, out  # Benchmarks and Fuzz compile the same modules: fix these first
    if quick:
        return quick_external_check(root, log)
    ok, out = run(["swift", "build", "--package-path", "Benchmarks"], root, log)
    if not ok:
        ok_all = False
        outputs.append(out)
    for target in fuzz_targets(root):
        cmd = ["swift", "build", "--package-path", "Fuzz", "--target", target]
        ok, out = run(cmd, root, log)
        if not ok:
            ok_all = False
            outputs.append(out)
    return ok_all, "\n".join(outputs)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = [a for a in argv if a.startswith("--")]
    rounds = 8
    if "--rounds" in argv:
        i = argv.index("--rounds")
        rounds = int(argv[i + 1])
        args.remove(argv[i + 1])
    if len(args) > 1 or any(f not in ("--no-build", "--rounds", "--quick") for f in flags):
        print(__doc__.strip().split("\n")[2], file=sys.stderr)
        return 2
    root = os.path.abspath(args[0] if args else ".")
    if not os.path.isdir(os.path.join(root, "Sources")) or not os.path.exists(os.path.join(root, "Benchmarks")):
        print(f"package-access: {root} is not an Assay checkout (no Sources/ or Benchmarks/); "
              "pass the checkout's path", file=sys.stderr)
        return 2
    public, package = phase1(root)
    print(f"package-access: phase 1: {public} public, {package} package")
    if "--no-build" in flags:
        return 0
    log_path = os.path.join(tempfile.gettempdir(), "package-access-build.log")
    with open(log_path, "w", encoding="utf-8") as log:
        for number in range(1, rounds + 1):
            ok, out = builds(root, log, quick="--quick" in flags)
            if ok:
                print(f"package-access: every build passes after {number} round(s)")
                return 0
            keep = read_keep(root)
            learned = learn(root, out) - keep
            if not learned:
                errors = sorted(set(re.findall(r"^.*error: .*$", out, re.M)))
                print("package-access: a build fails and its errors name nothing to make public:")
                print("\n".join(errors[:60]))
                print(f"package-access: full log: {log_path}")
                return 1
            write_keep(root, keep | learned)
            public, package = phase1(root)
            print(f"package-access: round {number} learned {len(learned)} declaration(s); "
                  f"now {public} public, {package} package")
    print(f"package-access: still failing after {rounds} rounds; log: {log_path}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
