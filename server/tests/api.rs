//! The reference server over real HTTP, on a real database (SQLite, or PostgreSQL with
//! `TILMELDING_TEST_STORE=postgres`: see `common`).

mod common;
use common::{Db, TOKEN, TestServer, meetings, registration};
use serde_json::json;

const RANDERS: u16 = 730;
const BILLUND: u16 = 530; // not a member of the shipped network

#[tokio::test]
async fn membership_is_answered_from_the_seeded_members() {
    let s = TestServer::start().await;
    let get = |code: &str| {
        s.http
            .get(s.api(&format!("/meetings/knub-2021-05-17/membership/{code}")))
            .send()
    };
    let r: serde_json::Value = get("730").await.unwrap().json().await.unwrap();
    assert_eq!(
        r,
        json!({"municipality_code": 730, "network": "knub", "member": true, "application_pending": false})
    );
    let r: serde_json::Value = get("530").await.unwrap().json().await.unwrap();
    assert_eq!(r["member"], false);
    let r = get("411").await.unwrap();
    assert_eq!(r.status(), 404, "Christiansø is not a municipality");
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"],
        "unknown_municipality"
    );
    let r = s
        .http
        .get(s.api("/meetings/nope/membership/730"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn a_member_registers_three_attendees() {
    let s = TestServer::start().await;
    let (status, body) = s.register(&registration(RANDERS, "r", 3)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "registered");
    assert_eq!(body["registered"].as_array().unwrap().len(), 3);
    assert!(body["reference"].as_str().unwrap().starts_with("KNUB-"));
    assert_eq!(
        s.count("SELECT COUNT(*) FROM registrations WHERE status = 'registered'"),
        3
    );
}

#[tokio::test]
async fn a_non_member_must_apply_and_is_then_pending_until_approved() {
    let s = TestServer::start().await;
    let (status, body) = s.register(&registration(BILLUND, "b", 2)).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "not_a_member");
    assert_eq!(body["fields"][0]["field"], "municipality_code");
    assert_eq!(
        s.count("SELECT COUNT(*) FROM registrations"),
        0,
        "nothing stored"
    );

    let mut reg = registration(BILLUND, "b", 2);
    reg["apply_for_membership"] = json!(true);
    let (status, body) = s.register(&reg).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "pending_membership");
    assert_eq!(
        s.count("SELECT COUNT(*) FROM registrations WHERE status = 'pending_membership'"),
        2
    );
    let m: serde_json::Value = s
        .http
        .get(s.api("/meetings/knub-2021-05-17/membership/530"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (m["member"].as_bool(), m["application_pending"].as_bool()),
        (Some(false), Some(true))
    );

    // The organiser sees and approves the application.
    let apps: serde_json::Value = s
        .http
        .get(s.api("/organiser/applications"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(apps.as_array().unwrap().len(), 1);
    assert_eq!(apps[0]["municipality"], "Billund");
    assert_eq!(apps[0]["pending_registrations"], 2);
    let id = apps[0]["id"].as_i64().unwrap();
    let r = s
        .http
        .post(s.api(&format!("/organiser/applications/{id}/approve")))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["registrations_confirmed"],
        2
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM registrations WHERE status = 'registered'"),
        2
    );
    // Now a member: registers without applying.
    let (status, body) = s.register(&registration(BILLUND, "b2-", 1)).await;
    assert_eq!((status, body["status"].as_str()), (201, Some("registered")));
}

#[tokio::test]
async fn invalid_input_gets_422_with_field_reasons_and_nothing_is_stored() {
    let s = TestServer::start().await;
    let mut reg = registration(RANDERS, "x", 2);
    reg["attendees"][1]["email"] = json!("ikke-en-mail");
    reg["attendees"][0]["title"] = json!("  ");
    reg["privacy_accepted"] = json!(false);
    let (status, body) = s.register(&reg).await;
    assert_eq!(status, 422);
    let fields = common::reasons(&body);
    assert_eq!(
        fields,
        [
            ("attendees[0].title", "required"),
            ("attendees[1].email", "invalid_email"),
            ("privacy_accepted", "not_accepted")
        ]
    );
    assert!(
        body["fields"][1]["message"]
            .as_str()
            .unwrap()
            .contains("gyldig e-mailadresse")
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 0);
}

/// Refusals are worded in the request's language (`Accept-Language`), Danish by default, from
/// the same tables as the widget's.
#[tokio::test]
async fn refusals_follow_accept_language() {
    let s = TestServer::start().await;
    let mut reg = registration(RANDERS, "lang", 1);
    reg["attendees"][0]["title"] = json!("");
    let client = reqwest::Client::new();
    let url = s.api("/meetings/knub-2021-05-17/registrations");
    let answer = |lang: &'static str| {
        client
            .post(&url)
            .header("accept-language", lang)
            .json(&reg)
            .send()
    };
    let en: serde_json::Value = answer("en-GB,en;q=0.9")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(en["message"], "The registration has errors.");
    assert_eq!(en["fields"][0]["message"], "Enter the job title.");
    let da: serde_json::Value = answer("da").await.unwrap().json().await.unwrap();
    assert_eq!(da["message"], "Tilmeldingen har fejl.");
    assert_eq!(da["fields"][0]["message"], "Skriv stilling.");
    let unknown = client
        .get(s.api("/nowhere"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let body: serde_json::Value = unknown.json().await.unwrap();
    assert_eq!(body["message"], "Unknown address.");
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 0);
}

#[tokio::test]
async fn malformed_requests_are_4xx_with_a_json_reason() {
    let s = TestServer::start().await;
    let url = s.api("/meetings/knub-2021-05-17/registrations");
    let cases: Vec<(reqwest::RequestBuilder, u16)> = vec![
        (
            s.http
                .post(&url)
                .header("content-type", "application/json")
                .body("{not json"),
            400,
        ),
        (
            s.http
                .post(&url)
                .header("content-type", "application/json")
                .body("{\"municipality_code\":\"x\"}"),
            400,
        ),
        (
            s.http
                .post(&url)
                .header("content-type", "text/plain")
                .body(registration(RANDERS, "t", 1).to_string()),
            415,
        ),
        (
            s.http
                .post(s.api("/meetings/nope/registrations"))
                .json(&registration(RANDERS, "t", 1)),
            404,
        ),
    ];
    for (req, want) in cases {
        let r = req.send().await.unwrap();
        assert_eq!(r.status().as_u16(), want);
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(
            body["error"].is_string() && body["message"].is_string(),
            "{body}"
        );
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 0);
}

#[tokio::test]
async fn an_already_registered_email_is_reported_for_its_row_and_the_others_are_stored() {
    let s = TestServer::start().await;
    assert_eq!(s.register(&registration(RANDERS, "d", 2)).await.0, 201);
    // Row 1 repeats d1@ (in another case), row 0 and 2 are new.
    let mut reg = registration(RANDERS, "e", 3);
    reg["attendees"][1]["email"] = json!("D1@Kommune.dk");
    let (status, body) = s.register(&reg).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["registered"].as_array().unwrap().len(), 2);
    assert_eq!(body["already_registered"][0]["field"], "attendees[1].email");
    assert_eq!(body["already_registered"][0]["code"], "already_registered");
    assert_eq!(s.count("SELECT COUNT(*) FROM registrations"), 4);
}

#[tokio::test]
async fn a_passed_deadline_closes_registration() {
    let s = TestServer::with(
        meetings(|m| m["registration"]["deadline"] = json!("2021-05-12T12:00")),
        None,
        Some(TOKEN),
    )
    .await;
    let (status, body) = s.register(&registration(RANDERS, "c", 1)).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"], "registration_closed");
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 0);
}

