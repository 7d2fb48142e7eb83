#!/usr/bin/env bash
# Builds a release `assay` with the Swift runtime and Foundation linked in
# (`swift build -c release --static-swift-stdlib`) and puts it, with the resource bundles it
# reads at run time, in one folder to copy to a server: dist/assay/ unless a folder is named.
#
#   scripts/build-static.sh [--strip] [OUTPUT_DIR]
#
# --strip removes the symbols (205 MB → 94 MB on 2026-12-07; crash backtraces then show
# addresses instead of function names).
#
# Needs (Debian/Ubuntu, as scripts/install-deps.sh installs): libcurl4-openssl-dev (Foundation's
# networking and the price scraper link libcurl), libxml2-dev (the price scraper), libsqlite3-dev
# (GRDB). What is not linked in — glibc, libstdc++, libcurl, libxml2, libsqlite3 and their own
# dependencies — must be on the target machine; the script lists them at the end (ldd).
# docs/deploy.md, "Static binary", says why it is not fully static.
set -euo pipefail
cd "$(dirname "$0")/.."
strip_binary=false
if [ "${1:-}" = "--strip" ]; then strip_binary=true; shift; fi
out="${1:-dist/assay}"

for library in libcurl libxml-2.0 sqlite3; do
  if ! pkg-config --exists "$library"; then
    echo "build-static: $library is missing (pkg-config): run scripts/install-deps.sh (libcurl4-openssl-dev, libxml2-dev, libsqlite3-dev)" >&2
    exit 1
  fi
done

flags=(-c release --static-swift-stdlib --product assay)
swift build "${flags[@]}"
bin="$(swift build "${flags[@]}" --show-bin-path)"

rm -rf "$out"
mkdir -p "$out"
cp "$bin/assay" "$out/assay"
if $strip_binary; then strip "$out/assay"; fi
# Bundle.module looks for each target's resources beside the executable.
for bundle in "$bin"/*.resources; do
  [ -e "$bundle" ] && cp -R "$bundle" "$out/"
done

echo "build-static: $out/assay ($(du -h "$out/assay" | cut -f1)), resources: $(cd "$out" && ls -d ./*.resources 2>/dev/null | tr '\n' ' ')"
echo "build-static: shared libraries it links (the target needs them and what they link in turn; ldd lists all):"
readelf -d "$out/assay" | sed -n 's/.*Shared library: \[\(.*\)\]/  \1/p' | grep -v 'ld-linux' || true
if ldd "$out/assay" | grep -q -E 'libswift|libFoundation'; then
  echo "build-static: the Swift runtime is still linked dynamically" >&2
  exit 1
fi
