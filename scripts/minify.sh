#!/usr/bin/env bash
# Minifies the release build's JavaScript in place with esbuild: the loader (embed.js, which
# trunk copies as it is) and wasm-bindgen's bindings (trunk's own minifier stops at their
# `export default` with the warning "Failed to minify JS" and leaves them as they are). Both
# stay ES modules with their names for the page (the bindings' exports, the loader's texts);
# only whitespace, comments and local names go. The readable loader is embed.js in the
# repository.
set -euo pipefail
cd "$(dirname "$0")/.."
for f in dist/embed.js dist/tilmelding.js dist/manage/tilmelding-manage.js dist/organiser/*.js; do
    esbuild "$f" --minify --format=esm --log-level=warning --outfile="$f.min"
    mv "$f.min" "$f"
done
