//! Never lose a registration, never register twice: drafts across reloads, retries through a
//! failing backend, a server restart mid-submit, and a double click.

use std::time::Duration;
use tilmelding_e2e::proxy::{Faults, Proxy};
use tilmelding_e2e::{Browser, Server, ServerOptions, WIDGET};

async fn start_form(b: &Browser, url: &str) {
    b.open_member_form(url).await;
    b.fill_contact().await;
    b.fill_attendee(1, "Anna Andersen", "anna@randers.dk", "Konsulent")
        .await;
}

async fn value(b: &Browser, group: &str, label: &str) -> String {
    b.field_in(group, label)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn accept_and_send(b: &Browser) -> fantoccini::elements::Element {
    b.field("Jeg har læst, hvordan oplysningerne behandles")
        .await
        .click()
        .await
        .unwrap();
    b.button("Send tilmelding").await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_mid_form_restores_everything_and_a_confirmed_submission_clears_it() {
    let server = Server::start().await;
    let b = Browser::start().await;
    start_form(&b, &server.url).await;
    b.button("Tilføj deltager").await.click().await.unwrap();
    b.fill_in("Deltager 2", "Navn", "Bo Bech").await;
    b.fill_in("Deltager 2", "Afdeling (valgfri)", "Byggesag")
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    b.client.refresh().await.unwrap();

    b.wait_text("Vi har gendannet det, du skrev").await;
    b.wait_text("Randers Kommune er medlem af netværket.").await;
    assert_eq!(
        b.field("Kommune")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Randers")
    );
    assert_eq!(value(&b, "Kontaktperson", "E-mail").await, "kim@randers.dk");
    assert_eq!(value(&b, "Deltager 1", "Stilling").await, "Konsulent");
    assert_eq!(value(&b, "Deltager 2", "Navn").await, "Bo Bech");
    assert_eq!(
        value(&b, "Deltager 2", "Afdeling (valgfri)").await,
        "Byggesag"
    );

    b.fill_in("Deltager 2", "E-mail", "bo@randers.dk").await;
    b.fill_in("Deltager 2", "Stilling", "Chef").await;
    accept_and_send(&b).await.click().await.unwrap();
    b.heading("Tak for tilmeldingen").await;
    b.client.refresh().await.unwrap();
    b.heading("Tilmelding").await;
    b.field("Kommune").await;
    let note = b
        .js(&format!(
            "return {WIDGET}.querySelector('.tlm-root').innerText.includes('Vi har gendannet')"
        ))
        .await;
    assert_eq!(
        note, false,
        "the draft is gone after a confirmed submission"
    );
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM registrations"),
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backend_answering_503_twice_then_recovering_stores_exactly_one_submission() {
    let server = Server::start().await;
    let proxy = Proxy::start(
        &server.url,
        Faults {
            fail_first: 2,
            ..Default::default()
        },
    )
    .await;
    let b = Browser::start().await;
    start_form(&b, &proxy.url).await;
    accept_and_send(&b).await.click().await.unwrap();
    b.heading("Tak for tilmeldingen").await;
    assert_eq!(
        proxy.registration_posts(),
        3,
        "two retries after the two 503s"
    );
    // The first two attempts reached the server before their answers were lost: the
    // idempotency key made them one submission.
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM submissions"),
        1
    );
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM registrations"),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_stopped_during_submit_and_restarted_stores_one_submission_after_the_users_retry()
{
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("restart.sqlite3");
    let server = Server::with(ServerOptions {
        db: Some(db.clone()),
        ..Default::default()
    })
    .await;
    let port = server.port();
    let url = server.url.clone();
    let b = Browser::start().await;
    start_form(&b, &url).await;
    let send = accept_and_send(&b).await;
    server.stop().await;
    send.click().await.unwrap();
    b.wait_text("Forbindelsen svigtede. Vi prøver igen").await;
    // After the automatic retries the user is told, and nothing typed is lost.
    let alert = b.alert_text().await;
    assert!(alert.contains("Tilmeldingen blev ikke sendt"), "{alert}");
    assert!(alert.contains("Alt, hvad du har skrevet, er bevaret."));
    assert_eq!(value(&b, "Deltager 1", "Navn").await, "Anna Andersen");

    let server = Server::with(ServerOptions {
        db: Some(db.clone()),
        port,
        ..Default::default()
    })
    .await;
    b.button("Prøv igen").await.click().await.unwrap();
    b.heading("Tak for tilmeldingen").await;
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM submissions"),
        1
    );
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM registrations"),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_double_click_on_submit_sends_one_submission() {
    let server = Server::start().await;
    // A slow backend, so the second click lands while the first is still on its way.
    let proxy = Proxy::start(
        &server.url,
        Faults {
            delay: Duration::from_millis(800),
            ..Default::default()
        },
    )
    .await;
    let b = Browser::start().await;
    start_form(&b, &proxy.url).await;
    let send = accept_and_send(&b).await;
    send.click().await.unwrap();
    send.click().await.unwrap();
    b.heading("Tak for tilmeldingen").await;
    assert_eq!(
        proxy.registration_posts(),
        1,
        "one request left the browser"
    );
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM submissions"),
        1
    );
}
