//! Hostile input: whatever anyone posts, the server answers 4xx (or 201 for a valid
//! registration), never 5xx, never panics, and stores nothing for what it refuses.

mod common;
use common::{TOKEN, TestServer, meeting_in_2099, meetings, offset_to, registration, unix};

/// Not a member of the shipped network.
const BILLUND: u16 = 530;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config as PtConfig, TestRunner};
use serde_json::{Value, json};

/// JSON values of any shape, with strings that include control characters, markup, quotes
/// and very long runs.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "\\PC{0,40}".prop_map(Value::from),
        "[\\x00-\\x1f<>\"'=+@;]{0,20}".prop_map(Value::from),
        (1usize..3000).prop_map(|n| Value::from("x".repeat(n))),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6).prop_map(|m| json!(m)),
        ]
    })
}

/// A valid registration with one part replaced by something arbitrary: the cases closest to
/// being accepted, where validation has to do the work.
fn mutated_registration() -> impl Strategy<Value = Value> {
    let paths = prop_oneof![
        Just(vec!["municipality_code"]),
        Just(vec!["contact", "name"]),
        Just(vec!["contact", "email"]),
        Just(vec!["attendees"]),
        Just(vec!["attendees", "0"]),
        Just(vec!["attendees", "0", "name"]),
        Just(vec!["attendees", "0", "email"]),
        Just(vec!["attendees", "1", "title"]),
        Just(vec!["attendees", "1", "department"]),
        Just(vec!["privacy_accepted"]),
        Just(vec!["idempotency_key"]),
        Just(vec!["apply_for_membership"]),
        Just(vec!["extra_field"]),
    ];
    // Mostly strings, which get past JSON typing and must be refused by validation itself.
    let values = prop_oneof![
        2 => prop_oneof![
            "\\PC{0,60}",
            "[\\x00-\\x1f\\u{7f}-\\u{9f}a-z ]{0,20}",
            "[a-z<>\"'=@.+-]{0,20}@[a-z.]{0,12}",
            (150usize..400).prop_map(|n| "æ".repeat(n)),
        ]
        .prop_map(Value::from),
        1 => any_json(),
    ];
    (paths, values).prop_map(|(path, value)| {
        let mut reg = registration(730, "fuzz", 2);
        let mut slot = &mut reg;
        for (i, key) in path.iter().enumerate() {
            let last = i + 1 == path.len();
            slot = match key.parse::<usize>() {
                Ok(n) => &mut slot[n],
                Err(_) if last => {
                    slot.as_object_mut()
                        .unwrap()
                        .insert((*key).to_owned(), Value::Null);
                    &mut slot[*key]
                }
                Err(_) => &mut slot[*key],
            };
        }
        *slot = value;
        reg
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_thousand_generated_requests_give_no_5xx_and_store_nothing_refused() {
    // The rate limit is not what this test is about.
    let s = TestServer::configured(meetings(|_| {}), None, None, |c| c.rate_limit = 0).await;
    let url = s.api("/meetings/knub-2021-05-17/registrations");
    let mut runner = TestRunner::new_with_rng(
        PtConfig::default(),
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let bodies = prop_oneof![
        3 => mutated_registration().prop_map(|v| v.to_string().into_bytes()),
        1 => any_json().prop_map(|v| v.to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..200),
    ];
    let cases: Vec<Vec<u8>> = (0..10_000)
        .map(|_| bodies.new_tree(&mut runner).unwrap().current())
        .collect();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let mut accepted_attendees = 0;
    for chunk in cases.chunks(50) {
        let answers = futures_join(chunk.iter().map(|body| {
            s.http
                .post(&url)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
        }))
        .await;
        for (body, answer) in chunk.iter().zip(answers) {
            let r = answer.unwrap();
            let status = r.status().as_u16();
            *statuses.entry(status).or_default() += 1;
            let json: Value = r
                .json()
                .await
                .unwrap_or_else(|_| panic!("{status} without a JSON body"));
            assert!(
                status < 500,
                "{status} for {}: {json}",
                String::from_utf8_lossy(body)
            );
            if status == 201 {
                accepted_attendees += json["registered"].as_array().unwrap().len() as i64;
            } else {
                assert!(json["error"].is_string(), "{json}");
            }
        }
    }
    let stored = s.count("SELECT COUNT(*) FROM registrations");
    println!(
        "10,000 generated requests: statuses {statuses:?}; {stored} attendees stored, all from 201 answers"
    );
    assert_eq!(
        stored, accepted_attendees,
        "only accepted submissions stored anything"
    );
    assert!(statuses.keys().all(|s| *s == 201 || (400..500).contains(s)));
}

/// Runs request futures concurrently and collects their results in order.
async fn futures_join<F, T>(futs: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futs.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn an_oversized_body_is_413_with_a_json_reason() {
    let s = TestServer::configured(meetings(|_| {}), None, None, |c| c.max_body = 10_000).await;
    let r = s
        .http
        .post(s.api("/meetings/knub-2021-05-17/registrations"))
        .json(&registration(730, "big", 200))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "too_large");
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 0);
}

#[tokio::test]
async fn too_many_attendees_in_one_submission_is_422() {
    let s = TestServer::start().await;
    let (status, body) = s.register(&registration(730, "many", 1001)).await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["code"], "too_many_attendees");
    let (status, _) = s.register(&registration(730, "many", 1000)).await;
    assert_eq!(status, 201, "1,000 is the documented limit");
}

#[tokio::test]
async fn the_honeypot_refuses_and_stores_nothing() {
    let s = TestServer::start().await;
    let mut reg = registration(730, "bot", 1);
    reg["website"] = json!("http://spam.example");
    let (status, body) = s.register(&reg).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("rejected")));
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 0);
}

