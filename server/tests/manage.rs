//! The manage link: what it opens, every change it allows, refusals that change
//! nothing, the deadline, wrong links, and the e-mails written with each change. On both stores
//! (see `common`).

mod common;
use common::{TOKEN, TestServer, meetings, registration};
use serde_json::{Value, json};

const MANAGE: &str = "/meetings/knub-2021-05-17/manage";

/// Registers and returns the receipt's manage token (the URL's fragment).
async fn registered(s: &TestServer, reg: &Value) -> (Value, String) {
    let (status, receipt) = s.register(reg).await;
    assert_eq!(status, 201, "{receipt}");
    let token = common::manage_token(&receipt);
    (receipt, token)
}

async fn view(s: &TestServer, token: &str) -> (u16, Value) {
    s.get_json(MANAGE, token).await
}

async fn change(s: &TestServer, token: &str, key: &str, action: Value) -> (u16, Value) {
    let body = json!({ "idempotency_key": key, "action": action });
    s.post_json(MANAGE, token, &body).await
}

/// (name, cancelled) of each attendee in a view.
fn people(v: &Value) -> Vec<(String, bool)> {
    v["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_owned(),
                a["cancelled"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn id_of(v: &Value, name: &str) -> i64 {
    v["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {v}"))["id"]
        .as_i64()
        .unwrap()
}

fn person(name: &str, email: &str) -> Value {
    json!({ "name": name, "email": email, "title": "Planlægger" })
}

#[tokio::test]
async fn the_receipt_carries_a_link_that_only_it_opens() {
    let s = TestServer::start().await;
    let (receipt, token) = registered(&s, &registration(730, "r", 2)).await;
    let url = receipt["manage_url"].as_str().unwrap();
    // No page_url in the meeting file: the server's own standalone manage page.
    assert!(
        url.starts_with(&format!("{}/manage/?meeting=knub-2021-05-17#", s.url)),
        "{url}"
    );
    let (selector, verifier) = token.split_once('.').unwrap();
    assert_eq!((selector.len(), verifier.len()), (16, 24), "{token}");
    let (status, v) = view(&s, &token).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["reference"], receipt["reference"]);
    assert_eq!(v["open"], true);
    assert_eq!(v["contact"]["email"], "kontakt-r@kommune.dk");
    assert_eq!(
        people(&v),
        [("Deltager 0".into(), false), ("Deltager 1".into(), false)]
    );
    // Only a hash of the secret half is kept: the token is nowhere in the database.
    assert_eq!(s.count("SELECT COUNT(*) FROM manage_tokens"), 1);
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) FROM submissions WHERE receipt LIKE '%{verifier}%'"
        )),
        0
    );
    // A link with the secret changed, a made-up one, none: 404, the same answer for each.
    let mut wrong = token.clone();
    wrong.replace_range(20..21, if &token[20..21] == "A" { "B" } else { "A" });
    for bad in [wrong.as_str(), "abc", ""] {
        let (status, body) = view(&s, bad).await;
        assert_eq!(status, 404, "{bad}: {body}");
        assert_eq!(body["error"], "unknown_manage_link");
    }
    // A replayed submission answers with a link of its own; the first keeps working.
    let mut keyed = registration(751, "a", 1);
    keyed["idempotency_key"] = json!("k-0123456789abcdef");
    let (_, first) = registered(&s, &keyed).await;
    let (_, second) = registered(&s, &keyed).await;
    assert_ne!(first, second);
    assert_eq!(view(&s, &first).await.0, 200);
    assert_eq!(view(&s, &second).await.1["reference"], "KNUB-00002");
}

#[tokio::test]
async fn links_point_to_the_page_the_meeting_file_names() {
    let page = "https://www.kl.dk/knub/netvaerksmoede?utm=x#program";
    let edited = meetings(|m| m["registration"]["page_url"] = json!(page));
    let s = TestServer::with(edited, None, Some(TOKEN)).await;
    let (receipt, token) = registered(&s, &registration(730, "r", 1)).await;
    assert_eq!(
        receipt["manage_url"],
        format!("https://www.kl.dk/knub/netvaerksmoede?utm=x#tilmelding-manage={token}"),
        "the page's own fragment gives way to the link's"
    );
}

