//! Component tests of the organiser page: each section mounted into a fresh element of a real
//! page in headless Chromium (wasm-bindgen-test), over an overview made by the domain's own
//! tally, and driven through DOM events. Run by `make test` (`make component-tests`):
//! `cargo test --target wasm32-unknown-unknown -p tilmelding-organiser --test components`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use tilmelding_domain::Lang;
use tilmelding_domain::organiser::{
    AttendeeRow, Count, MeetingItem, MunicipalityRow, Overview, Standing, Totals,
};
use tilmelding_organiser::Ctx;
use tilmelding_organiser::components::attendees::Attendees;
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
            date: "2021-05-17".into(),
        },
        totals: Totals::of(&municipalities),
        municipalities,
        attendees,
        applications: Vec::new(),
        join_url: None,
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
        Ctx::provide(Lang::Da, Some("token".into()), "Kim".into());
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
}

#[wasm_bindgen_test]
async fn the_attendee_search_forgives_danish_letters() {
    let root = host();
    let current = RwSignal::new(Some(overview()));
    let _mount = mount_to(root.clone(), move || {
        Ctx::provide(Lang::Da, Some("token".into()), "Kim".into());
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
}

#[wasm_bindgen_test]
async fn a_message_is_previewed_with_who_it_goes_to_and_can_be_edited_again() {
    let root = host();
    let current = RwSignal::new(Some(overview()));
    let status = RwSignal::new(String::new());
    let _mount = mount_to(root.clone(), move || {
        Ctx::provide(Lang::Da, Some("token".into()), "Kim".into());
        view! { <Messages current token="token".to_owned() meeting="knub-2021-05-17".to_owned() status /> }
    });
    until("the form", || find(&root, "#org-msg-subject").is_some()).await;
    type_into(&find(&root, "#org-msg-subject").unwrap(), "Nyt tidspunkt");
    type_into(
        &find(&root, "#org-msg-body").unwrap(),
        "Kære alle\n\nVi starter kl. 9.30.",
    );
    button(&root, "Forhåndsvis").click();
    until("the preview", || find(&root, ".org-preview").is_some()).await;
    let preview = text(&root, ".org-preview").unwrap();
    assert!(preview.contains("Nyt tidspunkt"), "{preview}");
    assert_eq!(all(&root, ".org-preview-text").len(), 2, "two paragraphs");
    // Five registered: the cancelled and the waiting are not written to.
    assert!(preview.contains("Sendes til 5 tilmeldte."), "{preview}");
    button(&root, "Ret beskeden").click();
    until("the form again", || {
        find(&root, "#org-msg-subject").is_some()
    })
    .await;
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
    let status = RwSignal::new(String::new());
    let refresh = Callback::new(|()| {});
    let _mount = mount_to(root.clone(), move || {
        Ctx::provide(Lang::Da, Some("token".into()), "Kim".into());
        view! { <JoinLinkForm current token="token".to_owned() meeting="knub-2021-05-17".to_owned() status refresh /> }
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