#[tokio::test]
async fn csv_export_opens_in_danish_excel() {
    let s = TestServer::start().await;
    let mut reg = registration(RANDERS, "csv", 2);
    reg["attendees"][0]["name"] = json!("Søren Æbelø; \"Ålborg\"");
    reg["attendees"][1]["title"] = json!("=HYPERLINK(\"evil.example\")");
    assert_eq!(s.register(&reg).await.0, 201);
    let r = s
        .http
        .get(s.api("/organiser/meetings/knub-2021-05-17/registrations.csv"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(
        lines[0].starts_with("Reference;Kommunekode;Kommune;Navn;E-mail;Stilling;Afdeling;Status")
    );
    assert!(lines[1].starts_with(
        "KNUB-00001;730;Randers;\"Søren Æbelø; \"\"Ålborg\"\"\";csv0@kommune.dk;Konsulent;"
    ));
    assert!(
        lines[2].contains(";\"'=HYPERLINK(\"\"evil.example\"\")\";"),
        "formula defused: {}",
        lines[2]
    );
    assert_eq!(lines.len(), 4, "header, two rows, final CRLF");
    println!("CSV export:\n{text}");
}

#[tokio::test]
async fn organiser_endpoints_need_the_token_and_are_off_without_one() {
    let s = TestServer::start().await;
    let paths = [
        "/organiser/meetings/knub-2021-05-17/registrations.csv",
        "/organiser/meetings/knub-2021-05-17/counts",
        "/organiser/applications",
    ];
    for p in paths {
        assert_eq!(
            s.http.get(s.api(p)).send().await.unwrap().status(),
            401,
            "{p}"
        );
        assert_eq!(
            s.http
                .get(s.api(p))
                .bearer_auth("wrong-token-wrong-token")
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
        assert_eq!(
            s.http
                .get(s.api(p))
                .bearer_auth(TOKEN)
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    let off = TestServer::with(meetings(|_| {}), None, None).await;
    for p in paths {
        assert_eq!(
            off.http
                .get(off.api(p))
                .bearer_auth(TOKEN)
                .send()
                .await
                .unwrap()
                .status(),
            404,
            "{p}"
        );
    }
}

#[tokio::test]
async fn counts_per_municipality() {
    let s = TestServer::start().await;
    s.register(&registration(RANDERS, "r", 3)).await;
    s.register(&registration(751, "a", 2)).await;
    let counts: serde_json::Value = s
        .http
        .get(s.api("/organiser/meetings/knub-2021-05-17/counts"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        counts,
        json!([
            {"municipality_code": 730, "municipality": "Randers", "registered": 3, "pending_membership": 0, "membership_declined": 0, "cancelled": 0},
            {"municipality_code": 751, "municipality": "Aarhus", "registered": 2, "pending_membership": 0, "membership_declined": 0, "cancelled": 0}
        ])
    );
}

#[tokio::test]
async fn data_survives_a_restart() {
    let s = TestServer::start().await;
    let db = s.db.clone();
    assert_eq!(s.register(&registration(RANDERS, "p", 2)).await.0, 201);
    let dir = s.stop().await;
    let s = TestServer::with(dir, Some(db), Some(TOKEN)).await;
    assert_eq!(s.count("SELECT COUNT(*) FROM registrations"), 2);
    // The stored e-mails still count as registered after the restart.
    let (status, body) = s.register(&registration(RANDERS, "p", 2)).await;
    assert_eq!(status, 201);
    assert_eq!(body["already_registered"].as_array().unwrap().len(), 2);
    if let Db::Sqlite(path) = &s.db {
        let mode: String = rusqlite::Connection::open(path)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
}

#[tokio::test]
async fn one_municipality_registers_300_over_several_submissions() {
    let s = TestServer::start().await;
    for batch in 0..3 {
        let (status, _) = s
            .register(&registration(RANDERS, &format!("m{batch}-"), 100))
            .await;
        assert_eq!(status, 201);
    }
    assert_eq!(
        s.count("SELECT COUNT(*) FROM registrations WHERE municipality_code = 730"),
        300
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_submission_replayed_100_times_concurrently_is_stored_once() {
    let s = TestServer::start().await;
    let mut reg = registration(RANDERS, "replay", 3);
    reg["idempotency_key"] = json!("replay-key-0001-a");
    let url = s.api("/meetings/knub-2021-05-17/registrations");
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (http, url, reg) = (s.http.clone(), url.clone(), reg.clone());
            tokio::spawn(async move {
                let r = http.post(url).json(&reg).send().await.unwrap();
                (
                    r.status().as_u16(),
                    r.json::<serde_json::Value>().await.unwrap(),
                )
            })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    assert!(answers.iter().all(|(status, _)| *status == 201));
    // Every replay gets the original receipt: same reference, the same three attendees; and
    // a manage link of its own (the links are secrets, so each answer has a new one).
    let receipt = |body: &serde_json::Value| {
        let mut body = body.clone();
        let link = body.as_object_mut().unwrap().remove("manage_url");
        assert!(
            link.is_some_and(|l| l.is_string()),
            "a manage link in {body}"
        );
        body
    };
    let first = &receipt(&answers[0].1);
    assert!(
        answers.iter().all(|(_, body)| receipt(body) == *first),
        "one receipt for all"
    );
    assert_eq!(first["registered"].as_array().unwrap().len(), 3);
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 1);
    assert_eq!(s.count("SELECT COUNT(*) FROM registrations"), 3);
    // A new key with the same e-mails stores nothing twice either.
    reg["idempotency_key"] = json!("replay-key-0002-b");
    let (status, body) = s.register(&reg).await;
    assert_eq!(status, 201);
    assert_eq!(body["already_registered"].as_array().unwrap().len(), 3);
    assert_eq!(s.count("SELECT COUNT(*) FROM registrations"), 3);
}

/// Submissions arriving together are committed in one group, each in its own
/// savepoint: every one gets its own receipt, and two that register the same person are
/// decided one way only, however they land in a group.
#[tokio::test]
async fn concurrent_submissions_sharing_attendees_each_get_their_own_receipt() {
    let s = TestServer::start().await;
    let url = s.api("/meetings/knub-2021-05-17/registrations");
    // 40 submissions in pairs: both of a pair register the same two people plus one of their
    // own; a non-member without an application is refused in between, storing nothing.
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let mut reg = registration(RANDERS, &format!("pair{}-", i / 2), 2);
            let own =
                json!({"name": "Egen", "email": format!("own{i}@kommune.dk"), "title": "Leder"});
            reg["attendees"].as_array_mut().unwrap().push(own);
            reg["idempotency_key"] = json!(format!("group-key-{i:08}"));
            if i % 10 == 9 {
                reg["municipality_code"] = json!(BILLUND);
            }
            let (http, url) = (s.http.clone(), url.clone());
            tokio::spawn(async move {
                let r = http.post(url).json(&reg).send().await.unwrap();
                let status = r.status().as_u16();
                (i, status, r.json::<serde_json::Value>().await.unwrap())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let mut references = std::collections::HashSet::new();
    let mut shared_registered = std::collections::HashMap::<String, usize>::new();
    for (i, status, body) in &answers {
        if i % 10 == 9 {
            assert_eq!(*status, 422, "{body}");
            assert_eq!(body["fields"][0]["code"], "not_a_member");
            continue;
        }
        assert_eq!(*status, 201, "{body}");
        assert!(references.insert(body["reference"].as_str().unwrap().to_owned()));
        let registered = body["registered"].as_array().unwrap();
        let emails: Vec<&str> = registered
            .iter()
            .map(|r| r["email"].as_str().unwrap())
            .collect();
        assert!(
            emails.contains(&format!("own{i}@kommune.dk").as_str()),
            "{body}"
        );
        for e in emails.iter().filter(|e| e.starts_with("pair")) {
            *shared_registered.entry((*e).to_owned()).or_default() += 1;
        }
        let already = body["already_registered"].as_array().unwrap().len();
        assert_eq!(registered.len() + already, 3, "{body}");
    }
    // Each shared person is registered by exactly one submission of the pair.
    assert!(
        shared_registered.values().all(|n| *n == 1),
        "{shared_registered:?}"
    );
    assert_eq!(shared_registered.len(), 2 * 20);
    assert_eq!(references.len(), 36);
    // Each reference is the meeting's prefix and a number of its own. On SQLite the numbers run
    // 1..=36 with no gap, although the refused submissions raced the others (each took a number
    // in its savepoint and gave it back); on PostgreSQL they come from a sequence, unique but
    // not gap-free.
    let mut numbers: Vec<u32> = references
        .iter()
        .map(|r| r.strip_prefix("KNUB-").unwrap().parse().unwrap())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 36);
    if matches!(s.db, common::Db::Sqlite(_)) {
        assert_eq!(numbers, (1..=36).collect::<Vec<_>>());
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 36);
    assert_eq!(s.count("SELECT COUNT(*) FROM registrations"), 36 + 40);
}

/// A SQLite file made before versioned migrations (the first migration's schema, with data)
/// is adopted and migrated at start: its registrations stay, and the meeting's reference
/// numbers go on from the highest one it had (those were row ids).
#[tokio::test]
async fn a_database_from_before_migrations_is_migrated_at_start() {
    let dir = meetings(|_| {});
    let path = dir.path().join("old.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let v1 = std::fs::read_to_string(
            common::repo().join("server/migrations/sqlite/V1__initial.sql"),
        )
        .unwrap();
        conn.execute_batch(&v1).unwrap();
        conn.execute_batch(
            "INSERT INTO submissions (id, meeting_id, network, municipality_code, contact_name,
                 contact_email, reference, receipt, created_at)
             VALUES (7, 'knub-2021-05-17', 'knub', 730, 'K', 'k@randers.dk', 'KNUB-00007', '{}', 1);
             INSERT INTO registrations (submission_id, meeting_id, network, municipality_code, name,
                 email, email_key, title, department, status, created_at)
             VALUES (7, 'knub-2021-05-17', 'knub', 730, 'Gammel', 'gammel@randers.dk',
                 'gammel@randers.dk', '', '', 'registered', 1);",
        )
        .unwrap();
    }
    let s = TestServer::with(dir, Some(Db::Sqlite(path)), Some(TOKEN)).await;
    let (status, body) = s.register(&registration(RANDERS, "ny", 1)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["reference"], "KNUB-00008");
    assert_eq!(s.count("SELECT COUNT(*) FROM registrations"), 2);
    let migrations = std::fs::read_dir(common::repo().join("server/migrations/sqlite"))
        .unwrap()
        .count();
    assert_eq!(
        s.count("SELECT COUNT(*) FROM refinery_schema_history"),
        migrations as i64,
        "every migration recorded"
    );
}

/// The app's files go out as the brotli or gzip copy `make app` wrote, to browsers that accept
/// it, marked so that shared caches keep the variants apart; others get the plain file.
#[tokio::test]
async fn app_files_are_served_precompressed_with_vary() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html>").unwrap();
    std::fs::write(dist.path().join("tilmelding_bg.wasm"), b"\0asm plain").unwrap();
    std::fs::write(dist.path().join("tilmelding_bg.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(dist.path().join("tilmelding_bg.wasm.gz"), b"gzip bytes").unwrap();
    let dir = dist.path().to_path_buf();
    let s = TestServer::configured(meetings(|_| {}), None, None, move |c| c.dist = dir).await;
    // No automatic decompression: the test looks at the bytes as sent.
    let http = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap();
    let get = |enc: &'static str| {
        let (http, url) = (http.clone(), format!("{}/tilmelding_bg.wasm", s.url));
        async move {
            let r = http
                .get(url)
                .header("Accept-Encoding", enc)
                .send()
                .await
                .unwrap();
            let h = r.headers().clone();
            let body = r.bytes().await.unwrap();
            let text = |n: &str| h.get(n).map(|v| v.to_str().unwrap().to_owned());
            (
                text("content-encoding"),
                text("vary"),
                text("content-type"),
                body,
            )
        }
    };
    let (enc, vary, kind, body) = get("gzip, deflate, br").await;
    assert_eq!(enc.as_deref(), Some("br"));
    assert_eq!(&body[..], b"brotli bytes");
    assert!(vary.unwrap().to_lowercase().contains("accept-encoding"));
    assert_eq!(kind.as_deref(), Some("application/wasm"));
    let (enc, _, _, body) = get("gzip").await;
    assert_eq!(enc.as_deref(), Some("gzip"));
    assert_eq!(&body[..], b"gzip bytes");
    let (enc, _, _, body) = get("identity").await;
    assert_eq!(enc, None);
    assert_eq!(&body[..], b"\0asm plain");
}

/// What the loader shows before the wasm: each meeting's widget pre-rendered in Danish and in
/// English, as it stands (the picker while registration is open, the note once it has
/// closed); the meeting's data file is served as before, and an unknown meeting has none.
#[tokio::test]
async fn a_meeting_s_widget_is_served_pre_rendered_as_it_stands() {
    let s = TestServer::start().await;
    let get = |file: &str| {
        s.http
            .get(format!("{}/meetings/{file}", s.url))
            .header("origin", "https://www.kl.dk")
            .send()
    };
    let r = get("knub-2021-05-17.html").await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let html = r.text().await.unwrap();
    assert!(html.contains("data-tlm-prerendered"), "{html}");
    assert!(html.contains("Fysiske greb til forandring"), "{html}");
    assert!(
        html.contains("id=\"tlm-kommune\""),
        "the picker, open: {html}"
    );
    let en = get("knub-2021-05-17.en.html").await.unwrap();
    let en = en.text().await.unwrap();
    assert!(en.contains(">Municipality</label>"), "{en}");
    let data: serde_json::Value = get("knub-2021-05-17.json")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(data["id"], "knub-2021-05-17");
    assert_eq!(get("nothing-here.html").await.unwrap().status(), 404);
    // Past the late deadline (2099), registration has closed: the note, no picker.
    s.clock
        .advance(common::offset_to(common::LATE_DEADLINE) + 60);
    let closed = get("knub-2021-05-17.html")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!closed.contains("tlm-kommune"), "{closed}");
    assert!(closed.contains("Tilmeldingen er lukket"), "{closed}");
}

/// The pre-rendered widget and the meeting's data are made or read per request, so they have
/// no compressed copies on disk; they are compressed as they are sent, to whoever accepts it.
#[tokio::test]
async fn a_meeting_s_files_travel_compressed() {
    let s = TestServer::start().await;
    for file in ["knub-2021-05-17.html", "knub-2021-05-17.json"] {
        let get = |enc: &'static str| {
            s.http
                .get(format!("{}/meetings/{file}", s.url))
                .header("Accept-Encoding", enc)
                .send()
        };
        let plain = get("identity").await.unwrap();
        assert_eq!(plain.headers().get("content-encoding"), None);
        let plain = plain.bytes().await.unwrap();
        let br = get("gzip, deflate, br").await.unwrap();
        assert_eq!(br.headers()["content-encoding"], "br", "{file}");
        assert!(
            br.headers()["vary"]
                .to_str()
                .unwrap()
                .to_lowercase()
                .contains("accept-encoding")
        );
        let br = br.bytes().await.unwrap();
        assert!(
            br.len() * 2 < plain.len(),
            "{file}: {} of {} bytes",
            br.len(),
            plain.len()
        );
        let gzip = get("gzip").await.unwrap();
        assert_eq!(gzip.headers()["content-encoding"], "gzip", "{file}");
        let mut unzipped = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&gzip.bytes().await.unwrap()[..]),
            &mut unzipped,
        )
        .unwrap();
        assert_eq!(unzipped, plain, "{file}");
    }
}
