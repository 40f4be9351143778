//! Component tests: each mounts one part of the widget into a fresh element of a real page in
//! headless Chromium (wasm-bindgen-test) and drives it through DOM events, as the browser
//! would. Run by `make test` (`make component-tests`):
//! `cargo test --target wasm32-unknown-unknown -p tilmelding --test components`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use tilmelding::components::form::RegistrationForm;
use tilmelding::components::form_state::FormState;
use tilmelding::components::picker::MunicipalityPicker;
use tilmelding::components::registration::Registration;
use tilmelding::config::{Backend, Config};
use tilmelding_domain::meeting::PrivacyNotice;
use tilmelding_domain::{Meeting, Municipality};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

fn key(input: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_composed(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    dispatch(input, &ev);
}

fn meeting() -> Meeting {
    serde_json::from_str(include_str!("../meetings/knub-2021-05-17.json")).unwrap()
}

#[wasm_bindgen_test]
async fn the_picker_finds_a_municipality_however_it_is_spelt_and_picks_it_by_keyboard() {
    let root = host();
    let picked = RwSignal::new(None::<&'static Municipality>);
    let _mount = mount_to(root.clone(), move || {
        view! {
            <MunicipalityPicker
                selected=Signal::derive(move || picked.get())
                on_pick=Callback::new(move |m| picked.set(m))
                error=Signal::derive(|| None::<String>)/>
        }
    });
    let input = find(&root, "input[role=combobox]").unwrap();
    type_into(&input, "koebenhavn");
    settle().await;
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let options: Vec<String> = all(&root, "[role=option]")
        .iter()
        .map(|o| o.text_content().unwrap_or_default())
        .collect();
    assert_eq!(options.first().map(String::as_str), Some("København"));
    key(&input, "ArrowDown");
    settle().await;
    assert_eq!(
        input.get_attribute("aria-activedescendant").as_deref(),
        Some("tlm-kommune-0")
    );
    key(&input, "Enter");
    settle().await;
    assert_eq!(picked.get_untracked().map(|m| m.code), Some(101));
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    // Typing again undoes the pick.
    type_into(&input, "Rand");
    settle().await;
    assert_eq!(picked.get_untracked(), None);
}

#[wasm_bindgen_test]
async fn rows_are_added_and_removed_and_a_removed_row_frees_its_signals() {
    let root = host();
    let state = RwSignal::new(None::<FormState>);
    let _mount = mount_to(root.clone(), move || {
        let form = FormState::new();
        state.set(Some(form));
        view! {
            <RegistrationForm
                privacy=PrivacyNotice { text: "Persondata.".into(), url: "https://example.dk/privatliv".into() }
                municipality=Municipality::by_code(730).unwrap()
                apply=false
                state=form
                busy=Signal::derive(|| false)
                announce=RwSignal::new(String::new())
                on_submit=Callback::new(|_| {})/>
        }
    });
    let form = state.get_untracked().unwrap();
    assert_eq!(all(&root, "fieldset.tlm-row").len(), 1);
    button(&root, "Tilføj deltager").click();
    button(&root, "Tilføj deltager").click();
    settle().await;
    assert_eq!(all(&root, "fieldset.tlm-row").len(), 3);
    let rows = form.rows.get_untracked();
    let second = rows[1];
    type_into(
        &find(&root, &format!("#tlm-a{}-name", second.id)).unwrap(),
        "Bo Bech",
    );
    assert_eq!(second.typed.name.get_untracked(), "Bo Bech");

    let remove = find(&root, "[aria-label='Fjern deltager 2']").unwrap();
    remove.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(all(&root, "fieldset.tlm-row").len(), 2);
    assert!(find(&root, &format!("#tlm-a{}-name", second.id)).is_none());
    assert_eq!(
        second.typed.name.try_get_untracked(),
        None,
        "the removed row's signals are disposed"
    );
    assert!(
        rows[0].typed.name.try_get_untracked().is_some(),
        "the others live"
    );
    // Removing the last row leaves one blank row, never none.
    for _ in 0..2 {
        find(&root, "[aria-label='Fjern deltager 1']")
            .unwrap()
            .unchecked_ref::<HtmlElement>()
            .click();
        settle().await;
    }
    assert_eq!(all(&root, "fieldset.tlm-row").len(), 1);
}

#[wasm_bindgen_test]
async fn an_empty_submit_shows_every_error_by_its_field_and_sends_nothing() {
    let root = host();
    let sent = RwSignal::new(0);
    let _mount = mount_to(root.clone(), move || {
        view! {
            <RegistrationForm
                privacy=PrivacyNotice { text: "Persondata.".into(), url: "https://example.dk/privatliv".into() }
                municipality=Municipality::by_code(730).unwrap()
                apply=false
                state=FormState::new()
                busy=Signal::derive(|| false)
                announce=RwSignal::new(String::new())
                on_submit=Callback::new(move |_| sent.update(|n| *n += 1))/>
        }
    });
    button(&root, "Send tilmelding").click();
    settle().await;
    assert_eq!(sent.get_untracked(), 0);
    let summary = find(&root, "#tlm-form-errors").expect("an error summary");
    assert!(
        summary
            .text_content()
            .unwrap()
            .contains("Kontaktperson: Skriv kontaktpersonens navn.")
    );
    let name = find(&root, "#tlm-contact-name").unwrap();
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = name.get_attribute("aria-describedby").unwrap();
    assert_eq!(
        find(&root, &format!("#{described}"))
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Skriv kontaktpersonens navn.")
    );
}

/// The flow through its steps, with membership from a static member list (a `data:` URL, so
/// no server is needed): a member gets the form; a non-member the offer, then the form to
/// apply and register.
/// The registration flow on a backend whose members come from a file (Randers is a member),
/// for the shipped meeting taking late sign-ups, mounted in `root`.
fn mount_flow(root: &HtmlElement) -> leptos::mount::UnmountHandle<impl Mountable> {
    let members = r#"data:application/json,{"network":"knub","members":[730]}"#;
    let config = Config {
        meeting_url: String::new(),
        api_base: String::new(),
        backend: Backend::JsonCollection {
            url: "https://store.example.dk/none".into(),
        },
        members_url: Some(members.into()),
        headers: Vec::new(),
        timeout_ms: 5000,
        lang: Default::default(),
    };
    mount_to(root.clone(), move || {
        let mut m = meeting();
        // The shipped meeting took place in 2021; this one takes late sign-ups.
        m.registration.deadline = tilmelding_domain::LocalDateTime::parse("2099-12-31T12:00");
        view! { <Registration meeting=m config/> }
    })
}

#[wasm_bindgen_test]
async fn the_flow_moves_through_its_steps() {
    let root = host();
    let _mount = mount_flow(&root);
    let input = find(&root, "input[role=combobox]").unwrap();
    type_into(&input, "Randers");
    key(&input, "Enter");
    until("the member form", || {
        find(&root, "#tlm-form-title").is_some()
    })
    .await;
    assert_eq!(
        text(&root, "#tlm-form-title").as_deref(),
        Some("Deltagere og kontaktperson")
    );

    type_into(&input, "Billund");
    key(&input, "Enter");
    until("the offer", || {
        find(&root, "#tlm-membership-title").is_some()
    })
    .await;
    assert!(
        find(&root, "#tlm-form-title").is_none(),
        "no form before the offer is taken"
    );
    button(&root, "Søg om medlemskab og tilmeld").click();
    until("the application form", || {
        find(&root, "#tlm-form-title").is_some()
    })
    .await;
    assert_eq!(
        text(&root, "#tlm-form-title").as_deref(),
        Some("Ansøgning om medlemskab og tilmelding")
    );
    assert!(
        find(&root, "#tlm-membership-title").is_some(),
        "the note stays above the form"
    );

    // A pick undone by typing goes back to the start.
    type_into(&input, "Bill");
    settle().await;
    assert!(find(&root, "#tlm-form-title").is_none());
}

/// The id of the focused element.
fn focused_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

/// Runs `act` each time the DOM under `root` changes (before the next frame is drawn), as a
/// person who acts the moment something appears; disconnect the observer when done, and keep
/// the closure until then.
fn on_mutation(
    root: &Element,
    act: impl FnMut() + 'static,
) -> (
    web_sys::MutationObserver,
    wasm_bindgen::closure::Closure<dyn FnMut()>,
) {
    let act = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(act);
    let observer = web_sys::MutationObserver::new(act.as_ref().unchecked_ref()).unwrap();
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    observer.observe_with_options(root, &options).unwrap();
    (observer, act)
}

/// Resolves after the next frame has run.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        request_animation_frame(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// A person who clicks into a field in the same frame in which its step appears, and types,
/// keeps the focus: the step's move to its heading, scheduled for the next frame, gives way.
/// Without anyone interfering, focus does go to the new step's heading.
#[wasm_bindgen_test]
async fn a_field_focused_as_its_step_appears_keeps_the_focus() {
    let root = host();
    let _mount = mount_flow(&root);
    let input: HtmlElement = find(&root, "input[role=combobox]")
        .unwrap()
        .unchecked_into();
    input.focus().unwrap();
    // The moment the member form is in the page (a mutation, before the next frame), the
    // person is in its first field and typing.
    let watched = root.clone();
    let typed = std::rc::Rc::new(std::cell::Cell::new(false));
    let done = typed.clone();
    let (observer, _on_change) = on_mutation(&root, move || {
        if done.get() {
            return;
        }
        if let Some(field) = find(&watched, "#tlm-contact-name") {
            field.unchecked_ref::<HtmlElement>().focus().unwrap();
            type_into(&field, "K");
            done.set(true);
        }
    });
    type_into(&input, "Randers");
    key(&input, "Enter");
    until("the member form", || typed.get()).await;
    next_frame().await;
    next_frame().await;
    observer.disconnect();
    assert_eq!(
        focused_id(),
        "tlm-contact-name",
        "focus stays where the person is typing"
    );
    let name = find(&root, "#tlm-contact-name").unwrap();
    assert_eq!(js_sys::Reflect::get(&name, &"value".into()).unwrap(), "K");

    // Billund is no member: the offer's heading gets the focus, nobody having moved it.
    input.focus().unwrap();
    type_into(&input, "Billund");
    key(&input, "Enter");
    until("the offer", || {
        find(&root, "#tlm-membership-title").is_some()
    })
    .await;
    next_frame().await;
    next_frame().await;
    assert_eq!(focused_id(), "tlm-membership-title");
}

/// A person who picks a municipality and at once clicks back into the same picker, before the
/// frame the step's focus move waits for, keeps the focus there: the move gives way to any key,
/// click or typing since, even in the very field it was scheduled from (WebKit runs that frame
/// late, and a person is faster).
#[wasm_bindgen_test]
async fn clicking_back_into_the_picker_at_once_keeps_the_focus() {
    let root = host();
    let _mount = mount_flow(&root);
    let input: HtmlElement = find(&root, "input[role=combobox]")
        .unwrap()
        .unchecked_into();
    input.focus().unwrap();
    // The moment the offer is in the page (a mutation, before the next frame, when its
    // heading is to take the focus), the person, still in the picker, clicks into it again.
    let (watched, picker) = (root.clone(), input.clone());
    let clicked = std::rc::Rc::new(std::cell::Cell::new(false));
    let done = clicked.clone();
    let (observer, _on_change) = on_mutation(&root, move || {
        if !done.get() && find(&watched, "#tlm-membership-title").is_some() {
            dispatch(&picker, &bubbling("pointerdown"));
            done.set(true);
        }
    });
    type_into(&input, "Ærø");
    key(&input, "Enter");
    until("the click", || clicked.get()).await;
    observer.disconnect();
    for _ in 0..3 {
        next_frame().await;
    }
    assert!(!input.id().is_empty());
    assert_eq!(focused_id(), input.id(), "focus stays in the picker");
}
