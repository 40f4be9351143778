//! A meeting's life as time passes, with the real server and Chromium: registration open while
//! the meeting is ahead, closed once it has started (the widget says so and why; the API
//! refuses), a manage link that then only shows; and the example meeting `make run` serves.
//! Time is moved by the server's clock (`TILMELDING_CLOCK_OFFSET`) and by meeting files that
//! start when the test wants, never by waiting.

use serde_json::{Value, json};
use tilmelding_e2e::{Browser, Server, ServerOptions, WIDGET, free_port, meetings_copy, root};

/// The shipped meeting, moved to a date `days` from today, without a deadline: registration
/// closes when it starts. Returns when it starts, as seconds since the epoch.
fn meeting_in(days: i64, dir: &std::path::Path) -> i64 {
    let file = dir.join("knub-2021-05-17.json");
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let today = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        / 86_400;
    let date = tilmelding_domain::Date::from_days_since_epoch(today + days);
    m["date"] = json!(date.to_string());
    m["registration"]
        .as_object_mut()
        .unwrap()
        .remove("deadline");
    std::fs::write(&file, m.to_string()).unwrap();
    tilmelding_domain::LocalDateTime::parse(&format!("{date}T09:15"))
        .unwrap()
        .to_unix()
}

/// The clock offset that makes a new server's "now" `unix`.
fn offset_to(unix: i64) -> i64 {
    unix - std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn randers(tag: &str) -> Value {
    json!({
        "municipality_code": 730,
        "contact": {"name": "Kim Kontakt", "email": format!("kim-{tag}@randers.dk")},
        "attendees": [{"name": "Anna Andersen", "email": format!("anna-{tag}@randers.dk"), "title": "Konsulent"}],
        "privacy_accepted": true,
    })
}

async fn post(server: &Server, body: &Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!(
            "{}/api/meetings/knub-2021-05-17/registrations",
            server.url
        ))
        .json(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn registration_closes_when_the_meeting_starts_and_the_link_then_only_shows() {
    let meetings = meetings_copy();
    let start = meeting_in(2, meetings.path());
    let db = tempfile::tempdir().unwrap();
    let port = free_port();
    let options = |offset: i64| ServerOptions {
        meetings: meetings.path().into(),
        db: Some(db.path().join("time.sqlite3")),
        port,
        env: vec![("TILMELDING_CLOCK_OFFSET", offset.to_string())],
        ..Default::default()
    };
    // The meeting is the day after tomorrow: the form takes a registration.
    let server = Server::with(options(0)).await;
    let b = Browser::start().await;
    b.open_member_form(&server.url).await;
    b.register_one().await;
    let link = b
        .link("Se, ret eller afmeld tilmeldingen")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    server.stop().await;

    // An hour after the start by the server's clock: the meeting has started.
    let server = Server::with(options(offset_to(start + 3_600))).await;
    let (status, body) = post(&server, &randers("late")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("registration_closed"))
    );
    b.open(&link).await;
    b.heading("Se, ret eller afmeld tilmeldingen").await;
    b.wait_text("Mødet er begyndt, så tilmeldingen kan ikke længere ændres her.")
        .await;
    b.wait_text("Anna Andersen").await;
    let buttons = b
        .js(&format!(
            "return [...{WIDGET}.querySelectorAll('.tlm-manage button')].map(b => b.textContent)"
        ))
        .await;
    assert_eq!(buttons, json!([]), "nothing to change or cancel");
    let violations = b.axe().await;
    assert!(
        violations.is_empty(),
        "axe, the link after the start: {violations:#?}"
    );
    // The link's token left the address bar, and a reload in the same tab still shows the
    // submission.
    let url = b.client.current_url().await.unwrap();
    assert!(!url.as_str().contains("tilmelding-manage"), "{url}");
    b.client.refresh().await.unwrap();
    b.wait_text("Mødet er begyndt, så tilmeldingen kan ikke længere ændres her.")
        .await;
    b.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn make_run_serves_an_example_meeting_one_can_register_on_and_the_2021_meeting_closed() {
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new(root().join("scripts/example-meeting.sh"))
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(made.success());
    let server = Server::with(ServerOptions {
        meetings: dir.path().into(),
        ..Default::default()
    })
    .await;
    let b = Browser::start().await;
    b.open_member_form(&format!("{}/?meeting=eksempel", server.url))
        .await;
    b.heading("Eksempel: netværksmøde om boligsociale indsatser")
        .await;
    b.wait_text("Dette er et eksempel.").await;
    b.register_one().await;
    b.wait_text("EKS-00001").await;
    // The real meeting of 17 May 2021: its programme, and registration closed, saying why.
    b.open(&server.url).await;
    b.heading("Gruppedrøftelse").await;
    b.wait_text("Tilmeldingen er lukket.").await;
    b.wait_text("Tilmeldingen lukkede, da mødet begyndte.")
        .await;
    let violations = b.axe().await;
    assert!(
        violations.is_empty(),
        "axe, closed at the start: {violations:#?}"
    );
    assert_eq!(post(&server, &randers("2021")).await.0, 409);
    b.client.clone().close().await.unwrap();
}

/// The reminder goes out at its time by the server's clock, once per registered attendee, with
/// the meeting's link once set (maildev).
#[tokio::test(flavor = "multi_thread")]
async fn the_reminder_is_sent_at_its_time_once_per_attendee() {
    let maildev = tilmelding_e2e::mail::Maildev::start().await;
    let meetings = meetings_copy();
    let start = meeting_in(3, meetings.path());
    let db = tempfile::tempdir().unwrap();
    let options = |offset: i64| ServerOptions {
        meetings: meetings.path().into(),
        db: Some(db.path().join("reminder.sqlite3")),
        token: Some("reminder-organiser-Pt5eA9cW3hM7vB1xK4qZ".into()),
        env: vec![
            ("TILMELDING_CLOCK_OFFSET", offset.to_string()),
            ("TILMELDING_SMTP_URL", maildev.url()),
            ("TILMELDING_MAIL_FROM", "KL Netværk <netvaerk@kl.dk>".into()),
        ],
        ..Default::default()
    };
    let server = Server::with(options(0)).await;
    assert_eq!(post(&server, &randers("a")).await.0, 201);
    assert_eq!(post(&server, &randers("b")).await.0, 201);
    let r = reqwest::Client::new()
        .put(format!(
            "{}/api/organiser/meetings/knub-2021-05-17/join-link",
            server.url
        ))
        .bearer_auth("reminder-organiser-Pt5eA9cW3hM7vB1xK4qZ")
        .json(&json!({"url": "https://teams.example.com/l/abc"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Two receipts, two confirmations, two links.
    maildev.wait_for(6).await;
    server.stop().await;
    // Twelve hours before the meeting the reminder (a day before) is due.
    let server = Server::with(options(offset_to(start - 12 * 3_600))).await;
    let mails = maildev.wait_for(8).await;
    let reminders: Vec<_> = mails
        .iter()
        .filter(|m| m["subject"].as_str().unwrap().starts_with("Påmindelse:"))
        .collect();
    let mut to: Vec<&str> = reminders
        .iter()
        .map(|m| m["to"][0]["address"].as_str().unwrap())
        .collect();
    to.sort_unstable();
    assert_eq!(to, ["anna-a@randers.dk", "anna-b@randers.dk"]);
    assert!(reminders.iter().all(|m| {
        m["text"]
            .as_str()
            .unwrap()
            .contains("https://teams.example.com/l/abc")
    }));
    server.stop().await;
    // Started again an hour later: nobody is reminded twice.
    let server = Server::with(options(offset_to(start - 11 * 3_600))).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(maildev.all().await.len(), 8);
    server.stop().await;
}

/// After an earlier deadline and until the start, the manage view only cancels: the note says
/// so, only "Afmeld" is offered, and a cancellation goes through (axe on the state).
#[tokio::test(flavor = "multi_thread")]
async fn between_the_deadline_and_the_start_the_link_only_cancels() {
    let meetings = meetings_copy();
    let start = meeting_in(5, meetings.path());
    // The deadline two days before the start.
    let file = meetings.path().join("knub-2021-05-17.json");
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let deadline = tilmelding_domain::calendar::format_local(start - 2 * 86_400).replace(' ', "T");
    m["registration"]["deadline"] = json!(deadline);
    std::fs::write(&file, m.to_string()).unwrap();
    let db = tempfile::tempdir().unwrap();
    let port = free_port();
    let options = |offset: i64| ServerOptions {
        meetings: meetings.path().into(),
        db: Some(db.path().join("between.sqlite3")),
        port,
        env: vec![("TILMELDING_CLOCK_OFFSET", offset.to_string())],
        ..Default::default()
    };
    let server = Server::with(options(0)).await;
    let mut two = randers("two");
    two["attendees"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "Bo Berg", "email": "bo-two@randers.dk", "title": "Chef"}));
    let receipt = server.register(&two).await;
    server.stop().await;
    // A day before the start: the deadline has passed.
    let server = Server::with(options(offset_to(start - 86_400))).await;
    let b = Browser::start().await;
    b.open(receipt["manage_url"].as_str().unwrap()).await;
    b.wait_text("Fristen for ændringer er overskredet. Indtil mødet begynder, kan I stadig afmelde deltagere.")
        .await;
    let buttons = b
        .js(&format!(
            "return [...{WIDGET}.querySelectorAll('.tlm-manage button')].map(b => b.textContent)"
        ))
        .await;
    assert_eq!(
        buttons,
        json!(["Afmeld", "Afmeld", "Afmeld alle"]),
        "only cancelling"
    );
    let violations = b.axe().await;
    assert!(violations.is_empty(), "axe, cancel only: {violations:#?}");
    b.button("Afmeld Bo Berg").await.click().await.unwrap();
    b.button("Ja, afmeld").await.click().await.unwrap();
    b.wait_text("Afmeldt").await;
    server.stop().await;
    b.client.clone().close().await.unwrap();
}
