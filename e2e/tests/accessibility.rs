//! WCAG 2.1 A/AA audit with axe-core of every state a user can meet.

use tilmelding_e2e::proxy::{Faults, Proxy};
use tilmelding_e2e::{Browser, Server, WIDGET, server_with_meeting};

async fn audit(b: &Browser, state: &str, report: &mut Vec<String>) {
    for v in b.axe().await {
        report.push(format!("[{state}] {v}"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_state_passes_axe_at_wcag_2_1_aa() {
    let server = Server::start().await;
    let b = Browser::start().await;
    let mut report = Vec::new();

    b.open(&server.url).await;
    b.heading("Gruppedrøftelse").await;
    audit(&b, "programme", &mut report).await;

    b.field("Kommune").await.send_keys("a").await.unwrap();
    b.wait_css("[role=listbox]:not([hidden]) > [role=option]")
        .await;
    audit(&b, "picker open", &mut report).await;

    b.pick_municipality("billund").await;
    b.wait_text("Billund Kommune er ikke medlem af netværket.")
        .await;
    audit(&b, "non-member", &mut report).await;

    b.pick_municipality("rand").await;
    b.wait_text("Randers Kommune er medlem af netværket.").await;
    audit(&b, "member form", &mut report).await;

    b.button("Send tilmelding").await.click().await.unwrap();
    b.wait_css("#tlm-form-errors").await;
    audit(&b, "form with errors", &mut report).await;

    b.register_one().await;
    audit(&b, "confirmation", &mut report).await;

    // The backend refuses the submission.
    let proxy = Proxy::start(
        &server.url,
        Faults {
            answer: Some((403, "text/plain", "nej")),
            ..Default::default()
        },
    )
    .await;
    b.js("localStorage.clear()").await;
    b.open_member_form(&proxy.url).await;
    b.fill_contact().await;
    b.fill_attendee(1, "Bo Bech", "bo@randers.dk", "Chef").await;
    b.accept_privacy().await;
    b.button("Send tilmelding").await.click().await.unwrap();
    b.alert_text().await;
    audit(&b, "backend error", &mut report).await;

    // Registration closed.
    let (closed, _meetings) = server_with_meeting(|text| {
        Some(text.replace(tilmelding_e2e::LATE_DEADLINE, "2021-05-12T12:00"))
    })
    .await;
    b.open(&closed.url).await;
    b.wait_text("Tilmeldingen er lukket.").await;
    audit(&b, "registration closed", &mut report).await;

    assert!(report.is_empty(), "axe violations:\n{}", report.join("\n"));
}

/// Canary: the audit finds a violation when there is one (an input with no label), so a clean
/// result above means something.
#[tokio::test(flavor = "multi_thread")]
async fn the_audit_reports_an_unlabelled_input() {
    let server = Server::start().await;
    let b = Browser::start().await;
    b.open(&server.url).await;
    b.heading("Gruppedrøftelse").await;
    b.js(&format!(
        "{WIDGET}.querySelector('.tlm-root').appendChild(document.createElement('input'))"
    ))
    .await;
    let found = b.axe().await;
    assert!(found.iter().any(|v| v.starts_with("label ")), "{found:#?}");
}

/// WCAG 1.4.10 reflow: at 320 CSS pixels wide (a phone, or 1280 px at 400 % zoom) nothing
/// needs horizontal scrolling, with the form and its error messages showing.
#[tokio::test(flavor = "multi_thread")]
async fn the_widget_reflows_at_320_pixels_without_horizontal_scrolling() {
    let server = Server::start().await;
    let b = Browser::start().await;
    b.client.set_window_size(320, 900).await.unwrap();
    b.open_member_form(&server.url).await;
    b.button("Send tilmelding").await.click().await.unwrap();
    b.wait_css("#tlm-form-errors").await;
    let width = b.js("return window.innerWidth").await;
    assert!(width.as_i64().unwrap() <= 330, "window is {width} wide");
    let overflow = b
        .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await;
    assert_eq!(overflow, 0, "horizontal scrolling at 320 px");
    let wide: Vec<String> = serde_json::from_value(
        b.js(&format!(
            "return [...{WIDGET}.querySelectorAll('.tlm-root *')]
                 .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                 .map(e => e.tagName + '.' + e.className + '#' + e.id)"
        ))
        .await,
    )
    .unwrap();
    assert!(
        wide.is_empty(),
        "elements wider than the viewport: {wide:?}"
    );
}