#[tokio::test]
async fn every_change_is_kept_and_the_organiser_sees_the_truth() {
    let s = TestServer::start().await;
    let (_, token) = registered(&s, &registration(730, "r", 3)).await;
    let (_, v) = view(&s, &token).await;
    let (first, second, third) = (
        id_of(&v, "Deltager 0"),
        id_of(&v, "Deltager 1"),
        id_of(&v, "Deltager 2"),
    );
    let edit =
        json!({"kind": "edit", "attendee": first, "name": " Anna  Andersen ", "title": "Chef"});
    let (status, v) = change(&s, &token, "c-1", edit.clone()).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["attendees"][0]["name"], "Anna Andersen", "normalised");
    assert_eq!(v["attendees"][0]["title"], "Chef");
    let replace = json!({"kind": "replace", "attendee": second, "person": person("Cai Clausen", "cai@randers.dk")});
    let (status, v) = change(&s, &token, "c-2", replace).await;
    assert_eq!(status, 200, "{v}");
    let cancel = json!({"kind": "cancel", "attendees": [third]});
    let (status, v) = change(&s, &token, "c-3", cancel.clone()).await;
    assert_eq!(status, 200, "{v}");
    let add = json!({"kind": "add", "attendees": [person("Dorte Dahl", "dorte@randers.dk")]});
    let (status, v) = change(&s, &token, "c-4", add).await;
    assert_eq!(status, 200, "{v}");
    let contact =
        json!({"kind": "contact", "contact": {"name": "Eva Ege", "email": "eva@randers.dk"}});
    let (status, v) = change(&s, &token, "c-5", contact).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["contact"]["name"], "Eva Ege");
    assert_eq!(
        people(&v),
        [
            ("Anna Andersen".into(), false),
            ("Deltager 1".into(), true),
            ("Deltager 2".into(), true),
            ("Cai Clausen".into(), false),
            ("Dorte Dahl".into(), false),
        ]
    );
    // The same key again changes nothing (a retry), and cancelling the cancelled is a no-op.
    assert_eq!(change(&s, &token, "c-1", edit).await.0, 200);
    assert_eq!(change(&s, &token, "c-6", cancel).await.0, 200);
    assert_eq!(s.count("SELECT COUNT(*) FROM changes"), 6);
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM changes WHERE kind = 'replace' AND detail LIKE '%Deltager 1%'"
        ),
        1,
        "the history keeps what was there before"
    );
    // The organiser's export: status, cancelled-at and last-changed columns.
    let csv = s.csv().await;
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0]
            .ends_with(";Status;Kontaktperson;Kontaktperson e-mail;Tilmeldt;Afmeldt;Sidst ændret"),
        "{}",
        lines[0]
    );
    let status_of = |name: &str| {
        let line = lines.iter().find(|l| l.contains(name)).unwrap();
        let cells: Vec<&str> = line.split(';').collect();
        (cells[7].to_owned(), !cells[11].is_empty())
    };
    assert_eq!(status_of("Anna Andersen"), ("Tilmeldt".into(), false));
    assert_eq!(status_of("Deltager 1"), ("Afmeldt".into(), true));
    assert_eq!(status_of("Deltager 2"), ("Afmeldt".into(), true));
    assert_eq!(status_of("Cai Clausen"), ("Tilmeldt".into(), false));
    assert!(
        lines[1].contains("Eva Ege"),
        "the contact is the submission's: {}",
        lines[1]
    );
    // Counts exclude the cancelled.
    let (_, counts) = s
        .get_json("/organiser/meetings/knub-2021-05-17/counts", TOKEN)
        .await;
    assert_eq!(counts[0]["registered"], 3, "{counts}");
    assert_eq!(counts[0]["cancelled"], 2, "{counts}");
    // A cancelled address can register again.
    let mut again = registration(730, "r", 3);
    again["attendees"] =
        json!([{"name": "Deltager 2", "email": "r2@kommune.dk", "title": "Konsulent"}]);
    let (status, receipt) = s.register(&again).await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(
        receipt["registered"].as_array().unwrap().len(),
        1,
        "{receipt}"
    );
    assert_eq!(
        s.count("SELECT MAX(sequence) FROM registrations WHERE email_key = 'r2@kommune.dk'"),
        2,
        "registered again after a cancellation (revision 1): revision 2 for calendars"
    );
}

