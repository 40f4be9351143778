//! The attendee flow in the release build, in headless Chromium, against the real server and
//! its SQLite file.

use tilmelding_e2e::{Browser, Server, WIDGET, flows};

fn spreadsheet(tag: &str, n: usize) -> String {
    let mut s = String::from("Navn\tE-mail\tStilling\n");
    for i in 0..n {
        s.push_str(&format!(
            "Person {tag}{i}\t{tag}{i}@randers.dk\tKonsulent\n"
        ));
    }
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_municipality_registers_three_attendees_and_gets_a_calendar_file() {
    let b = Browser::start().await;
    flows::member_registers(&b, &Server::start().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_non_member_applies_for_membership_and_registers_in_one_go() {
    let b = Browser::start().await;
    flows::non_member_applies(&b, &Server::start().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn another_municipality_chosen_at_once_keeps_the_focus_and_every_letter() {
    let b = Browser::start().await;
    flows::municipality_changed_at_once(&b, &Server::start().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_fills_the_form_the_moment_it_appears_on_a_tall_window() {
    let b = Browser::start().await;
    flows::member_fills_the_form_at_once(&b, &Server::start().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_field_error_from_the_server_appears_next_to_its_field() {
    let server = Server::start().await;
    let b = Browser::start().await;
    b.open_member_form(&server.url).await;
    b.fill_contact().await;
    b.fill_attendee(1, "Anna Andersen", "anna@randers.dk", "Konsulent")
        .await;
    b.accept_privacy().await;
    // The organiser ends Randers' membership while the form is open: only the server knows.
    let conn = rusqlite::Connection::open(&server.db).unwrap();
    conn.execute(
        "UPDATE memberships SET valid_until = '2021-05-16' WHERE municipality_code = 730",
        [],
    )
    .unwrap();
    b.button("Send tilmelding").await.click().await.unwrap();

    let summary = b.wait_css("#tlm-form-errors").await.text().await.unwrap();
    assert!(
        summary.contains("Der er 1 fejl i tilmeldingen"),
        "{summary}"
    );
    // The message sits under the municipality input and is tied to it for screen readers.
    let input = b.field("Kommune").await;
    let described = input.attr("aria-describedby").await.unwrap().unwrap();
    assert!(described.contains("tlm-kommune-error"), "{described}");
    assert_eq!(
        input.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    let msg = b.wait_css("#tlm-kommune-error").await.text().await.unwrap();
    assert!(msg.contains("ikke medlem af netværket"), "{msg}");
    // Nothing typed was lost.
    let name = b
        .field_in("Deltager 1", "Navn")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("Anna Andersen"));
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM registrations"),
        0
    );
    b.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn pasting_50_rows_from_a_spreadsheet_registers_50() {
    let server = Server::start().await;
    let b = Browser::start().await;
    b.open_member_form(&server.url).await;
    b.fill_contact().await;
    b.paste_into("Indsæt deltagere fra et regneark", &spreadsheet("p", 50))
        .await;
    b.button("Tilføj rækkerne").await.click().await.unwrap();
    b.wait_text("50 deltagere tilføjet fra regnearket. Overskriftsrækken blev sprunget over.")
        .await;
    b.wait_text("Du tilmelder 50 deltagere fra Randers.").await;
    b.accept_privacy().await;
    b.button("Send tilmelding").await.click().await.unwrap();
    b.heading("Tilmeldte deltagere (50)").await;
    assert_eq!(
        Browser::count(&server.db, "SELECT COUNT(*) FROM registrations"),
        50
    );
    b.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn one_municipality_registers_300_attendees_over_several_submissions() {
    let server = Server::start().await;
    let b = Browser::start().await;
    b.open_member_form(&server.url).await;
    b.fill_contact().await;
    for batch in 0..3 {
        let tag = format!("b{batch}-");
        b.paste_into("Indsæt deltagere fra et regneark", &spreadsheet(&tag, 100))
            .await;
        b.button("Tilføj rækkerne").await.click().await.unwrap();
        b.wait_text("Du tilmelder 100 deltagere fra Randers.").await;
        b.accept_privacy().await;
        b.button("Send tilmelding").await.click().await.unwrap();
        b.heading("Tilmeldte deltagere (100)").await;
        b.button("Tilmeld flere fra Randers")
            .await
            .click()
            .await
            .unwrap();
    }
    assert_eq!(
        Browser::count(
            &server.db,
            "SELECT COUNT(*) FROM registrations WHERE municipality_code=730"
        ),
        300
    );
    b.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn markup_in_meeting_data_and_names_is_shown_as_text_and_never_runs() {
    let meetings = tilmelding_e2e::meetings_copy();
    let file = meetings.path().join("knub-2021-05-17.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    m["title"] = serde_json::json!("<img src=x onerror=\"window.__xss=1\">Møde");
    m["theme"] = serde_json::json!("<script>window.__xss=2</script>");
    m["programme"][0]["body"][0] = serde_json::json!("<b onmouseover=\"window.__xss=3\">fed</b>");
    std::fs::write(&file, m.to_string()).unwrap();
    let server = Server::with(tilmelding_e2e::ServerOptions {
        meetings: meetings.path().into(),
        ..Default::default()
    })
    .await;
    let b = Browser::start().await;
    b.open(&server.url).await;
    b.heading("<img src=x onerror=\"window.__xss=1\">Møde")
        .await;
    b.wait_text("<script>window.__xss=2</script>").await;
    b.pick_municipality("rand").await;
    b.wait_text("Randers Kommune er medlem af netværket.").await;
    b.fill_contact().await;
    b.fill_attendee(
        1,
        "<img src=x onerror=window.__xss=4>",
        "x@randers.dk",
        "<script>alert(1)</script>",
    )
    .await;
    b.accept_privacy().await;
    b.button("Send tilmelding").await.click().await.unwrap();
    b.heading("Tak for tilmeldingen").await;
    b.wait_text("<img src=x onerror=window.__xss=4> (x@randers.dk)")
        .await;
    // Rendered as text: no element was made from the markup, and nothing ran.
    let made = b
        .js(&format!(
            "return {WIDGET}.querySelectorAll('.tlm-root img, .tlm-root script, .tlm-root b').length"
        ))
        .await;
    assert_eq!(made, 0);
    assert_eq!(b.js("return typeof window.__xss").await, "undefined");
    server.assert_no_csp_violations().await;
    b.client.clone().close().await.unwrap();
}
