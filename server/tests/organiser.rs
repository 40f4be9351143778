//! The organiser's endpoints: the overview the organiser page shows, approving and
//! declining applications (idempotent, recorded), and wrong tokens rate-limited. On both stores
//! (see `common`).

mod common;
use common::{TOKEN, TestServer, meetings, registration};
use serde_json::{Value, json};

const MEETING: &str = "/organiser/meetings/knub-2021-05-17";

async fn get(s: &TestServer, path: &str, token: &str) -> (u16, Value) {
    s.get_json(path, token).await
}

async fn post(s: &TestServer, path: &str, body: Value) -> (u16, Value) {
    s.post_json(path, TOKEN, &body).await
}

fn applying(code: u16, tag: &str, n: usize) -> Value {
    let mut reg = registration(code, tag, n);
    reg["apply_for_membership"] = json!(true);
    reg
}

#[tokio::test]
async fn the_overview_has_totals_municipalities_attendees_and_applications() {
    let s = TestServer::start().await;
    assert_eq!(s.register(&registration(730, "r", 3)).await.0, 201);
    assert_eq!(s.register(&registration(751, "a", 2)).await.0, 201);
    assert_eq!(s.register(&applying(530, "b", 1)).await.0, 201);
    let (status, meetings) = get(&s, "/organiser/meetings", TOKEN).await;
    assert_eq!(status, 200);
    assert_eq!(meetings[0]["id"], "knub-2021-05-17");
    let (status, o) = get(&s, &format!("{MEETING}/overview"), TOKEN).await;
    assert_eq!(status, 200, "{o}");
    assert_eq!(
        o["totals"],
        json!({"registered": 5, "pending_membership": 1, "membership_declined": 0, "cancelled": 0})
    );
    let names: Vec<&str> = o["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["municipality"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Billund", "Randers", "Aarhus"],
        "Danish order: Aa is last"
    );
    assert_eq!(o["municipalities"][0]["member"], false);
    assert_eq!(o["municipalities"][1]["member"], true);
    assert_eq!(o["attendees"].as_array().unwrap().len(), 6);
    assert_eq!(o["attendees"][5]["status"], "pending_membership");
    assert!(
        o["attendees"][0]["reference"]
            .as_str()
            .unwrap()
            .starts_with("KNUB-")
    );
    assert_eq!(o["applications"][0]["municipality"], "Billund");
    assert_eq!(o["applications"][0]["pending_registrations"], 1);
}

