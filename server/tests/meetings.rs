//! Meetings made on the organiser page: a draft nobody sees until it is published, a copy on a
//! new date, a document refused at its field, a move mailed to everyone registered with their
//! invitation at the new time, a cancellation, meeting files imported once, a change served by
//! another instance without a restart, and the export. On both stores (see `common`).

mod common;
use common::{TOKEN, TestServer, dead_mail, meeting_in_2099, meetings, registration, repo};
use serde_json::{Value, json};

const SHIPPED: &str = "knub-2021-05-17";

/// The shipped meeting as a document, moved to `id` on `date`.
fn document(id: &str, date: &str) -> Value {
    let text =
        std::fs::read_to_string(repo().join("meetings").join(format!("{SHIPPED}.json"))).unwrap();
    let mut m: Value = serde_json::from_str(&text).unwrap();
    m["id"] = json!(id);
    m["date"] = json!(date);
    m["registration"]
        .as_object_mut()
        .unwrap()
        .remove("deadline");
    m
}

/// A request to an organiser endpoint with the shared token, recorded as "token": a name the
/// request gives (as the page once sent it) is not what is recorded.
async fn send(
    s: &TestServer,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut r = s
        .http
        .request(method, s.api(&format!("/organiser{path}")))
        .bearer_auth(TOKEN)
        .header("X-Organiser-Name", "Kim%20%C3%98rsted");
    if let Some(body) = body {
        r = r.json(body);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post(s: &TestServer, path: &str, body: &Value) -> (u16, Value) {
    send(s, reqwest::Method::POST, path, Some(body)).await
}

async fn put(s: &TestServer, path: &str, body: &Value) -> (u16, Value) {
    send(s, reqwest::Method::PUT, path, Some(body)).await
}

async fn get(s: &TestServer, path: &str) -> (u16, Value) {
    send(s, reqwest::Method::GET, path, None).await
}

/// A meeting's JSON as `/meetings` serves it.
async fn served(s: &TestServer, id: &str) -> Value {
    let r = s.http.get(format!("{}/meetings/{id}.json", s.url));
    r.send().await.unwrap().json().await.unwrap()
}

/// A public file of `/meetings` as text.
async fn text(s: &TestServer, file: &str) -> String {
    let r = s.http.get(format!("{}/meetings/{file}", s.url));
    r.send().await.unwrap().text().await.unwrap()
}

/// The status of a public file of `/meetings`.
async fn public(s: &TestServer, file: &str) -> u16 {
    let r = s.http.get(format!("{}/meetings/{file}", s.url));
    r.send().await.unwrap().status().as_u16()
}

fn actions(record: &Value) -> Vec<(&str, &str)> {
    record["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["by"].as_str().unwrap()))
        .collect()
}

#[tokio::test]
async fn a_new_meeting_is_a_draft_nobody_sees_until_it_is_published() {
    let s = TestServer::start().await;
    let doc = document("knub-2099-09-01", "2099-09-01");
    let (status, made) = post(&s, "/meetings", &doc).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["status"], "draft");
    assert_eq!(made["meeting"]["theme"], doc["theme"]);
    for file in [
        "knub-2099-09-01.json",
        "knub-2099-09-01.html",
        "knub-2099-09-01.en.html",
    ] {
        assert_eq!(public(&s, file).await, 404, "{file} of a draft");
    }
    let reg = s
        .http
        .post(s.api("/meetings/knub-2099-09-01/registrations"))
        .json(&registration(730, "r", 1))
        .send()
        .await
        .unwrap();
    assert_eq!(reg.status().as_u16(), 404, "a draft takes no registrations");
    let (_, list) = get(&s, "/meetings").await;
    // The shipped meeting is over (its late deadline does not make it one to come).
    assert_eq!(
        list[0]["id"], "knub-2099-09-01",
        "drafts before those over: {list}"
    );
    assert_eq!(list[0]["status"], "draft");

    let (status, published) = post(&s, "/meetings/knub-2099-09-01/publish", &json!({})).await;
    assert_eq!(status, 200, "{published}");
    assert_eq!(published["status"], "published");
    assert_eq!(
        actions(&published),
        [("published", "token"), ("created", "token")]
    );
    let served = served(&s, "knub-2099-09-01").await;
    assert_eq!(served["theme"], doc["theme"]);
    assert_eq!(served["date"], "2099-09-01");
    assert_eq!(public(&s, "knub-2099-09-01.html").await, 200);
    let reg = s
        .http
        .post(s.api("/meetings/knub-2099-09-01/registrations"))
        .json(&registration(730, "r", 1))
        .send()
        .await
        .unwrap();
    assert_eq!(reg.status().as_u16(), 201);
    // Published again: nothing changes, nothing is recorded twice.
    let (status, again) = post(&s, "/meetings/knub-2099-09-01/publish", &json!({})).await;
    assert_eq!((status, actions(&again).len()), (200, 2));
}

#[tokio::test]
async fn a_copy_takes_the_texts_and_settings_to_a_new_date_and_leaves_the_registrations() {
    let s = TestServer::start().await;
    assert_eq!(s.register(&registration(730, "r", 2)).await.0, 201);
    let copy = json!({"copy_from": SHIPPED, "date": "2099-06-14"});
    let (status, made) = post(&s, "/meetings", &copy).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["meeting"]["id"], "knub-2099-06-14");
    assert_eq!(made["meeting"]["date"], "2099-06-14");
    assert_eq!(made["status"], "draft");
    assert_eq!(made["registered"], 0);
    let (_, shipped) = get(&s, &format!("/meetings/{SHIPPED}")).await;
    assert_eq!(
        made["meeting"]["programme"],
        shipped["meeting"]["programme"]
    );
    assert_eq!(shipped["registered"], 2);
    assert_eq!(actions(&made), [("copied", "token")], "{}", made["history"]);
    assert_eq!(made["history"][0]["detail"], SHIPPED);
    let (status, body) = post(&s, "/meetings", &copy).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("meeting_exists"))
    );
    let named = json!({"copy_from": SHIPPED, "date": "2099-06-14", "id": "knub-juni"});
    assert_eq!(post(&s, "/meetings", &named).await.0, 201);
    let unknown = json!({"copy_from": "intet-møde", "date": "2099-06-14"});
    let (status, body) = post(&s, "/meetings", &unknown).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("unknown_meeting"))
    );
}

