//! The core flows, each as a person does them, for any engine: the Chromium tests
//! (`tests/registration.rs`, `tests/keyboard.rs`, `tests/manage.rs`) and the other engines'
//! (`tests/engines.rs`) run the same steps. Each ends with axe on the state it reached.

use crate::{ACTIVE, APP_PICKER, Browser, Server, WIDGET};
use fantoccini::key::Key;
use std::time::Duration;

/// Fails with axe's violations, if any, on the page as it is.
pub async fn assert_axe(b: &Browser, state: &str) {
    let violations = b.axe().await;
    assert!(
        violations.is_empty(),
        "axe, {state} ({:?}): {violations:#?}",
        b.engine
    );
}

/// A member municipality registers three attendees (a fourth row begun and removed) and gets
/// the calendar file's link.
pub async fn member_registers(b: &Browser, server: &Server) {
    b.open_member_form(&server.url).await;
    b.fill_contact().await;
    b.fill_attendee(1, "Anna Andersen", "anna@randers.dk", "Konsulent")
        .await;
    b.activate(b.button("Tilføj deltager").await).await;
    b.fill_attendee(2, "Bo Bech", "bo@randers.dk", "Projektleder")
        .await;
    b.activate(b.button("Tilføj deltager").await).await;
    b.fill_attendee(3, "Cecilie Ø. Ågård", "cecilie@randers.dk", "Byplanlægger")
        .await;
    // A fourth row, begun and removed again.
    b.activate(b.button("Tilføj deltager").await).await;
    b.fill_in("Deltager 4", "Navn", "Dorte Dobbelt").await;
    b.wait_text("Du tilmelder 4 deltagere fra Randers.").await;
    b.activate(b.button("Fjern deltager 4").await).await;
    b.wait_text("Du tilmelder 3 deltagere fra Randers.").await;
    b.accept_privacy().await;
    b.activate(b.button("Send tilmelding").await).await;

    b.heading("Tak for tilmeldingen").await;
    let reference = b.wait_css(".tlm-reference").await.text().await.unwrap();
    assert!(reference.starts_with("KNUB-"), "{reference}");
    b.heading("Tilmeldte deltagere (3)").await;
    for name in ["Anna Andersen", "Bo Bech", "Cecilie Ø. Ågård"] {
        b.wait_text(name).await;
    }
    // The calendar file behind the first link: Copenhagen times in UTC, a stable UID.
    let link = b.link("Kalenderfil (.ics) til Anna Andersen").await;
    let href = link.attr("href").await.unwrap().unwrap();
    assert!(href.starts_with("data:text/calendar"), "{href}");
    assert!(
        link.attr("download")
            .await
            .unwrap()
            .unwrap()
            .ends_with(".ics")
    );
    let ics = b
        .client
        .execute(
            "return decodeURIComponent(arguments[0].slice(arguments[0].indexOf(',') + 1));",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap();
    let ics = ics.as_str().unwrap();
    assert!(ics.contains("DTSTART:20210517T071500Z"), "{ics}");
    assert!(ics.contains("DTEND:20210517T130000Z"));
    assert!(ics.contains("UID:knub-2021-05-17-"));
    assert_eq!(
        Browser::count(
            &server.db,
            "SELECT COUNT(*) FROM registrations WHERE status='registered'"
        ),
        3
    );
    assert_axe(b, "the confirmation").await;
}

/// A non-member municipality applies for membership and registers in one go.
pub async fn non_member_applies(b: &Browser, server: &Server) {
    b.open(&server.url).await;
    b.pick_municipality("billund").await;
    b.wait_text("Billund Kommune er ikke medlem af netværket.")
        .await;
    b.activate(b.button("Søg om medlemskab og tilmeld").await)
        .await;
    b.heading("Ansøgning om medlemskab og tilmelding").await;
    b.fill_contact().await;
    b.fill_attendee(1, "Dorte Dam", "dorte@billund.dk", "Konsulent")
        .await;
    b.accept_privacy().await;
    b.activate(b.button("Søg om medlemskab og send tilmelding").await)
        .await;
    b.heading("Ansøgning og tilmelding er modtaget").await;
    b.wait_text("Billund Kommunes ansøgning om medlemskab af netværket er modtaget.")
        .await;
    assert_eq!(
        Browser::count(
            &server.db,
            "SELECT COUNT(*) FROM registrations WHERE status='pending_membership'"
        ),
        1
    );
    assert_eq!(
        Browser::count(
            &server.db,
            "SELECT COUNT(*) FROM applications WHERE municipality_code=530"
        ),
        1
    );
    assert_axe(b, "the application's confirmation").await;
}

/// A person chooses a municipality and at once another in the same picker: Ærø, then, before
/// the page has settled, back into the picker to type "randers" at a person's speed. The focus
/// stays where they put it (a move scheduled for Ærø's answer gives way), every letter lands,
/// and Randers is chosen.
pub async fn municipality_changed_at_once(b: &Browser, server: &Server) {
    b.open(&server.url).await;
    b.pick_municipality("ærø").await;
    b.click_into(b.wait_css(APP_PICKER).await).await;
    b.keys(&format!("{}a", char::from(Key::Control))).await;
    b.type_slowly("randers").await;
    assert_eq!(
        b.focused_id().await,
        "tlm-kommune",
        "the focus stayed in the picker ({:?})",
        b.engine
    );
    let typed = b
        .js(&format!(
            "return {WIDGET}.querySelector('#tlm-kommune').value"
        ))
        .await;
    assert_eq!(typed, "randers", "every letter landed ({:?})", b.engine);
    b.wait_css("[role=listbox]:not([hidden]) > [role=option]")
        .await;
    b.keys(&format!(
        "{}{}",
        char::from(Key::Down),
        char::from(Key::Enter)
    ))
    .await;
    b.wait_text("Randers Kommune er medlem af netværket.").await;
    let chosen = b
        .js(&format!(
            "return {WIDGET}.querySelector('#tlm-kommune').value"
        ))
        .await;
    assert_eq!(chosen, "Randers", "{:?}", b.engine);
    assert_axe(b, "another municipality chosen at once").await;
}

/// A member's person fills the form the moment it appears, at a person's speed, on a tall
/// window where the form starts below the fold: every field is found and every letter lands,
/// and the registration goes through.
pub async fn member_fills_the_form_at_once(b: &Browser, server: &Server) {
    b.client.set_window_size(1280, 1800).await.unwrap();
    b.open(&server.url).await;
    b.pick_municipality("rand").await;
    let fields = [
        ("Kontaktperson", "Navn", "Kim Kontakt", "tlm-contact-name"),
        (
            "Kontaktperson",
            "E-mail",
            "kim@randers.dk",
            "tlm-contact-email",
        ),
        ("Deltager 1", "Navn", "Anna Andersen", "tlm-a0-name"),
        ("Deltager 1", "E-mail", "anna@randers.dk", "tlm-a0-email"),
        ("Deltager 1", "Stilling", "Konsulent", "tlm-a0-title"),
    ];
    for (group, label, text, _) in fields {
        b.click_into(b.field_in(group, label).await).await;
        b.type_slowly(text).await;
    }
    for (_, _, text, id) in fields {
        let value = b
            .js(&format!("return {WIDGET}.querySelector('#{id}').value"))
            .await;
        assert_eq!(value, text, "#{id} ({:?})", b.engine);
    }
    b.accept_privacy().await;
    b.activate(b.button("Send tilmelding").await).await;
    b.heading("Tak for tilmeldingen").await;
    b.wait_text("Anna Andersen").await;
    assert_axe(b, "the confirmation after a form filled at once").await;
}

/// Whether an element has visible focus (an outline).
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

/// The whole flow with the keyboard alone: Tab, Shift+Tab, arrow keys, Enter and Space (and
/// typing into fields), with visible focus, ending with the calendar file downloaded.
pub async fn keyboard_only(b: &Browser, server: &Server) {
    b.open(&server.url).await;
    b.heading("Gruppedrøftelse").await;
    // The app's picker, not the pre-rendered one, which takes typing but not the arrow keys.
    b.wait_css(APP_PICKER).await;

    b.tab_to("tlm-kommune", 5).await;
    focus_is_visible(b).await;
    b.keys("rand").await;
    b.press(Key::Down).await;
    b.press(Key::Enter).await;
    b.wait_text("Randers Kommune er medlem af netværket.").await;
    // Focus moves to the new step's heading.
    b.wait_focus("tlm-form-title").await;

    b.tab_to("tlm-contact-name", 3).await;
    focus_is_visible(b).await;
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
    focus_is_visible(b).await;
    b.press(Key::Enter).await;
    let name = b.field_in("Deltager 2", "Navn").await.attr("id").await;
    b.wait_focus(&name.unwrap().unwrap()).await;
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
    focus_is_visible(b).await;
    b.keys(" ").await;
    assert_eq!(
        b.js(&format!(
            "return {WIDGET}.getElementById('tlm-privacy').checked"
        ))
        .await,
        true
    );
    b.tab_to("tlm-submit", 2).await;
    focus_is_visible(b).await;
    b.press(Key::Enter).await;

    b.heading("Tak for tilmeldingen").await;
    b.wait_focus("tlm-confirm-title").await;
    // First the manage link (to keep), then the calendar file.
    b.press(Key::Tab).await;
    let link = b.js(&format!("return {ACTIVE}.textContent")).await;
    assert_eq!(link, "Se, ret eller afmeld tilmeldingen");
    b.press(Key::Tab).await;
    let link = b.js(&format!("return {ACTIVE}.textContent")).await;
    assert_eq!(link, "Kalenderfil (.ics) til Anna Andersen");
    focus_is_visible(b).await;
    b.press(Key::Enter).await;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let ics = loop {
        let done: Vec<_> = std::fs::read_dir(b.downloads.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ics"))
            .collect();
        // Whole: the browser may show the file under its name before it has written all of it.
        let whole = done
            .first()
            .map(|p| std::fs::read_to_string(p).unwrap_or_default())
            .filter(|text| text.trim_end().ends_with("END:VCALENDAR"));
        if let Some(text) = whole {
            break text;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no whole calendar file was downloaded"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(ics.contains("DTSTART:20210517T071500Z"), "{ics}");
    assert!(ics.contains("mailto:anna@randers.dk"));
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM registrations"),
        2
    );
    assert_axe(b, "after the keyboard's registration").await;
}

/// Anna and Bo from Randers, with Kim as the contact.
pub fn two_from_randers() -> serde_json::Value {
    serde_json::json!({
        "municipality_code": 730,
        "contact": {"name": "Kim Kontakt", "email": "kim@randers.dk"},
        "attendees": [
            {"name": "Anna Andersen", "email": "anna@randers.dk", "title": "Konsulent"},
            {"name": "Bo Berg", "email": "bo@randers.dk", "title": "Chef"}
        ],
        "privacy_accepted": true,
    })
}

/// The manage link of a submission of two opens the manage view, and one attendee is
/// cancelled after the question.
pub async fn manage_cancels_one(b: &Browser, server: &Server) {
    let receipt = server.register(&two_from_randers()).await;
    b.open(receipt["manage_url"].as_str().unwrap()).await;
    b.heading("Se, ret eller afmeld tilmeldingen").await;
    b.wait_text("Bo Berg").await;
    assert_axe(b, "the manage view").await;
    b.activate(b.button("Afmeld Bo Berg").await).await;
    b.activate(b.wait_css("#tlm-m-confirm").await).await;
    let deadline = tokio::time::Instant::now() + crate::WAIT;
    while b
        .js(&format!(
            "return {WIDGET}.querySelectorAll('.tlm-cancelled').length"
        ))
        .await
        != 1
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "Bo was not cancelled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        Browser::count(
            &server.db,
            "SELECT COUNT(*) FROM registrations WHERE status='cancelled'"
        ),
        1
    );
    assert_axe(b, "after the cancellation").await;
}
