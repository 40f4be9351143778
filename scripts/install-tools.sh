#!/usr/bin/env bash
# Installs, once, every tool the build and the tests need, from the registries this project may
# reach (crates.io, npm, Debian). Safe to run again: each step checks first and is skipped when
# the right version is already there. Called by `make tools` (and so by `make run`/`make test`).
#   scripts/install-tools.sh build   - wasm target, trunk, wasm-bindgen-cli, wasm-opt, esbuild
#   scripts/install-tools.sh test    - the above plus chromium, chromium-driver, firefox-esr,
#                                      geckodriver, webkit2gtk-driver, xvfb, PostgreSQL, and
#                                      the npm and PyPI tools the tests drive
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=123
ESBUILD_VERSION=0.28.2
JSON_SERVER_VERSION=0.17.4
AXE_CORE_VERSION=4.14.1
SCHEMATHESIS_VERSION=4.32.5
MAILDEV_VERSION=3.0.0
GECKODRIVER_VERSION=0.36.0
# wasm-bindgen-cli must match the wasm-bindgen crate the app links, exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
TOOLS=.tools

say() { echo "tools: $*" >&2; }

grep -q "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml || {
    say "Trunk.toml [tools] wasm_bindgen must be \"$WASM_BINDGEN_VERSION\" (the version in Cargo.lock)"
    exit 1
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (about 14 minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    # Not --locked: one of its locked dependencies is missing from the registry.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# esbuild minifies what trunk copies as it is: the loader and wasm-bindgen's bindings
# (scripts/minify.sh).
BUILD_NPM=("binaryen@$BINARYEN_VERSION" "esbuild@$ESBUILD_VERSION")
if ! "$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION" \
    || [ "$("$TOOLS/node_modules/.bin/esbuild" --version 2>/dev/null)" != "$ESBUILD_VERSION" ]; then
    say "installing wasm-opt and esbuild (npm binaryen@$BINARYEN_VERSION, esbuild@$ESBUILD_VERSION)"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-save --no-audit --no-fund "${BUILD_NPM[@]}" >&2
fi

# brotli compresses the release build once (scripts/compress.sh) and measures it (size.sh).
if ! command -v brotli >/dev/null; then
    say "installing Debian's brotli"
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq brotli >&2
fi

if [ "${1:-build}" = test ]; then
    # For the end-to-end tests: json-server, a widely used JSON store that knows nothing about
    # this project, receives the generic backend profiles; axe-core audits accessibility;
    # maildev is a real SMTP server with a REST API to read what arrived (the mail tests).
    # One npm call with every package, so that none prunes another.
    if [ ! -x "$TOOLS/node_modules/.bin/json-server" ] \
        || ! grep -q "\"version\": \"$AXE_CORE_VERSION\"" "$TOOLS/node_modules/axe-core/package.json" 2>/dev/null \
        || ! grep -q "\"version\": \"$MAILDEV_VERSION\"" "$TOOLS/node_modules/maildev/package.json" 2>/dev/null; then
        say "installing json-server@$JSON_SERVER_VERSION, axe-core@$AXE_CORE_VERSION and maildev@$MAILDEV_VERSION (npm)"
        mkdir -p "$TOOLS"
        npm install --prefix "$TOOLS" --no-save --no-audit --no-fund "${BUILD_NPM[@]}" \
            "json-server@$JSON_SERVER_VERSION" "axe-core@$AXE_CORE_VERSION" "maildev@$MAILDEV_VERSION" >&2
    fi
    # pdftotext (poppler-utils) reads the page Chromium prints, for the print test.
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
        || ! command -v pdftotext >/dev/null; then
        say "installing Debian's chromium, chromium-driver and poppler-utils"
        if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver poppler-utils >&2
    fi
    # schemathesis (PyPI), the OpenAPI fuzzer the contract test runs (e2e/tests/contract.rs), in
    # a virtual environment of its own.
    if [ "$("$TOOLS/st/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
        say "installing schemathesis $SCHEMATHESIS_VERSION (PyPI) into $TOOLS/st"
        if ! python3 -m venv --clear "$TOOLS/st" >&2; then
            if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
            $SUDO apt-get update -qq
            DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >&2
            python3 -m venv --clear "$TOOLS/st" >&2
        fi
        "$TOOLS/st/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
    fi
    # The other engines the e2e tests drive (e2e/tests/engines.rs): Firefox ESR and WebKitGTK
    # (its WebDriver drives MiniBrowser, which needs a display: xvfb-run gives it a virtual
    # one), from Debian; geckodriver, Firefox's WebDriver, built once from crates.io.
    # xvfb-run needs xauth, which xvfb only recommends.
    if ! command -v firefox-esr >/dev/null || ! command -v WebKitWebDriver >/dev/null \
        || ! command -v xvfb-run >/dev/null || ! command -v xauth >/dev/null; then
        say "installing Debian's firefox-esr, webkit2gtk-driver, xvfb and xauth"
        if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq firefox-esr webkit2gtk-driver xvfb xauth >&2
    fi
    if [ "$("$TOOLS/bin/geckodriver" --version 2>/dev/null | head -1 | cut -d' ' -f2)" != "$GECKODRIVER_VERSION" ]; then
        say "building geckodriver $GECKODRIVER_VERSION (crates.io) into $TOOLS/bin (a few minutes, once)"
        cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --root "$TOOLS" >&2
    fi
    # PostgreSQL's server binaries: the tests run a throwaway cluster of their own (pgtest/),
    # never the system's service.
    # openssl makes the certificates of the TLS test's cluster.
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v openssl >/dev/null; then
        say "installing Debian's postgresql and openssl (the tests' own clusters, with TLS)"
        if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql openssl >&2
    fi
fi
