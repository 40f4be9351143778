//! The server's log holds no personal data: no e-mail address, name or token, whatever a
//! client sends and whatever goes wrong, even at the debug level an operator may turn on.

use serde_json::{Value, json};
use tilmelding_e2e::{Server, ServerOptions, free_port};

const MEETING: &str = "knub-2021-05-17";

#[tokio::test]
async fn no_address_name_or_token_reaches_the_log() {
    let token = "log-organiser-Fy8dJ2nR6wC4kV9mT1sQ7";
    let server = Server::with(ServerOptions {
        token: Some(token.into()),
        env: vec![
            ("RUST_LOG", "debug".into()),
            // Mail on, to a port where nothing listens: every attempt fails.
            (
                "TILMELDING_SMTP_URL",
                format!("smtp://127.0.0.1:{}", free_port()),
            ),
            ("TILMELDING_MAIL_FROM", "KL <netvaerk@kl.dk>".into()),
        ],
        ..ServerOptions::default()
    })
    .await;
    let http = reqwest::Client::new();
    let api = format!("{}/api/meetings/{MEETING}", server.url);
    let person = |name: &str, email: &str| json!({ "name": name, "email": email, "title": "Konsulent", "department": "Plan" });
    // A member registers; a non-member applies and registers.
    let receipt = server
        .register(&json!({
            "municipality_code": 101,
            "contact": { "name": "Karen Logkontakt", "email": "karen.logkontakt@kk.dk" },
            "attendees": [person("Bo Logdeltager", "bo.logdeltager@kk.dk")],
            "privacy_accepted": true,
            "idempotency_key": "log-test-key-0123456789"
        }))
        .await;
    server
        .register(&json!({
            "municipality_code": 615,
            "contact": { "name": "Ida Logansøger", "email": "ida.logansoger@horsens.dk" },
            "attendees": [person("Ole Logventer", "ole.logventer@horsens.dk")],
            "privacy_accepted": true,
            "apply_for_membership": true
        }))
        .await;
    // Refused input: a bad address, and an address already registered.
    for bad in ["ikke-en-adresse@", "bo.logdeltager@kk.dk"] {
        let r = http
            .post(format!("{api}/registrations"))
            .json(&json!({
                "municipality_code": 101,
                "contact": { "name": "Karen Logkontakt", "email": "karen.logkontakt@kk.dk" },
                "attendees": [person("Per Logafvist", bad)],
                "privacy_accepted": true
            }))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error() || r.status().as_u16() == 201);
    }
    // The manage link: read, change, and a wrong one.
    let link = receipt["manage_url"].as_str().unwrap();
    let secret = link.split_once("#tilmelding-manage=").unwrap().1.to_owned();
    let manage = format!("{api}/manage");
    let read = http.get(&manage).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(read.status().as_u16(), 200);
    let view: Value = read.json().await.unwrap();
    let id = view["attendees"][0]["id"].as_i64().unwrap();
    let edited = http
        .post(&manage)
        .bearer_auth(&secret)
        .json(&json!({ "idempotency_key": "log-change-1",
                       "action": { "kind": "edit", "attendee": id, "name": "Bo Logændret",
                                   "title": "Chef", "department": "Plan" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status().as_u16(), 200);
    let wrong = http
        .get(&manage)
        .bearer_auth("AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBB")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 404);
    // The organiser's list, with the right token and a wrong one.
    for t in [token, "wrong-organiser-token"] {
        http.get(format!(
            "{}/api/organiser/meetings/{MEETING}/registrations.csv",
            server.url
        ))
        .bearer_auth(t)
        .send()
        .await
        .unwrap();
    }
    // Let the mail worker try (and fail) a few times.
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let log = server.log().join("\n");
    assert!(!log.is_empty(), "the server logged nothing at debug level");
    for secret_text in [
        "logkontakt",
        "logdeltager",
        "logansoger",
        "Logansøger",
        "logventer",
        "Logafvist",
        "Logændret",
        "ikke-en-adresse",
        "@kk.dk",
        "@horsens.dk",
        secret.as_str(),
        secret.split('.').next().unwrap(),
        token,
        "wrong-organiser-token",
        "log-test-key",
    ] {
        let hit = log
            .lines()
            .find(|l| l.to_lowercase().contains(&secret_text.to_lowercase()));
        assert!(hit.is_none(), "the log holds {secret_text:?}: {hit:?}");
    }
    server.stop().await;
}

/// A flood of CSP reports fills no disk: 300 reports of 15 KB from one client in a moment are
/// taken, but only the client's first 30 a minute are read and logged, each as the few fields
/// that say what was blocked, cut to 200 characters.
#[tokio::test]
async fn a_flood_of_csp_reports_leaves_a_small_log() {
    let server = Server::start().await;
    let http = reqwest::Client::new();
    let long = "x".repeat(7_000);
    let before: usize = server.log().iter().map(String::len).sum();
    for i in 0..300 {
        let report = json!({"csp-report": {
            "document-uri": format!("https://kl.dk/{i}/{long}"),
            "violated-directive": "script-src",
            "blocked-uri": "inline",
            "script-sample": long,
        }});
        let r = http
            .post(format!("{}/api/csp-report", server.url))
            .header("Content-Type", "application/csp-report")
            .body(report.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
    }
    // What is no report is refused, also past the client's reports of the minute.
    let r = http
        .post(format!("{}/api/csp-report", server.url))
        .header("Content-Type", "application/csp-report")
        .body("true")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let log = server.log();
    let reports: Vec<&String> = log.iter().filter(|l| l.contains("CSP violation")).collect();
    assert_eq!(reports.len(), 30, "the client's first 30 of the minute");
    assert!(
        reports
            .iter()
            .all(|l| l.len() < 1_000 && !l.contains("script-sample")),
        "{}",
        reports[0]
    );
    let grown: usize = log.iter().map(String::len).sum::<usize>() - before;
    assert!(grown < 60_000, "the log grew by {grown} bytes");
}
