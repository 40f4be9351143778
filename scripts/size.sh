#!/usr/bin/env bash
# Size of the release build a host page downloads, raw, gzip and brotli, for each path:
#   registration - what every visitor downloads: the main bundle, its bindings, the
#                  stylesheet and the loader;
#   manage       - what a page opened through a manage link downloads instead: the manage
#                  bundle, its bindings, the stylesheet and the loader.
#   scripts/size.sh report   - print the tables (make bench)
#   scripts/size.sh check    - also fail if a path's brotli total exceeds its line in
#                              size-budget.txt (make test)
# Size is deterministic for a given toolchain, so this is a check, not a timed test. A budget
# only ever goes down: lower it to the size reached whenever a change saves bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A paths=(
    [registration]="dist/tilmelding_bg.wasm dist/tilmelding.js dist/tilmelding.css dist/embed.js"
    [manage]="dist/manage/tilmelding-manage_bg.wasm dist/manage/tilmelding-manage.js dist/tilmelding.css dist/embed.js"
)
failed=0
for path in registration manage; do
    total_raw=0 total_gz=0 total_br=0
    echo "$path path:"
    printf '%-34s %10s %10s %10s\n' file raw gzip brotli
    for f in ${paths[$path]}; do
        [ -f "$f" ] || { echo "size: $f missing; build with make app" >&2; exit 1; }
        raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
        printf '%-34s %10d %10d %10d\n' "${f#dist/}" "$raw" "$gz" "$br"
        total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
    done
    printf '%-34s %10d %10d %10d\n' total "$total_raw" "$total_gz" "$total_br"
    if [ "${1:-report}" = check ]; then
        budget=$(grep -v '^#' size-budget.txt | awk -v p="$path" '$1 == p { print $2 }')
        [ -n "$budget" ] || { echo "size: size-budget.txt has no line for $path" >&2; exit 1; }
        if [ "$total_br" -gt "$budget" ]; then
            echo "size: FAIL: the $path path is $total_br bytes brotli, over its budget of $budget (size-budget.txt)" >&2
            failed=1
        else
            echo "size: ok: the $path path is $total_br bytes brotli, budget $budget"
        fi
    fi
done
exit "$failed"
