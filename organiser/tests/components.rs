//! Component tests of the organiser page: each section mounted into a fresh element of a real
//! page in headless Chromium (wasm-bindgen-test), over an overview made by the domain's own
//! tally, and driven through DOM events. Run by `make test` (`make component-tests`):
//! `cargo test --target wasm32-unknown-unknown -p tilmelding-organiser --test components`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use tilmelding_domain::Lang;
use tilmelding_domain::organiser::{
    Application, AttendeeRow, Count, DecidedApplication, HeldMail, MeetingItem, MunicipalityRow,
    Overview, Standing, Totals,
};
use tilmelding_organiser::Ctx;
use tilmelding_organiser::components::applications::Applications;
use tilmelding_organiser::components::attendees::Attendees;
use tilmelding_organiser::components::held_mails::HeldMails;
use tilmelding_organiser::components::join_link::JoinLinkForm;
use tilmelding_organiser::components::messages::Messages;
use tilmelding_organiser::components::municipalities::Municipalities;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../tests/support/mod.rs"]
mod support;
use support::*;

fn row(code: u16, name: &str, status: Standing) -> AttendeeRow {
    AttendeeRow {
        reference: "KNUB-00001".into(),
        municipality_code: code,
        name: name.into(),
        email: format!("{}@kommune.dk", name.to_lowercase().replace(' ', ".")),
        title: "Konsulent".into(),
        department: String::new(),
        status,
        contact_name: "Kim".into(),
        contact_email: "kim@kommune.dk".into(),
        created_at: 0,
        cancelled_at: None,
        updated_at: 0,
    }
}

/// Randers 3 registered (one cancelled besides), Aarhus 2, Billund 1 waiting for membership.
fn overview() -> Overview {
    let attendees = vec![
        row(730, "Anna Andersen", Standing::Registered),
        row(730, "Bo Berg", Standing::Registered),
        row(730, "Carl Clausen", Standing::Registered),
        row(730, "Dorte Dam", Standing::Cancelled),
        row(751, "Eva Eriksen", Standing::Registered),
        row(751, "Finn Friis", Standing::Registered),
        row(530, "Gitte Gram", Standing::PendingMembership),
    ];
    let municipalities: Vec<MunicipalityRow> = Count::tally(&attendees)
        .into_iter()
        .map(|count| MunicipalityRow {
            member: count.municipality_code != 530,
            count,
        })
        .collect();
    Overview {
        meeting: MeetingItem {
            id: "knub-2021-05-17".into(),
            title: "Netværksmøde".into(),
            network: "knub".into(),
            date: "2021-05-17".into(),
            theme: "Fysiske greb".into(),
            registrations: 6,
            status: Default::default(),
        },
        totals: Totals::of(&municipalities),
        municipalities,
        attendees,
        applications: vec![Application {
            id: 7,
            network: "knub".into(),
            municipality_code: 530,
            municipality: "Billund".into(),
            contact_name: "Kim".into(),
            contact_email: "kim@billund.dk".into(),
            created_at: "3.12.2026 kl. 10.00".into(),
            pending_registrations: 1,
        }],
        join_url: None,
        decided: Vec::new(),
        refresh_seconds: 5,
        held_mails: Vec::new(),
    }
}

/// The first cell of each body row.
fn first_cells(root: &Element) -> Vec<String> {
    all(root, "tbody tr")
        .iter()
        .filter_map(|r| r.first_element_child()?.text_content())
        .collect()
}

