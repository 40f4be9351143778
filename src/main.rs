//! Entry point of the widget's main bundle: the programme and the registration. A page opened
//! through a manage link gets the manage bundle instead (`src/bin/tilmelding-manage.rs`; the
//! loader, `embed.js`, chooses), so a visitor who registers never downloads the manage view.

use leptos::prelude::*;
use tilmelding::components::registration::Registration;
use tilmelding::config::Config;
use tilmelding_domain::Meeting;

fn main() {
    console_error_panic_hook::set_once();
    tilmelding::start(registration);
}

fn registration(meeting: Meeting, config: Config) -> AnyView {
    view! { <Registration meeting config/> }.into_any()
}
