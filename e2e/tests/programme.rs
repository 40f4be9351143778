//! The programme page, in the real release build, against the real server.

use tilmelding_e2e::proxy::{Faults, Proxy};
use tilmelding_e2e::{APP_PICKER, Browser, Server, WIDGET, server_with_meeting};

#[tokio::test(flavor = "multi_thread")]
async fn the_programme_of_the_shipped_meeting_is_shown() {
    let server = Server::start().await;
    let b = Browser::start().await;
    b.open(&server.url).await;
    b.heading("Netværksmøde i Kommunernes Netværk for Udsatte Boligområder")
        .await;
    for text in [
        "Fysiske greb til forandring af udsatte boligområder",
        "mandag den 17. maj 2021 kl. 9.15–15.00",
        "Mødet afholdes virtuelt",
        "Oplæg ved Landsbyggefonden",
        "190 mio. kr. i hvert af årene 2021–2024 og 185 mio. kr. i årene 2025 og 2026",
        "forhøjes i 2019 og 2020 med 35 mio. kr. årligt",
        "Oplæg ved Louise Hou Kragh, Bysekretariatet i Randers",
        "Gl. Jennumparken og Glarbjergvej-området",
        "Nordre Fælled",
    ] {
        b.wait_text(text).await;
    }
    b.heading("Naturen som løftestang i Randers").await;
    b.heading("Gruppedrøftelse").await;
    let lang = b
        .js(&format!("return {WIDGET}.querySelector('.tlm-root').lang"))
        .await;
    assert_eq!(lang, "da");
    b.client.clone().close().await.unwrap();
}

/// `embed.js` compiles the wasm as it streams in, which needs the `application/wasm` type; a
/// host's static server that sends another type must still get a working widget.
#[tokio::test(flavor = "multi_thread")]
async fn the_app_starts_when_its_wasm_comes_with_a_generic_type() {
    let server = Server::start().await;
    let faults = Faults {
        wasm_type: Some("application/octet-stream"),
        ..Faults::default()
    };
    let proxy = Proxy::start(&server.url, faults).await;
    let b = Browser::start().await;
    b.open(&proxy.url).await;
    b.heading("Netværksmøde i Kommunernes Netværk for Udsatte Boligområder")
        .await;
    b.wait_css(APP_PICKER).await;
}

/// Opens the app with changed meeting data and returns the alert it shows.
async fn alert_for(edit: impl FnOnce(String) -> Option<String>) -> (Browser, String) {
    let (server, _meetings) = server_with_meeting(edit).await;
    let b = Browser::start().await;
    b.open(&server.url).await;
    let alert = b.alert_text().await;
    (b, alert)
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_meeting_json_gives_a_danish_error_not_a_blank_page() {
    // Cut the file off mid-way, as a failed upload to the CMS would.
    let (_b, alert) = alert_for(|text| Some(text[..text.len() / 2].to_owned())).await;
    assert!(alert.contains("Mødets data er ugyldige"), "{alert}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_meeting_with_the_wrong_shape_is_reported_too() {
    let (_b, alert) = alert_for(|text| Some(text.replace("\"09:15\"", "\"kvart over ni\""))).await;
    assert!(alert.contains("Mødets data er ugyldige"), "{alert}");
    // Where, in the page's language, with no English words from the decoder (what is wrong
    // is for the organiser page to say).
    assert!(
        alert.contains("Fejlen står i feltet «start» i mødets fil."),
        "{alert}"
    );
    assert!(!alert.contains("expected"), "{alert}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_meeting_file_says_so_and_a_retry_shows_it_once_it_is_back() {
    let (server, meetings) = server_with_meeting(|_| None).await;
    let b = Browser::start().await;
    b.open(&server.url).await;
    let alert = b.alert_text().await;
    assert!(
        alert.contains("Mødets program kunne ikke hentes"),
        "{alert}"
    );
    // The organiser puts the file back; "Prøv igen" loads it, without reloading the page.
    std::fs::copy(
        tilmelding_e2e::root().join("meetings/knub-2021-05-17.json"),
        meetings.path().join("knub-2021-05-17.json"),
    )
    .unwrap();
    b.button("Prøv igen").await.click().await.unwrap();
    b.heading("Gruppedrøftelse").await;
}

/// On paper (Chromium's own print), the embedded page shows the programme, and none of the
/// form or its controls.
#[tokio::test(flavor = "multi_thread")]
async fn a_printed_page_shows_the_programme_without_the_form() {
    let server = Server::start().await;
    let b = Browser::start().await;
    b.open_member_form(&server.url).await;
    let pdf = b
        .client
        .print(fantoccini::wd::PrintConfiguration::default())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by make test)");
    let text = String::from_utf8_lossy(&out.stdout).replace(char::is_whitespace, " ");
    for shown in [
        "Fysiske greb",
        "Landsbyggefonden",
        "Gruppedrøftelse",
        "9.15–15.00",
    ] {
        assert!(
            text.contains(shown),
            "{shown:?} missing from the print:\n{text}"
        );
    }
    for hidden in [
        "Send tilmelding",
        "Kontaktperson",
        "Tilføj deltager",
        "English",
    ] {
        assert!(!text.contains(hidden), "{hidden:?} printed:\n{text}");
    }
}