#[wasm_bindgen_test]
async fn municipalities_are_in_danish_order_and_sort_by_attendees() {
    let root = host();
    let current = RwSignal::new(Some(overview()));
    let _mount = mount_to(root.clone(), move || {
        Ctx::provide(Lang::Da, Some("token".into()));
        view! { <Municipalities current /> }
    });
    until("the table", || !all(&root, "tbody tr").is_empty()).await;
    assert_eq!(first_cells(&root), ["Billund", "Randers", "Aarhus"]);
    // The button's name: its column, after words only screen readers get.
    let sort = all(&root, "button")
        .into_iter()
        .find(|b| {
            let name = b.text_content().unwrap_or_default();
            name.split_whitespace().collect::<Vec<_>>().join(" ") == "Sortér efter Deltagere"
        })
        .expect("a sort button named for its column");
    sort.unchecked_ref::<web_sys::HtmlElement>().click();
    settle().await;
    assert_eq!(first_cells(&root), ["Randers", "Aarhus", "Billund"]);
    // The code column is headed by its name, not by the page's language code.
    let headers: Vec<String> = all(&root, "thead th")
        .iter()
        .filter_map(|h| h.text_content())
        .collect();
    assert!(headers.iter().any(|h| h.ends_with("Kode")), "{headers:?}");
    assert!(!headers.iter().any(|h| h.ends_with("da")), "{headers:?}");
}

#[wasm_bindgen_test]
async fn the_attendee_search_forgives_danish_letters() {
    let root = host();
    let current = RwSignal::new(Some(overview()));
    let _mount = mount_to(root.clone(), move || {
        Ctx::provide(Lang::Da, Some("token".into()));
        view! { <Attendees current /> }
    });
    until("the list", || all(&root, "tbody tr").len() == 7).await;
    let search = find(&root, "input").unwrap();
    type_into(&search, "aarhus");
    until("the search", || all(&root, "tbody tr").len() == 2).await;
    let names: Vec<String> = all(&root, "tbody tr")
        .iter()
        .filter_map(|r| r.text_content())
        .collect();
    assert!(names.iter().all(|n| n.contains("Aarhus")), "{names:?}");
    // A reference number, as a receipt gives it.
    current.update(|o| {
        if let Some(o) = o {
            o.attendees[6].reference = "KNUB-00003".into();
        }
    });
    type_into(&search, "KNUB-00003");
    until("the reference", || all(&root, "tbody tr").len() == 1).await;
    assert!(text(&root, "tbody tr").unwrap().contains("Gitte Gram"));
}

/// A refresh that no longer lists the application whose decline form is open (decided in
/// another tab) keeps the form, the reason typed and the focus, and says so beside it; the
/// decided list shows who decided, when and why.
#[wasm_bindgen_test]
async fn an_open_decline_form_outlives_a_refresh_that_drops_its_application() {
    let root = host();
    let current = RwSignal::new(Some(overview()));
    let refresh = Callback::new(|()| {});
    let _mount = mount_to(root.clone(), move || {
        Ctx::provide(Lang::Da, Some("token".into()));
        view! { <Applications current token="token".to_owned() refresh /> }
    });
    until("the application", || {
        find(&root, "#org-decline-7").is_some()
    })
    .await;
    assert!(
        text(&root, "section")
            .unwrap()
            .contains("Ingen ansøgninger er afgjort endnu.")
    );
    find(&root, "#org-decline-7")
        .unwrap()
        .unchecked_ref::<web_sys::HtmlElement>()
        .click();
    until("the reason's field", || {
        find(&root, "#org-reason-7").is_some()
    })
    .await;
    let reason = find(&root, "#org-reason-7").unwrap();
    reason
        .unchecked_ref::<web_sys::HtmlElement>()
        .focus()
        .unwrap();
    type_into(&reason, "Ikke med i år");
    // Another organiser declines it meanwhile; the next overview says so.
    current.update(|o| {
        if let Some(o) = o {
            o.applications.clear();
            o.decided.push(DecidedApplication {
                id: 7,
                municipality_code: 530,
                municipality: "Billund".into(),
                approved: false,
                decided_by: "Jens".into(),
                decided_at: 1_764_756_000,
                reason: Some("Ikke medlem".into()),
            });
        }
    });
    until("the note", || text(&root, ".org-note").is_some()).await;
    let reason = find(&root, "#org-reason-7").expect("the form stays open");
    assert_eq!(
        reason
            .unchecked_ref::<web_sys::HtmlTextAreaElement>()
            .value(),
        "Ikke med i år"
    );
    let focused = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .map(|e| e.id());
    assert_eq!(focused.as_deref(), Some("org-reason-7"), "focus stays");
    let decided = text(&root, ".org-decided").unwrap();
    assert!(decided.contains("Billund: afvist af Jens"), "{decided}");
    assert!(decided.contains("Ikke medlem"), "{decided}");
    // Cancelling closes it for good.
    button(&root, "Fortryd").click();
    until("the form gone", || find(&root, "#org-reason-7").is_none()).await;
    assert!(
        text(&root, "section")
            .unwrap()
            .contains("Ingen ansøgninger venter.")
    );
}