#[tokio::test]
async fn submissions_are_rate_limited_per_client_with_a_json_reason() {
    let s = TestServer::configured(meetings(|_| {}), None, None, |c| c.rate_limit = 3).await;
    for i in 0..3 {
        assert_eq!(
            s.register(&registration(730, &format!("rl{i}-"), 1))
                .await
                .0,
            201
        );
    }
    let r = s
        .http
        .post(s.api("/meetings/knub-2021-05-17/registrations"))
        .json(&registration(730, "rl9-", 1))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "rate_limited");
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 3);
}

#[tokio::test]
async fn security_headers_and_no_cookies_on_everything_served() {
    let s = TestServer::start().await;
    for path in [
        "/",
        "/meetings/knub-2021-05-17.json",
        "/api/health",
        "/api/nope",
    ] {
        let r = s.http.get(format!("{}{path}", s.url)).send().await.unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert!(h.get("set-cookie").is_none());
    }
}

#[tokio::test]
async fn hostile_path_parameters_are_4xx() {
    let s = TestServer::start().await;
    for path in [
        "/meetings/knub-2021-05-17/membership/99999999999",
        "/meetings/knub-2021-05-17/membership/-1",
        "/meetings/knub-2021-05-17/membership/%00",
        "/meetings/..%2F..%2Fetc/membership/730",
        "/organiser/applications/abc/approve",
    ] {
        let r = s.http.get(s.api(path)).send().await.unwrap();
        assert!(r.status().is_client_error(), "{path}: {}", r.status());
    }
    let r = s
        .http
        .get(format!("{}/meetings/..%2F..%2FCargo.toml", s.url))
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_client_error(),
        "no files outside the meetings folder"
    );
}

/// Seconds from the test server's clock to a local time, e.g. `2099-07-01T15:00`.
fn until(s: &TestServer, local: &str) -> i64 {
    unix(local) - s.clock.now()
}