#[tokio::test]
async fn a_refused_change_changes_nothing() {
    let s = TestServer::start().await;
    let (_, token) = registered(&s, &registration(730, "r", 2)).await;
    registered(&s, &registration(751, "a", 1)).await;
    let (_, before) = view(&s, &token).await;
    let first = id_of(&before, "Deltager 0");
    // Replacing by someone registered (by another submission): a field reason, nothing stored.
    let taken =
        json!({"kind": "replace", "attendee": first, "person": person("Aase", "A0@kommune.dk")});
    let (status, body) = change(&s, &token, "x-1", taken).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "already_registered");
    assert_eq!(body["fields"][0]["field"], "attendees[0].email");
    assert_eq!(body["fields"][0]["code"], "already_registered");
    // Adding two where the second is taken: neither is added.
    let add = json!({"kind": "add", "attendees": [person("Ny", "ny@randers.dk"), person("Aase", "a0@kommune.dk")]});
    let (status, body) = change(&s, &token, "x-2", add).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["fields"][0]["field"], "attendees[1].email");
    // Field rules are the form's.
    let bad = json!({"kind": "edit", "attendee": first, "name": "", "title": "x".repeat(201)});
    let (status, body) = change(&s, &token, "x-3", bad).await;
    assert_eq!(status, 422, "{body}");
    let codes: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["required", "too_long"]);
    // An attendee of another submission, or none: 404.
    let other = json!({"kind": "cancel", "attendees": [first + 100]});
    let (status, body) = change(&s, &token, "x-4", other).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("unknown_attendee"))
    );
    // A body that is no change: 400 / 422, never a 500.
    let r = s
        .http
        .post(s.api(MANAGE))
        .bearer_auth(&token)
        .json(&json!({"idempotency_key": "k", "action": {"kind": "explode"}}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    assert_eq!(view(&s, &token).await.1, before, "nothing changed");
    assert_eq!(s.count("SELECT COUNT(*) FROM changes"), 0);
    // A cancelled attendee cannot be edited.
    let (status, _) = change(
        &s,
        &token,
        "x-5",
        json!({"kind": "cancel", "attendees": [first]}),
    )
    .await;
    assert_eq!(status, 200);
    let edit = json!({"kind": "edit", "attendee": first, "name": "Anna", "title": "Chef"});
    assert_eq!(change(&s, &token, "x-6", edit).await.0, 404);
}

/// Seconds from the server's clock to a local time, e.g. `2099-05-26T08:00`.
fn until(s: &TestServer, local: &str) -> i64 {
    tilmelding_domain::LocalDateTime::parse(local)
        .unwrap()
        .to_unix()
        - s.clock.now()
}

/// A meeting on 1 June 2099 at 9.15 with a deadline a week before: registration and changes
/// close at the deadline; attendees can still be cancelled until the meeting starts; after that
/// the link only shows.
#[tokio::test]
async fn after_the_deadline_changes_close_and_cancelling_stays_until_the_start() {
    let s = TestServer::with(
        meetings(|m| {
            common::meeting_in_2099(m);
            m["registration"]["deadline"] = json!("2099-05-25T12:00");
        }),
        None,
        Some(TOKEN),
    )
    .await;
    let (_, token) = registered(&s, &registration(730, "r", 3)).await;
    let (_, v) = view(&s, &token).await;
    assert_eq!(
        (&v["open"], &v["cancellable"]),
        (&json!(true), &json!(true))
    );
    let (a, b, c) = (
        id_of(&v, "Deltager 0"),
        id_of(&v, "Deltager 1"),
        id_of(&v, "Deltager 2"),
    );
    // The day after the deadline.
    s.clock.advance(until(&s, "2099-05-26T08:00"));
    let (status, v) = view(&s, &token).await;
    assert_eq!(status, 200);
    assert_eq!(
        (&v["open"], &v["cancellable"]),
        (&json!(false), &json!(true))
    );
    let closed = |(status, body): (u16, Value)| {
        assert_eq!(
            (status, body["error"].as_str()),
            (409, Some("registration_closed")),
            "{body}"
        );
    };
    let edit = json!({"kind": "edit", "attendee": a, "name": "Ny", "title": "Chef"});
    closed(change(&s, &token, "late-1", edit).await);
    let add = json!({"kind": "add", "attendees": [person("Ny", "ny@kommune.dk")]});
    closed(change(&s, &token, "late-2", add).await);
    closed(s.register(&registration(730, "late", 1)).await);
    let (status, v) = change(
        &s,
        &token,
        "late-3",
        json!({"kind": "cancel", "attendees": [b]}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        people(&v),
        [
            ("Deltager 0".into(), false),
            ("Deltager 1".into(), true),
            ("Deltager 2".into(), false)
        ]
    );
    assert_eq!(v["open"], false);
    // Once the meeting has started, the link only shows.
    s.clock.advance(until(&s, "2099-06-01T09:15"));
    let (status, v) = view(&s, &token).await;
    assert_eq!((status, &v["cancellable"]), (200, &json!(false)));
    closed(
        change(
            &s,
            &token,
            "late-4",
            json!({"kind": "cancel", "attendees": [c]}),
        )
        .await,
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM registrations WHERE status = 'cancelled'"),
        1
    );
}

/// Without a deadline, registration closes when the meeting starts.
#[tokio::test]
async fn without_a_deadline_registration_closes_at_the_start() {
    let s = TestServer::with(meetings(common::meeting_in_2099), None, Some(TOKEN)).await;
    s.clock.advance(until(&s, "2099-06-01T09:14"));
    assert_eq!(s.register(&registration(730, "a", 1)).await.0, 201);
    s.clock.advance(60);
    let (status, body) = s.register(&registration(730, "b", 1)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("registration_closed"))
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM registrations"), 1);
}

#[tokio::test]
async fn guessing_links_is_rate_limited() {
    let s = TestServer::start().await;
    let (_, token) = registered(&s, &registration(730, "r", 1)).await;
    for i in 0..10 {
        let guess = format!("AAAAAAAAAAAAAAA{i}.AAAAAAAAAAAAAAAAAAAAAAAA");
        assert_eq!(view(&s, &guess).await.0, 404);
    }
    let r = s
        .http
        .get(s.api(MANAGE))
        .bearer_auth("AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().contains_key("retry-after"));
    // Past the limit the right link still opens: a lock-out cannot be used against it.
    assert_eq!(view(&s, &token).await.0, 200);
}

#[tokio::test]
async fn mails_are_written_with_what_they_tell_about() {
    // A mail server that is not there: registering and changing still succeed, and every
    // mail waits in the outbox.
    let s = TestServer::configured(meetings(|_| {}), None, Some(TOKEN), common::dead_mail).await;
    let mut reg = registration(730, "r", 3);
    reg["idempotency_key"] = json!("mail-test-0123456789");
    let (_, token) = registered(&s, &reg).await;
    let outbox = |sql: &str| s.count(&format!("SELECT COUNT(*) FROM outbox {sql}"));
    assert_eq!(outbox(""), 4, "the contact and each attendee");
    assert_eq!(outbox("WHERE calendar_method = 'REQUEST'"), 3);
    assert_eq!(
        outbox("WHERE body_text LIKE '%#tilmelding-manage=%'"),
        1,
        "the link goes to the contact only"
    );
    // A replay writes no mail again.
    registered(&s, &reg).await;
    assert_eq!(outbox(""), 4);
    let (_, v) = view(&s, &token).await;
    let id = v["attendees"][0]["id"].clone();
    assert_eq!(
        change(
            &s,
            &token,
            "m-1",
            json!({"kind": "cancel", "attendees": [id]})
        )
        .await
        .0,
        200
    );
    assert_eq!(
        outbox(""),
        6,
        "an update to the contact, a cancellation to the attendee"
    );
    assert_eq!(
        outbox("WHERE calendar_method = 'CANCEL' AND calendar LIKE '%SEQUENCE:1%'"),
        1
    );
    // A refused change writes none.
    let taken = json!({"kind": "add", "attendees": [person("Igen", "r1@kommune.dk")]});
    assert_eq!(change(&s, &token, "m-2", taken).await.0, 409);
    assert_eq!(outbox(""), 6);
    // The worker has tried and will try again; nothing is lost.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(outbox("WHERE sent_at IS NULL AND failed_at IS NULL"), 6);
    assert!(outbox("WHERE attempts > 0") > 0);
}

/// A new contact person is sent a link of their own, and every earlier link ends: the one
/// before no longer manages the submission, and is told why (410, not counted as a guess).
/// Without mail no one could be sent a new link, so the link keeps working.
#[tokio::test]
async fn a_new_contact_gets_a_new_link_that_ends_the_old_one() {
    let s = TestServer::configured(meetings(|_| {}), None, Some(TOKEN), common::dead_mail).await;
    let (_, old) = registered(&s, &registration(730, "r", 1)).await;
    let contact =
        json!({"kind": "contact", "contact": {"name": "Eva Ege", "email": "eva@randers.dk"}});
    let (status, v) = change(&s, &old, "k-1", contact.clone()).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["contact"]["email"], "eva@randers.dk");
    let new_link = s.text(
        "SELECT body_text FROM outbox WHERE recipient = 'eva@randers.dk' \
         AND body_text LIKE '%#tilmelding-manage=%'",
    );
    let new = new_link
        .split("#tilmelding-manage=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .unwrap()
        .to_owned();
    assert_ne!(new, old);
    assert_eq!(
        view(&s, &new).await.0,
        200,
        "the new contact's link opens it"
    );
    for _ in 0..15 {
        let (status, body) = view(&s, &old).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (410, Some("manage_link_replaced"))
        );
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("ny kontaktperson"),
            "{body}"
        );
    }
    let (status, _) = change(&s, &old, "k-1", contact).await;
    assert_eq!(status, 410, "the change sent again is refused as well");
    let cancel = json!({"kind": "cancel", "attendees": [v["attendees"][0]["id"]]});
    assert_eq!(change(&s, &old, "k-2", cancel.clone()).await.0, 410);
    // The one before is told, without a link.
    let told = s.text(
        "SELECT body_text FROM outbox WHERE recipient = 'kontakt-r@kommune.dk' \
         ORDER BY id DESC LIMIT 1",
    );
    assert!(told.contains("Dit link virker ikke længere"), "{told}");
    assert!(!told.contains("#tilmelding-manage="), "{told}");
    assert_eq!(change(&s, &new, "k-2", cancel).await.0, 200);
    // Without mail, the link is the only one: it keeps working after a new contact.
    let plain = TestServer::start().await;
    let (_, only) = registered(&plain, &registration(730, "p", 1)).await;
    let contact =
        json!({"kind": "contact", "contact": {"name": "Eva Ege", "email": "eva@randers.dk"}});
    assert_eq!(change(&plain, &only, "p-1", contact).await.0, 200);
    assert_eq!(view(&plain, &only).await.0, 200);
}
