//! The network's members per year, kept on the organiser page by an organiser who signs in as
//! herself, for any engine, against the real server and a real mail server: Kirsten Holm asks
//! for a link, opens it from the mail, renews 2026's members into 2027 (confirmed with the
//! count), ends Randers's membership at the end of 2026 (letting its registration for the 2027
//! meeting wait for a decision), and adds Aabenraa, which never applied, by a board decision,
//! all typed at a person's speed. The widget, for a meeting in 2027, then offers Randers the
//! application and lets Aabenraa register as a member; the records show her name. axe in every
//! state. Run by `tests/members.rs` in Chromium and by `tests/engines.rs` in the other two.

use crate::flows::assert_axe;
use crate::mail::{Maildev, to};
use crate::organiser::TOKEN;
use crate::{Browser, Server, ServerOptions, meetings_copy};
use serde_json::{Value, json};

/// The 2027 meeting people register for.
pub const MEETING: &str = "knub-2027-01-20";
const KIRSTEN: &str = "Kirsten Holm <kh@kl.dk>";

/// "Now" for the server: 10 December 2026 at noon in Copenhagen, whenever the test runs, so
/// that 2026 is this year and 2027 the next.
fn clock_offset() -> i64 {
    let noon = tilmelding_domain::LocalDateTime::parse("2026-12-10T12:00")
        .unwrap()
        .to_unix();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    noon - now
}