/// The preview is the server's (the mail word for word): when it cannot be had, the reason
/// shows beside the form and the draft stays as typed. (The preview itself: e2e.)
#[wasm_bindgen_test]
async fn a_message_whose_preview_cannot_be_had_keeps_its_draft() {
    let root = host();
    let current = RwSignal::new(Some(overview()));
    let _mount = mount_to(root.clone(), move || {
        Ctx::provide(Lang::Da, Some("token".into()));
        view! { <Messages current token="token".to_owned() meeting="knub-2021-05-17".to_owned() /> }
    });
    until("the form", || find(&root, "#org-msg-subject").is_some()).await;
    type_into(&find(&root, "#org-msg-subject").unwrap(), "Nyt tidspunkt");
    type_into(
        &find(&root, "#org-msg-body").unwrap(),
        "Kære alle\n\nVi starter kl. 9.30.",
    );
    button(&root, "Forhåndsvis").click();
    // The test page's server has no organiser API.
    until("the reason", || {
        text(&root, "form .org-error").is_some_and(|t| !t.is_empty())
    })
    .await;
    assert!(find(&root, ".org-preview").is_none());
    let subject = find(&root, "#org-msg-subject").unwrap();
    assert_eq!(
        subject.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "Nyt tidspunkt",
        "what was typed is kept"
    );
}

#[wasm_bindgen_test]
async fn the_join_link_section_shows_the_link_set() {
    let root = host();
    let current = RwSignal::new(Some(overview()));
    let refresh = Callback::new(|()| {});
    let _mount = mount_to(root.clone(), move || {
        Ctx::provide(Lang::Da, Some("token".into()));
        view! { <JoinLinkForm current token="token".to_owned() meeting="knub-2021-05-17".to_owned() refresh /> }
    });
    until("the section", || text(&root, "p").is_some()).await;
    assert!(
        text(&root, "section")
            .unwrap()
            .contains("Intet link endnu.")
    );
    current.update(|o| {
        if let Some(o) = o {
            o.join_url = Some("https://teams.example.com/l/abc".into());
        }
    });
    settle().await;
    let link = find(&root, "a").unwrap();
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://teams.example.com/l/abc")
    );
}

/// Mails held back by the per-address cap are listed with whom and what, and the section is
/// there only when there are some.
#[wasm_bindgen_test]
async fn held_back_mails_are_listed_only_when_there_are_some() {
    let root = host();
    let current = RwSignal::new(Some(overview()));
    let _mount = mount_to(root.clone(), move || {
        Ctx::provide(Lang::Da, Some("token".into()));
        view! { <HeldMails current /> }
    });
    settle().await;
    assert!(
        find(&root, "section").is_none(),
        "no section without held mails"
    );
    current.update(|o| {
        if let Some(o) = o {
            o.held_mails = vec![HeldMail {
                to: "offer@kommune.dk".into(),
                subject: "Kvittering for tilmelding".into(),
                held_at: 1_700_000_000,
            }];
        }
    });
    until("the section", || find(&root, "section").is_some()).await;
    let heading = find(&root, "h2")
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert_eq!(heading, "Mails, der ikke blev sendt");
    let item = find(&root, "li")
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(
        item.contains("offer@kommune.dk") && item.contains("Kvittering for tilmelding"),
        "{item}"
    );
}
