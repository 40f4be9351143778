//! The organiser makes a meeting on the organiser page in headless Chromium (the flow is
//! `tilmelding_e2e::meetings`, which `tests/engines.rs` runs in Firefox and WebKit too), and a
//! pass with the keyboard alone: a copy made, changed and published.

use fantoccini::key::Key;
use serde_json::Value;
use tilmelding_e2e::Browser;
use tilmelding_e2e::meetings::{self, next_month, retype};
use tilmelding_e2e::organiser::{sign_in, with_mail};

#[tokio::test]
async fn a_consultant_copies_changes_publishes_moves_and_cancels_a_meeting() {
    meetings::copy_change_publish_move_and_cancel(&Browser::start().await).await;
}

#[tokio::test]
async fn a_meeting_is_copied_changed_and_published_with_the_keyboard_alone() {
    let (_maildev, server) = with_mail().await;
    let b = Browser::start().await;
    sign_in(&b, &server).await;
    b.tab_to("org-nav-meetings", 20).await;
    b.press(Key::Enter).await;
    b.tab_to("org-copy-date", 20).await;
    let (date, id) = next_month();
    b.type_slowly(&date).await;
    b.press(Key::Enter).await;
    b.wait_focus("m-editor-title").await;
    b.tab_to("m-theme", 40).await;
    retype(&b, "Byfornyelse med borgerne").await;
    // Enter in a field saves, as in every form.
    b.press(Key::Enter).await;
    b.wait_text("Gemt.").await;
    b.tab_to("m-publish", 200).await;
    b.press(Key::Enter).await;
    b.wait_text("Mødet er offentliggjort").await;
    let served: Value = reqwest::get(format!("{}/meetings/{id}.json", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(served["theme"], "Byfornyelse med borgerne");
}
