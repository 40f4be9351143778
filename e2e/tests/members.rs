//! The network's members kept on the organiser page by an organiser signed in with a link from
//! the mail, in headless Chromium (the flow is `tilmelding_e2e::members`, which
//! `tests/engines.rs` runs in Firefox and WebKit too).

use tilmelding_e2e::Browser;
use tilmelding_e2e::members;

#[tokio::test]
async fn an_organiser_signs_in_by_mail_renews_ends_and_adds_members_and_the_widget_follows() {
    members::renew_end_add_and_register(&Browser::start().await).await;
}
