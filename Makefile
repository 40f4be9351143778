# tilmelding: `make run` builds and serves the app; `make test` proves it. Both install what
# they need first (scripts/install-tools.sh), from registries only, once.

PORT ?= 8080
SERVER_BIN := target/server/tilmelding-server
# wasm-opt comes from npm (binaryen) into .tools; trunk finds it on PATH.
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TILMELDING_SERVER_BIN := $(CURDIR)/$(SERVER_BIN)
# The wasm names the crates' source files in its panic messages, and cargo compiles them where it
# unpacked them, under the builder's home folder: this names them from cargo's registry folder
# instead, so no builder's folder is in the bundles. Cargo's `trim-paths` does the same but is not
# stable yet. (Cargo adds these flags to .cargo/config.toml's.) One export's name still depends on
# where cargo keeps its registry (docs/performance.md, "Size").
CARGO_REGISTRY_SRC := $(or $(CARGO_HOME),$(HOME)/.cargo)/registry/src
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS := --remap-path-prefix=$(CARGO_REGISTRY_SRC)/=

.PHONY: run test tools test-tools fetch app server lint native-tests component-tests e2e-tests audit size bench clean

## run: release build, then the reference server on 127.0.0.1:$(PORT) (Ctrl-C stops it), with
## the shipped meetings and an example meeting four weeks ahead to register on
run: tools app server
	scripts/example-meeting.sh target/run/meetings
	@echo "tilmelding: try it on the example meeting: http://127.0.0.1:$(PORT)/?meeting=eksempel"
	PORT=$(PORT) TILMELDING_MEETINGS=target/run/meetings ./$(SERVER_BIN)

## test: every layer: domain and server tests, the size budget, then the release build in
## headless Chromium
test: test-tools app server native-tests component-tests size e2e-tests

## size: the release build's size against size-budget.txt
size: app
	scripts/size.sh check

## bench: size, startup against a static page, server throughput, big forms (target/bench/)
bench: test-tools app server
	cargo run --locked --profile server -p tilmelding-e2e --bin bench

tools:
	scripts/install-tools.sh build

test-tools:
	scripts/install-tools.sh test

# trunk --offline passes --offline to cargo, so the crates must be fetched first.
fetch:
	cargo fetch --locked

## app: the release builds of the widget into dist/, of its manage bundle into dist/manage/
## and of the organiser page into dist/organiser/ (all run wasm-opt; esbuild minifies the JS)
# In this order: trunk replaces the whole dist/ when it builds the widget, dist/organiser/ too.
app: fetch
	trunk build --release --offline
	cd manage && trunk build --release --offline
	cd organiser && trunk build --release --offline
	scripts/minify.sh
	scripts/compress.sh

## server: the reference server binary
server: fetch
	cargo build --locked --profile server -p tilmelding-server

# The server's API suite runs twice: on SQLite, then on PostgreSQL (a throwaway cluster the
# test process starts and removes, pgtest/).
native-tests: fetch
	cargo test --locked -p tilmelding-domain -p tilmelding-server -p tilmelding-pgtest
	TILMELDING_TEST_STORE=postgres cargo test --locked -p tilmelding-server --test api --test hostile --test organiser --test manage --test outbox --test reminders --test meetings --test members
	cargo test --locked -p tilmelding --lib --features ssr

## component-tests: the widget's and the organiser page's components mounted in headless
## Chromium (tests/, organiser/tests/), by
## wasm-bindgen-cli's runner (.cargo/config.toml) with Chromium's arguments in webdriver.json
component-tests: fetch
	CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked --target wasm32-unknown-unknown -p tilmelding --test components
	cd organiser && CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked --target wasm32-unknown-unknown -p tilmelding-organiser --test components

# Each test starts its own server and browser; two at a time suits the 2-core machines.
e2e-tests: fetch
	cargo test --locked -p tilmelding-e2e -- --test-threads=2

## audit: Lighthouse scores of the standalone and embedded pages (accessibility must be 100)
audit: test-tools app server
	scripts/audit.sh

## lint: formatting and clippy, as CI runs them
lint:
	scripts/layers.py
	scripts/doc-links.py
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown -p tilmelding --all-targets -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown -p tilmelding-organiser -- -D warnings

clean:
	rm -rf dist target/server