#[tokio::test]
async fn a_decline_needs_a_reason_declines_the_waiting_registrations_and_is_recorded() {
    let s = TestServer::start().await;
    assert_eq!(s.register(&applying(530, "b", 2)).await.0, 201);
    let id = s.count("SELECT MAX(id) FROM applications");
    let path = format!("/organiser/applications/{id}/decline");
    let (status, body) = post(&s, &path, json!({"reason": "  ", "by": "Kim"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("reason_required"))
    );
    let reason = json!({"reason": "Billund er ikke med i netværket i år."});
    let (status, body) = post(&s, &path, reason.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["registrations_declined"], 2);
    // Idempotent: the same decision again changes nothing; the other one is a conflict.
    let (status, body) = post(&s, &path, reason).await;
    assert_eq!((status, &body["registrations_declined"]), (200, &json!(0)));
    let (status, body) = post(
        &s,
        &format!("/organiser/applications/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("already_decided"))
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM registrations WHERE status = 'membership_declined'"),
        2
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM applications WHERE decided_by = 'token' AND declined_at IS NOT NULL AND reason <> ''"),
        1,
        "who and when are kept"
    );
    let (_, o) = get(&s, &format!("{MEETING}/overview"), TOKEN).await;
    assert_eq!(o["totals"]["membership_declined"], 2);
    assert_eq!(o["applications"], json!([]));
    let csv = s.csv().await;
    assert!(csv.contains("Medlemskab afvist"), "{csv}");
    // A declined municipality may apply again.
    assert_eq!(s.register(&applying(530, "c", 1)).await.0, 201);
    let (_, apps) = get(&s, "/organiser/applications", TOKEN).await;
    assert_eq!(apps.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn approving_twice_confirms_once() {
    let s = TestServer::start().await;
    assert_eq!(s.register(&applying(530, "b", 2)).await.0, 201);
    let id = s.count("SELECT MAX(id) FROM applications");
    let path = format!("/organiser/applications/{id}/approve");
    let (status, body) = post(&s, &path, json!({"by": "Kim"})).await;
    assert_eq!((status, &body["registrations_confirmed"]), (200, &json!(2)));
    let (status, body) = post(&s, &path, json!({"by": "Kim"})).await;
    assert_eq!((status, &body["registrations_confirmed"]), (200, &json!(0)));
    let (status, _) = post(&s, "/organiser/applications/999/approve", json!({})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn wrong_tokens_are_rate_limited_per_client_and_the_right_token_still_passes() {
    let s = TestServer::start().await;
    for _ in 0..10 {
        let (status, body) = get(&s, "/organiser/applications", "wrong-token-000000").await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("unauthorized"))
        );
    }
    let (status, body) = get(&s, "/organiser/applications", "wrong-token-000000").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("too_many_attempts"))
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("For mange forkerte nøgler")
    );
    let (status, _) = get(&s, "/organiser/applications", TOKEN).await;
    assert_eq!(
        status, 200,
        "a lock-out cannot be used against the right token"
    );
    let (status, _) = get(&s, "/organiser/applications", "wrong-token-000001").await;
    assert_eq!(status, 429, "guesses still wait");
}

#[tokio::test]
async fn the_command_line_declines_with_a_reason_and_records_who() {
    let s = TestServer::start().await;
    assert_eq!(s.register(&applying(530, "b", 1)).await.0, 201);
    let id = s.count("SELECT MAX(id) FROM applications");
    let (var, value) = s.db.env();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tilmelding-server"))
            .args(args)
            .env(var, &value)
            .env("TILMELDING_MEETINGS", common::repo().join("meetings"))
            .output()
            .unwrap()
    };
    assert!(
        !run(&["decline", &id.to_string(), " "]).status.success(),
        "a reason is needed"
    );
    let out = run(&["decline", &id.to_string(), "Ikke i år"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("afvist; 1 tilmeldinger afvist"));
    assert_eq!(
        s.count("SELECT COUNT(*) FROM applications WHERE reason = 'Ikke i år' AND decided_by LIKE 'kommandolinje%'"),
        1
    );
    assert!(
        !run(&["approve", &id.to_string()]).status.success(),
        "decided the other way"
    );
}

/// A server with mail to a mail server that is not there: every mail waits in the outbox.
async fn with_mail() -> TestServer {
    TestServer::configured(
        common::meetings(|_| {}),
        None,
        Some(TOKEN),
        common::dead_mail,
    )
    .await
}

/// The outbox's mails after the first `skip`: (recipient, subject, calendar method).
fn mails(s: &TestServer, skip: i64) -> Vec<(String, String, String)> {
    let sql = format!(
        "SELECT recipient || '|' || subject || '|' || COALESCE(calendar_method, '') FROM outbox \
         WHERE id > {skip} ORDER BY id"
    );
    let rows = match &s.db {
        common::Db::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            let mut stmt = conn.prepare(&sql).unwrap();
            stmt.query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
        }
        common::Db::Postgres(url) => tilmelding_pgtest::shared()
            .psql(url, &sql)
            .lines()
            .map(str::to_owned)
            .collect(),
    };
    rows.iter()
        .map(|r| {
            let mut p = r.splitn(3, '|').map(str::to_owned);
            (p.next().unwrap(), p.next().unwrap(), p.next().unwrap())
        })
        .collect()
}

/// Approving tells the waiting submission's contact (the receipt again, with a new manage link)
/// and sends each waiting attendee the invitation they could not have before, saying that the
/// membership was approved. While it waits, an attendee's subject says so.
#[tokio::test]
async fn an_approval_reaches_the_contact_and_the_attendees_with_their_invitations() {
    let s = with_mail().await;
    assert_eq!(s.register(&applying(530, "b", 2)).await.0, 201);
    let waiting = mails(&s, 0);
    assert!(
        waiting[1..]
            .iter()
            .all(|m| m.1.starts_with("Tilmelding venter på godkendelse:")),
        "{waiting:?}"
    );
    let before = s.count("SELECT MAX(id) FROM outbox");
    assert_eq!(
        s.count("SELECT COUNT(*) FROM outbox WHERE calendar_method IS NOT NULL"),
        0,
        "no invitation while the membership waits"
    );
    let id = s.count("SELECT MAX(id) FROM applications");
    let path = format!("/organiser/applications/{id}/approve");
    assert_eq!(post(&s, &path, json!({"by": "Kim"})).await.0, 200);
    let sent = mails(&s, before);
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert_eq!(sent[0].0, "kontakt-b@kommune.dk");
    assert!(sent[0].1.starts_with("Medlemskab godkendt"), "{sent:?}");
    for (to, (got, subject, method)) in ["b0@kommune.dk", "b1@kommune.dk"].iter().zip(&sent[1..]) {
        assert_eq!((got.as_str(), method.as_str()), (*to, "REQUEST"));
        assert!(
            subject.starts_with("Medlemskab godkendt – du er tilmeldt:"),
            "{subject}"
        );
    }
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE id > {before} AND recipient LIKE 'b_@kommune.dk' \
             AND body_text LIKE '%Arrangøren har godkendt Billunds medlemskab af netværket.%'"
        )),
        2,
        "the approval is told to the approved"
    );
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE id > {before} AND body_text LIKE '%#tilmelding-manage=%'"
        )),
        1,
        "a new manage link, to the contact only"
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM manage_tokens"), 2);
    // Approving again tells nobody again.
    assert_eq!(post(&s, &path, json!({"by": "Kim"})).await.0, 200);
    assert_eq!(mails(&s, before).len(), 3);
}

