#!/usr/bin/env bash
# Size of the release build a host page downloads: wasm, JS and CSS, raw, gzip and brotli.
#   scripts/size.sh report   - print the table (make bench)
#   scripts/size.sh check    - also fail if the brotli total exceeds size-budget.txt (make test)
# Size is deterministic for a given toolchain, so this is a check, not a timed test. The
# budget only ever goes down: lower it to the size reached whenever a change saves bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
files=(dist/tilmelding_bg.wasm dist/tilmelding.js dist/tilmelding.css dist/embed.js)
total_raw=0 total_gz=0 total_br=0
printf '%-26s %10s %10s %10s\n' file raw gzip brotli
for f in "${files[@]}"; do
    [ -f "$f" ] || { echo "size: $f missing; build with make app" >&2; exit 1; }
    raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
    printf '%-26s %10d %10d %10d\n' "${f#dist/}" "$raw" "$gz" "$br"
    total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
done
printf '%-26s %10d %10d %10d\n' total "$total_raw" "$total_gz" "$total_br"
if [ "${1:-report}" = check ]; then
    budget=$(grep -v '^#' size-budget.txt | tr -d '[:space:]')
    if [ "$total_br" -gt "$budget" ]; then
        echo "size: FAIL: $total_br bytes brotli is over the budget of $budget (size-budget.txt)" >&2
        exit 1
    fi
    echo "size: ok: $total_br bytes brotli, budget $budget"
fi
