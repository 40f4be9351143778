//! The organiser page at a person's speed, for any engine: each flow types a key every
//! [`KEYSTROKE`] across several of the page's refreshes (shortened to a second), and checks that
//! every character typed is there, that focus is where the person left it, and that the result
//! arrives, by mail too. WebDriver's own typing sends a whole string inside one refresh and
//! hides what a person meets. Run by `tests/organiser.rs` in Chromium and by
//! `tests/engines.rs` in Firefox and WebKit.

use crate::flows::assert_axe;
use crate::mail::{Maildev, to};
use crate::{Browser, Server, ServerOptions, WAIT, register_at};
use fantoccini::key::Key;
use serde_json::{Value, json};
use std::time::Duration;

/// The organiser token the flows sign in with.
pub const TOKEN: &str = "e2e-organiser-Wm4kP9xB2vQ7nT5rJ8cL3sYh";

/// A person's typing speed: a key every 150 ms, about 7 characters a second.
pub const KEYSTROKE: Duration = Duration::from_millis(150);

/// A mail server (maildev), and a server mailing through it whose organiser page refreshes
/// every second.
pub async fn with_mail() -> (Maildev, Server) {
    let maildev = Maildev::start().await;
    let server = Server::with(ServerOptions {
        token: Some(TOKEN.into()),
        env: vec![
            ("TILMELDING_SMTP_URL", maildev.url()),
            ("TILMELDING_MAIL_FROM", "KL Netværk <netvaerk@kl.dk>".into()),
            ("TILMELDING_RATE_LIMIT", "0".into()),
            ("TILMELDING_ORGANISER_REFRESH", "1".into()),
        ],
        ..Default::default()
    })
    .await;
    (maildev, server)
}

/// Registers `n` attendees from a municipality through the API (the widget's own flow is
/// tested elsewhere); a non-member applies.
pub async fn register(server: &Server, code: u16, tag: &str, n: usize, apply: bool) {
    let attendees: Vec<Value> = (0..n)
        .map(|i| json!({"name": format!("{tag} Deltager {i}"), "email": format!("{tag}{i}@kommune.dk"), "title": "Konsulent"}))
        .collect();
    let body = json!({
        "municipality_code": code,
        "contact": {"name": format!("{tag} Kontakt"), "email": format!("kontakt-{tag}@kommune.dk")},
        "attendees": attendees,
        "privacy_accepted": true,
        "apply_for_membership": apply,
    });
    server.register(&body).await;
}

/// Signs in with the organiser token (recorded as "token") and waits for the meeting's page.
pub async fn sign_in(b: &Browser, server: &Server) {
    b.organiser_sign_in_form(&server.url, TOKEN).await;
    b.activate(b.button("Log ind").await).await;
    b.heading("Overblik").await;
    // Focus lands on the meeting's heading, not on the page's body.
    b.wait_focus("org-meeting-title").await;
}

impl Browser {
    /// Puts the caret into a field, as a click does. In WebKit by pressing the pointer on it
    /// and focusing it, the events a click starts with: its driver's clicks miss now and then
    /// (see [`Browser::activate`]), and a key press would submit.
    pub async fn click_into(&self, field: fantoccini::elements::Element) {
        if self.engine == crate::Engine::WebKit {
            self.client
                .execute(
                    "const f = arguments[0]; \
                     f.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true })); \
                     f.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, composed: true })); \
                     f.focus(); return true;",
                    vec![serde_json::to_value(&field).unwrap()],
                )
                .await
                .unwrap();
        } else {
            field.click().await.unwrap();
        }
    }

    /// Types `text` into whatever has focus at a person's speed, a key every [`KEYSTROKE`]
    /// (a line break as Enter).
    pub async fn type_slowly(&self, text: &str) {
        for c in text.chars() {
            let key = if c == '\n' { char::from(Key::Enter) } else { c };
            self.keys(&key.to_string()).await;
            tokio::time::sleep(KEYSTROKE).await;
        }
    }

    /// The value of the element with `id` (a field).
    pub async fn value_of(&self, id: &str) -> String {
        self.js(&format!("return document.getElementById('{id}').value"))
            .await
            .as_str()
            .unwrap_or_default()
            .replace("\r\n", "\n")
    }

    /// How many overviews the page has fetched, by the browser's own record of requests.
    pub async fn overviews_fetched(&self) -> u64 {
        self.js("return performance.getEntriesByType('resource').filter(e => e.name.includes('/overview')).length")
            .await
            .as_u64()
            .unwrap_or(0)
    }