/// Declining tells the contact and each waiting attendee, with the organiser's reason.
#[tokio::test]
async fn a_decline_reaches_the_contact_and_the_attendees_with_the_reason() {
    let s = with_mail().await;
    assert_eq!(s.register(&applying(530, "d", 2)).await.0, 201);
    let before = s.count("SELECT MAX(id) FROM outbox");
    let id = s.count("SELECT MAX(id) FROM applications");
    let reason = "Billund er ikke med i netværket i år.";
    let path = format!("/organiser/applications/{id}/decline");
    assert_eq!(
        post(&s, &path, json!({"reason": reason, "by": "Kim"}))
            .await
            .0,
        200
    );
    let sent = mails(&s, before);
    let to: Vec<&str> = sent.iter().map(|m| m.0.as_str()).collect();
    assert_eq!(
        to,
        ["kontakt-d@kommune.dk", "d0@kommune.dk", "d1@kommune.dk"]
    );
    assert!(
        sent.iter()
            .all(|m| m.1.starts_with("Medlemskab ikke godkendt") && m.2.is_empty())
    );
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE id > {before} AND body_text LIKE '%{reason}%'"
        )),
        3
    );
}

async fn put_link(s: &TestServer, url: &str) -> (u16, Value) {
    let r = s
        .http
        .put(s.api(&format!("{MEETING}/join-link")))
        .bearer_auth(TOKEN)
        .json(&json!({ "url": url }))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The online meeting's link: everyone registered gets it with their invitation again (the
/// same entry, a higher SEQUENCE, the link in it); a later confirmation carries it; the same
/// link again sends nothing, a changed one sends again; it is never in the public meeting file.
#[tokio::test]
async fn the_join_link_reaches_everyone_registered_and_later_confirmations() {
    let s = with_mail().await;
    assert_eq!(s.register(&registration(730, "r", 2)).await.0, 201);
    assert_eq!(s.register(&applying(530, "w", 1)).await.0, 201);
    let before = s.count("SELECT MAX(id) FROM outbox");
    for bad in [
        "http://x.dk",
        "https://",
        "https://a b",
        "teams.microsoft.com/x",
    ] {
        let (status, body) = put_link(&s, bad).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (422, Some("invalid_join_url")),
            "{bad}"
        );
    }
    let link = "https://teams.example.com/l/meetup-join/abc?context=%7B%7D";
    let (status, body) = put_link(&s, link).await;
    assert_eq!((status, &body["sent"]), (200, &json!(2)), "{body}");
    let sent = mails(&s, before);
    let to: Vec<&str> = sent.iter().map(|m| m.0.as_str()).collect();
    assert_eq!(
        to,
        ["r0@kommune.dk", "r1@kommune.dk"],
        "not the one waiting"
    );
    assert!(
        sent.iter().all(|m| m.1
            == format!(
                "Link til mødet: {}",
                "Netværksmøde i Kommunernes Netværk for Udsatte Boligområder"
            )
            && m.2 == "REQUEST"),
        "{sent:?}"
    );
    let with_link = |sql: &str| {
        s.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE id > {before} AND {sql}"
        ))
    };
    assert_eq!(with_link(&format!("body_text LIKE '%{link}%'")), 2);
    assert_eq!(
        with_link(
            "calendar LIKE '%SEQUENCE:1%' AND calendar LIKE '%URL:https://teams.example.com%'"
        ),
        2
    );
    let (_, o) = s.get_json(&format!("{MEETING}/overview"), TOKEN).await;
    assert_eq!(o["join_url"], link);
    let public = s
        .http
        .get(format!("{}/meetings/knub-2021-05-17.json", s.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!public.contains("teams.example.com"));

    // The same link again tells nobody again; a registration after it gets it.
    assert_eq!(put_link(&s, link).await.1["sent"], 0);
    let later = s.count("SELECT MAX(id) FROM outbox");
    assert_eq!(s.register(&registration(730, "l", 1)).await.0, 201);
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE id > {later} AND recipient = 'l0@kommune.dk' \
             AND body_text LIKE '%{link}%' AND calendar LIKE '%URL:https://teams.example.com%'"
        )),
        1
    );
    // A changed link is sent again, a revision higher, saying it is new.
    let again = s.count("SELECT MAX(id) FROM outbox");
    let (_, body) = put_link(&s, "https://zoom.example.com/j/123").await;
    assert_eq!(body["sent"], 3);
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE id > {again} \
             AND subject LIKE 'Nyt link til mødet: %' \
             AND body_text LIKE '%Linket til mødet er ændret. Brug dette nye link%'"
        )),
        3
    );
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE id > {again} AND calendar LIKE '%SEQUENCE:2%'"
        )),
        2,
        "the first two, for the second time"
    );
}

