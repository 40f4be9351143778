//! The widget embedded in a KL-style host page on another origin, under a strict CSP, with a
//! hostile theme stylesheet.

use tilmelding_e2e::{ACTIVE, Browser, WIDGET, two_origins};

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_host_page_on_another_origin_shows_the_programme_and_completes_a_registration() {
    let (widget, host) = two_origins().await;
    let b = Browser::start().await;
    b.open(&format!("{}/demo/", host.url)).await;
    b.heading("Netværksmøde i Kommunernes Netværk for Udsatte Boligområder")
        .await;
    b.pick_municipality("rand").await;
    b.wait_text("Randers Kommune er medlem af netværket.").await;
    b.fill_in("Kontaktperson", "Navn", "Kim Kontakt").await;
    b.fill_in("Kontaktperson", "E-mail", "kim@randers.dk").await;
    b.fill_in("Deltager 1", "Navn", "Anna Andersen").await;
    b.fill_in("Deltager 1", "E-mail", "anna@randers.dk").await;
    b.fill_in("Deltager 1", "Stilling", "Konsulent").await;
    b.field("Jeg har læst, hvordan oplysningerne behandles")
        .await
        .click()
        .await
        .unwrap();
    b.button("Send tilmelding").await.click().await.unwrap();
    b.heading("Tak for tilmeldingen").await;
    assert_eq!(
        Browser::count(&widget.db, "SELECT COUNT(*) FROM registrations"),
        1
    );

    assert_eq!(b.js("return document.cookie").await, "");
    // Every request went to the host's own origin (its page, stylesheets, favicon) or to the
    // widget's origin (its files, the meeting data and the backend all live there): no third
    // party.
    let requests = b.requested().await;
    assert!(requests.iter().any(|r| r.ends_with("/tilmelding_bg.wasm")));
    for r in &requests {
        let own = r.starts_with(&format!("{}/", host.url));
        assert!(
            own || r.starts_with(&format!("{}/", widget.url)),
            "unexpected request to {r}"
        );
    }
    host.assert_no_csp_violations().await;
    widget.assert_no_csp_violations().await;
}

const PROPS: &[&str] = &[
    "display",
    "float",
    "box-sizing",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "line-height",
    "letter-spacing",
    "text-transform",
    "text-align",
    "color",
    "background-color",
    "margin-top",
    "margin-right",
    "margin-bottom",
    "margin-left",
    "padding-top",
    "padding-right",
    "padding-bottom",
    "padding-left",
    "border-top-width",
    "border-top-style",
    "border-top-color",
    "border-left-width",
    "border-left-style",
    "border-radius",
    "list-style-type",
    "outline-style",
    "text-decoration-line",
    "word-spacing",
    "white-space",
    "text-indent",
    "font-variant-caps",
    "text-shadow",
    "visibility",
    "vertical-align",
    "border-bottom-style",
    "border-right-style",
    "cursor",
    "list-style-position",
];

/// Computed styles and boxes of the first element of the page matching each selector.
async fn styles(b: &Browser, selectors: &[&str]) -> serde_json::Value {
    b.client
        .execute(
            r#"const [sels, props] = arguments; const out = {};
               for (const sel of sels) {
                   const el = document.querySelector(sel);
                   if (!el) { out[sel] = null; continue; }
                   const cs = getComputedStyle(el), r = el.getBoundingClientRect(), o = {};
                   for (const p of props) o[p] = cs.getPropertyValue(p);
                   o.width = Math.round(r.width); o.height = Math.round(r.height);
                   out[sel] = o;
               }
               return out;"#,
            vec![serde_json::json!(selectors), serde_json::json!(PROPS)],
        )
        .await
        .unwrap()
}

fn assert_same(a: &serde_json::Value, b: &serde_json::Value, what: &str) {
    let (a, b) = (a.as_object().unwrap(), b.as_object().unwrap());
    let mut diffs = Vec::new();
    for (sel, va) in a {
        assert!(!va.is_null(), "{what}: {sel} not found");
        for (prop, x) in va.as_object().unwrap() {
            let y = &b[sel][prop];
            if x != y {
                diffs.push(format!("{sel} {prop}: {x} vs {y}"));
            }
        }
    }
    assert!(diffs.is_empty(), "{what}:\n{}", diffs.join("\n"));
}