/// A server with mail, Kirsten Holm on the organiser list, the shipped meetings and one on
/// 20 January 2027; Billund and Vejen members for 2026 only.
pub async fn server() -> (Maildev, Server, tempfile::TempDir) {
    let maildev = Maildev::start().await;
    let dir = meetings_copy();
    let text = std::fs::read_to_string(dir.path().join("knub-2021-05-17.json")).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["id"] = json!(MEETING);
    doc["date"] = json!("2027-01-20");
    doc["registration"]
        .as_object_mut()
        .unwrap()
        .remove("deadline");
    std::fs::write(dir.path().join(format!("{MEETING}.json")), doc.to_string()).unwrap();
    let server = Server::with(ServerOptions {
        token: Some(TOKEN.into()),
        meetings: dir.path().into(),
        env: vec![
            ("TILMELDING_SMTP_URL", maildev.url()),
            ("TILMELDING_MAIL_FROM", "KL Netværk <netvaerk@kl.dk>".into()),
            ("TILMELDING_RATE_LIMIT", "0".into()),
            ("TILMELDING_ORGANISERS", format!("{KIRSTEN}, ab@kl.dk")),
            ("TILMELDING_CLOCK_OFFSET", clock_offset().to_string()),
        ],
        ..Default::default()
    })
    .await;
    let http = reqwest::Client::new();
    for code in [530, 575] {
        let r = http
            .put(format!(
                "{}/api/organiser/networks/knub/members/{code}",
                server.url
            ))
            .bearer_auth(TOKEN)
            .json(&json!({"valid_from": "2026-01-01", "valid_until": "2026-12-31"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
    }
    // Someone from Randers is registered for the 2027 meeting already.
    let body = json!({
        "municipality_code": 730,
        "contact": {"name": "Rie Kontakt", "email": "rie@randers.dk"},
        "attendees": [{"name": "Rie Rasmussen", "email": "rie@randers.dk", "title": "Konsulent"}],
        "privacy_accepted": true,
    });
    let r = http
        .post(format!(
            "{}/api/meetings/{MEETING}/registrations",
            server.url
        ))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    (maildev, server, dir)
}

/// Selects the option with `value` in the select with `id`, as a person picks it from the
/// list.
async fn choose(b: &Browser, id: &str, value: &str) {
    let option = b.wait_css(&format!("#{id} option[value='{value}']")).await;
    option.click().await.unwrap();
}

/// The whole flow (see the module's comment).
pub async fn renew_end_add_and_register(b: &Browser) {
    let (maildev, server, _dir) = server().await;
    b.open(&format!("{}/organiser/", server.url)).await;
    b.heading("Log ind").await;
    b.heading("Med din e-mail").await;
    assert_axe(b, "sign-in by mail").await;

    // The link comes by mail; opened, it signs her in, in this tab.
    b.click_into(b.field("Din e-mail").await).await;
    b.type_slowly("kh@kl.dk").await;
    b.activate(b.button("Send mig et link").await).await;
    b.wait_text("Hvis adressen er en arrangørs, er linket sendt nu.")
        .await;
    assert_axe(b, "a link sent").await;
    let mail = loop {
        let mails = maildev.all().await;
        if let Some(mail) = to(&mails, "kh@kl.dk").first() {
            break (*mail).clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(mail["subject"], "Dit link til arrangørsiden");
    let text = mail["text"].as_str().unwrap();
    let link = text
        .split_whitespace()
        .find(|w| w.contains("#sign-in="))
        .unwrap_or_else(|| panic!("no link in {text}"))
        .to_owned();
    assert!(
        link.starts_with(&format!("{}/organiser/", server.url)),
        "{link}"
    );
    b.open(&link).await;
    b.wait_text("Logget ind som Kirsten Holm").await;
    let address = b.js("return location.href").await;
    assert!(
        !address.as_str().unwrap().contains("sign-in"),
        "the link leaves the address"
    );

    // The members, per year.
    b.activate(b.button("Medlemmer").await).await;
    b.heading("Medlemmer").await;
    b.wait_text("medlemmer i 2026").await;
    assert_axe(b, "the members of 2026").await;
    choose(b, "org-members-year", "2027").await;
    b.wait_text("medlemmer i 2027").await;

    // 2026's members renewed into 2027, confirmed with the count.
    b.activate(b.button("Forny medlemmerne fra 2026").await)
        .await;
    b.wait_focus("org-renew-confirm").await;
    b.wait_text("2 medlemskaber slutter 31.12.2026").await;
    assert_axe(b, "a renewal to confirm").await;
    b.activate(b.button("Forny 2 medlemskaber").await).await;
    b.wait_text("2 medlemskaber fra 2026 er fornyet til 2027.")
        .await;
    b.button("Fortryd fornyelsen").await;
    b.wait_text("Vejen").await;

    // Randers ends with 2026; its registration for January waits for a decision.
    b.activate(b.button("Afslut medlemskabet for Randers").await)
        .await;
    b.wait_focus("org-end-date").await;
    // The year's last day to begin with: nobody is registered after it.
    assert_eq!(b.value_of("org-end-date").await, "2027-12-31");
    crate::meetings::retype(b, "2026-12-31").await;
    // Said as the day is typed, before anything is saved.
    b.wait_text("Randers har 1 tilmeldte til møder efter slutdatoen.")
        .await;
    b.click_into(b.field("Note (valgfri)").await).await;
    b.type_slowly("Udtrådt ved årets udgang").await;
    b.activate(b.field("Lad dem vente på en afgørelse om medlemskab").await)
        .await;
    assert_axe(b, "an end to confirm").await;
    b.activate(b.button("Gem").await).await;
    b.wait_text("Randers er medlem til og med 31.12.2026. 1 tilmeldte venter nu på en afgørelse.")
        .await;

    // Aabenraa, which never applied, added by a board decision, with the widget's picker.
    b.click_into(b.field("Kommune").await).await;
    b.type_slowly("aaben").await;
    b.wait_css("[role=listbox]:not([hidden]) > [role=option]")
        .await;
    let down: char = fantoccini::key::Key::Down.into();
    let enter: char = fantoccini::key::Key::Enter.into();
    b.keys(&format!("{down}{enter}")).await;
    assert_eq!(b.value_of("tlm-kommune").await, "Aabenraa");
    assert_eq!(b.value_of("org-add-from").await, "2027-01-01");
    b.click_into(b.field("Note (valgfri)").await).await;
    b.type_slowly("Bestyrelsesbeslutning").await;
    b.activate(b.button("Tilføj").await).await;
    b.wait_text("Aabenraa er medlem til og med 31.12.2027.")
        .await;
    // The records show her name.
    b.wait_text(&format!("{KIRSTEN} · tilføjet Aabenraa")).await;
    b.wait_text(&format!("{KIRSTEN} · ændret Randers")).await;
    b.wait_text(&format!("{KIRSTEN} · medlemmer fornyet")).await;
    assert_axe(b, "the members of 2027").await;

    // The widget, for the 2027 meeting: Randers is offered the application, Aabenraa is a
    // member.
    let visitor = Browser::start_in(b.engine).await;
    visitor
        .open(&format!("{}/?meeting={MEETING}", server.url))
        .await;
    visitor.within(Some("#tilmelding"));
    visitor.pick_municipality("rand").await;
    visitor
        .wait_text("Randers Kommune er ikke medlem af netværket.")
        .await;
    visitor.button("Søg om medlemskab og tilmeld").await;
    visitor.pick_municipality("aaben").await;
    visitor
        .wait_text("Aabenraa Kommune er medlem af netværket.")
        .await;
    visitor
        .fill_in("Kontaktperson", "Navn", "Aase Kontakt")
        .await;
    visitor
        .fill_in("Kontaktperson", "E-mail", "aase@aabenraa.dk")
        .await;
    visitor
        .fill_attendee(1, "Aase Andersen", "aase@aabenraa.dk", "Konsulent")
        .await;
    visitor.accept_privacy().await;
    visitor
        .activate(visitor.button("Send tilmelding").await)
        .await;
    visitor.heading("Tak for tilmeldingen").await;
    assert_eq!(
        Browser::count(
            &server.db,
            "SELECT COUNT(*) FROM registrations WHERE municipality_code = 580 AND status = 'registered'"
        ),
        1
    );
    // The records, as kept.
    assert_eq!(
        Browser::count(
            &server.db,
            &format!("SELECT COUNT(*) FROM membership_history WHERE done_by = '{KIRSTEN}'")
        ),
        3
    );
    assert_eq!(
        Browser::count(
            &server.db,
            "SELECT COUNT(*) FROM registrations WHERE municipality_code = 730 AND status = 'pending_membership'"
        ),
        1
    );
}