    /// Types `text` at a person's speed into the field with `id`, already focused, and checks
    /// that the page refreshed at least twice meanwhile, that all of it is there, and that the
    /// field still has the focus.
    pub async fn type_across_refreshes(&self, id: &str, text: &str) {
        assert_eq!(
            self.focused_id().await,
            id,
            "the field has focus to begin with"
        );
        let before = self.overviews_fetched().await;
        self.type_slowly(text).await;
        let refreshes = self.overviews_fetched().await - before;
        assert!(refreshes >= 2, "only {refreshes} refreshes while typing");
        assert_eq!(self.value_of(id).await, text, "all that was typed is there");
        assert_eq!(self.focused_id().await, id, "focus stays in the field");
    }

    /// Waits through two of the page's refreshes.
    pub async fn two_refreshes(&self) {
        let before = self.overviews_fetched().await;
        let deadline = tokio::time::Instant::now() + WAIT;
        while self.overviews_fetched().await < before + 2 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the page stopped refreshing"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// Declines an application with a reason typed at a person's speed, while registrations come in.
pub async fn decline_with_a_reason(b: &Browser) {
    let (maildev, server) = with_mail().await;
    register(&server, 730, "randers", 1, false).await;
    register(&server, 575, "vejen", 1, true).await;
    maildev.wait_for(4).await;
    sign_in(b, &server).await;
    b.activate(b.button("Afvis Vejen").await).await;
    let id = b
        .js("return document.querySelector('textarea[id^=org-reason-]').id")
        .await;
    let id = id.as_str().unwrap();
    b.wait_focus(id).await;
    // Someone registers while the organiser writes: the numbers move, the form does not.
    let late = tokio::spawn({
        let url = server.url.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let body = json!({
                "municipality_code": 751,
                "contact": {"name": "Aarhus Kontakt", "email": "kontakt-aarhus@kommune.dk"},
                "attendees": [{"name": "Aarhus Deltager", "email": "aarhus0@kommune.dk", "title": "Konsulent"}],
                "privacy_accepted": true,
            });
            register_at(&url, &body).await;
        }
    });
    let reason = "Vejen er ikke med i netværket i år.";
    b.type_across_refreshes(id, reason).await;
    late.await.unwrap();
    // The numbers moved in place meanwhile: Randers and now Aarhus.
    let registered = b
        .js("return document.querySelector('.org-totals dd').textContent")
        .await;
    assert_eq!(registered, "2");
    assert_axe(b, "declining, after refreshes").await;
    b.activate(b.button("Afvis ansøgningen").await).await;
    b.wait_text("Ansøgningen fra Vejen er afvist.").await;
    b.wait_focus("org-applications").await;
    b.wait_text("Vejen: afvist af token").await;
    b.wait_text(reason).await;
    assert_axe(b, "an application declined").await;
    let mails = maildev.wait_for(8).await;
    let told = to(&mails, "kontakt-vejen@kommune.dk");
    assert!(
        told.last().unwrap()["text"]
            .as_str()
            .unwrap()
            .contains(reason),
        "{told:?}"
    );
    maildev.stop().await;
}

/// Writes a message at a person's speed, previews it across refreshes, and sends it.
pub async fn write_preview_and_send_a_message(b: &Browser) {
    let (maildev, server) = with_mail().await;
    register(&server, 730, "randers", 2, false).await;
    maildev.wait_for(3).await;
    sign_in(b, &server).await;
    b.click_into(b.field("Emne").await).await;
    b.wait_focus("org-msg-subject").await;
    b.type_across_refreshes("org-msg-subject", "Nyt tidspunkt for mødet")
        .await;
    b.press(Key::Tab).await;
    b.wait_focus("org-msg-body").await;
    let body = "Kære alle\n\nVi starter kl. 9.30.";
    b.type_across_refreshes("org-msg-body", body).await;
    b.activate(b.button("Forhåndsvis").await).await;
    b.wait_focus("org-preview-title").await;
    b.wait_text("Sendes til 2 tilmeldte.").await;
    let previewed = b
        .js("return document.querySelector('.org-preview-text').textContent")
        .await;
    // The preview stays open, and focus in it, while the page refreshes.
    b.two_refreshes().await;
    assert_eq!(b.focused_id().await, "org-preview-title");
    assert_axe(b, "a message previewed, after refreshes").await;
    b.activate(b.button("Send beskeden").await).await;
    b.wait_text("Beskeden er sendt til 2 tilmeldte.").await;
    b.wait_focus("org-messages").await;
    let mails = maildev.wait_for(5).await;
    // Each got the mail the preview showed, word for word: the organiser's own greeting and
    // nothing put before it.
    let same = |text: &str| text.replace("\r\n", "\n").trim().to_owned();
    for who in ["randers0@kommune.dk", "randers1@kommune.dk"] {
        let got = *to(&mails, who).last().unwrap();
        assert_eq!(got["subject"], "Nyt tidspunkt for mødet");
        let text = same(got["text"].as_str().unwrap());
        assert_eq!(text, same(previewed.as_str().unwrap()));
        assert!(
            text.starts_with("Kære alle\n\nVi starter kl. 9.30."),
            "{text}"
        );
    }
    maildev.stop().await;
}

/// Types the meeting's link at a person's speed, is asked to confirm with the number it
/// reaches, and saves it.
pub async fn type_confirm_and_save_the_join_link(b: &Browser) {
    let (maildev, server) = with_mail().await;
    register(&server, 730, "randers", 2, false).await;
    maildev.wait_for(3).await;
    sign_in(b, &server).await;
    b.click_into(b.field("Link til det online møde (https://…)").await)
        .await;
    b.wait_focus("org-join-url").await;
    let link = "https://teams.example.com/l/abc";
    b.type_across_refreshes("org-join-url", link).await;
    b.press(Key::Enter).await;
    b.wait_focus("org-join-confirm").await;
    b.wait_text("Linket gemmes og sendes nu til 2 tilmeldte med en opdateret kalenderinvitation. Tilmeldte senere får det også.")
        .await;
    // Nothing is sent before the organiser confirms, however many refreshes pass.
    b.two_refreshes().await;
    assert_eq!(b.focused_id().await, "org-join-confirm");
    assert_eq!(maildev.all().await.len(), 3, "nothing sent yet");
    assert_axe(b, "the link to confirm").await;
    b.activate(b.button("Send linket til 2 tilmeldte").await)
        .await;
    b.wait_text("Linket er gemt og sendt til 2 tilmeldte.")
        .await;
    b.wait_focus("org-join").await;
    b.wait_text(link).await;
    let mails = maildev.wait_for(5).await;
    for who in ["randers0@kommune.dk", "randers1@kommune.dk"] {
        let got = *to(&mails, who).last().unwrap();
        assert!(got["text"].as_str().unwrap().contains(link), "{got}");
    }
    maildev.stop().await;
}

/// One attendee from a municipality new to the meeting (`i` tells them apart).
fn newcomer(i: usize, code: u16) -> Value {
    json!({
        "municipality_code": code,
        "contact": {"name": "Ny Kontakt", "email": format!("ny{i}@kommune.dk")},
        "attendees": [{"name": format!("Ny Deltager {i}"), "email": format!("ny-deltager{i}@kommune.dk"), "title": "Konsulent"}],
        "privacy_accepted": true,
    })
}

/// Searches the attendees at a person's speed while the list grows, with a sort chosen in the
/// municipalities' table: the search, its result, the sort and the scroll all stay.
pub async fn search_while_the_list_refreshes(b: &Browser) {
    let (maildev, server) = with_mail().await;
    register(&server, 730, "randers", 3, false).await;
    register(&server, 751, "aarhus", 5, false).await;
    sign_in(b, &server).await;
    b.activate(b.button("Sortér efter Deltagere").await).await;
    b.wait_css("th[aria-sort=ascending]").await;
    let search = b
        .field("Søg i deltagere (navn, e-mail, kommune eller stilling)")
        .await;
    b.click_into(search).await;
    b.wait_focus("org-search").await;
    let more = tokio::spawn({
        let url = server.url.clone();
        async move {
            for (i, code) in [(0, 101), (1, 147)] {
                tokio::time::sleep(Duration::from_millis(800)).await;
                register_at(&url, &newcomer(i, code)).await;
            }
        }
    });
    b.type_across_refreshes("org-search", "randers deltager 2")
        .await;
    more.await.unwrap();
    b.wait_text("Viser 1 af 10 deltagere.").await;
    assert!(
        b.js("return !!document.querySelector('th[aria-sort=ascending]')")
            .await
            .as_bool()
            .unwrap(),
        "the sort chosen stays"
    );
    // Municipalities new to the meeting add rows above the field: it stays where it is on the
    // screen, with the search and its result.
    let field_top = "return document.getElementById('org-search').getBoundingClientRect().top";
    let top = b.js(field_top).await.as_f64().unwrap();
    for (i, code) in [(2, 165), (3, 167)] {
        register_at(&server.url, &newcomer(i, code)).await;
    }
    b.wait_text("Viser 1 af 12 deltagere.").await;
    b.two_refreshes().await;
    let now = b.js(field_top).await.as_f64().unwrap();
    assert!(
        (now - top).abs() <= 1.0,
        "the field moved from {top} to {now}"
    );
    assert_eq!(b.value_of("org-search").await, "randers deltager 2");
    assert_eq!(b.focused_id().await, "org-search");
    assert_axe(b, "a search, after refreshes").await;
    maildev.stop().await;
}
