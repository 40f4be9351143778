//! The organiser page in headless Chromium against the real server: sign-in with
//! the token (a wrong one refused), totals and the per-municipality table, an application
//! approved (its waiting registrations become registered), a registration appearing without a
//! reload, the CSV downloaded through the page, search; axe on every state; and the same
//! sign-in, approval and download with the keyboard alone.

use serde_json::{Value, json};
use std::time::Duration;
use tilmelding_e2e::mail::to;
use tilmelding_e2e::organiser::{self as flows, TOKEN, register, sign_in, with_mail};
use tilmelding_e2e::{Browser, Server, ServerOptions, WAIT};

async fn server() -> Server {
    Server::with(ServerOptions {
        token: Some(TOKEN.into()),
        env: vec![("TILMELDING_RATE_LIMIT", "0".into())],
        ..Default::default()
    })
    .await
}

async fn three_municipalities(server: &Server) {
    register(server, 730, "randers", 3, false).await;
    register(server, 751, "aarhus", 2, false).await;
    register(server, 530, "billund", 1, true).await;
}

async fn assert_axe(b: &Browser, state: &str) {
    let violations = b.axe().await;
    assert!(violations.is_empty(), "axe, {state}: {violations:#?}");
}

/// The totals as (label, number) pairs.
async fn totals(b: &Browser) -> Value {
    b.js("return [...document.querySelectorAll('.org-totals div')].map(d => [d.querySelector('dt').textContent, d.querySelector('dd').textContent])")
        .await
}

async fn wait_totals(b: &Browser, expected: Value) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now = totals(b).await;
        if now == expected {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "totals {now} never became {expected}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The file the browser saved, once it is complete.
async fn downloaded(b: &Browser, name: &str) -> Vec<u8> {
    let path = b.downloads.path().join(name);
    let deadline = tokio::time::Instant::now() + WAIT;
    while !path.exists() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name} was not downloaded"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    std::fs::read(&path).unwrap()
}