/// Every element of the widget, in document order, with its computed `PROPS`, its
/// `::before`/`::after` content and its box relative to the widget's root.
async fn every_widget_element(b: &Browser) -> serde_json::Value {
    b.client
        .execute(
            &format!(
                r#"const [props] = arguments; const out = {{}};
                   const root = {WIDGET}.querySelector('.tlm-root');
                   const rr = root.getBoundingClientRect();
                   [root, ...root.querySelectorAll('*')].forEach((el, i) => {{
                       const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
                       const cs = getComputedStyle(el), r = el.getBoundingClientRect(), o = {{}};
                       for (const p of props) o[p] = cs.getPropertyValue(p);
                       for (const pseudo of ['::before', '::after']) o[pseudo] = getComputedStyle(el, pseudo).content;
                       // An element without a box (display: none) has no place to compare.
                       const boxed = el.getClientRects().length > 0;
                       o.x = boxed ? Math.round(r.x - rr.x) : null; o.y = boxed ? Math.round(r.y - rr.y) : null;
                       o.width = Math.round(r.width); o.height = Math.round(r.height);
                       out[`${{i}} ${{el.tagName.toLowerCase()}}${{el.id ? '#' + el.id : ''}}${{cls}}`] = o;
                   }});
                   return out;"#
            ),
            vec![serde_json::json!(PROPS)],
        )
        .await
        .unwrap()
}

async fn widget_styles(b: &Browser, url: &str) -> serde_json::Value {
    b.open_member_form(url).await;
    // The form's heading takes the focus a frame after the form appears; compare both pages
    // with the move done and the focus then let go, not racing it.
    b.wait_focus("tlm-form-title").await;
    b.js(&format!("{ACTIVE}.blur()")).await;
    // The width the page gives the widget is the page's to choose (the theme pads its article);
    // the same width on both pages leaves only what the theme could do to the widget itself.
    b.js("document.querySelector('#tilmelding').style.setProperty('width', '700px', 'important')")
        .await;
    every_widget_element(b).await
}

/// The demo's hostile theme (`demo/hostile.css`) styles the article the way CMS themes do:
/// class- and id-scoped rules for every element the widget renders, `::before`/`::after`
/// content, `!important`, inherited properties on the widget's ancestors and its own element.
/// None of it reaches any element of the widget; the registration completes under it.
#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_theme_does_not_reach_into_the_widget() {
    let (_widget, host) = two_origins().await;
    let b = Browser::start().await;
    let neutral = widget_styles(&b, &format!("{}/demo/?neutral", host.url)).await;
    let hostile = widget_styles(&b, &format!("{}/demo/", host.url)).await;
    // The theme is really on: the host's own elements are restyled by it.
    let host_look = b
        .js(
            "return [getComputedStyle(document.querySelector('h1')).textTransform,
                     getComputedStyle(document.querySelector('.rich-text p')).textAlign,
                     getComputedStyle(document.querySelector('#tilmelding')).textTransform]",
        )
        .await;
    assert_eq!(
        host_look,
        serde_json::json!(["uppercase", "justify", "uppercase"])
    );
    let n = neutral.as_object().unwrap().len();
    assert!(n > 100, "only {n} elements compared");
    assert_same(
        &neutral,
        &hostile,
        "every widget element, neutral page vs hostile theme",
    );
    b.register_one().await;
}

const HOST_PARTS: &[&str] = &[
    "body",
    ".site-header",
    ".site-header nav a",
    ".logo",
    "#site-search",
    "label[for=site-search]",
    ".site-header button",
    ".breadcrumb",
    "article h1",
    "article h2",
    "article p",
    ".site-footer",
    ".site-footer p",
];

#[tokio::test(flavor = "multi_thread")]
async fn the_widget_does_not_change_the_host_page() {
    let (_widget, host) = two_origins().await;
    let b = Browser::start().await;
    for theme in ["", "neutral&"] {
        b.open(&format!("{}/demo/?{theme}nowidget", host.url)).await;
        b.wait_css("h1").await;
        let without = styles(&b, HOST_PARTS).await;
        b.open(&format!("{}/demo/?{theme}", host.url)).await;
        b.heading("Netværksmøde i Kommunernes Netværk for Udsatte Boligområder")
            .await;
        let mut with = styles(&b, HOST_PARTS).await;
        // Content below the widget moves down by the widget's height, naturally; its size
        // and style must not change.
        for sel in ["body", ".site-footer", ".site-footer p"] {
            with[sel]["height"] = without[sel]["height"].clone();
        }
        assert_same(
            &without,
            &with,
            &format!("host styles without vs with the widget ({theme})"),
        );
    }
}
