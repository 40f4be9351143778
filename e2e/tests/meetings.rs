//! The organiser makes a meeting on the organiser page in headless Chromium (the flow is
//! `tilmelding_e2e::meetings`, which `tests/engines.rs` runs in Firefox and WebKit too), a
//! pass with the keyboard alone (a copy made, changed and published), and writing that goes on
//! while a save is on its way over a slow line.

use fantoccini::key::Key;
use serde_json::Value;
use std::time::Duration;
use tilmelding_e2e::Browser;
use tilmelding_e2e::meetings::{self, next_month, retype};
use tilmelding_e2e::organiser::{TOKEN, sign_in, with_mail};

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

/// A consultant on a slow line presses Enter to save and goes on writing while the save is on
/// its way, then changes the venue with the arrow keys: nothing typed is lost, and the field
/// being written keeps the focus when the answer comes, as the venue's choice does when it
/// changes.
#[tokio::test]
async fn writing_goes_on_while_a_save_is_on_its_way() {
    let (_maildev, server) = with_mail().await;
    let b = Browser::start().await;
    sign_in(&b, &server).await;
    b.activate(b.button("Møder").await).await;
    let id = meetings::copy_next_month(&b).await;
    // Every answer from here on takes most of a second.
    b.slow_line(Duration::from_millis(800)).await;
    b.click_into(b.field("Tema").await).await;
    retype(&b, "Byfornyelse").await;
    b.press(Key::Enter).await;
    // The answer comes while these are typed.
    b.type_slowly(" med borgerne i centrum").await;
    b.wait_text("Gemt.").await;
    assert_eq!(b.focused_id().await, "m-theme");
    b.type_slowly("!").await;
    assert_eq!(
        b.value_of("m-theme").await,
        "Byfornyelse med borgerne i centrum!"
    );
    b.press(Key::Enter).await;
    // The venue's choice, changed from the keyboard, keeps the focus as it changes.
    b.tab_to("m-venue-kind", 20).await;
    b.press(Key::Down).await;
    b.field("Adresse").await;
    assert_eq!(b.focused_id().await, "m-venue-kind");
    let deadline = tokio::time::Instant::now() + tilmelding_e2e::WAIT;
    loop {
        let served: Value = reqwest::Client::new()
            .get(format!("{}/api/organiser/meetings/{id}", server.url))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap_or_default();
        if served["meeting"]["theme"] == "Byfornyelse med borgerne i centrum!" {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{served}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