#[tokio::test]
async fn the_organiser_sees_who_is_coming_approves_and_downloads_the_list() {
    let server = server().await;
    three_municipalities(&server).await;
    let b = Browser::start().await;
    b.open(&format!("{}/organiser/", server.url)).await;
    b.heading("Log ind").await;
    assert_axe(&b, "sign-in").await;

    // A wrong token is refused, in Danish.
    b.field("Arrangørnøgle")
        .await
        .send_keys("forkert-nøgle-123456")
        .await
        .unwrap();
    b.button("Log ind").await.click().await.unwrap();
    assert_eq!(
        b.alert_text().await,
        "Nøglen er forkert. Tjek den, og prøv igen."
    );
    // Back on the token, which the message describes.
    b.wait_focus("org-token").await;
    assert_axe(&b, "wrong token").await;

    let token = b.field("Arrangørnøgle").await;
    token.clear().await.unwrap();
    token.send_keys(TOKEN).await.unwrap();
    b.button("Log ind").await.click().await.unwrap();
    b.heading("Overblik").await;
    wait_totals(
        &b,
        json!([
            ["Tilmeldt", "5"],
            ["Afventer medlemskab", "1"],
            ["Medlemskab afvist", "0"],
            ["Afmeldt", "0"]
        ]),
    )
    .await;
    let table = b
        .js("return [...document.querySelectorAll('#org-municipalities ~ div tbody tr')].map(r => [...r.cells].map(c => c.textContent))")
        .await;
    assert_eq!(
        table,
        json!([
            ["Billund", "530", "Nej", "1"],
            ["Randers", "730", "Ja", "3"],
            ["Aarhus", "751", "Ja", "2"]
        ]),
        "Danish order, membership, attendees"
    );
    b.wait_text("billund Deltager 0").await;
    assert_axe(&b, "overview with an application").await;

    // Sorting by attendees, most first.
    b.button("Sortér efter Deltagere")
        .await
        .click()
        .await
        .unwrap();
    let first = b
        .js("return document.querySelector('#org-municipalities ~ div tbody tr th').textContent")
        .await;
    assert_eq!(first, "Randers");

    // Approving: the waiting registration becomes registered.
    b.button("Godkend Billund").await.click().await.unwrap();
    b.wait_text("Billund er godkendt som medlem.").await;
    wait_totals(
        &b,
        json!([
            ["Tilmeldt", "6"],
            ["Afventer medlemskab", "0"],
            ["Medlemskab afvist", "0"],
            ["Afmeldt", "0"]
        ]),
    )
    .await;
    b.wait_text("Ingen ansøgninger venter.").await;
    assert_axe(&b, "after approving").await;

    // A new registration appears without a reload (the page polls every 5 s).
    register(&server, 101, "kbh", 1, false).await;
    wait_totals(
        &b,
        json!([
            ["Tilmeldt", "7"],
            ["Afventer medlemskab", "0"],
            ["Medlemskab afvist", "0"],
            ["Afmeldt", "0"]
        ]),
    )
    .await;

    // Search.
    b.field("Søg i deltagere (navn, e-mail, kommune eller stilling)")
        .await
        .send_keys("billund")
        .await
        .unwrap();
    b.wait_text("Viser 1 af 7 deltagere.").await;
    assert_axe(&b, "search").await;

    // The CSV through the page: Excel's byte-order mark, a header and every registration.
    b.button("Hent listen til Excel (CSV)")
        .await
        .click()
        .await
        .unwrap();
    let csv = downloaded(&b, "tilmeldinger-knub-2021-05-17.csv").await;
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "byte-order mark kept");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Reference;Kommunekode;Kommune;Navn"));
    assert_eq!(lines.len(), 1 + 7);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("billund Deltager 0") && l.contains(";Tilmeldt;")),
        "{text}"
    );
    assert!(
        b.console().await.iter().all(|l| !l.contains(TOKEN)),
        "the token is never logged"
    );
    server.assert_no_csp_violations().await;

    // Declining, on a second application: a reason is asked for.
    register(&server, 575, "vejen", 2, true).await;
    b.button("Afvis Vejen").await.click().await.unwrap();
    b.field("Begrundelse for afslaget")
        .await
        .send_keys("Ikke med i netværket i år.")
        .await
        .unwrap();
    assert_axe(&b, "declining").await;
    b.button("Afvis ansøgningen").await.click().await.unwrap();
    b.wait_text("Ansøgningen fra Vejen er afvist.").await;
    wait_totals(
        &b,
        json!([
            ["Tilmeldt", "7"],
            ["Afventer medlemskab", "0"],
            ["Medlemskab afvist", "2"],
            ["Afmeldt", "0"]
        ]),
    )
    .await;

    // The page in English, at 320 px.
    b.button("English").await.click().await.unwrap();
    b.heading("Overview").await;
    b.client.set_window_size(320, 700).await.unwrap();
    let overflow = b
        .js("return document.documentElement.scrollWidth > window.innerWidth")
        .await;
    assert_eq!(
        overflow,
        json!(false),
        "nothing wider than 320 px but the tables' own scroll"
    );
    // On a phone each attendee is a card: every value readable without scrolling sideways,
    // each named by its column.
    let cards = b
        .js("const r = document.querySelector('#org-attendees ~ .org-scroll'); \
             const cell = r.querySelector('tbody td'); \
             return [r.scrollWidth <= r.clientWidth, getComputedStyle(cell).display, cell.dataset.label]")
        .await;
    assert_eq!(cards, json!([true, "block", "E-mail"]));
    assert_axe(&b, "English, 320 px").await;
}

