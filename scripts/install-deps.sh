#!/usr/bin/env bash
# Installs what Assay's build and tests need, when it is missing (Debian/Ubuntu).
# libsqlite3-dev: GRDB links the system SQLite. libcurl4-openssl-dev and libxml2-dev: the
# pricing scraper and static-stdlib release builds (installed now so later builds just work).
# chromium (headless): the tests look at the HTML pages Assay writes (assay report --html) as a browser renders them.
# bubblewrap: the python-tests sandbox (docs/security.md); without it grading model-written code
# refuses unless --allow-unsandboxed-code is given.
# postgresql and nginx: the shared-store tests start a throwaway PostgreSQL server (initdb + pg_ctl from
# /usr/lib/postgresql/N/bin) and put three 'assay serve' replicas behind an nginx load balancer, all on loopback.
set -euo pipefail
# The tests validate catalog.json with Python's jsonschema, as an independent consumer would.
if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then
  echo "assay: installing the Python package jsonschema (used by the tests)" >&2
  python3 -m pip install --quiet jsonschema || echo "assay: could not install jsonschema; the catalog schema tests will fail" >&2
fi
# The serve tests drive 'assay serve' with the official openai and anthropic SDKs, as client services would.
if ! python3 -c "import openai, anthropic" >/dev/null 2>&1; then
  echo "assay: installing the Python packages openai and anthropic (used by the tests)" >&2
  python3 -m pip install --quiet openai anthropic || echo "assay: could not install openai and anthropic; the serve tests will fail" >&2
fi
needed=()
for package in libsqlite3-dev libcurl4-openssl-dev libxml2-dev bubblewrap chromium postgresql nginx; do
  dpkg -s "$package" >/dev/null 2>&1 || needed+=("$package")
done
if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "assay: please install ${needed[*]} (or your system's equivalent) and rerun" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "assay: installing ${needed[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${needed[@]}" >/dev/null
