//! The network's members kept on the organiser page by an organiser signed in with a link from
//! the mail, in headless Chromium (the flow is `tilmelding_e2e::members`, which
//! `tests/engines.rs` runs in Firefox and WebKit too), and forms written one after another on
//! a slow line while the answers come.

use fantoccini::key::Key;
use std::time::Duration;
use tilmelding_e2e::Browser;
use tilmelding_e2e::meetings::retype;
use tilmelding_e2e::members;
use tilmelding_e2e::organiser::sign_in;

#[tokio::test]
async fn an_organiser_signs_in_by_mail_renews_ends_and_adds_members_and_the_widget_follows() {
    members::renew_end_add_and_register(&Browser::start().await).await;
}

/// A consultant on a slow line goes on to the next thing before the last is answered: a
/// municipality added, and at once another's membership ended, written at a person's speed
/// while the addition is answered and the list fetched again; then the end saved, and at once
/// the next note written in the form to add one; then that one added, and at once the next
/// municipality typed; then one end saved and at once another written. Nothing typed is lost, the focus stays where they write, each answer is
/// told, and only what was sent is cleared for the next.
#[tokio::test]
async fn the_next_form_is_written_while_the_last_answer_comes() {
    let (_maildev, server, _dir) = members::server().await;
    let b = Browser::start().await;
    sign_in(&b, &server).await;
    b.activate(b.button("Medlemmer").await).await;
    b.wait_text("medlemmer i 2026").await;
    // Every answer from here on takes most of a second.
    b.slow_line(Duration::from_millis(800)).await;

    // Aabenraa added…
    b.click_into(b.field("Kommune").await).await;
    b.type_slowly("aaben").await;
    b.wait_css("[role=listbox]:not([hidden]) > [role=option]")
        .await;
    let down: char = Key::Down.into();
    let enter: char = Key::Enter.into();
    b.keys(&format!("{down}{enter}")).await;
    b.activate(b.button("Tilføj").await).await;
    // …and at once Randers' membership ended, written while that answer comes.
    b.activate(b.button("Afslut medlemskabet for Randers").await)
        .await;
    b.wait_focus("org-end-date").await;
    retype(&b, "2026-12-31").await;
    b.click_into(b.wait_css("#org-end-note").await).await;
    b.type_slowly("Udtrådt ved årets udgang").await;
    b.wait_text("Aabenraa er medlem til og med 31.12.2026.")
        .await;
    // The form to add one is fresh for the next.
    assert_eq!(b.value_of("tlm-kommune").await, "");
    assert_eq!(b.value_of("org-end-date").await, "2026-12-31");
    assert_eq!(b.value_of("org-end-note").await, "Udtrådt ved årets udgang");
    assert_eq!(b.focused_id().await, "org-end-note");

    // The end saved, and at once the next note written in the form to add one.
    b.press(Key::Enter).await;
    b.click_into(b.wait_css("#org-add-note").await).await;
    b.type_slowly("Ny i netværket fra januar").await;
    b.wait_text("Randers er medlem til og med 31.12.2026.")
        .await;
    assert_eq!(
        b.value_of("org-add-note").await,
        "Ny i netværket fra januar"
    );
    assert_eq!(b.focused_id().await, "org-add-note");

    // Haderslev added with that note, and at once the next municipality typed into the picker:
    // when Haderslev is answered, the note sent is cleared, and the picker keeps the typing.
    b.click_into(b.field("Kommune").await).await;
    b.type_slowly("haders").await;
    b.wait_css("[role=listbox]:not([hidden]) > [role=option]")
        .await;
    b.keys(&format!("{down}{enter}")).await;
    b.activate(b.button("Tilføj").await).await;
    b.click_into(b.field("Kommune").await).await;
    retype(&b, "tønder").await;
    b.wait_text("Haderslev er medlem til og med 31.12.2026.")
        .await;
    assert_eq!(b.value_of("tlm-kommune").await, "tønder");
    assert_eq!(b.value_of("org-add-note").await, "");
    assert_eq!(b.focused_id().await, "tlm-kommune");
    assert_eq!(
        Browser::count(
            &server.db,
            "SELECT COUNT(*) FROM memberships WHERE municipality_code = 510 AND note = 'Ny i netværket fra januar'"
        ),
        1
    );
    // Odense's end saved, and at once Esbjerg's opened and written: Odense's answer is told,
    // and Esbjerg's form stays open with what is written in it.
    b.activate(b.button("Afslut medlemskabet for Odense").await)
        .await;
    b.wait_focus("org-end-date").await;
    b.press(Key::Enter).await;
    b.activate(b.button("Afslut medlemskabet for Esbjerg").await)
        .await;
    b.wait_focus("org-end-date").await;
    b.click_into(b.wait_css("#org-end-note").await).await;
    b.type_slowly("Udmeldt pr. årsskiftet").await;
    b.wait_text("Odense er medlem til og med 31.12.2026.").await;
    assert_eq!(b.value_of("org-end-note").await, "Udmeldt pr. årsskiftet");
    assert_eq!(b.focused_id().await, "org-end-note");
    b.wait_css("#org-end-561[aria-expanded=true]").await;

    // Aabenraa and Randers were kept, recorded as the token's.
    assert_eq!(
        Browser::count(
            &server.db,
            "SELECT COUNT(*) FROM memberships WHERE municipality_code = 580"
        ),
        1
    );
    assert_eq!(
        Browser::count(
            &server.db,
            "SELECT COUNT(*) FROM memberships WHERE municipality_code = 730 AND valid_until = '2026-12-31'"
        ),
        1
    );
    assert_eq!(
        Browser::count(
            &server.db,
            "SELECT COUNT(*) FROM membership_history WHERE municipality_code IN (580, 730) AND done_by = 'token'"
        ),
        2
    );
}