/// The server deletes a meeting's personal data by itself, the configured number of days after
/// the meeting is over (30 by default), also once the meeting's file is gone: registrations,
/// submissions with their manage links and change history, mails; and applications decided as
/// long ago.
#[tokio::test]
async fn retention_deletes_a_meeting_s_data_by_itself_also_once_its_file_is_gone() {
    let s = TestServer::configured(
        meetings(meeting_in_2099),
        None,
        Some(TOKEN),
        common::dead_mail,
    )
    .await;
    assert_eq!(s.register(&registration(730, "kept", 3)).await.0, 201);
    let mut apply = registration(BILLUND, "applied", 1);
    apply["apply_for_membership"] = json!(true);
    assert_eq!(s.register(&apply).await.0, 201);
    // The organiser approves the application the day of the meeting.
    s.clock.advance(until(&s, "2099-06-01T16:00"));
    let id = s.count("SELECT id FROM applications");
    let r = s
        .http
        .post(s.api(&format!("/organiser/applications/{id}/approve")))
        .bearer_auth(TOKEN)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let data = |s: &TestServer| {
        [
            "registrations",
            "submissions",
            "manage_tokens",
            "outbox",
            "applications",
        ]
        .map(|t| s.count(&format!("SELECT COUNT(*) FROM {t}")))
    };
    // The approval mailed the waiting contact (with a manage link of its own) and attendee.
    assert_eq!(data(&s), [4, 2, 3, 8, 1]);
    let db = s.db.clone();
    // Started again 29 days after the meeting: everything is kept. (Retention runs at the
    // start, then hourly.)
    let offset = offset_to("2099-06-30T15:00");
    let dir = s.stop().await;
    let again = |dir, offset| {
        let db = db.clone();
        TestServer::configured(dir, Some(db), Some(TOKEN), move |c| {
            common::dead_mail(c);
            c.clock = tilmelding_server::clock::Clock::offset_by(offset);
        })
    };
    let s = again(dir, offset).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(data(&s), [4, 2, 3, 8, 1]);
    // The meeting's file is removed, and the server started again 31 days after the meeting.
    let offset = offset_to("2099-07-02T15:01");
    let dir = s.stop().await;
    std::fs::remove_file(dir.path().join("knub-2021-05-17.json")).unwrap();
    let s = again(dir, offset).await;
    let start = std::time::Instant::now();
    while data(&s) != [0, 0, 0, 0, 0] {
        assert!(
            start.elapsed().as_secs() < 10,
            "not deleted: {:?}",
            data(&s)
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM changes"), 0);
}

/// The same by hand, from the command line, which says what it deleted.
#[tokio::test]
async fn retention_from_the_command_line_says_what_it_deleted_and_leaves_nothing_in_the_files() {
    let s = TestServer::with(meetings(meeting_in_2099), None, Some(TOKEN)).await;
    assert_eq!(s.register(&registration(730, "old", 4)).await.0, 201);
    let offset = offset_to("2099-07-15T12:00");
    let db = s.db.clone();
    let dir = s.stop().await;
    let run = |days: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tilmelding-server"))
            .args(["retention", "--days", days])
            .env(db.env().0, db.env().1)
            .env("TILMELDING_MEETINGS", dir.path())
            .env("TILMELDING_CLOCK_OFFSET", offset.to_string())
            .output()
            .unwrap()
    };
    let count = || db.count("SELECT COUNT(*) FROM registrations");
    // Six weeks after the meeting: keeping 100 days keeps everything.
    let out = run("100");
    assert!(out.status.success());
    assert_eq!(count(), 4);
    let out = run("30");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("knub-2021-05-17: 4 tilmeldinger slettet.")
    );
    assert_eq!(count(), 0);
    // Gone from the files too, not left in freed pages or the write-ahead log: a copy of
    // them (a backup) holds no deleted person. (PostgreSQL: see docs/operators.md.)
    if let common::Db::Sqlite(path) = &db {
        let mut bytes = std::fs::read(path).unwrap();
        bytes.extend(std::fs::read(path.with_extension("sqlite3-wal")).unwrap_or_default());
        let text = String::from_utf8_lossy(&bytes);
        for gone in [
            "kontakt-old@kommune.dk",
            "old0@kommune.dk",
            "old3@kommune.dk",
        ] {
            assert!(!text.contains(gone), "{gone} is still in the files");
        }
    }
    assert!(!run("x").status.success());
}