#[tokio::test]
async fn a_refused_document_is_answered_at_its_field_and_nothing_is_stored() {
    let s = TestServer::start().await;
    let path = format!("/meetings/{SHIPPED}");
    let (_, before) = get(&s, &path).await;
    let mut doc = before["meeting"].clone();
    type Break = fn(&mut Value);
    let cases: [(&str, Break); 5] = [
        ("programme[2].start", |m| {
            m["programme"][2]["start"] = json!("kl 9")
        }),
        ("programme[1].end", |m| {
            m["programme"][1]["start"] = json!("11:00");
            m["programme"][1]["end"] = json!("10:00");
        }),
        ("theme", |m| m["theme"] = json!(" ")),
        ("id", |m| m["id"] = json!("et-andet-id")),
        ("date", |m| m["date"] = json!("17. maj")),
    ];
    for (field, break_it) in cases {
        let mut bad = doc.clone();
        break_it(&mut bad);
        let (status, body) = put(&s, &path, &bad).await;
        assert_eq!(status, 422, "{field}: {body}");
        assert_eq!(body["error"], "invalid_meeting");
        assert_eq!(body["fields"][0]["field"], field, "{body}");
        assert!(
            body["fields"][0]["message"]
                .as_str()
                .unwrap()
                .starts_with(&format!("Feltet {field}")),
            "{body}"
        );
    }
    let (_, after) = get(&s, &path).await;
    assert_eq!(after, before, "nothing stored");
    doc["theme"] = json!("Et nyt tema");
    let (status, saved) = put(&s, &path, &doc).await;
    assert_eq!((status, saved["told"].as_u64()), (200, Some(0)));
    assert_eq!(saved["meeting"]["theme"], "Et nyt tema");
}

/// A server with mail (that waits in the outbox) and the meeting in 2099.
async fn with_mail() -> TestServer {
    TestServer::configured(meetings(meeting_in_2099), None, Some(TOKEN), dead_mail).await
}