#[tokio::test]
async fn sign_in_approve_and_download_with_the_keyboard_alone() {
    use fantoccini::key::Key;
    let server = server().await;
    three_municipalities(&server).await;
    let b = Browser::start().await;
    b.open(&format!("{}/organiser/", server.url)).await;
    b.heading("Log ind").await;
    b.tab_to("org-token", 10).await;
    b.keys(TOKEN).await;
    b.press(Key::Enter).await;
    b.heading("Overblik").await;
    let id = b
        .js("return document.querySelector('[id^=org-approve-]').id")
        .await;
    b.tab_to(id.as_str().unwrap(), 20).await;
    b.press(Key::Enter).await;
    b.wait_text("Billund er godkendt som medlem.").await;
    // The buttons used are gone: focus is on the section's heading, the result under it.
    b.wait_focus("org-applications").await;
    // Back to the download button, before the applications.
    for _ in 0..20 {
        if b.focused_id().await == "org-download" {
            break;
        }
        b.keys(&format!(
            "{}{}",
            char::from(Key::Shift),
            char::from(Key::Tab)
        ))
        .await;
    }
    assert_eq!(b.focused_id().await, "org-download");
    b.press(Key::Enter).await;
    let csv = downloaded(&b, "tilmeldinger-knub-2021-05-17.csv").await;
    assert_eq!(String::from_utf8_lossy(&csv).lines().count(), 1 + 6);
    b.wait_text("Listen er hentet. Den ligger i din mappe med overførsler.")
        .await;
    assert_eq!(
        b.focused_id().await,
        "org-download",
        "focus stays on the button"
    );
}

#[tokio::test]
async fn a_long_attendee_list_comes_a_page_at_a_time() {
    let server = server().await;
    register(&server, 730, "stor", 250, false).await;
    let b = Browser::start().await;
    b.organiser_sign_in_form(&server.url, TOKEN).await;
    b.button("Log ind").await.click().await.unwrap();
    b.wait_text("Viser 200 af 250 deltagere.").await;
    b.button("Vis 50 flere").await.click().await.unwrap();
    b.wait_text("Viser 250 af 250 deltagere.").await;
    let rows = b
        .js("return document.querySelectorAll('#org-attendees ~ div tbody tr').length")
        .await;
    assert_eq!(rows, json!(250));
    assert_axe(&b, "all 250 rows").await;
}