#[tokio::test]
async fn cors_allows_configured_origins_on_the_api_and_anyone_on_public_files() {
    let s = TestServer::configured(meetings(|_| {}), None, None, |c| {
        c.allowed_origins = vec!["https://www.kl.dk".into()];
    })
    .await;
    let preflight = |origin: &'static str| {
        s.http
            .request(
                reqwest::Method::OPTIONS,
                s.api("/meetings/knub-2021-05-17/registrations"),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let ok = preflight("https://www.kl.dk").await.unwrap();
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://www.kl.dk"
    );
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    for path in ["/meetings/knub-2021-05-17.json", "/embed.js"] {
        let r = s
            .http
            .get(format!("{}{path}", s.url))
            .header("origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["access-control-allow-origin"], "*", "{path}");
    }
}

/// A cancel list of 550,000 ids (what the 4 MiB body limit fits) with a wrong link is refused
/// for its length, before any work that grows with it, while the server keeps answering
/// others: several of them at once do not stop `/api/health`.
#[tokio::test]
async fn a_huge_cancel_list_is_refused_at_once_and_stalls_nobody() {
    let s = TestServer::start().await;
    let ids: Vec<i64> = (0..550_000).collect();
    let body = json!({ "idempotency_key": "huge-cancel-list", "action": { "kind": "cancel", "attendees": ids } })
        .to_string();
    let url = s.api("/meetings/knub-2021-05-17/manage");
    let huge = |http: reqwest::Client| {
        let (url, body) = (url.clone(), body.clone());
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let r = http
                .post(url)
                .bearer_auth("AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA")
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let answer: Value = r.json().await.unwrap();
            (status, answer, started.elapsed())
        })
    };
    let flood: Vec<_> = (0..4).map(|_| huge(s.http.clone())).collect();
    let health = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        s.http.get(s.api("/health")).send(),
    )
    .await
    .expect("/api/health answers while the lists are in flight")
    .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    for one in flood {
        let (status, answer, took) = one.await.unwrap();
        assert_eq!(status, 422, "{answer}");
        assert_eq!(
            answer["fields"][0]["code"], "too_many_attendees",
            "{answer}"
        );
        eprintln!("a 550,000-id cancel list refused in {took:?}");
    }
}

/// On every address (0.0.0.0) the server cannot tell the address people reach it at, so it
/// refuses to start without `TILMELDING_PUBLIC_URL` rather than mail links to nowhere.
#[test]
fn listening_on_every_address_needs_a_public_url() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tilmelding-server"))
        .env("TILMELDING_ADDR", "0.0.0.0:0")
        .env_remove("TILMELDING_PUBLIC_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("set TILMELDING_PUBLIC_URL"), "{said}");
}

/// The server will not start with an organiser token that could be guessed, and makes one
/// that cannot: `tilmelding-server token` prints 256 random bits, which it then accepts.
#[test]
fn a_guessable_organiser_token_is_refused_and_a_made_one_is_taken() {
    let server = |token: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tilmelding-server"))
            .env("TILMELDING_ORGANISER_TOKEN", token)
            // Listening on every address without a public URL fails at once, after the
            // token is judged: the start goes no further.
            .env("TILMELDING_ADDR", "0.0.0.0:0")
            .env_remove("TILMELDING_PUBLIC_URL")
            .output()
            .unwrap()
    };
    for (weak, reason) in [
        ("password12345678", "at least 32 characters"),
        ("password12345678password12345678", "could be guessed"),
    ] {
        let out = server(weak);
        assert!(!out.status.success());
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains(reason) && said.contains("tilmelding-server token"),
            "{said}"
        );
    }
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_tilmelding-server"))
        .arg("token")
        .output()
        .unwrap();
    assert!(made.status.success());
    let token = String::from_utf8(made.stdout).unwrap().trim().to_owned();
    assert_eq!(token.len(), 43, "{token}");
    let said = String::from_utf8_lossy(&server(&token).stderr).into_owned();
    assert!(
        !said.contains("organiser token") && said.contains("TILMELDING_PUBLIC_URL"),
        "the made token passes: {said}"
    );
}

/// Half-sent requests hold nothing for long: 3,000 connections that send part of a request's
/// headers and then stall do not stop `/api/health`, and each is closed by the server once the
/// header time limit has passed; a body sent a byte at a time is answered 408 at the request's
/// limit; and stopping the server does not wait for any of them.
#[tokio::test]
async fn stalled_clients_are_let_go() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = TestServer::configured(meetings(|_| {}), None, None, |c| {
        c.timeouts.header = Duration::from_secs(1);
        c.timeouts.request = Duration::from_secs(2);
        // The 3,000 come from one address here; the cap per client, which would close most
        // of them at once, has its own test.
        c.max_connections_per_client = 0;
    })
    .await;
    let addr = s.url.trim_start_matches("http://").to_owned();
    let mut stalled = Vec::new();
    for _ in 0..3_000 {
        let mut c = tokio::net::TcpStream::connect(&addr).await.unwrap();
        c.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        stalled.push(c);
    }
    let health = s.http.get(s.api("/health")).send().await.unwrap();
    assert_eq!(
        health.status().as_u16(),
        200,
        "answers beside 3,000 stalled clients"
    );
    // A body that never finishes: headers promise 1,000 bytes, one arrives.
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(
        b"POST /api/csp-report HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
    )
    .await
    .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), slow.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(20));
    // Every stalled connection is closed by the server (a read ends), none answered.
    for mut c in stalled {
        let mut buf = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(20), c.read_to_end(&mut buf)).await;
        assert!(
            matches!(read, Ok(Ok(_)) | Ok(Err(_))),
            "the server closed the stalled connection"
        );
    }
    // A new stalled client does not hold up the stop.
    let mut last = tokio::net::TcpStream::connect(&addr).await.unwrap();
    last.write_all(b"GET /api/health HTTP/1.1\r\n")
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(15), s.stop())
        .await
        .expect("the server stops while a client stalls");
}

