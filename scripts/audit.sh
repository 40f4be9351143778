#!/usr/bin/env bash
# `make audit`: Lighthouse (npm, pinned; with Debian's Chromium, offline) against the release
# build on the reference server, on the standalone page and the embedded demo page. Prints the
# accessibility, best-practices, performance and SEO scores and writes the reports to
# target/audit/. Fails if accessibility is below 100.
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE_VERSION=12.2.3 # 13 needs Node 22; the machines have Node 20.
LH=.tools/lighthouse/node_modules/.bin/lighthouse
if ! "$LH" --version 2>/dev/null | grep -qx "$LIGHTHOUSE_VERSION"; then
    echo "audit: installing lighthouse@$LIGHTHOUSE_VERSION (npm)" >&2
    mkdir -p .tools/lighthouse
    npm install --prefix .tools/lighthouse --no-save --no-audit --no-fund -E "lighthouse@$LIGHTHOUSE_VERSION" >&2
fi

out=target/audit
mkdir -p "$out"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
db=$(mktemp -d)
TILMELDING_DB="$db/audit.sqlite3" TILMELDING_ADDR="127.0.0.1:$port" target/server/tilmelding-server >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$db"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done

status=0
# The embedded page with the host's own KL styling: the hostile theme is a test fixture whose
# own (host) elements fail contrast on purpose.
for page in "standalone:/" "embedded:/demo/?neutral"; do
    name=${page%%:*}
    url="http://127.0.0.1:$port${page#*:}"
    CHROME_PATH=/usr/bin/chromium "$LH" "$url" --quiet --output=json --output-path="$out/$name.json" \
        --only-categories=accessibility,best-practices,performance,seo \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --no-first-run --user-data-dir=$(mktemp -d)" \
        >/dev/null
    python3 - "$out/$name.json" "$name" <<'PY' || status=1
import json, sys
report = json.load(open(sys.argv[1]))
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items() if v["score"] is not None}
print(f"lighthouse {sys.argv[2]}: " + ", ".join(f"{k} {v}" for k, v in scores.items()))
for cat in ("accessibility", "best-practices"):
    for ref in report["categories"][cat]["auditRefs"]:
        a = report["audits"][ref["id"]]
        if ref["weight"] and a["score"] is not None and a["score"] < 1:
            print(f"  {cat}: {a['id']}: {a['title']}")
sys.exit(0 if scores.get("accessibility") == 100 else 1)
PY
done
exit $status