/// The organiser decides on the page; the people waiting hear of it by mail (maildev): on an
/// approval the contact the receipt again and each attendee the invitation, on a decline the
/// contact and each attendee the reason.
#[tokio::test(flavor = "multi_thread")]
async fn decisions_on_the_page_reach_the_contacts_and_attendees_by_mail() {
    let (maildev, server) = with_mail().await;
    register(&server, 530, "billund", 2, true).await;
    register(&server, 575, "vejen", 1, true).await;
    // Receipts and confirmations without invitations while the membership waits, each
    // attendee's subject saying it waits.
    let mails = maildev.wait_for(5).await;
    assert!(
        mails
            .iter()
            .all(|m| m["attachments"].as_array().is_none_or(Vec::is_empty))
    );
    assert!(
        to(&mails, "billund0@kommune.dk")[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Tilmelding venter på godkendelse:")
    );

    let b = Browser::start().await;
    sign_in(&b, &server).await;
    b.button("Godkend Billund").await.click().await.unwrap();
    b.wait_text("Billund er godkendt som medlem.").await;
    let mails = maildev.wait_for(8).await;
    let receipt = to(&mails, "kontakt-billund@kommune.dk");
    assert_eq!(receipt.len(), 2, "the receipt, then the receipt again");
    assert!(
        receipt[1]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Medlemskab godkendt, tilmeldingen gælder"),
        "{}",
        receipt[1]["subject"]
    );
    assert!(
        receipt[1]["text"]
            .as_str()
            .unwrap()
            .contains("#tilmelding-manage=")
    );
    for who in ["billund0@kommune.dk", "billund1@kommune.dk"] {
        let theirs = to(&mails, who);
        assert_eq!(
            theirs.len(),
            2,
            "{who}: the confirmation, then the invitation"
        );
        assert!(
            theirs[1]["subject"]
                .as_str()
                .unwrap()
                .starts_with("Medlemskab godkendt – du er tilmeldt:"),
            "{}",
            theirs[1]["subject"]
        );
        assert!(
            theirs[1]["text"]
                .as_str()
                .unwrap()
                .contains("Arrangøren har godkendt Billunds medlemskab af netværket."),
            "{who}: the approval is told"
        );
        assert_eq!(
            maildev.calendar_line(theirs[1], "METHOD:").await,
            "METHOD:REQUEST"
        );
    }

    b.button("Afvis Vejen").await.click().await.unwrap();
    b.wait_text("Begrundelsen sendes til kommunens kontaktperson og de tilmeldte, der venter på medlemskabet.")
        .await;
    b.field("Begrundelse for afslaget")
        .await
        .send_keys("Vejen er ikke med i netværket i år.")
        .await
        .unwrap();
    b.button("Afvis ansøgningen").await.click().await.unwrap();
    b.wait_text("Ansøgningen fra Vejen er afvist.").await;
    let mails = maildev.wait_for(10).await;
    for who in ["kontakt-vejen@kommune.dk", "vejen0@kommune.dk"] {
        let told = to(&mails, who);
        let last = told.last().unwrap();
        assert!(
            last["subject"]
                .as_str()
                .unwrap()
                .starts_with("Medlemskab ikke godkendt")
                && last["text"]
                    .as_str()
                    .unwrap()
                    .contains("Vejen er ikke med i netværket i år."),
            "{who}: {last}"
        );
    }
    b.client.clone().close().await.unwrap();
}

/// The organiser sets the online meeting's link on the page: every registered attendee gets it
/// with their invitation again (the same UID, a higher SEQUENCE, the link in it); a later
/// registration's confirmation carries it; the public page never shows it.
#[tokio::test(flavor = "multi_thread")]
async fn the_join_link_set_on_the_page_reaches_every_registered_attendee() {
    let (maildev, server) = with_mail().await;
    register(&server, 730, "randers", 2, false).await;
    let first = maildev.wait_for(3).await;
    let b = Browser::start().await;
    sign_in(&b, &server).await;
    b.wait_text("Intet link endnu.").await;
    let link = "https://teams.example.com/l/meetup-join/19%3Ameeting_abc";
    b.field("Link til det online møde (https://…)")
        .await
        .send_keys(link)
        .await
        .unwrap();
    assert_axe(&b, "the join link typed").await;
    b.button("Gem og send linket").await.click().await.unwrap();
    b.button("Send linket til 2 tilmeldte")
        .await
        .click()
        .await
        .unwrap();
    b.wait_text("Linket er gemt og sendt til 2 tilmeldte.")
        .await;
    b.wait_text(link).await;
    let mails = maildev.wait_for(5).await;
    for who in ["randers0@kommune.dk", "randers1@kommune.dk"] {
        let before = to(&first, who)[0];
        let now = *to(&mails, who).last().unwrap();
        assert!(now["text"].as_str().unwrap().contains(link), "{now}");
        assert_eq!(
            maildev.calendar_line(now, "UID:").await,
            maildev.calendar_line(before, "UID:").await
        );
        assert_eq!(
            maildev.calendar_line(before, "SEQUENCE:").await,
            "SEQUENCE:0"
        );
        assert_eq!(maildev.calendar_line(now, "SEQUENCE:").await, "SEQUENCE:1");
        assert_eq!(
            maildev.calendar_line(now, "URL:").await,
            format!("URL:{link}")
        );
    }
    // A later registration's confirmation carries it.
    register(&server, 751, "aarhus", 1, false).await;
    let mails = maildev.wait_for(7).await;
    let later = to(&mails, "aarhus0@kommune.dk")[0];
    assert!(later["text"].as_str().unwrap().contains(link));
    assert_eq!(
        maildev.calendar_line(later, "URL:").await,
        format!("URL:{link}")
    );
    // A changed link is sent again, saying it is new.
    let changed = "https://teams.example.com/l/meetup-join/19%3Ameeting_new";
    let field = b.field("Link til det online møde (https://…)").await;
    field.send_keys(changed).await.unwrap();
    b.button("Gem og send linket").await.click().await.unwrap();
    b.button("Send linket til 3 tilmeldte")
        .await
        .click()
        .await
        .unwrap();
    b.wait_text("Linket er gemt og sendt til 3 tilmeldte.")
        .await;
    let mails = maildev.wait_for(10).await;
    let told = *to(&mails, "randers0@kommune.dk").last().unwrap();
    assert!(
        told["subject"]
            .as_str()
            .unwrap()
            .starts_with("Nyt link til mødet:"),
        "{told}"
    );
    let text = told["text"].as_str().unwrap();
    assert!(
        text.contains("Linket til mødet er ændret. Brug dette nye link") && text.contains(changed),
        "{text}"
    );
    // The public page and its meeting file never show it.
    b.open(&server.url).await;
    b.heading("Gruppedrøftelse").await;
    let page = b
        .js(&format!("return {}.innerHTML", tilmelding_e2e::WIDGET))
        .await;
    assert!(!page.as_str().unwrap().contains("teams.example.com"));
    let file = reqwest::get(format!("{}/meetings/knub-2021-05-17.json", server.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!file.contains("teams.example.com"));
    b.client.clone().close().await.unwrap();
}

/// A message written on the organiser page, previewed with the number it goes to, reaches every
/// registered attendee (maildev) and none of those cancelled or declined; the page lists it.
#[tokio::test(flavor = "multi_thread")]
async fn a_message_from_the_page_reaches_everyone_registered_and_no_one_else() {
    let (maildev, server) = with_mail().await;
    let receipt = server
        .register(&json!({
            "municipality_code": 730,
            "contact": {"name": "Kim Kontakt", "email": "kontakt-randers@kommune.dk"},
            "attendees": (0..3).map(|i| json!({"name": format!("Deltager {i}"), "email": format!("randers{i}@kommune.dk"), "title": "Konsulent"})).collect::<Vec<_>>(),
            "privacy_accepted": true,
        }))
        .await;
    register(&server, 575, "vejen", 1, true).await;
    // One of Randers' three cancels through the manage link.
    let (_, token) = receipt["manage_url"]
        .as_str()
        .unwrap()
        .split_once("#tilmelding-manage=")
        .unwrap();
    let manage = format!("{}/api/meetings/knub-2021-05-17/manage", server.url);
    let http = reqwest::Client::new();
    let view: Value = http
        .get(&manage)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cancel = json!({"idempotency_key": "cancel-randers2", "action": {"kind": "cancel", "attendees": [view["attendees"][2]["id"]]}});
    let r = http
        .post(&manage)
        .bearer_auth(token)
        .json(&cancel)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let b = Browser::start().await;
    sign_in(&b, &server).await;
    // Vejen is declined.
    b.button("Afvis Vejen").await.click().await.unwrap();
    b.field("Begrundelse for afslaget")
        .await
        .send_keys("Ikke i år.")
        .await
        .unwrap();
    b.button("Afvis ansøgningen").await.click().await.unwrap();
    b.wait_text("Ansøgningen fra Vejen er afvist.").await;
    // Receipts and confirmations (4 + 2), the cancellation (2), the decline (2).
    let before = maildev.wait_for(10).await.len();

    b.field("Emne")
        .await
        .send_keys("Nyt tidspunkt")
        .await
        .unwrap();
    b.field("Tekst")
        .await
        .send_keys("Kære alle\n\nVi starter kl. 9.30.")
        .await
        .unwrap();
    b.button("Forhåndsvis").await.click().await.unwrap();
    b.heading("Forhåndsvisning").await;
    b.wait_text("Sendes til 2 tilmeldte.").await;
    assert_axe(&b, "a message previewed").await;
    b.button("Send beskeden").await.click().await.unwrap();
    b.wait_text("Sendt af token").await;
    let mails = maildev.wait_for(before + 2).await;
    let mut to: Vec<&str> = mails[before..]
        .iter()
        .map(|m| m["to"][0]["address"].as_str().unwrap())
        .collect();
    to.sort_unstable();
    assert_eq!(to, ["randers0@kommune.dk", "randers1@kommune.dk"]);
    assert!(
        mails[before..]
            .iter()
            .all(|m| m["subject"] == "Nyt tidspunkt"
                && m["text"].as_str().unwrap().contains("Vi starter kl. 9.30."))
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(maildev.all().await.len(), before + 2, "no one else");
    b.client.clone().close().await.unwrap();
}

/// The meeting's link and a message, with the keyboard alone: typed, sent, previewed, sent.
#[tokio::test(flavor = "multi_thread")]
async fn the_link_and_a_message_with_the_keyboard_alone() {
    use fantoccini::key::Key;
    let (maildev, server) = with_mail().await;
    register(&server, 730, "randers", 1, false).await;
    maildev.wait_for(2).await;
    let b = Browser::start().await;
    b.open(&format!("{}/organiser/", server.url)).await;
    b.heading("Log ind").await;
    b.tab_to("org-token", 10).await;
    b.keys(TOKEN).await;
    b.press(Key::Enter).await;
    b.heading("Overblik").await;
    // The link: typed, Enter asks to confirm, and confirming sends it.
    b.tab_to("org-join-url", 60).await;
    b.keys("https://teams.example.com/l/kbd").await;
    b.press(Key::Enter).await;
    b.wait_focus("org-join-confirm").await;
    b.press(Key::Tab).await;
    b.press(Key::Enter).await;
    b.wait_text("Linket er gemt og sendt til 1 tilmeldte.")
        .await;
    // A message: subject, text, preview; focus goes to the preview, then on to "Send".
    b.tab_to("org-msg-subject", 20).await;
    b.keys("Husk mødet").await;
    b.press(Key::Tab).await;
    b.keys("Vi ses i morgen.").await;
    b.tab_to("org-msg-preview", 5).await;
    b.press(Key::Enter).await;
    b.heading("Forhåndsvisning").await;
    b.wait_focus("org-preview-title").await;
    b.tab_to("org-msg-send", 5).await;
    b.press(Key::Enter).await;
    b.wait_text("Sendt af").await;
    let mails = maildev.wait_for(4).await;
    assert!(mails.iter().any(|m| m["subject"] == "Husk mødet"));
    b.client.clone().close().await.unwrap();
}

/// Declining with a reason typed at a person's speed across refreshes.
#[tokio::test(flavor = "multi_thread")]
async fn a_decline_s_reason_typed_at_a_person_s_speed_survives_the_refreshes() {
    flows::decline_with_a_reason(&Browser::start().await).await;
}

/// A message typed at a person's speed, previewed and sent across refreshes.
#[tokio::test(flavor = "multi_thread")]
async fn a_message_typed_at_a_person_s_speed_survives_the_refreshes() {
    flows::write_preview_and_send_a_message(&Browser::start().await).await;
}

/// The meeting's link typed at a person's speed, confirmed with the number it reaches.
#[tokio::test(flavor = "multi_thread")]
async fn the_join_link_typed_at_a_person_s_speed_is_confirmed_then_sent() {
    flows::type_confirm_and_save_the_join_link(&Browser::start().await).await;
}

/// A search typed at a person's speed while registrations arrive.
#[tokio::test(flavor = "multi_thread")]
async fn a_search_typed_at_a_person_s_speed_survives_the_refreshes() {
    flows::search_while_the_list_refreshes(&Browser::start().await).await;
}

/// Writes a copy of the shipped meeting as meeting `id` on `date` with `theme`, into `dir`.
fn another_meeting(dir: &std::path::Path, id: &str, date: &str, theme: &str) {
    let shipped = std::fs::read_to_string(dir.join("knub-2021-05-17.json")).unwrap();
    let mut m: Value = serde_json::from_str(&shipped).unwrap();
    m["id"] = json!(id);
    m["date"] = json!(date);
    m["theme"] = json!(theme);
    std::fs::write(dir.join(format!("{id}.json")), m.to_string()).unwrap();
}

/// With several meetings, all titled alike: the page opens on the next one with
/// registrations (not the one just announced), names each by date and theme in the picker
/// and the heading, keeps the one chosen across a reload, and lists a file it could not load
/// with its field and reason.
#[tokio::test(flavor = "multi_thread")]
async fn the_meeting_in_view_is_unmistakable_and_a_broken_file_is_shown() {
    let meetings = tilmelding_e2e::meetings_copy();
    another_meeting(
        meetings.path(),
        "knub-2027-01-11",
        "2027-01-11",
        "Boligsociale helhedsplaner",
    );
    another_meeting(
        meetings.path(),
        "knub-2027-04-22",
        "2027-04-22",
        "Byggeri og byliv",
    );
    let mut broken: Value = serde_json::from_str(
        &std::fs::read_to_string(meetings.path().join("knub-2021-05-17.json")).unwrap(),
    )
    .unwrap();
    broken["id"] = json!("knub-fejl");
    broken["date"] = json!("22. april 2027");
    std::fs::write(meetings.path().join("knub-fejl.json"), broken.to_string()).unwrap();
    let server = Server::with(ServerOptions {
        token: Some(TOKEN.into()),
        meetings: meetings.path().into(),
        ..Default::default()
    })
    .await;
    let body = json!({
        "municipality_code": 730,
        "contact": {"name": "Kim Kontakt", "email": "kim@randers.dk"},
        "attendees": [{"name": "Anna Andersen", "email": "anna@randers.dk", "title": "Konsulent"}],
        "privacy_accepted": true,
    });
    let r = reqwest::Client::new()
        .post(format!(
            "{}/api/meetings/knub-2027-01-11/registrations",
            server.url
        ))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let b = Browser::start().await;
    sign_in(&b, &server).await;
    b.wait_text("mandag den 11. januar 2027 · Boligsociale helhedsplaner")
        .await;
    let options = b
        .js("return [...document.querySelectorAll('#org-meeting option')].map(o => [o.textContent, o.selected])")
        .await;
    assert_eq!(
        options,
        json!([
            ["torsdag den 22. april 2027 · Byggeri og byliv", false],
            [
                "mandag den 11. januar 2027 · Boligsociale helhedsplaner",
                true
            ],
            [
                "mandag den 17. maj 2021 · Fysiske greb til forandring af udsatte boligområder",
                false
            ]
        ])
    );
    b.heading("Mødefiler, der ikke kunne indlæses").await;
    b.wait_text("knub-fejl.json: Feltet date: «22. april 2027» er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, fx 2027-04-22.")
        .await;
    assert_axe(&b, "several meetings and a broken file").await;
    // Another meeting chosen stays chosen across a reload of the tab.
    b.wait_css("#org-meeting")
        .await
        .select_by_value("knub-2027-04-22")
        .await
        .unwrap();
    b.wait_text("torsdag den 22. april 2027 · Byggeri og byliv")
        .await;
    b.client.refresh().await.unwrap();
    b.heading("Overblik").await;
    b.wait_text("torsdag den 22. april 2027 · Byggeri og byliv")
        .await;
    let shown = b
        .js("return document.querySelector('.org-meeting-when').textContent")
        .await;
    assert_eq!(shown, "torsdag den 22. april 2027 · Byggeri og byliv");
}