/// A message from the organiser reaches every registered attendee, and none of those
/// cancelled, waiting for membership or declined; it is kept with who sent it and when.
#[tokio::test]
async fn a_message_reaches_everyone_registered_and_is_kept() {
    let s = with_mail().await;
    let (_, receipt) = s.register(&registration(730, "r", 3)).await;
    let token = common::manage_token(&receipt);
    let manage = "/meetings/knub-2021-05-17/manage";
    let (_, view) = s.get_json(manage, &token).await;
    let cancel = json!({"idempotency_key": "cancel-1", "action": {"kind": "cancel", "attendees": [view["attendees"][2]["id"]]}});
    assert_eq!(s.post_json(manage, &token, &cancel).await.0, 200);
    assert_eq!(s.register(&applying(530, "w", 1)).await.0, 201);
    assert_eq!(s.register(&applying(575, "d", 1)).await.0, 201);
    let declined = s.count("SELECT MAX(id) FROM applications");
    let path = format!("/organiser/applications/{declined}/decline");
    assert_eq!(post(&s, &path, json!({"reason": "Ikke i år"})).await.0, 200);
    let before = s.count("SELECT MAX(id) FROM outbox");

    let messages = format!("{MEETING}/messages");
    let (status, body) = post(&s, &messages, json!({"subject": " ", "body": "x"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_message"))
    );
    let draft = json!({"subject": "Nyt program", "body": "Kære alle\r\n\r\nVi starter kl. 9.30."});
    let (status, sent) = post(&s, &messages, draft).await;
    assert_eq!(status, 201, "{sent}");
    assert_eq!(sent["recipients"], 2);
    let to: Vec<String> = mails(&s, before).into_iter().map(|m| m.0).collect();
    assert_eq!(to, ["r0@kommune.dk", "r1@kommune.dk"]);
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE id > {before} AND subject = 'Nyt program' \
             AND body_text LIKE '%Vi starter kl. 9.30.%'"
        )),
        2
    );
    // Sent as the organiser wrote it, greeting and all: nothing put before it or after.
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE id > {before} \
             AND body_text LIKE 'Kære alle%' AND body_text NOT LIKE '%Venlig hilsen%'"
        )),
        2
    );
    let (_, list) = s.get_json(&messages, TOKEN).await;
    assert_eq!(list[0]["subject"], "Nyt program");
    assert_eq!(list[0]["sent_by"], "token");
    assert_eq!(list[0]["recipients"], 2);
    // The preview is the mail as sent, word for word, and sends nothing.
    let outbox = s.count("SELECT COUNT(*) FROM outbox");
    let draft = json!({"subject": "Nyt program", "body": "Kære alle\r\n\r\nVi starter kl. 9.30."});
    let (status, preview) = post(&s, &format!("{messages}/preview"), draft).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["recipients"], 2);
    assert_eq!(preview["subject"], "Nyt program");
    let sent_text = s.text(&format!(
        "SELECT body_text FROM outbox WHERE id > {before} AND recipient = 'r0@kommune.dk'"
    ));
    assert_eq!(preview["text"].as_str().unwrap().trim(), sent_text);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM outbox"),
        outbox,
        "nothing sent"
    );
    // Without mail, nothing can be sent, and nothing is kept.
    let plain = TestServer::start().await;
    let (status, body) = post(&plain, &messages, json!({"subject": "S", "body": "T"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("mail_not_configured"))
    );
    assert_eq!(plain.count("SELECT COUNT(*) FROM messages"), 0);
}

