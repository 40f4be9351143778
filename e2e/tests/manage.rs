//! After registering, with a real SMTP server (npm's maildev): the contact's and the
//! attendees' mails arrive with the manage link and calendar invitations; the link from the
//! mail opens the widget's manage view in Chromium, where one attendee is replaced and another
//! cancelled; the update and `METHOD:CANCEL` mails follow; the organiser's CSV and counts say
//! so. The view passes axe and works with the keyboard alone. And a mail server that is down
//! costs no registration and loses no mail, across a restart of the reference server.

use serde_json::{Value, json};
use std::time::Duration;
use tilmelding_domain::ics::uid;
use tilmelding_e2e::flows::two_from_randers;
use tilmelding_e2e::mail::{Maildev, to};
use tilmelding_e2e::{Browser, Server, ServerOptions, WAIT, free_port};

use tilmelding_e2e::organiser::TOKEN;
const MEETING: &str = "knub-2021-05-17";

async fn server(smtp: String, db: Option<std::path::PathBuf>) -> Server {
    Server::with(ServerOptions {
        token: Some(TOKEN.into()),
        db,
        env: vec![
            ("TILMELDING_SMTP_URL", smtp),
            ("TILMELDING_MAIL_FROM", "KL Netværk <netvaerk@kl.dk>".into()),
        ],
        ..Default::default()
    })
    .await
}

/// The manage link in a mail's text.
fn link_in(mail: &Value) -> String {
    let text = mail["text"].as_str().unwrap();
    text.split_whitespace()
        .find(|w| w.contains("#tilmelding-manage="))
        .unwrap_or_else(|| panic!("no manage link in {text}"))
        .to_owned()
}

