//! Entry point of the manage bundle: the programme and a submission opened through its manage
//! link ("Se, ret eller afmeld"). The loader (`embed.js`) loads it only on a page that carries
//! a manage link, so the registration path never carries the manage view.

use leptos::prelude::*;
use tilmelding::components::manage::Manage;
use tilmelding::config::Config;
use tilmelding::manage_link;
use tilmelding_domain::Meeting;

fn main() {
    console_error_panic_hook::set_once();
    tilmelding::start(manage);
}

fn manage(meeting: Meeting, config: Config) -> AnyView {
    // The loader chose this bundle for the link; without a token (storage refused, say) the
    // server answers that the link does not work, and the view says so.
    let token = manage_link::manage_token().unwrap_or_default();
    view! { <Manage meeting config token/> }.into_any()
}