/// A connection from `source` (a loopback address of its own: a client of its own).
async fn connect_from(source: [u8; 4], addr: &str) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind(std::net::SocketAddr::from((source, 0)))
        .unwrap();
    socket.connect(addr.parse().unwrap()).await.unwrap()
}

/// Waits until the server closes the connection (a read ends with nothing, or an error),
/// answering HTTP/2 pings meanwhile as a live client would; false if it stays open `within`.
async fn closed_within(c: &mut tokio::net::TcpStream, within: std::time::Duration) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let closed = async {
        let mut frame = [0u8; 9];
        loop {
            // Frames: 3 bytes of length, type, flags, 4 bytes of stream; then the payload.
            if c.read_exact(&mut frame).await.is_err() {
                return;
            }
            let len =
                usize::from(frame[0]) << 16 | usize::from(frame[1]) << 8 | usize::from(frame[2]);
            let mut payload = vec![0u8; len];
            if c.read_exact(&mut payload).await.is_err() {
                return;
            }
            let (kind, flags) = (frame[3], frame[4]);
            // A PING without ACK: answered, as the attacker's client did.
            if kind == 6 && flags & 1 == 0 {
                let mut ack = vec![0, 0, 8, 6, 1, 0, 0, 0, 0];
                ack.extend_from_slice(&payload);
                if c.write_all(&ack).await.is_err() {
                    return;
                }
            }
        }
    };
    tokio::time::timeout(within, closed).await.is_ok()
}

