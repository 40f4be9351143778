//! The widget never harms its host page and never fails silently: a mistyped snippet changes
//! nothing on the page, several widgets live side by side, a loader included twice mounts once,
//! and a page whose CSP forbids WebAssembly shows a way to register instead of a blank.

use tilmelding_e2e::{
    Browser, Server, ServerOptions, WIDGET, free_port, meetings_copy, two_origins,
};

/// A widget server (meetings from `meetings`) and a host server on another origin whose page is
/// `page` (with `{widget}` replaced by the widget's address).
async fn host_page(
    page: &str,
    meetings: Option<&std::path::Path>,
) -> (Server, Server, tempfile::TempDir) {
    let host_port = free_port();
    let mut widget_opts = ServerOptions {
        env: vec![(
            "TILMELDING_ALLOWED_ORIGINS",
            format!("http://127.0.0.1:{host_port}"),
        )],
        ..Default::default()
    };
    if let Some(m) = meetings {
        widget_opts.meetings = m.into();
    }
    let widget = Server::with(widget_opts).await;
    let demo = tempfile::tempdir().unwrap();
    std::fs::write(
        demo.path().join("index.html"),
        page.replace("{widget}", &widget.url),
    )
    .unwrap();
    let host = Server::with(ServerOptions {
        env: vec![
            ("TILMELDING_DEMO_WIDGET", widget.url.clone()),
            ("TILMELDING_DEMO", demo.path().display().to_string()),
        ],
        port: host_port,
        ..Default::default()
    })
    .await;
    (widget, host, demo)
}

const ARTICLE: &str = r#"<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>KNUB</title></head>
<body>
<header><h1>Kommunernes Netværk for Udsatte Boligområder</h1><nav><a href="/demo/">Forside</a></nav></header>
<main><p>Fysiske greb til forandring af udsatte boligområder er temaet.</p>
<p>Du kan tilmelde dig netværket samt netværksmøde her</p>
{snippet}
<p>Mere tekst efter tilmeldingen.</p></main>
<footer><p>KL · Weidekampsgade 10</p></footer>
</body></html>"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_mistyped_id_changes_nothing_on_the_page_and_says_why_in_the_console() {
    let snippet = r#"<div id="tilmeldning" data-meeting-url="{widget}/meetings/knub-2021-05-17.json" data-api-base="{widget}/api">
  <noscript>Tilmeldingen kræver JavaScript.</noscript></div>