#[tokio::test]
async fn moving_a_published_meeting_mails_everyone_registered_the_invitation_at_the_new_time() {
    let s = with_mail().await;
    assert_eq!(s.register(&registration(730, "r", 2)).await.0, 201);
    let mut waiting = registration(530, "w", 1);
    waiting["apply_for_membership"] = json!(true);
    assert_eq!(s.register(&waiting).await.0, 201);
    let path = format!("/meetings/{SHIPPED}");
    let (_, record) = get(&s, &path).await;
    assert_eq!(record["registered"], 2, "whom a move would reach");
    let first_uid = s.text(
        "SELECT calendar FROM outbox WHERE recipient = 'r0@kommune.dk' AND calendar IS NOT NULL",
    );
    let uid = |ics: &str| {
        ics.lines()
            .find_map(|l| l.strip_prefix("UID:"))
            .unwrap()
            .to_owned()
    };
    // A change of text tells no one.
    let mut doc = record["meeting"].clone();
    doc["programme"][1]["speakers"][0]["name"] = json!("Louise H. Kragh");
    let (status, saved) = put(&s, &path, &doc).await;
    assert_eq!((status, saved["told"].as_u64()), (200, Some(0)), "{saved}");
    let moved = "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Nyt tidspunkt:%'";
    assert_eq!(s.count(moved), 0);
    // Half an hour later: both registered are told, the one waiting is not.
    doc["start"] = json!("09:45");
    let (status, saved) = put(&s, &path, &doc).await;
    assert_eq!((status, saved["told"].as_u64()), (200, Some(2)), "{saved}");
    assert_eq!(s.count(moved), 2);
    let ics = s.text(
        "SELECT calendar FROM outbox WHERE recipient = 'r0@kommune.dk' \
         AND subject LIKE 'Nyt tidspunkt:%'",
    );
    assert_eq!(uid(&ics), uid(&first_uid), "the same calendar entry");
    assert!(ics.contains("SEQUENCE:1"), "{ics}");
    assert!(
        ics.contains("DTSTART:20990601T074500Z"),
        "9.45 summer time: {ics}"
    );
    assert!(ics.contains("METHOD:REQUEST"), "{ics}");
    let text = s.text(
        "SELECT body_text FROM outbox WHERE recipient = 'r0@kommune.dk' \
         AND subject LIKE 'Nyt tidspunkt:%'",
    );
    assert!(
        text.contains("flyttet fra mandag den 1. juni 2099 kl. 9.15–15.00 til mandag den 1. juni 2099 kl. 9.45–15.00"),
        "{text}"
    );
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM outbox WHERE recipient = 'w0@kommune.dk' \
             AND subject LIKE 'Nyt tidspunkt:%'"
        ),
        0
    );
    let served = served(&s, SHIPPED).await;
    assert_eq!(served["start"], "09:45", "served at once");
    assert_eq!(saved["history"][0]["action"], "edited");
    assert!(
        saved["history"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("2 tilmeldte fik besked"),
        "{}",
        saved["history"]
    );
}

#[tokio::test]
async fn cancelling_mails_the_cancellation_with_the_reason_and_closes_the_meeting() {
    let s = with_mail().await;
    assert_eq!(s.register(&registration(730, "r", 2)).await.0, 201);
    let path = format!("/meetings/{SHIPPED}/cancel");
    for reason in ["  ".to_owned(), "x".repeat(1001)] {
        let (status, body) = post(&s, &path, &json!({ "reason": reason })).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (422, Some("cancel_reason_required"))
        );
    }
    let reason = "Oplægsholderne er blevet syge.";
    let (status, cancelled) = post(&s, &path, &json!({ "reason": reason })).await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], reason);
    assert_eq!(cancelled["told"], 2);
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Aflyst:%' \
             AND calendar_method = 'CANCEL' AND calendar LIKE '%METHOD:CANCEL%' \
             AND calendar LIKE '%SEQUENCE:1%' AND body_text LIKE '%syge%'"
        ),
        2
    );
    let (status, body) = s.register(&registration(751, "a", 1)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("meeting_cancelled"))
    );
    let served = served(&s, SHIPPED).await;
    assert_eq!(served["cancelled"], reason, "the widget says so");
    let page = text(&s, &format!("{SHIPPED}.html")).await;
    assert!(
        page.contains("Mødet er aflyst.") && page.contains(reason),
        "{page}"
    );
    assert!(!page.contains("<form"), "no form: {page}");
    let (_, record) = get(&s, &format!("/meetings/{SHIPPED}")).await;
    let (status, body) = put(&s, &format!("/meetings/{SHIPPED}"), &record["meeting"]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("meeting_cancelled"))
    );
    let publish = format!("/meetings/{SHIPPED}/publish");
    assert_eq!(post(&s, &publish, &json!({})).await.0, 409);
    let (status, again) = post(&s, &path, &json!({ "reason": reason })).await;
    assert_eq!((status, again["told"].as_u64()), (200, Some(0)), "once");
    // A draft is not cancelled: it is simply not published.
    let copy = json!({"copy_from": SHIPPED, "date": "2099-09-01"});
    assert_eq!(post(&s, "/meetings", &copy).await.0, 201);
    let (status, body) = post(
        &s,
        "/meetings/knub-2099-09-01/cancel",
        &json!({ "reason": reason }),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("meeting_not_published"))
    );
}

