//! The API contract (`api/openapi.yaml`) against the real server, by schemathesis (PyPI), an
//! OpenAPI fuzzer nobody here wrote: thousands of generated requests, valid and invalid, with
//! every one of its checks on (no 5xx; what the schema accepts is accepted and what it refuses
//! is refused; answers match their declared statuses, types and headers). Once on SQLite and
//! once on PostgreSQL. `make test-tools` installs it into `.tools/st`.

use tilmelding_e2e::{Server, ServerOptions, meetings_copy, root};

const TOKEN: &str = "contract-organiser-Zr6uN1qD8wE3yK5tG2pX";

async fn contract(database_url: Option<String>) {
    let st = root().join(".tools/st/bin/st");
    assert!(
        st.exists(),
        "{} is missing: `make test-tools` installs schemathesis",
        st.display()
    );
    // Membership is data, not contract: with every municipality a member, a schema-valid
    // registration is one the server must store.
    let meetings = meetings_copy();
    let codes: Vec<u16> = tilmelding_domain::MUNICIPALITIES
        .iter()
        .map(|m| m.code)
        .collect();
    std::fs::write(
        meetings.path().join("members/knub.json"),
        serde_json::json!({ "network": "knub", "members": codes }).to_string(),
    )
    .unwrap();
    // The network the run's member operations change (`api/schemathesis.toml`).
    std::fs::write(
        meetings.path().join("members/fuzz.json"),
        serde_json::json!({ "network": "fuzz", "members": [751, 101] }).to_string(),
    )
    .unwrap();
    // Limits are not contract either: schemathesis tries a wrong token on every organiser
    // operation, more than the 10 a minute one client may send.
    let mut env = vec![
        ("TILMELDING_RATE_LIMIT", "0".to_owned()),
        ("TILMELDING_WRONG_GUESS_LIMIT", "0".to_owned()),
    ];
    if let Some(url) = database_url {
        env.push(("TILMELDING_DATABASE_URL", url));
    }
    let server = Server::with(ServerOptions {
        env,
        meetings: meetings.path().into(),
        token: Some(TOKEN.into()),
        ..Default::default()
    })
    .await;
    made_to_be_edited(&server).await;
    let out = tokio::process::Command::new(&st)
        .current_dir(root().join("api"))
        .env("SCHEMATHESIS_HOOKS", "contract_hooks")
        .env("PYTHONPATH", root().join("api"))
        .env("TILMELDING_MANAGE_TOKEN", manage_token(&server).await)
        .env("NO_COLOR", "1")
        .args(["--config-file", "schemathesis.toml", "run", "openapi.yaml"])
        .args(["--url", &server.url])
        .args(["--header", &format!("Authorization: Bearer {TOKEN}")])
        .args(["--max-examples", "100", "--seed", "20261127"])
        .output()
        .await
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    let summary = report
        .lines()
        .skip_while(|l| !l.contains("SUMMARY"))
        .collect::<Vec<_>>()
        .join("\n");
    println!("{summary}");
    assert!(
        out.status.success(),
        "schemathesis found failures:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // "1448 generated, 1448 passed, …": some requests were made.
    let generated: u64 = report
        .lines()
        .find_map(|l| l.trim().split_once(" generated")?.0.trim().parse().ok())
        .unwrap_or(0);
    assert!(
        generated > 0,
        "schemathesis generated no requests:\n{report}"
    );
    server.stop().await;
}

/// The meeting the run edits, publishes and cancels (`schemathesis.toml`), a published copy of
/// the shipped one: the requests that register and change through a manage link keep theirs.
async fn made_to_be_edited(server: &Server) {
    let http = reqwest::Client::new();
    let api = |path: &str| format!("{}/api/organiser/meetings{path}", server.url);
    let copy = serde_json::json!({"copy_from": "knub-2021-05-17", "date": "2099-01-15", "id": "knub-fuzz"});
    for (url, body) in [
        (api(""), copy),
        (api("/knub-fuzz/publish"), serde_json::json!({})),
    ] {
        let r = http
            .post(url)
            .bearer_auth(TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    }
}

/// The manage link of a submission registered for the run.
async fn manage_token(server: &Server) -> String {
    let body = serde_json::json!({
        "municipality_code": 730,
        "contact": {"name": "Kim Kontakt", "email": "kim@randers.dk"},
        "attendees": (0..3).map(|i| serde_json::json!({
            "name": format!("Deltager {i}"), "email": format!("contract{i}@randers.dk"), "title": "Konsulent"
        })).collect::<Vec<_>>(),
        "privacy_accepted": true,
    });
    let receipt = server.register(&body).await;
    let url = receipt["manage_url"].as_str().unwrap();
    url.split_once("#tilmelding-manage=").unwrap().1.to_owned()
}

#[tokio::test]
async fn the_contract_holds_on_sqlite() {
    contract(None).await;
}

#[tokio::test]
async fn the_contract_holds_on_postgresql() {
    contract(Some(tilmelding_pgtest::shared().database())).await;
}
