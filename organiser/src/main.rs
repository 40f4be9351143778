//! The organiser page (issue 17): sign in with the organiser's token, see who is coming per
//! municipality, decide membership applications, download the list. Talks to the reference
//! server through [`api`] only; the shapes and rules come from the domain crate.

mod api;
mod app;
mod texts;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