/// Every connection earns its place. Connections that ask nothing (a TCP connection that sends
/// nothing, half an HTTP/2 preface, an HTTP/2 connection that answers pings and opens no
/// stream) are closed once quiet for the header or idle time, while `/api/health` answers from
/// another client throughout; and one client holds at most its cap of connections at once, its
/// places given back as they close.
#[tokio::test]
async fn connections_that_ask_nothing_are_closed_and_one_client_cannot_take_every_place() {
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = TestServer::configured(meetings(|_| {}), None, None, |c| {
        c.timeouts.header = Duration::from_secs(1);
        c.timeouts.idle = Duration::from_secs(2);
        c.max_connections = 100;
        c.max_connections_per_client = 40;
    })
    .await;
    let addr = s.url.trim_start_matches("http://").to_owned();
    let mut silent = Vec::new();
    for _ in 0..40 {
        silent.push(connect_from([127, 0, 0, 1], &addr).await);
    }
    // The client's next connection is closed at once.
    let mut over = connect_from([127, 0, 0, 1], &addr).await;
    let mut buf = [0u8; 1];
    let read = tokio::time::timeout(Duration::from_secs(1), over.read(&mut buf)).await;
    assert!(
        matches!(read, Ok(Ok(0)) | Ok(Err(_))),
        "past its cap, a client's connection is closed at once: {read:?}"
    );
    let other = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let health = other.get(s.api("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200, "another client is answered");
    // Half a preface, and a whole HTTP/2 handshake with no stream (pings answered).
    let mut half = connect_from([127, 0, 0, 3], &addr).await;
    half.write_all(b"PRI * HTTP/2.0\r\n").await.unwrap();
    let mut h2c = connect_from([127, 0, 0, 3], &addr).await;
    h2c.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0")
        .await
        .unwrap();
    for c in &mut silent {
        assert!(
            closed_within(c, Duration::from_secs(10)).await,
            "a silent connection is closed"
        );
    }
    assert!(
        closed_within(&mut half, Duration::from_secs(10)).await,
        "half a preface is closed"
    );
    assert!(
        closed_within(&mut h2c, Duration::from_secs(15)).await,
        "an HTTP/2 connection with no stream is closed, pings answered or not"
    );
    let health = other.get(s.api("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    // Their places are given back: the first client is served again.
    let again = s.http.get(s.api("/health")).send().await.unwrap();
    assert_eq!(again.status(), 200);
}

/// At most `max_connections` are served at once: past the cap a new client waits to be
/// accepted, and gets its answer as soon as a connection closes.
#[tokio::test]
async fn connections_past_the_cap_wait_for_a_free_one() {
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;
    let s = TestServer::configured(meetings(|_| {}), None, None, |c| {
        c.max_connections = 10;
        c.timeouts.header = Duration::from_secs(60);
    })
    .await;
    let addr = s.url.trim_start_matches("http://").to_owned();
    let mut held = Vec::new();
    for _ in 0..10 {
        let mut c = tokio::net::TcpStream::connect(&addr).await.unwrap();
        c.write_all(b"GET /api/health HTTP/1.1\r\n").await.unwrap();
        held.push(c);
    }
    let http = s.http.clone();
    let url = s.api("/health");
    let waiting = tokio::spawn(async move { http.get(url).send().await.map(|r| r.status()) });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !waiting.is_finished(),
        "the eleventh connection waits while ten are held"
    );
    held.pop();
    let status = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("answered once a connection closed")
        .unwrap()
        .unwrap();
    assert_eq!(status.as_u16(), 200);
}

/// A replay under a used key with another body is refused, and shows nothing of what the key
/// stored: knowing (or guessing) a key must not reveal a registration or give its manage link.
#[tokio::test]
async fn a_used_key_with_another_body_is_refused_and_shows_nothing() {
    let s = TestServer::start().await;
    let mut first = registration(730, "victim", 2);
    first["idempotency_key"] = json!("0123456789abcdef-victim");
    assert_eq!(s.register(&first).await.0, 201);
    let mut other = registration(730, "thief", 1);
    other["idempotency_key"] = first["idempotency_key"].clone();
    let (status, body) = s.register(&other).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("idempotency_key_reused"))
    );
    let text = body.to_string();
    assert!(
        !text.contains("victim") && body.get("manage_url").is_none(),
        "{text}"
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 1);
    assert_eq!(s.count("SELECT COUNT(*) FROM registrations"), 2);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM manage_tokens"),
        1,
        "no new link"
    );
    // The same body again is a retry: the receipt, with a link of its own.
    let (status, body) = s.register(&first).await;
    assert_eq!(status, 201);
    assert_eq!(body["registered"].as_array().unwrap().len(), 2);
    // A key too short to be a secret is refused before anything is stored.
    other["idempotency_key"] = json!("0123456789abcde");
    let (status, body) = s.register(&other).await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["field"], "idempotency_key");
    assert_eq!(body["fields"][0]["code"], "invalid_key");
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 1);
}

/// Text that goes into mails to other people holds no invisible format characters (which can
/// disguise a name, e.g. U+202E turning it around) and no links.
#[tokio::test]
async fn names_with_invisible_characters_or_links_are_refused_with_field_reasons() {
    let s = TestServer::start().await;
    let mut reg = registration(730, "bidi", 1);
    reg["attendees"][0]["name"] = json!("Anna \u{202e}nesrednA");
    reg["contact"]["name"] = json!("Vind en præmie på www.example.com");
    let (status, body) = s.register(&reg).await;
    assert_eq!(status, 422);
    let reasons = common::reasons(&body);
    assert_eq!(
        reasons,
        [
            ("contact.name", "contains_link"),
            ("attendees[0].name", "invisible_characters")
        ]
    );
    assert!(
        body["fields"][1]["message"]
            .as_str()
            .unwrap()
            .contains("usynlige tegn"),
        "{body}"
    );
    reg["contact"]["name"] = json!("Kim https://x.dk");
    reg["attendees"][0]["name"] = json!("Anna\u{200b}");
    let r = s
        .http
        .post(s.api("/meetings/knub-2021-05-17/registrations"))
        .header("accept-language", "en")
        .json(&reg)
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("may not contain links"),
        "{body}"
    );
    // Links without a scheme, as a phisher would write them; a real name and degree pass.
    let mut reg = registration(730, "bare", 2);
    reg["attendees"][0]["department"] = json!("Log ind på kl-login.dk/bekraeft");
    reg["attendees"][0]["title"] = json!("sikker.xn--kl-tilmlding-ggb.com");
    reg["contact"]["name"] = json!("mailto:anna@kl.dk");
    reg["attendees"][1]["name"] = json!("Lars K. Hansen");
    reg["attendees"][1]["title"] = json!("cand.it, afd.leder");
    let (status, body) = s.register(&reg).await;
    assert_eq!(status, 422);
    assert_eq!(
        common::reasons(&body),
        [
            ("contact.name", "contains_link"),
            ("attendees[0].title", "contains_link"),
            ("attendees[0].department", "contains_link"),
        ]
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 0);
}

