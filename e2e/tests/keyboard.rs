//! The whole flow with the keyboard alone: Tab, Shift+Tab, arrow keys, Enter and Space (and
//! typing into fields), with visible focus, ending with the calendar file downloaded.

use fantoccini::key::Key;
use std::time::Duration;
use tilmelding_e2e::{ACTIVE, Browser, Server, WIDGET};

async fn focus_is_visible(b: &Browser) {
    let outline = b
        .js(&format!("return getComputedStyle({ACTIVE}).outlineStyle"))
        .await;
    assert_ne!(
        outline,
        "none",
        "no visible focus on #{}",
        b.focused_id().await
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_flow_works_with_the_keyboard_alone() {
    let server = Server::start().await;
    let b = Browser::start().await;
    b.open(&server.url).await;
    b.heading("Gruppedrøftelse").await;

    b.tab_to("tlm-kommune", 5).await;
    focus_is_visible(&b).await;
    b.keys("rand").await;
    b.press(Key::Down).await;
    b.press(Key::Enter).await;
    b.wait_text("Randers Kommune er medlem af netværket.").await;
    // Focus moves to the new step's heading.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(b.focused_id().await, "tlm-form-title");

    b.tab_to("tlm-contact-name", 3).await;
    focus_is_visible(&b).await;
    b.keys("Kim Kontakt").await;
    b.press(Key::Tab).await;
    b.keys("kim@randers.dk").await;
    b.press(Key::Tab).await;
    b.keys("Anna Andersen").await;
    b.press(Key::Tab).await;
    b.keys("anna@randers.dk").await;
    b.press(Key::Tab).await;
    b.keys("Konsulent").await;

    // Past the department and the row's remove button to "Tilføj deltager"; Enter adds a row
    // and puts focus in its first field.
    b.tab_to("tlm-add-row", 4).await;
    focus_is_visible(&b).await;
    b.press(Key::Enter).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        b.field_in("Deltager 2", "Navn")
            .await
            .attr("id")
            .await
            .unwrap()
            .unwrap(),
        b.focused_id().await
    );
    b.keys("Bo Bech").await;
    b.press(Key::Tab).await;
    b.keys("bo@randers.dk").await;
    b.press(Key::Tab).await;
    b.keys("Chef").await;
    // Shift+Tab goes back a field, Tab forward again.
    let title = b.focused_id().await;
    b.keys(&format!(
        "{}{}",
        char::from(Key::Shift),
        char::from(Key::Tab)
    ))
    .await;
    assert!(b.focused_id().await.ends_with("-email"));
    b.press(Key::Tab).await;
    assert_eq!(b.focused_id().await, title);

    b.tab_to("tlm-privacy", 10).await;
    focus_is_visible(&b).await;
    b.keys(" ").await;
    assert_eq!(
        b.js(&format!(
            "return {WIDGET}.getElementById('tlm-privacy').checked"
        ))
        .await,
        true
    );
    b.tab_to("tlm-submit", 2).await;
    focus_is_visible(&b).await;
    b.press(Key::Enter).await;

    b.heading("Tak for tilmeldingen").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(b.focused_id().await, "tlm-confirm-title");
    // First the manage link (to keep), then the calendar file.
    b.press(Key::Tab).await;
    let link = b.js(&format!("return {ACTIVE}.textContent")).await;
    assert_eq!(link, "Se, ret eller afmeld tilmeldingen");
    b.press(Key::Tab).await;
    let link = b.js(&format!("return {ACTIVE}.textContent")).await;
    assert_eq!(link, "Kalenderfil (.ics) til Anna Andersen");
    focus_is_visible(&b).await;
    b.press(Key::Enter).await;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let ics = loop {
        let done: Vec<_> = std::fs::read_dir(b.downloads.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ics"))
            .collect();
        if let Some(p) = done.first() {
            break std::fs::read_to_string(p).unwrap();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no calendar file was downloaded"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(ics.contains("DTSTART:20210517T071500Z"));
    assert!(ics.contains("mailto:anna@randers.dk"));
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM registrations"),
        2
    );
}