async fn organiser_get(server: &Server, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!(
            "{}/api/organiser/meetings/{MEETING}{path}",
            server.url
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
}

/// The number of attendees the widget's manage view shows as cancelled.
async fn cancelled_rows(b: &Browser) -> u64 {
    b.js(&format!(
        "return {}.querySelectorAll('.tlm-cancelled').length",
        tilmelding_e2e::WIDGET
    ))
    .await
    .as_u64()
    .unwrap()
}

async fn wait_cancelled(b: &Browser, n: u64) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while cancelled_rows(b).await != n {
        assert!(tokio::time::Instant::now() < deadline, "{n} rows cancelled");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn mails_and_the_manage_link_from_the_mail() {
    let maildev = Maildev::start().await;
    let server = server(maildev.url(), None).await;
    let b = Browser::start().await;
    b.open_member_form(&server.url).await;
    b.fill_contact().await;
    b.fill_attendee(1, "Anna Andersen", "anna@randers.dk", "Konsulent")
        .await;
    for (n, name, email) in [
        (2, "Bo Berg", "bo@randers.dk"),
        (3, "Dorte Dahl", "dorte@randers.dk"),
    ] {
        b.button("Tilføj deltager").await.click().await.unwrap();
        b.fill_attendee(n, name, email, "Planlægger").await;
    }
    b.accept_privacy().await;
    b.button("Send tilmelding").await.click().await.unwrap();
    b.heading("Tak for tilmeldingen").await;
    // The confirmation shows the link, with the hint to keep it.
    b.link("Se, ret eller afmeld tilmeldingen").await;
    b.wait_text("Gem linket.").await;
    // Registering never downloaded the manage view; following the link from the
    // confirmation (to the standalone manage page) loads it.
    b.assert_downloaded(&[], &["/manage/"]).await;
    b.link("Se, ret eller afmeld tilmeldingen")
        .await
        .click()
        .await
        .unwrap();
    b.heading("Se, ret eller afmeld tilmeldingen").await;
    b.wait_text("Dorte Dahl").await;

    // The contact's receipt with the link, and each attendee's confirmation with an invitation.
    let mails = maildev.wait_for(4).await;
    assert_eq!(mails.len(), 4, "{mails:#?}");
    let receipt = to(&mails, "kim@randers.dk");
    assert_eq!(receipt.len(), 1);
    assert!(
        receipt[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Tilmelding modtaget")
    );
    assert!(
        receipt[0]["html"]
            .as_str()
            .unwrap()
            .contains("Anna Andersen")
    );
    let link = link_in(receipt[0]);
    assert!(link.starts_with(&format!(
        "{}/manage/?meeting={MEETING}#tilmelding-manage=",
        server.url
    )));
    for email in ["anna@randers.dk", "bo@randers.dk", "dorte@randers.dk"] {
        let mine = to(&mails, email);
        assert_eq!(mine.len(), 1, "{email}");
        assert!(
            mine[0]["subject"]
                .as_str()
                .unwrap()
                .starts_with("Du er tilmeldt")
        );
        assert!(
            !mine[0]["text"]
                .as_str()
                .unwrap()
                .contains("tilmelding-manage"),
            "the link is the contact's"
        );
        assert_eq!(
            maildev.calendar_line(mine[0], "METHOD:").await,
            "METHOD:REQUEST"
        );
        assert_eq!(
            maildev.calendar_line(mine[0], "UID:").await,
            format!("UID:{}", uid(MEETING, email)),
            "the same UID as the confirmation page's download"
        );
    }

    // The link from the mail opens the manage view on the standalone manage page, from its
    // own bundle, without downloading the registration's.
    b.open(&link).await;
    b.heading("Se, ret eller afmeld tilmeldingen").await;
    b.wait_text("Bo Berg").await;
    b.assert_downloaded(
        &["/manage/tilmelding-manage_bg.wasm"],
        &["/tilmelding_bg.wasm", "/tilmelding.js"],
    )
    .await;
    // Checked before axe runs: axe itself injects a <style> (its CSS object model copy of the
    // widget's stylesheet), which the page's policy rightly blocks and reports.
    server.assert_no_csp_violations().await;
    assert_eq!(b.axe().await, Vec::<String>::new());

    // Bo cannot come; Cai takes his seat.
    b.button("Erstat Bo Berg").await.click().await.unwrap();
    b.field("Navn")
        .await
        .send_keys("Cai Clausen")
        .await
        .unwrap();
    b.field("E-mail")
        .await
        .send_keys("cai@randers.dk")
        .await
        .unwrap();
    b.field("Stilling")
        .await
        .send_keys("Byplanlægger")
        .await
        .unwrap();
    assert_eq!(b.axe().await, Vec::<String>::new(), "with a form open");
    // A reload loses nothing typed: the open form comes back as a draft, as the registration
    // form's does.
    b.client.refresh().await.unwrap();
    b.heading("Se, ret eller afmeld tilmeldingen").await;
    let value = |label: &'static str| {
        let b = &b;
        async move {
            b.field(label)
                .await
                .prop("value")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    assert_eq!(value("Navn").await, "Cai Clausen");
    assert_eq!(value("E-mail").await, "cai@randers.dk");
    b.button("Gem ændringen").await.click().await.unwrap();
    b.wait_text("Cai Clausen").await;
    wait_cancelled(&b, 1).await;
    // Dorte cancels, after a confirmation.
    b.button("Afmeld Dorte Dahl").await.click().await.unwrap();
    b.wait_text("Afmeld Dorte Dahl? Der sendes besked").await;
    b.button("Ja, afmeld").await.click().await.unwrap();
    wait_cancelled(&b, 2).await;
    assert_eq!(b.axe().await, Vec::<String>::new());

    // The update to the contact, Cai's confirmation, and the two cancellations.
    let mails = maildev.wait_for(9).await;
    assert_eq!(
        to(&mails, "kim@randers.dk").len(),
        3,
        "receipt and two updates"
    );
    let cai = to(&mails, "cai@randers.dk");
    assert_eq!(cai.len(), 1);
    assert_eq!(
        maildev.calendar_line(cai[0], "METHOD:").await,
        "METHOD:REQUEST"
    );
    for email in ["bo@randers.dk", "dorte@randers.dk"] {
        let mine = to(&mails, email);
        assert_eq!(mine.len(), 2, "{email}");
        let cancel = mine[1];
        assert!(cancel["subject"].as_str().unwrap().starts_with("Afmeldt"));
        assert_eq!(
            maildev.calendar_line(cancel, "METHOD:").await,
            "METHOD:CANCEL"
        );
        assert_eq!(
            maildev.calendar_line(cancel, "SEQUENCE:").await,
            "SEQUENCE:1"
        );
        assert_eq!(
            maildev.calendar_line(cancel, "UID:").await,
            maildev.calendar_line(mine[0], "UID:").await
        );
    }

    // The organiser's CSV and counts.
    let csv = organiser_get(&server, "/registrations.csv")
        .await
        .text()
        .await
        .unwrap();
    let status = |name: &str| {
        let line = csv.lines().find(|l| l.contains(name)).unwrap();
        let cells: Vec<&str> = line.split(';').collect();
        (cells[7].to_owned(), cells[11].is_empty())
    };
    assert_eq!(status("Anna Andersen"), ("Tilmeldt".into(), true));
    assert_eq!(status("Bo Berg"), ("Afmeldt".into(), false));
    assert_eq!(status("Dorte Dahl"), ("Afmeldt".into(), false));
    assert_eq!(status("Cai Clausen"), ("Tilmeldt".into(), true));
    let counts: Value = organiser_get(&server, "/counts")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            counts[0]["registered"].clone(),
            counts[0]["cancelled"].clone()
        ),
        (json!(2), json!(2)),
        "{counts}"
    );

    // A wrong link says so, in words; on the registration's standalone page too, where the
    // links mailed before the manage page had its own address lead.
    b.open(&format!(
        "{}/?meeting={MEETING}#tilmelding-manage=AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA",
        server.url
    ))
    .await;
    assert!(
        b.alert_text()
            .await
            .contains("Linket til tilmeldingen virker ikke")
    );
}

#[tokio::test]
async fn the_manage_view_with_the_keyboard_alone() {
    let maildev = Maildev::start().await;
    let server = server(maildev.url(), None).await;
    let receipt = server.register(&two_from_randers()).await;
    let b = Browser::start().await;
    b.open(receipt["manage_url"].as_str().unwrap()).await;
    b.heading("Se, ret eller afmeld tilmeldingen").await;
    b.wait_text("Anna Andersen").await;
    // Correct Anna's title: Tab to "Ret", Enter opens the form with focus in it.
    b.tab_to("tlm-m-edit-1", 40).await;
    b.press(fantoccini::key::Key::Enter).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(b.focused_id().await, "tlm-m-name");
    b.press(fantoccini::key::Key::Tab).await;
    assert_eq!(b.focused_id().await, "tlm-m-title");
    // Tabbing into a field selects its text; End keeps it and types after it.
    b.press(fantoccini::key::Key::End).await;
    b.keys(" og teamleder").await;
    b.press(fantoccini::key::Key::Enter).await;
    b.wait_text("Konsulent og teamleder").await;
    // Cancel Bo: Tab to his "Afmeld", Enter, and Enter again on the confirmation.
    b.tab_to("tlm-m-cancel-2", 40).await;
    b.press(fantoccini::key::Key::Enter).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(b.focused_id().await, "tlm-m-confirm");
    b.press(fantoccini::key::Key::Enter).await;
    wait_cancelled(&b, 1).await;
    assert_eq!(b.axe().await, Vec::<String>::new());
    // The mails of both changes arrive: receipt + 2 confirmations, then per change an update
    // to the contact and one to the attendee.
    let mails = maildev.wait_for(7).await;
    assert_eq!(to(&mails, "anna@randers.dk").len(), 2);
    assert!(
        to(&mails, "anna@randers.dk")[1]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Tilmelding rettet")
    );
}

#[tokio::test]
async fn a_mail_server_that_is_down_costs_nothing_and_loses_nothing() {
    // The address the server is given; nothing listens there yet.
    let (smtp, web) = (free_port(), free_port());
    let url = format!("smtp://127.0.0.1:{smtp}");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mail.sqlite3");
    let first = server(url.clone(), Some(db.clone())).await;
    // Registering succeeds without mail (`register` checks the 201).
    first.register(&two_from_randers()).await;
    // The worker tries, fails, and keeps the mails for later.
    let deadline = tokio::time::Instant::now() + WAIT;
    while Browser::count(&db, "SELECT COUNT(*) FROM outbox WHERE attempts > 0") < 3 {
        assert!(tokio::time::Instant::now() < deadline, "the worker tried");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        Browser::count(&db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"),
        3
    );
    // The reference server restarts; then the mail server comes back.
    first.stop().await;
    let second = server(url, Some(db.clone())).await;
    let maildev = Maildev::on(smtp, web).await;
    let mails = maildev.wait_for(3).await;
    // Exactly once: nothing more arrives after a few more rounds of the worker.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let mails_later = maildev.all().await;
    assert_eq!(mails_later.len(), 3, "{mails_later:#?}");
    for email in ["kim@randers.dk", "anna@randers.dk", "bo@randers.dk"] {
        assert_eq!(to(&mails, email).len(), 1, "{email}");
    }
    assert_eq!(
        Browser::count(&db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL"),
        3
    );
    assert_eq!(
        Browser::count(&db, "SELECT COUNT(*) FROM outbox WHERE body_text <> ''"),
        0,
        "sent mails keep no body (the receipt held the manage link)"
    );
    second.stop().await;
}
