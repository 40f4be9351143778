//! Municipality picker: the WAI-ARIA 1.2 combobox pattern (editable input with a list popup).
//! Typing filters the 98 municipalities (forgiving case and Danish letters, see
//! `tilmelding_domain::municipality::search`); arrow keys move through the options, Enter picks,
//! Escape closes. The number of matches is announced through a polite live region.

use crate::i18n::prelude::*;
use leptos::prelude::*;
use tilmelding_domain::Municipality;
use tilmelding_domain::municipality::search;

/// Picks one municipality.
#[component]
pub fn MunicipalityPicker(
    /// The picked municipality (the flow sets it through `on_pick`).
    selected: Signal<Option<&'static Municipality>>,
    /// Called with the new pick (or `None` when the user edits the text again).
    on_pick: Callback<Option<&'static Municipality>>,
    /// A message to show under the input (e.g. a field error), if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let query = RwSignal::new(
        selected
            .get_untracked()
            .map(|m| m.name.to_owned())
            .unwrap_or_default(),
    );
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    // Read by the list, the live region and the key handler: computed once per keystroke.
    let hits = Memo::new(move |_| search(&query.get()));

    let choose = move |m: &'static Municipality| {
        query.set(m.name.to_owned());
        on_pick.run(Some(m));
        open.set(false);
        active.set(None);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = hits.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                open.set(true);
                if n > 0 {
                    active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n)));
                }
            }
            "ArrowUp" => {
                ev.prevent_default();
                open.set(true);
                if n > 0 {
                    active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n)));
                }
            }
            "Enter" if open.get_untracked() => {
                ev.prevent_default();
                let pick = active.get_untracked().or((n == 1).then_some(0));
                if let Some(m) = pick.and_then(|i| hits.with_untracked(|h| h.get(i).copied())) {
                    choose(m);
                }
            }
            "Escape" => {
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };
    let option_id = |i: usize| format!("tlm-kommune-{i}");
    let lang = use_lang();
    let status = move || {
        if !open.get() {
            return String::new();
        }
        lang.get().found(hits.with(Vec::len))
    };
    let described = move || {
        let mut ids = vec!["tlm-kommune-hint"];
        if error.with(Option::is_some) {
            ids.push("tlm-kommune-error");
        }
        ids.join(" ")
    };

    view! {
        <div class="tlm-field tlm-combobox">
            <label for="tlm-kommune">{tr(lang, Lang::municipality)}</label>
            <p id="tlm-kommune-hint" class="tlm-hint">{tr(lang, Lang::municipality_hint)}</p>
            <input
                id="tlm-kommune"
                part="field"
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-controls="tlm-kommune-list"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-activedescendant=move || active.get().map(option_id)
                aria-describedby=described
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    if selected.get_untracked().is_some() {
                        on_pick.run(None);
                    }
                    open.set(true);
                    active.set(None);
                }
                on:keydown=on_key
                on:click=move |_| open.set(true)
                on:blur=move |_| {
                    // Closing on blur would swallow a click on an option; options use
                    // mousedown (before blur), so closing here is safe.
                    open.set(false);
                }
            />
            {move || error.get().map(|e| view! { <p id="tlm-kommune-error" class="tlm-error">{e}</p> })}
            <ul id="tlm-kommune-list" role="listbox" aria-label=move || lang.get().municipalities() class="tlm-listbox" hidden=move || !open.get()>
                {move || {
                    if !open.get() {
                        return Vec::new();
                    }
                    hits.get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, m)| {
                            let is_active = move || active.get() == Some(i);
                            view! {
                                <li
                                    id=option_id(i)
                                    role="option"
                                    class="tlm-option"
                                    class:tlm-option-active=is_active
                                    aria-selected=move || if is_active() { "true" } else { "false" }
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        choose(m);
                                    }
                                >
                                    {m.name}
                                </li>
                            }
                        })
                        .collect::<Vec<_>>()
                }}
            </ul>
            <p class="tlm-visually-hidden" role="status" aria-live="polite">{status}</p>
        </div>
    }
}
