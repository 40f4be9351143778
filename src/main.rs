//! Entry point of the wasm bundle: everything else lives in the library so tests can use it.

fn main() {
    console_error_panic_hook::set_once();
    tilmelding::start();
}
