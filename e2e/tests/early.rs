//! The programme before the wasm: on a host page on another origin, the loader shows the
//! meeting's pre-rendered widget while the wasm is still on its way, and the app takes over
//! without losing what was typed; without the wasm at all, the programme stays and the
//! fallback message goes below it.

use tilmelding_e2e::proxy::{Faults, Proxy};
use tilmelding_e2e::{ACTIVE, Browser, Server, WIDGET, two_origins_through};

/// The widget on the host page, for axe (the KL-style page around it is not the product's).
const HOST: &str = "'#tilmelding'";

/// The demo host page opened with the widget's wasm held back by the proxy until the test
/// releases it, the snippet carrying `attrs` too. The servers stop when the tuple is dropped.
async fn wasm_held(attrs: &str) -> (Server, Proxy, Server, Browser) {
    let (widget, proxy, host) = two_origins_through(
        Faults {
            hold_wasm: true,
            ..Default::default()
        },
        attrs,
    )
    .await;
    let b = Browser::start().await;
    b.open(&format!("{}/demo/", host.url)).await;
    (widget, proxy, host, b)
}

/// Whether the app has rendered the meeting (its ready mark).
async fn app_ready(b: &Browser) -> bool {
    b.js("return performance.getEntriesByName('tilmelding-ready').length > 0")
        .await
        .as_bool()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_programme_shows_before_the_wasm_and_a_word_typed_early_is_kept() {
    let (_widget, proxy, _host, b) = wasm_held("").await;
    // The programme and the picker, with the wasm still held back.
    b.heading("Netværksmøde i Kommunernes Netværk for Udsatte Boligområder")
        .await;
    b.heading("Gruppedrøftelse").await;
    // The early picker (the finders of controls find only the app's, which is not there yet).
    let picker = b.wait_css("[data-tlm-prerendered] #tlm-kommune").await;
    assert!(!app_ready(&b).await, "the app ran without its wasm");
    let early = b
        .js(&format!(
            "return {WIDGET}.querySelectorAll('[data-tlm-prerendered]').length"
        ))
        .await;
    assert_eq!(early, 1, "the pre-rendered widget is what shows");
    assert_eq!(
        b.axe_of(HOST).await,
        Vec::<String>::new(),
        "axe, before the wasm"
    );
    // A visitor starts typing before the app is there.
    picker.click().await.unwrap();
    b.keys("Rand").await;
    proxy.release_wasm();
    // The app's own picker, with the word and the focus carried over, offers its matches.
    b.wait_css("[role=option]").await;
    assert!(app_ready(&b).await);
    let state = b
        .js(&format!(
            "const w = {WIDGET}; return [w.querySelectorAll('[data-tlm-prerendered]').length, \
             w.getElementById('tlm-kommune').value, {ACTIVE}.id, w.querySelectorAll('#tlm-kommune').length, w.querySelector('[role=option]').textContent]"
        ))
        .await;
    assert_eq!(
        state,
        serde_json::json!([0, "Rand", "tlm-kommune", 1, "Randers"])
    );
    // The next keystroke goes on where the first ones left off, and the widget works.
    b.keys("ers").await;
    b.press(fantoccini::key::Key::Down).await;
    b.press(fantoccini::key::Key::Enter).await;
    b.wait_text("Randers Kommune er medlem af netværket.").await;
    assert_eq!(
        b.axe_of(HOST).await,
        Vec::<String>::new(),
        "axe, with the app"
    );
    // The registration path: the main bundle, never the manage view's.
    b.assert_downloaded(
        &["/meetings/knub-2021-05-17.html", "/tilmelding_bg.wasm"],
        &["/manage/"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_wasm_the_programme_stays_and_the_fallback_goes_below_it() {
    let (_widget, proxy, host) = two_origins_through(Faults::default(), "").await;
    let b = Browser::start().await;
    b.cdp("Network.enable", serde_json::json!({})).await;
    b.cdp(
        "Network.setBlockedURLs",
        serde_json::json!({ "urls": ["*tilmelding_bg.wasm"] }),
    )
    .await;
    b.open(&format!("{}/demo/", host.url)).await;
    b.wait_text("Tilmeldingen kan ikke vises her.").await;
    b.heading("Gruppedrøftelse").await;
    b.link("Åbn tilmeldingen i et nyt vindue").await;
    // The picker, which cannot work without the app, gave way to the message; the language
    // switch, whose other language would bring the picker back, is gone too.
    let order = b
        .js(&format!(
            "const w = {WIDGET}; const alert = w.querySelector('[role=alert]'); \
             return [w.querySelectorAll('#tlm-kommune').length, w.querySelectorAll('.tlm-lang').length, \
                     !!(w.querySelector('.tlm-programme').compareDocumentPosition(alert) & Node.DOCUMENT_POSITION_FOLLOWING)]"
        ))
        .await;
    assert_eq!(order, serde_json::json!([0, 0, true]));
    assert_eq!(b.axe_of(HOST).await, Vec::<String>::new());
    drop(proxy);
}

/// A mistake in the snippet (an unknown backend) is said where the widget should be, in place of
/// the early programme: no app will render the meeting to take that over.
#[tokio::test(flavor = "multi_thread")]
async fn a_mistake_in_the_snippet_takes_the_early_widget_s_place() {
    let (_widget, proxy, _host, b) = wasm_held(r#"data-backend="nope""#).await;
    b.heading("Gruppedrøftelse").await;
    proxy.release_wasm();
    let said = b.alert_text().await;
    assert!(
        said.contains("Tilmeldingen er ikke sat rigtigt op."),
        "{said}"
    );
    let state = b
        .js(&format!(
            "const w = {WIDGET}; return [w.querySelectorAll('[data-tlm-prerendered]').length, \
             w.querySelector('[role=alert]').offsetParent !== null]"
        ))
        .await;
    assert_eq!(state, serde_json::json!([0, true]), "the message, shown");
}

/// The early widget's language switch works before the app does: the other language's
/// pre-rendered widget takes its place with what was typed and the focus on the switch, and
/// the app then goes on in that language.
#[tokio::test(flavor = "multi_thread")]
async fn the_early_language_switch_works_and_the_app_goes_on_in_that_language() {
    let (_widget, proxy, _host, b) = wasm_held("").await;
    let picker = b.wait_css("[data-tlm-prerendered] #tlm-kommune").await;
    picker.click().await.unwrap();
    b.keys("Ran").await;
    b.wait_css("[data-tlm-prerendered] .tlm-lang button")
        .await
        .click()
        .await
        .unwrap();
    let picker = b
        .wait_css("[data-tlm-prerendered][lang=en] #tlm-kommune")
        .await;
    let early = b
        .js(&format!(
            "const w = {WIDGET}; return [w.querySelectorAll('[data-tlm-prerendered]').length, \
             w.getElementById('tlm-kommune').value, {ACTIVE}.textContent.trim(), \
             w.querySelector('label[for=tlm-kommune]').textContent.trim()]"
        ))
        .await;
    assert_eq!(
        early,
        serde_json::json!([1, "Ran", "Dansk", "Municipality"])
    );
    assert!(!app_ready(&b).await, "the app ran without its wasm");
    assert_eq!(
        b.axe_of(HOST).await,
        Vec::<String>::new(),
        "axe, switched before the wasm"
    );
    picker.click().await.unwrap();
    b.keys("d").await;
    proxy.release_wasm();
    b.wait_css("[role=option]").await;
    let app = b
        .js(&format!(
            "const w = {WIDGET}; return [w.querySelectorAll('[data-tlm-prerendered]').length, \
             w.querySelector('.tlm-root').lang, w.getElementById('tlm-kommune').value, {ACTIVE}.id, \
             w.querySelector('.tlm-lang button').textContent.trim()]"
        ))
        .await;
    assert_eq!(
        app,
        serde_json::json!([0, "en", "Rand", "tlm-kommune", "Dansk"])
    );
    b.keys("ers").await;
    b.press(fantoccini::key::Key::Down).await;
    b.press(fantoccini::key::Key::Enter).await;
    b.wait_text("Randers Municipality is a member of the network.")
        .await;
    assert_eq!(
        b.axe_of(HOST).await,
        Vec::<String>::new(),
        "axe, with the app"
    );
}

/// A visitor who switched the early widget's language and is still on the switch when the
/// app comes goes on from the app's switch.
#[tokio::test(flavor = "multi_thread")]
async fn focus_on_the_early_switch_moves_to_the_app_s() {
    let (_widget, proxy, _host, b) = wasm_held("").await;
    b.wait_css("[data-tlm-prerendered] .tlm-lang button")
        .await
        .click()
        .await
        .unwrap();
    b.wait_css("[data-tlm-prerendered][lang=en]").await;
    proxy.release_wasm();
    // The app's switch (the finders skip the early widget's controls).
    b.button("Dansk").await;
    let state = b
        .js(&format!(
            "const w = {WIDGET}; return [w.querySelectorAll('[data-tlm-prerendered]').length, \
             w.querySelector('.tlm-root').lang, {ACTIVE}.textContent.trim(), \
             !!{ACTIVE}.closest('.tlm-lang')]"
        ))
        .await;
    assert_eq!(state, serde_json::json!([0, "en", "Dansk", true]));
}
