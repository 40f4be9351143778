//! The organiser makes a meeting on the organiser page, for any engine, against the real
//! server and a real mail server: a copy of the shipped meeting on a date next month, a speaker
//! renamed and a talk added at a person's typing speed, the preview showing them, a mistake
//! told at its field, the typing kept across a reload, published; the widget's standalone page
//! shows it; someone registers; the start moved by half an hour reaches them as an updated
//! invitation (same UID, a higher SEQUENCE, the new time); the meeting cancelled reaches them as
//! METHOD:CANCEL, and the widget says so. axe in every state of the editor. Run by
//! `tests/meetings.rs` in Chromium and by `tests/engines.rs` in Firefox and WebKit.

use crate::flows::assert_axe;
use crate::mail::to;
use crate::organiser::{sign_in, with_mail};
use crate::{Browser, Server, WAIT};
use fantoccini::key::Key;
use serde_json::{Value, json};
use std::time::Duration;

/// A date about a month from today, `YYYY-MM-DD`, and its meeting's id.
pub fn next_month() -> (String, String) {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        / 86_400
        + 31;
    let date = tilmelding_domain::Date::from_days_since_epoch(days).to_string();
    (date.clone(), format!("knub-{date}"))
}

/// The text the preview's shadow root shows.
async fn preview_text(b: &Browser) -> String {
    b.js("const h = document.querySelector('.org-preview-frame > div'); return h && h.shadowRoot ? h.shadowRoot.textContent : ''")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn wait_preview(b: &Browser, text: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !preview_text(b).await.contains(text) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the preview never showed {text:?}: {}",
            preview_text(b).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Replaces the text of the focused field, at a person's speed.
pub async fn retype(b: &Browser, text: &str) {
    b.keys(&format!("{}a", char::from(Key::Control))).await;
    b.press(Key::Backspace).await;
    b.type_slowly(text).await;
}

/// On the meetings page: the shipped meeting copied to a date a month from now, the date typed
/// at a person's speed; its draft open in the editor. Returns its id.
pub async fn copy_next_month(b: &Browser) -> String {
    let (date, id) = next_month();
    b.click_into(b.field("Dato for det nye møde").await).await;
    b.type_slowly(&date).await;
    b.activate(b.button("Kopiér mødet").await).await;
    b.wait_focus("m-editor-title").await;
    b.wait_text("Kladde").await;
    id
}

/// Registers one attendee from Randers for the meeting through the API.
async fn register(server: &Server, meeting: &str) {
    let body = json!({
        "municipality_code": 730,
        "contact": {"name": "Rie Kontakt", "email": "kontakt@randers.dk"},
        "attendees": [{"name": "Rie Deltager", "email": "rie@randers.dk", "title": "Konsulent"}],
        "privacy_accepted": true,
    });
    let r = reqwest::Client::new()
        .post(format!(
            "{}/api/meetings/{meeting}/registrations",
            server.url
        ))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
}

/// The whole of a meeting's life on the organiser page, in `b`'s engine.
pub async fn copy_change_publish_move_and_cancel(b: &Browser) {
    let (maildev, server) = with_mail().await;
    sign_in(b, &server).await;
    b.activate(b.button("Møder").await).await;
    b.heading("Nyt møde").await;
    // Checked before axe runs: on the editor's page axe adds a style element of its own,
    // which the page's policy refuses (and reports).
    server.assert_no_csp_violations().await;
    assert_axe(b, "the meetings").await;

    // A copy of the shipped meeting, a month from now.
    let id = copy_next_month(b).await;
    wait_preview(b, "Naturen som løftestang i Randers").await;
    assert_axe(b, "the editor of a draft").await;

    // The speaker renamed, at a person's speed; the preview follows.
    b.click_into(b.field_in("Programpunkt 2", "Oplægsholdere").await)
        .await;
    retype(b, "Louise H. Kragh, Bysekretariatet i Randers").await;
    wait_preview(b, "Louise H. Kragh").await;
    // A talk added: focus goes to it, and it is written.
    b.activate(b.button("Tilføj et programpunkt").await).await;
    b.wait_focus("m-programme-3-heading").await;
    b.click_into(b.field_in("Programpunkt 4", "Overskrift").await)
        .await;
    b.type_slowly("Byfornyelse i Aalborg Øst").await;
    wait_preview(b, "Byfornyelse i Aalborg Øst").await;

    // A mistake is told at its field, and nothing is saved.
    b.click_into(b.field("Slutter kl.").await).await;
    retype(b, "8:00").await;
    b.activate(b.button("Gem").await).await;
    b.wait_focus("m-end").await;
    b.wait_text("«8:00» er ikke et klokkeslæt").await;
    assert_axe(b, "a mistake at its field").await;
    retype(b, "15:00").await;

    // The typing survives a reload before it is saved.
    b.js("location.reload(); return true;").await;
    b.wait_text("er hentet frem igen").await;
    wait_preview(b, "Byfornyelse i Aalborg Øst").await;
    assert_eq!(b.value_of("m-end").await, "15:00");

    b.activate(b.button("Gem").await).await;
    b.wait_text("Gemt.").await;
    b.activate(b.button("Offentliggør mødet").await).await;
    b.wait_text("Mødet er offentliggjort").await;
    let snippet = b.value_of("m-snippet").await;
    assert!(
        snippet.contains(&format!("{}/meetings/{id}.json", server.url)),
        "{snippet}"
    );
    assert_axe(b, "published").await;

    // The widget shows the new meeting, with the talk added.
    let link = b.value_of("m-link").await;
    let visitor = Browser::start_in(b.engine).await;
    visitor.open(&link).await;
    visitor.within(Some("#tilmelding"));
    visitor.wait_text("Byfornyelse i Aalborg Øst").await;
    visitor.wait_text("Louise H. Kragh").await;

    // Someone registers; the organiser moves the start by half an hour.
    register(&server, &id).await;
    let first = maildev.wait_for(2).await;
    let invitation = to(&first, "rie@randers.dk")[0].clone();
    let uid = maildev.calendar_line(&invitation, "UID:").await;
    b.js("location.reload(); return true;").await;
    b.wait_text("1 tilmeldte nu.").await;
    b.click_into(b.field("Starter kl.").await).await;
    retype(b, "09:45").await;
    b.activate(b.button("Gem").await).await;
    b.wait_focus("m-move-confirm").await;
    b.wait_text("1 tilmeldte får en mail om det").await;
    assert_axe(b, "a move to confirm").await;
    b.activate(b.button("Gem og send til 1 tilmeldte").await)
        .await;
    b.wait_text("1 tilmeldte har fået besked om det nye tidspunkt")
        .await;
    let mails = maildev.wait_for(3).await;
    let moved: Vec<&Value> = to(&mails, "rie@randers.dk")
        .into_iter()
        .filter(|m| m["subject"].as_str().unwrap().starts_with("Nyt tidspunkt:"))
        .collect();
    assert_eq!(moved.len(), 1, "{mails:#?}");
    assert_eq!(maildev.calendar_line(moved[0], "UID:").await, uid);
    assert_eq!(
        maildev.calendar_line(moved[0], "SEQUENCE:").await,
        "SEQUENCE:1"
    );
    let start = maildev.calendar_line(moved[0], "DTSTART").await;
    assert!(
        start.ends_with("074500Z") || start.ends_with("084500Z"),
        "9.45 Danish time: {start}"
    );

    // Cancelled, with a reason: METHOD:CANCEL reaches them.
    b.activate(b.button("Aflys mødet").await).await;
    b.wait_focus("m-cancel-reason").await;
    assert_axe(b, "a cancellation to confirm").await;
    b.type_slowly("Oplægsholderne er syge.").await;
    b.activate(b.button("Aflys og send til 1 tilmeldte").await)
        .await;
    b.wait_text("Mødet er aflyst. 1 tilmeldte har fået besked.")
        .await;
    let mails = maildev.wait_for(4).await;
    let cancel: Vec<&Value> = to(&mails, "rie@randers.dk")
        .into_iter()
        .filter(|m| m["subject"].as_str().unwrap().starts_with("Aflyst:"))
        .collect();
    assert_eq!(cancel.len(), 1);
    assert_eq!(
        maildev.calendar_line(cancel[0], "METHOD:").await,
        "METHOD:CANCEL"
    );
    assert_axe(b, "cancelled").await;
    visitor.open(&link).await;
    visitor.wait_text("Mødet er aflyst.").await;
    visitor.wait_text("Oplægsholderne er syge.").await;
}
