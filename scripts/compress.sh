#!/usr/bin/env bash
# Writes brotli (.br) and gzip (.gz) copies of the release build's files next to them, which
# the reference server sends to browsers that accept them (the wasm is ~650 KB raw,
# ~210 KB brotli). Compressed once per build, at the highest levels, not per request.
set -euo pipefail
cd "$(dirname "$0")/.."
for f in dist/*.wasm dist/*.js dist/*.css dist/*.html \
    dist/manage/*.wasm dist/manage/*.js dist/manage/*.html \
    dist/organiser/*.wasm dist/organiser/*.js dist/organiser/*.css dist/organiser/*.html; do
    brotli -q 11 -f -o "$f.br" "$f"
    gzip -9 -n -c "$f" > "$f.gz"
done
