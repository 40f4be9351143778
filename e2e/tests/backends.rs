//! The same release build registering through each backend profile. The generic profiles post
//! to json-server (npm), a widely used JSON store that knows nothing about this product.

use std::process::Stdio;
use std::time::Duration;
use tilmelding_e2e::proxy::{Faults, Proxy};
use tilmelding_e2e::{Browser, Server, ServerOptions, WAIT, free_port, root};
use tokio::process::{Child, Command};

/// json-server on a free loopback port with an empty `registrations` collection.
struct JsonServer {
    _child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

async fn json_server() -> JsonServer {
    let bin = root().join(".tools/node_modules/.bin/json-server");
    assert!(
        bin.exists(),
        "json-server is missing: `make test` installs it"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("db.json"),
        r#"{"registrations": [], "tilmeldinger": []}"#,
    )
    .unwrap();
    let port = free_port();
    let child = Command::new(bin)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--quiet",
            "db.json",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + WAIT;
    while http
        .get(format!("{url}/registrations"))
        .send()
        .await
        .is_err()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "json-server did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    JsonServer {
        _child: child,
        url,
        _dir: dir,
    }
}

async fn stored(js: &JsonServer, collection: &str) -> Vec<serde_json::Value> {
    reqwest::get(format!("{}/{collection}", js.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Our server hosting the page (demo page, neutral theme) with extra snippet attributes.
async fn host(attrs: String, connect: &str) -> Server {
    Server::with(ServerOptions {
        env: vec![
            ("TILMELDING_DEMO_ATTRS", attrs),
            ("TILMELDING_CSP_CONNECT", connect.to_owned()),
        ],
        ..Default::default()
    })
    .await
}

async fn register_two(b: &Browser, url: &str) {
    b.open_member_form(url).await;
    b.fill_contact().await;
    b.fill_attendee(1, "Anna Andersen", "anna@randers.dk", "Konsulent")
        .await;
    b.button("Tilføj deltager").await.click().await.unwrap();
    b.fill_attendee(2, "Bo Bech", "bo@randers.dk", "Chef").await;
    b.fill_in("Deltager 2", "Afdeling (valgfri)", "Byg & Miljø")
        .await;
    b.accept_privacy().await;
    b.button("Send tilmelding").await.click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reference_profile_stores_in_the_reference_server() {
    let server = host(String::new(), "").await;
    let b = Browser::start().await;
    register_two(&b, &format!("{}/demo/?neutral", server.url)).await;
    b.heading("Tilmeldte deltagere (2)").await;
    // The reference server gives a manage link.
    b.link("Se, ret eller afmeld tilmeldingen").await;
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM registrations"),
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_json_collection_profile_posts_one_document_per_attendee_to_a_generic_store() {
    let js = json_server().await;
    // Through a recording proxy, to see the configured header arrive.
    let proxy = Proxy::start(&js.url, Faults::default()).await;
    let attrs = format!(
        r#"data-backend="json-collection" data-members-url="/meetings/members/knub.json" data-collection-url="{}/registrations" data-headers='{{"X-Api-Key": "s3cret"}}'"#,
        proxy.url
    );
    let server = host(attrs, &proxy.url).await;
    let b = Browser::start().await;
    register_two(&b, &format!("{}/demo/?neutral", server.url)).await;
    b.heading("Tilmeldte deltagere (2)").await;
    let reference = b.wait_css(".tlm-reference").await.text().await.unwrap();
    // No manage link from a generic store: whom to write to instead (the shipped meeting names
    // no address, so the organiser).
    b.wait_text("Skal tilmeldingen ændres eller afmeldes, så kontakt arrangøren og oplys referencenummeret.")
        .await;

    let docs = stored(&js, "registrations").await;
    assert_eq!(docs.len(), 2, "{docs:#?}");
    assert_eq!(proxy.registration_posts(), 2);
    let headers = proxy.last_headers();
    assert!(
        headers.contains(&("x-api-key".into(), "s3cret".into())),
        "{headers:?}"
    );
    assert!(
        headers.contains(&("content-type".into(), "application/json".into())),
        "{headers:?}"
    );
    assert_eq!(docs[0]["name"], "Anna Andersen");
    assert_eq!(docs[1]["department"], "Byg & Miljø");
    for (row, d) in docs.iter().enumerate() {
        assert_eq!(d["meeting_id"], "knub-2021-05-17");
        assert_eq!(d["municipality_code"], 730);
        assert_eq!(d["municipality"], "Randers");
        assert_eq!(d["contact_email"], "kim@randers.dk");
        assert_eq!(d["reference"], reference.as_str());
        assert_eq!(d["row"], row);
        let key = d["submission_key"].as_str().unwrap();
        assert_eq!(d["idempotency_key"], format!("{key}-{row}"));
    }
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM registrations"),
        0,
        "nothing went to our server"
    );
    server.assert_no_csp_violations().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_form_profile_posts_urlencoded_fields_with_configured_names() {
    let js = json_server().await;
    let attrs = format!(
        r#"data-backend="form" data-members-url="/meetings/members/knub.json" data-form-url="{}/tilmeldinger" data-form-fields='{{"name": "navn", "email": "epost", "municipality": "kommune"}}'"#,
        js.url
    );
    let server = host(attrs, &js.url).await;
    let b = Browser::start().await;
    register_two(&b, &format!("{}/demo/?neutral", server.url)).await;
    b.heading("Tilmeldte deltagere (2)").await;
    let docs = stored(&js, "tilmeldinger").await;
    assert_eq!(docs.len(), 2, "{docs:#?}");
    assert_eq!(docs[0]["navn"], "Anna Andersen");
    assert_eq!(docs[1]["epost"], "bo@randers.dk");
    assert_eq!(
        docs[1]["department"], "Byg & Miljø",
        "unmapped fields keep their names"
    );
    assert_eq!(docs[0]["kommune"], "Randers");
    // A form post carries text only.
    assert_eq!(docs[0]["municipality_code"], "730");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_misbehaving_backend_gives_a_danish_message_and_keeps_the_form() {
    let server = host(r#"data-timeout="1""#.into(), "").await;
    let b = Browser::start().await;
    let cases: [(Faults, &str); 4] = [
        (
            Faults {
                answer: Some((403, "text/plain", "Forbidden")),
                ..Default::default()
            },
            "afviste forespørgslen (403)",
        ),
        (
            Faults {
                answer: Some((500, "text/html", "<h1>Oops</h1>")),
                ..Default::default()
            },
            "svarer med en fejl (500)",
        ),
        (
            Faults {
                answer: Some((200, "text/html", "<html>Tak!</html>")),
                ..Default::default()
            },
            "et svar, vi ikke kan læse",
        ),
        (
            Faults {
                delay: Duration::from_secs(3),
                ..Default::default()
            },
            "svarede ikke i tide",
        ),
    ];
    for (faults, expected) in cases {
        let proxy = Proxy::start(&server.url, faults).await;
        register_two(&b, &format!("{}/demo/?neutral", proxy.url)).await;
        let alert = b.alert_text().await;
        assert!(alert.contains(expected), "{expected}: {alert}");
        assert!(alert.contains("Alt, hvad du har skrevet, er bevaret."));
        let name = b
            .field_in("Deltager 2", "Navn")
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("Bo Bech"));
        // Start the next case from an empty form, not the saved draft.
        b.js("localStorage.clear()").await;
    }
}