/// A message sent again with its key (the page's answer was lost, the organiser pressed
/// again) is answered as sent the first time, and sends nothing twice; a malformed key is
/// refused.
#[tokio::test]
async fn a_message_sent_twice_under_one_key_is_sent_once() {
    let s = with_mail().await;
    assert_eq!(s.register(&registration(730, "r", 2)).await.0, 201);
    let messages = format!("{MEETING}/messages");
    let draft = json!({"subject": "Ny tid", "body": "Vi starter kl. 10.", "idempotency_key": "message-0001-abcdef"});
    let before = s.count("SELECT COUNT(*) FROM outbox");
    let (status, first) = post(&s, &messages, draft.clone()).await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = post(&s, &messages, draft).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(first, again);
    assert_eq!(s.count("SELECT COUNT(*) FROM messages"), 1);
    assert_eq!(s.count("SELECT COUNT(*) FROM outbox") - before, 2);
    let other = json!({"subject": "Ny tid", "body": "Vi starter kl. 10.", "idempotency_key": "message-0002-abcdef"});
    assert_eq!(post(&s, &messages, other).await.0, 201, "another key");
    assert_eq!(s.count("SELECT COUNT(*) FROM messages"), 2);
    let bad = json!({"subject": "S", "body": "T", "idempotency_key": "'; drop table x"});
    assert_eq!(post(&s, &messages, bad).await.0, 422);
}

/// A meeting file with a mistake is not loaded, and the organiser is told which file, which
/// field and why, in their language; the other meetings load as before. The list of meetings
/// names each one's theme and counts its registrations.
#[tokio::test]
async fn a_meeting_file_with_a_mistake_is_shown_to_the_organiser() {
    let dir = meetings(|_| {});
    let good = std::fs::read_to_string(dir.path().join("knub-2021-05-17.json")).unwrap();
    let mut bad: Value = serde_json::from_str(&good).unwrap();
    bad["id"] = json!("knub-2027-04-22");
    bad["date"] = json!("22. april 2027");
    std::fs::write(dir.path().join("knub-2027-04-22.json"), bad.to_string()).unwrap();
    let s = TestServer::with(dir, None, Some(TOKEN)).await;
    let (status, list) = s.get_json("/organiser/unreadable-meetings", TOKEN).await;
    assert_eq!(status, 200);
    assert_eq!(
        list,
        json!([{
            "file": "knub-2027-04-22.json",
            "field": "date",
            "message": "Feltet date: «22. april 2027» er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, fx 2027-04-22."
        }])
    );
    let english: serde_json::Value = s
        .http
        .get(s.api("/organiser/unreadable-meetings"))
        .bearer_auth(TOKEN)
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        english[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Field date: «22. april 2027» is not a date."),
        "{english}"
    );
    assert_eq!(s.register(&registration(730, "r", 2)).await.0, 201);
    let (_, meetings) = s.get_json("/organiser/meetings", TOKEN).await;
    assert_eq!(
        meetings,
        json!([{
            "id": "knub-2021-05-17",
            "title": "Netværksmøde i Kommunernes Netværk for Udsatte Boligområder",
            "network": "knub",
            "date": "2021-05-17",
            "theme": "Fysiske greb til forandring af udsatte boligområder",
            "registrations": 2,
            "status": "published"
        }])
    );
}
