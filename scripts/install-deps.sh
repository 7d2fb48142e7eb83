#!/usr/bin/env bash
# Installs the system libraries Assay links against, when they are missing (Debian/Ubuntu).
# libsqlite3-dev: GRDB links the system SQLite. libcurl4-openssl-dev and libxml2-dev: the
# pricing scraper and static-stdlib release builds (installed now so later builds just work).
set -euo pipefail
needed=()
for package in libsqlite3-dev libcurl4-openssl-dev libxml2-dev; do
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