#[tokio::test]
async fn meeting_files_are_imported_once_and_the_kept_meeting_wins_after() {
    let s = TestServer::start().await;
    let (_, record) = get(&s, &format!("/meetings/{SHIPPED}")).await;
    assert_eq!(actions(&record), [("imported", "mødefil")]);
    let mut doc = record["meeting"].clone();
    doc["theme"] = json!("Rettet på arrangørsiden");
    assert_eq!(put(&s, &format!("/meetings/{SHIPPED}"), &doc).await.0, 200);
    let db = s.db.clone();
    let dir = s.stop().await;
    // The same folder, its file unchanged: the kept meeting is served, not the file.
    let s = TestServer::with(dir, Some(db), Some(TOKEN)).await;
    let (_, record) = get(&s, &format!("/meetings/{SHIPPED}")).await;
    assert_eq!(record["meeting"]["theme"], "Rettet på arrangørsiden");
    assert_eq!(record["history"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_server_starts_without_meeting_files_and_meetings_are_made_there() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::with(dir, None, Some(TOKEN)).await;
    let (status, list) = get(&s, "/meetings").await;
    assert_eq!((status, list), (200, json!([])));
    let doc = document("knub-2099-09-01", "2099-09-01");
    assert_eq!(post(&s, "/meetings", &doc).await.0, 201);
    assert_eq!(
        post(&s, "/meetings/knub-2099-09-01/publish", &json!({}))
            .await
            .0,
        200
    );
    assert_eq!(public(&s, "knub-2099-09-01.json").await, 200);
}

#[tokio::test]
async fn a_meeting_published_on_one_instance_is_served_by_another_within_seconds() {
    let a = TestServer::start().await;
    // Started: its schema is made before the second instance opens the database.
    assert_eq!(get(&a, "/meetings").await.0, 200);
    // A second instance on the same database (its own folder of the same files).
    let b = TestServer::with(meetings(|_| {}), Some(a.db.clone()), Some(TOKEN)).await;
    let doc = document("knub-2099-09-01", "2099-09-01");
    assert_eq!(post(&a, "/meetings", &doc).await.0, 201);
    assert_eq!(public(&b, "knub-2099-09-01.json").await, 404, "a draft");
    assert_eq!(
        post(&a, "/meetings/knub-2099-09-01/publish", &json!({}))
            .await
            .0,
        200
    );
    let start = std::time::Instant::now();
    while public(&b, "knub-2099-09-01.json").await != 200 {
        assert!(
            start.elapsed().as_secs() < 5,
            "not served by the other instance"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(public(&b, "knub-2099-09-01.html").await, 200);
}

#[tokio::test]
async fn export_meetings_writes_each_published_meeting_as_a_file() {
    let s = TestServer::start().await;
    let copy = json!({"copy_from": SHIPPED, "date": "2099-09-01"});
    assert_eq!(post(&s, "/meetings", &copy).await.0, 201);
    let out = tempfile::tempdir().unwrap();
    let (var, value) = s.db.env();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_tilmelding-server"))
        .args(["export-meetings", &out.path().display().to_string()])
        .env(var, &value)
        .env("TILMELDING_MEETINGS", out.path().join("none"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [format!("{SHIPPED}.json")], "not the draft");
    let text = std::fs::read_to_string(out.path().join(format!("{SHIPPED}.json"))).unwrap();
    let meeting = tilmelding_domain::Meeting::from_json(&text).unwrap();
    assert_eq!(
        meeting.id, SHIPPED,
        "a meeting file as the server reads one"
    );
}

#[tokio::test]
async fn a_meeting_moved_later_is_reminded_again_at_its_new_time_and_not_twice_otherwise() {
    use common::offset_to;
    let at = |when: &'static str| {
        move |c: &mut tilmelding_server::Config| {
            dead_mail(c);
            c.clock = tilmelding_server::clock::Clock::offset_by(offset_to(when));
        }
    };
    // Two days before the meeting of 1 June 2099 at 9.15, then a day before: its reminder due.
    let s = TestServer::configured(
        meetings(meeting_in_2099),
        None,
        Some(TOKEN),
        at("2099-05-30T12:00"),
    )
    .await;
    assert_eq!(s.register(&registration(730, "r", 2)).await.0, 201);
    let reminders =
        |s: &TestServer| s.count("SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Påmindelse:%'");
    let wait_for = async |s: &TestServer, n: i64| {
        let start = std::time::Instant::now();
        while reminders(s) < n {
            assert!(start.elapsed().as_secs() < 10, "{} reminders", reminders(s));
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    };
    let db = s.db.clone();
    let dir = s.stop().await;
    let s =
        TestServer::configured(dir, Some(db.clone()), Some(TOKEN), at("2099-05-31T10:15")).await;
    wait_for(&s, 2).await;
    let path = format!("/meetings/{SHIPPED}");
    let (_, record) = get(&s, &path).await;
    let mut doc = record["meeting"].clone();
    // Half an hour later the same day: its reminder was due already, and is not sent again.
    doc["start"] = json!("09:45");
    assert_eq!(put(&s, &path, &doc).await.0, 200);
    // A week later: its reminder is still to come, and goes then.
    doc["date"] = json!("2099-06-08");
    assert_eq!(put(&s, &path, &doc).await.0, 200);
    let dir = s.stop().await;
    let s =
        TestServer::configured(dir, Some(db.clone()), Some(TOKEN), at("2099-05-31T11:00")).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(reminders(&s), 2, "not before its time");
    let dir = s.stop().await;
    let s = TestServer::configured(dir, Some(db), Some(TOKEN), at("2099-06-07T10:00")).await;
    wait_for(&s, 4).await;
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Påmindelse:%' \
             AND body_text LIKE '%8. juni 2099 kl. 9.45%'"
        ),
        2,
        "at the new time"
    );
}

#[tokio::test]
async fn texts_no_meeting_can_have_find_nothing_and_control_characters_are_left_out() {
    let s = with_mail().await;
    // PostgreSQL refuses a NUL byte outright: none reaches the store.
    assert_eq!(get(&s, "/meetings/knub%00fejl").await.0, 404);
    let copy = json!({"copy_from": "knub\u{0}", "date": "2099-06-14"});
    assert_eq!(post(&s, "/meetings", &copy).await.0, 404);
    let reason = json!({"reason": "Aflyst\u{0} af\u{7} vejret."});
    let (status, cancelled) = post(&s, &format!("/meetings/{SHIPPED}/cancel"), &reason).await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["cancel_reason"], "Aflyst af vejret.");
    let r = s
        .http
        .get(s.api(&format!("/organiser/meetings/{SHIPPED}")))
        .bearer_auth(TOKEN)
        .header("X-Organiser-Name", "Kim%00%07")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let r = s
        .http
        .post(s.api("/organiser/meetings"))
        .bearer_auth(TOKEN)
        .header("X-Organiser-Name", "Kim%00%07")
        .json(&json!({"copy_from": SHIPPED, "date": "2099-06-14"}))
        .send()
        .await
        .unwrap();
    let made: Value = r.json().await.unwrap();
    assert_eq!(made["history"][0]["by"], "token", "{made}");
}
