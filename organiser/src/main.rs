//! The organiser page's entry point (see the library, `lib.rs`).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(tilmelding_organiser::App);
}