/// A refused request costs its client nothing of its mail cap: made-up manage links with long
/// cancel lists, a change to an attendee the link does not have, and a non-member's
/// registration without an application are refused and counted back, so the municipality
/// behind the same address still registers its colleagues.
#[tokio::test]
async fn refused_requests_cost_nothing_of_the_mail_cap() {
    let s = TestServer::configured(meetings(|_| {}), None, None, |c| {
        common::dead_mail(c);
        c.mail_limit = 30;
    })
    .await;
    let manage = s.api("/meetings/knub-2021-05-17/manage");
    for i in 0..20 {
        let cancel = json!({"idempotency_key": format!("made-up-{i:04}-cancel"), "action": {"kind": "cancel", "attendees": (1..=20).collect::<Vec<i64>>()}});
        let r = s
            .http
            .post(&manage)
            .bearer_auth(format!("madeup{i}.secretsecretsecretsecret"))
            .json(&cancel)
            .send()
            .await
            .unwrap();
        assert!(
            [404, 429].contains(&r.status().as_u16()),
            "a made-up link is refused: {}",
            r.status()
        );
        let body: Value = r.json().await.unwrap();
        assert_ne!(
            body["error"], "mail_limit",
            "refused for the link, not the cap"
        );
    }
    let (status, receipt) = s.register(&registration(730, "real", 9)).await;
    assert_eq!(status, 201, "{receipt}");
    // A right link asking to cancel an attendee it does not have is refused and counted back.
    let token = common::manage_token(&receipt);
    for i in 0..5 {
        let cancel = json!({"idempotency_key": format!("not-theirs-{i:04}-x"), "action": {"kind": "cancel", "attendees": [999_999]}});
        let (status, _) = s
            .post_json("/meetings/knub-2021-05-17/manage", &token, &cancel)
            .await;
        assert_eq!(status, 404);
    }
    let (status, _) = s.register(&registration(530, "not-member", 10)).await;
    assert_eq!(status, 422, "a non-member without an application");
    // 10 mails so far (9 attendees and the contact); 19 more fit the 30.
    let (status, body) = s.register(&registration(751, "more", 18)).await;
    assert_eq!(status, 201, "{body}");
}

/// One address gets at most a few mails an hour from public actions, whoever causes them and
/// however its letters are cased: past the cap the registrations are still stored and
/// answered, the extra mails are held back, never claimed for sending, and listed on the
/// organiser's overview. The organisation's own mails to the same address are never held.
#[tokio::test]
async fn one_address_gets_a_few_public_mails_an_hour_and_the_rest_are_held_back() {
    let s = TestServer::configured(meetings(|_| {}), None, Some(common::TOKEN), |c| {
        common::dead_mail(c);
        c.recipient_mail_limit = 3;
    })
    .await;
    for i in 0..5 {
        let mut reg = registration(730, &format!("bomb{i}-"), 1);
        reg["contact"]["email"] = json!(if i % 2 == 0 {
            "offer@kommune.dk"
        } else {
            "Offer@Kommune.DK"
        });
        let (status, body) = s.register(&reg).await;
        assert_eq!(status, 201, "stored and answered: {body}");
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM submissions"), 5);
    let to_victim = "FROM outbox WHERE lower(recipient) = 'offer@kommune.dk'";
    assert_eq!(
        s.count(&format!("SELECT COUNT(*) {to_victim} AND held_at IS NULL")),
        3
    );
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) {to_victim} AND held_at IS NOT NULL"
        )),
        2
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM outbox WHERE held_at IS NOT NULL"),
        2,
        "each attendee's own confirmation goes out"
    );
    // The worker never claims what is held back: only the due mails are tried.
    let (_, overview) = s
        .get_json(
            "/organiser/meetings/knub-2021-05-17/overview",
            common::TOKEN,
        )
        .await;
    let held = overview["held_mails"].as_array().unwrap();
    assert_eq!(held.len(), 2, "{overview}");
    assert_eq!(
        held[0]["to"].as_str().unwrap().to_lowercase(),
        "offer@kommune.dk"
    );
    // The organiser's message reaches the address although its public share is spent.
    let mut reg = registration(751, "x", 1);
    reg["attendees"][0]["email"] = json!("offer@kommune.dk");
    let (status, _) = s.register(&reg).await;
    assert_eq!(status, 201);
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) {to_victim} AND held_at IS NOT NULL"
        )),
        3
    );
    let message = json!({"subject": "Ny tid", "body": "Vi starter kl. 10."});
    let (status, _) = s
        .post_json(
            "/organiser/meetings/knub-2021-05-17/messages",
            common::TOKEN,
            &message,
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) {to_victim} AND held_at IS NULL AND subject = 'Ny tid'"
        )),
        1
    );
}