<script type="module" src="{widget}/embed.js"></script>"#;
    let (_widget, host, _demo) = host_page(&ARTICLE.replace("{snippet}", snippet), None).await;
    let b = Browser::start().await;
    b.open(&format!("{}/demo/", host.url)).await;
    b.wait_text("Mere tekst efter tilmeldingen.").await;
    // The loader has finished (it keeps its promise on the window).
    b.client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const wait = () => window.__tilmelding ? window.__tilmelding.then(() => done(true)) : setTimeout(wait, 50);
             wait();",
            vec![],
        )
        .await
        .unwrap();
    // The page as the server sent it, parsed without running anything, against the page now.
    let same = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(location.href).then(r => r.text()).then(text => {
                 const sent = new DOMParser().parseFromString(text, 'text/html');
                 done([sent.body.outerHTML, document.body.outerHTML,
                       sent.head.children.length, document.head.children.length,
                       [...document.querySelectorAll('*')].filter(e => e.shadowRoot).length]);
             });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(same[0], same[1], "the page's body changed");
    assert_eq!(same[2], same[3], "the page's head changed");
    assert_eq!(same[4], 0, "no shadow root was attached anywhere");
    let console = b.console().await;
    assert!(
        console.iter().any(|l| l.starts_with("SEVERE")
            && l.contains(r#"no element with id=\"tilmelding\" or a data-tilmelding attribute"#)),
        "{console:#?}"
    );
}

/// Two meetings on one network page: the spring and the autumn meeting.
#[tokio::test(flavor = "multi_thread")]
async fn two_widgets_on_one_page_register_independently() {
    let meetings = meetings_copy();
    let spring = std::fs::read_to_string(meetings.path().join("knub-2021-05-17.json")).unwrap();
    let mut autumn: serde_json::Value = serde_json::from_str(&spring).unwrap();
    autumn["id"] = serde_json::json!("knub-2021-09-13");
    autumn["title"] = serde_json::json!("Efterårets netværksmøde");
    autumn["date"] = serde_json::json!("2021-09-13");
    std::fs::write(
        meetings.path().join("knub-2021-09-13.json"),
        autumn.to_string(),
    )
    .unwrap();
    let snippet = r#"<h2>Forårets møde</h2>
<div class="spring" data-tilmelding data-meeting-url="{widget}/meetings/knub-2021-05-17.json" data-api-base="{widget}/api"></div>
<h2>Efterårets møde</h2>
<div class="autumn" data-tilmelding data-meeting-url="{widget}/meetings/knub-2021-09-13.json" data-api-base="{widget}/api" data-lang="en"></div>
<script type="module" src="{widget}/embed.js"></script>"#;
    let (widget, host, _demo) = host_page(
        &ARTICLE.replace("{snippet}", snippet),
        Some(meetings.path()),
    )
    .await;
    let b = Browser::start().await;
    b.open(&format!("{}/demo/", host.url)).await;
    b.heading("Efterårets netværksmøde").await;

    b.within(Some(".spring"));
    b.pick_municipality("rand").await;
    b.wait_text("Randers Kommune er medlem af netværket.").await;
    b.within(Some(".autumn"));
    b.pick_municipality("rand").await;
    b.wait_text("Randers Municipality is a member of the network.")
        .await;
    // Typing in one widget leaves the other alone.
    b.within(Some(".spring"));
    b.fill_contact().await;
    b.fill_attendee(1, "Anna Andersen", "anna@randers.dk", "Konsulent")
        .await;
    b.within(Some(".autumn"));
    assert_eq!(
        b.field_in("Contact person", "Name")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("")
    );
    let violations = b.axe().await;
    assert!(violations.is_empty(), "{violations:#?}");

    b.within(Some(".spring"));
    b.accept_privacy().await;
    b.button("Send tilmelding").await.click().await.unwrap();
    b.heading("Tak for tilmeldingen").await;
    b.within(Some(".autumn"));
    b.fill_in("Contact person", "Name", "Kim Kontakt").await;
    b.fill_in("Contact person", "E-mail", "kim@randers.dk")
        .await;
    b.fill_in("Attendee 1", "Name", "Anna Andersen").await;
    b.fill_in("Attendee 1", "E-mail", "anna@randers.dk").await;
    b.fill_in("Attendee 1", "Job title", "Konsulent").await;
    b.field("I have read how the data is processed")
        .await
        .click()
        .await
        .unwrap();
    b.button("Send registration").await.click().await.unwrap();
    b.heading("Thank you for registering").await;
    b.within(None);

    let db = widget.db.clone();
    for meeting in ["knub-2021-05-17", "knub-2021-09-13"] {
        assert_eq!(
            Browser::count(
                &db,
                &format!("SELECT COUNT(*) FROM registrations WHERE meeting_id = '{meeting}'")
            ),
            1,
            "{meeting}"
        );
    }
    widget.assert_no_csp_violations().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_loader_included_twice_mounts_one_widget() {
    let snippet = r#"<div id="tilmelding" data-meeting-url="{widget}/meetings/knub-2021-05-17.json" data-api-base="{widget}/api"></div>
<script type="module" src="{widget}/embed.js"></script>
<script type="module" src="{widget}/embed.js?from=template"></script>"#;
    let (_widget, host, _demo) = host_page(&ARTICLE.replace("{snippet}", snippet), None).await;
    let b = Browser::start().await;
    b.open(&format!("{}/demo/", host.url)).await;
    b.heading("Gruppedrøftelse").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let counts = b
        .js(&format!(
            "return [{WIDGET}.querySelectorAll('.tlm-root').length,
                     {WIDGET}.querySelectorAll('link[rel=stylesheet]').length,
                     {WIDGET}.querySelectorAll('input[role=combobox]').length]"
        ))
        .await;
    assert_eq!(counts, serde_json::json!([1, 1, 1]));
}

/// A manage link's token leaves the host page's address bar before anything is fetched, so
/// no script of the host's, its history or a copied address holds it, even where the bundle
/// never runs: here the host's policy forbids WebAssembly. The tab keeps the token, so the
/// page opened again in it shows the manage view.
#[tokio::test(flavor = "multi_thread")]
async fn a_manage_link_s_token_leaves_the_address_before_anything_loads() {
    let (widget, host) = two_origins().await;
    let receipt = widget
        .register(&tilmelding_e2e::load::registration("token", 0, 1))
        .await;
    let url = receipt["manage_url"].as_str().unwrap();
    let token = url.split_once("#tilmelding-manage=").unwrap().1;
    let b = Browser::start().await;
    b.open(&format!(
        "{}/demo/?nowasm#tilmelding-manage={token}",
        host.url
    ))
    .await;
    let alert = b.alert_text().await;
    assert!(alert.contains("kan ikke vises her"), "{alert}");
    let now = b.client.current_url().await.unwrap();
    assert!(!now.as_str().contains(token), "{now}");
    assert!(now.as_str().ends_with("/demo/?nowasm"), "{now}");
    b.open(&format!("{}/demo/", host.url)).await;
    b.heading("Se, ret eller afmeld tilmeldingen").await;
}

/// A host page whose Content-Security-Policy forgets WebAssembly: the widget's element says
/// so in Danish with a link to the standalone page, where the registration completes.
#[tokio::test(flavor = "multi_thread")]
async fn a_csp_without_wasm_shows_a_way_to_register_and_it_works() {
    let (widget, host) = two_origins().await;
    let b = Browser::start().await;
    b.open(&format!("{}/demo/?nowasm", host.url)).await;
    let alert = b.alert_text().await;
    assert!(
        alert.contains("Tilmeldingen kan ikke vises her."),
        "{alert}"
    );
    let link = b.link("Åbn tilmeldingen i et nyt vindue").await;
    let href = link.attr("href").await.unwrap().unwrap();
    assert_eq!(href, format!("{}/?meeting=knub-2021-05-17", widget.url));
    assert_eq!(
        link.attr("target").await.unwrap().as_deref(),
        Some("_blank")
    );
    let console = b.console().await;
    assert!(
        console
            .iter()
            .any(|l| l.contains("lacks 'wasm-unsafe-eval'")),
        "{console:#?}"
    );
    // The host's own article is all there.
    b.wait_text("Du kan tilmelde dig netværket samt netværksmøde her")
        .await;

    b.open(&href).await;
    b.pick_municipality("rand").await;
    b.wait_text("Randers Kommune er medlem af netværket.").await;
    b.register_one().await;
    assert_eq!(
        Browser::count(&widget.db, "SELECT COUNT(*) FROM registrations"),
        1
    );
}