/// With mail configured, one client address may cause a capped number of mails an hour: a
/// municipality registering a thousand colleagues at once fits, a flood does not.
#[tokio::test]
async fn the_mails_one_client_causes_in_an_hour_are_capped() {
    let s = TestServer::configured(meetings(|_| {}), None, None, |c| {
        common::dead_mail(c);
        c.mail_limit = 30;
        c.trust_proxy = true;
    })
    .await;
    let post = |reg: Value, from: &'static str| {
        s.http
            .post(s.api("/meetings/knub-2021-05-17/registrations"))
            .header("x-forwarded-for", from)
            .json(&reg)
            .send()
    };
    // 20 attendees and the contact: 21 mails.
    let r = post(registration(730, "cap-a", 20), "2001:db8:7::1")
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // 11 more would make 32: refused whole, from any address in the same /64.
    let r = post(registration(730, "cap-b", 10), "2001:db8:7::ffff")
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3000..=3600).contains(&wait), "{wait}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "mail_limit");
    assert!(
        body["message"].as_str().unwrap().contains("minutter"),
        "{body}"
    );
    // What is left of the hour still fits 9 mails; another network has its own.
    let r = post(registration(730, "cap-c", 8), "2001:db8:7::2")
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = post(registration(730, "cap-d", 20), "192.0.2.9")
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(s.count("SELECT COUNT(*) FROM outbox"), 21 + 9 + 21);
}

/// On PostgreSQL no statement runs without end: each connection has a statement timeout (30 s,
/// unless the database URL's `options` set one), so a statement stuck on a lock fails and gives
/// its connection back. On SQLite there is nothing to stick on: one writer, in process.
#[tokio::test]
async fn a_statement_on_postgresql_cannot_run_without_end() {
    use tilmelding_server::config::Location;
    use tilmelding_server::store::{self, Tx, Work};
    let dir = tempfile::tempdir().unwrap();
    let common::Db::Postgres(url) = common::Db::fresh(dir.path()) else {
        return;
    };
    struct Sql(&'static str);
    impl Work for Sql {
        type Output = ();
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<()> {
            tx.batch(self.0).await
        }
    }
    let open = |url: String| async move {
        tilmelding_server::Store::open(&Location::Postgres { url, ca: None })
            .await
            .unwrap()
    };
    let store = open(url.clone()).await;
    store
        .run(Sql(
            "DO $$ BEGIN IF current_setting('statement_timeout') <> '30s' THEN \
             RAISE EXCEPTION 'statement_timeout is %', current_setting('statement_timeout'); \
             END IF; END $$",
        ))
        .await
        .expect("30 s by default");
    let sep = if url.contains('?') { '&' } else { '?' };
    let short = open(format!("{url}{sep}options=-c%20statement_timeout%3D500")).await;
    let slow = short.run(Sql("SELECT pg_sleep(5)")).await;
    assert!(slow.is_err(), "the URL's own limit holds: {slow:?}");
    short
        .run(Sql("SELECT 1"))
        .await
        .expect("the connection works on");
}
