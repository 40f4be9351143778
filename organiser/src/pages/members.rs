//! The network's members per membership year: who is a member and how each became one, a
//! municipality added (picked with the widget's own forgiving picker) or its membership ended
//! (with the choice, shown first, of what becomes of its registrations after the end), the
//! members of last year renewed into this one (confirmed with the count, undoable for a day),
//! the list as a sheet, the day the year starts, and the history of it all. Nothing here
//! refreshes by itself, so nothing typed is ever replaced.

use crate::api;
use crate::components::totals::save;
use crate::texts::{Phrases, Texts};
use crate::{Ctx, Since, municipality_name};
use leptos::prelude::*;
use tilmelding::components::picker::MunicipalityPicker;
use tilmelding_domain::members::{
    AfterEnd, Member, Members, MembershipEvent, MembershipSet, Renew, Renewal, SetMembership,
};
use tilmelding_domain::{Date, Lang, Municipality};

/// What every part of a network's members needs: the network, the credentials, and what to do
/// when an action is done (its words, and the list fetched again) or has failed.
#[derive(Clone, Copy)]
struct Keeping {
    network: StoredValue<String>,
    token: StoredValue<String>,
    done: Callback<String>,
    failed: Callback<api::ApiError>,
}

impl Keeping {
    /// Follows an action: when its answer comes, what it did in words (`said`, which may also
    /// tidy the form), with the list fetched again; or why it failed.
    fn follow<I: 'static, T: Clone + 'static>(
        self,
        action: Action<I, Result<T, api::ApiError>>,
        said: impl Fn(T) -> String + 'static,
    ) {
        Effect::new(move || match action.value().get() {
            Some(Ok(answer)) => self.done.run(said(answer)),
            Some(Err(e)) => self.failed.run(e),
            None => {}
        });
    }
}

/// What the year's list shows: the table only while there are members (drawn once, and its
/// rows kept, while it is shown).
#[derive(Clone, PartialEq)]
enum Listed {
    Loading,
    Failed(String),
    Empty,
    Shown,
}

/// A one-line text field of this page, kept in `value`; what `children` show under it (a hint,
/// an error) describes it when `described` names them.
#[component]
fn Line(
    id: &'static str,
    label: fn(Lang) -> &'static str,
    value: RwSignal<String>,
    #[prop(optional)] described: Option<&'static str>,
    /// Typed with digits (a date): the phone's number keyboard.
    #[prop(optional)]
    numeric: bool,
    #[prop(optional, into)] invalid: Option<Signal<bool>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <div class="org-field">
            <label for=id>{move || label(ctx.t())}</label>
            <input
                id=id
                type="text"
                inputmode=numeric.then_some("numeric")
                autocomplete="off"
                aria-describedby=described
                aria-invalid=move || invalid.is_some_and(|i| i.get()).then_some("true")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {children.map(|c| c())}
        </div>
    }
}

/// The date typed in a field, or why it is none.
fn typed_day(text: &str, lang: Lang) -> Result<Date, String> {
    Date::parse(text.trim()).ok_or_else(|| lang.not_a_date().to_owned())
}

#[component]
pub fn MembersPage(token: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // The widget's picker reads the language from its own context: the page's signal.
    provide_context(ctx.lang);
    let token = StoredValue::new(token);
    let meetings = LocalResource::new(move || {
        let lang = ctx.lang.get();
        async move { api::meetings(&token.get_value(), lang).await }
    });
    // The networks the meetings belong to, each with its name (a network's meetings share
    // their title), in the order first met.
    let networks = Memo::new(move |_| {
        let mut found: Vec<(String, String)> = Vec::new();
        if let Some(Ok(list)) = meetings.get() {
            for m in list {
                if !found.iter().any(|(id, _)| *id == m.network) {
                    found.push((m.network.clone(), m.title.clone()));
                }
            }
        }
        found
    });
    let chosen = RwSignal::new(None::<String>);
    let network = Memo::new(move |_| {
        chosen
            .get()
            .or_else(|| networks.with(|n| n.first().map(|(id, _)| id.clone())))
    });
    view! {
        <section class="org-card" aria-labelledby="org-members-title">
            <h1 id="org-members-title" tabindex="-1">{move || ctx.t().members_title()}</h1>
            <Show when=move || networks.with(|n| n.len() > 1)>
                <div class="org-field">
                    <label for="org-members-network">{move || ctx.t().network()}</label>
                    <select
                        id="org-members-network"
                        on:change=move |ev| chosen.set(Some(event_target_value(&ev)))
                    >
                        {move || networks.get().into_iter().map(|(id, name)| {
                            let selected = network.get().as_deref() == Some(id.as_str());
                            view! { <option value=id.clone() selected=selected>{format!("{name} ({id})")}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                </div>
            </Show>
        </section>
        {move || network.get().map(|network| view! { <NetworkMembers network token=token.get_value() /> })}
    }
}

/// One network's members.
#[component]
fn NetworkMembers(network: String, token: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (network, token) = (StoredValue::new(network), StoredValue::new(token));
    // None: this membership year, as the server counts it.
    let year = RwSignal::new(None::<i32>);
    let list = LocalResource::new(move || {
        let (lang, year) = (ctx.lang.get(), year.get());
        async move { api::members(&network.get_value(), year, &token.get_value(), lang).await }
    });
    // The last list that came: a fetch that fails says why in place of the table, and takes
    // none of the forms away.
    let members = Memo::new(move |last: Option<&Option<Members>>| {
        list.get()
            .and_then(Result::ok)
            .or_else(|| last.cloned().flatten())
    });
    let status = RwSignal::new(String::new());
    let since = Since::new();
    let keeping = Keeping {
        network,
        token,
        done: Callback::new(move |said: String| {
            status.set(said);
            list.refetch();
            since.focus("org-members-status");
        }),
        failed: Callback::new(move |e: api::ApiError| {
            status.set(ctx.message(&e));
            since.focus("org-members-status");
        }),
    };
    let shown_year = move || members.with(|m| m.as_ref().map(|m| m.year));
    // Each part is drawn again only when what it shows has changed: an action's answer fetches
    // the list again, and that must not reset a form being written in another part (or in
    // another row of the table).
    let span = part(members, |m| (m.from, m.until));
    let renewing = part(members, |m| {
        (m.year, m.from, m.until, m.renewable, m.renewal.clone())
    });
    let starts = part(members, |m| m.year_starts.clone());
    let history = part(members, |m| m.history.clone());
    let rows = part(members, |m| m.members.clone());
    let listed = Memo::new(move |_| {
        list.with(|l| match l {
            None => Listed::Loading,
            Some(Err(e)) => Listed::Failed(ctx.message(e)),
            Some(Ok(m)) if m.members.is_empty() => Listed::Empty,
            Some(Ok(_)) => Listed::Shown,
        })
    });
    view! {
        <section class="org-card" aria-labelledby="org-members-year-title">
            <h2 id="org-members-year-title">
                {move || members.get().map(|m| ctx.t().members_count(m.members.len(), m.year))}
            </h2>
            <div class="org-field">
                <label for="org-members-year">{move || ctx.t().members_year()}</label>
                <select
                    id="org-members-year"
                    on:change=move |ev| year.set(event_target_value(&ev).parse().ok())
                >
                    {move || shown_year().map(|shown| {
                        (shown - 5..=shown + 2).map(|y| view! {
                            <option value=y.to_string() selected=y == shown>{y}</option>
                        }).collect::<Vec<_>>()
                    })}
                </select>
                <p class="org-hint">
                    {move || members.get().map(|m| format!("{} – {}", ctx.t().day(m.from), ctx.t().day(m.until)))}
                </p>
            </div>
            <p id="org-members-status" class="org-status" role="status" tabindex="-1">{move || status.get()}</p>
            {move || renewing.get().map(|(year, from, until, renewable, renewal)| view! {
                <Renewing year from until renewable renewal keeping />
            })}
            {move || match listed.get() {
                Listed::Loading => view! { <p>{ctx.t().loading()}</p> }.into_any(),
                Listed::Failed(e) => view! { <p class="org-error" role="alert">{e}</p> }.into_any(),
                Listed::Empty => view! { <p>{ctx.t().no_members()}</p> }.into_any(),
                Listed::Shown => view! { <MemberTable rows span keeping /> }.into_any(),
            }}
            <button type="button" id="org-members-csv" on:click=move |_| {
                let Some(y) = shown_year() else { return };
                let lang = ctx.lang.get_untracked();
                leptos::task::spawn_local(async move {
                    let name = format!("medlemmer-{}-{y}.csv", network.get_value());
                    match api::members_csv(&network.get_value(), y, &token.get_value(), lang).await {
                        Ok(bytes) => save(&bytes, &name),
                        Err(e) => keeping.failed.run(e),
                    }
                });
            }>
                {move || ctx.t().download_members()}
            </button>
        </section>
        {move || span.get().map(|(from, until)| view! { <AddMember from until keeping /> })}
        {move || history.get().map(|history| view! { <History history /> })}
        {move || starts.get().map(|starts| view! { <YearStart starts keeping /> })}
    }
}

/// The part of the year's list that `pick` takes: it tells its readers only when that part
/// changed.
fn part<T: Clone + PartialEq + Send + Sync + 'static>(
    members: Memo<Option<Members>>,
    pick: fn(&Members) -> T,
) -> Memo<Option<T>> {
    Memo::new(move |_| members.with(|m| m.as_ref().map(pick)))
}

/// The year's members, each with a way to end its membership.
#[component]
fn MemberTable(
    rows: Memo<Option<Vec<Member>>>,
    span: Memo<Option<(Date, Date)>>,
    keeping: Keeping,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ending = RwSignal::new(None::<u16>);
    // A row is drawn again only when its membership changed, so an end being written in one
    // row outlives the answers to what is done in the others.
    let (network, token) = (keeping.network, keeping.token);
    let row = move |m: Member| {
        let code = m.municipality_code;
        let name = municipality_name(code);
        // The end is saved by the row, not by its form: the answer is told, and the list
        // fetched again, also when another row's form has been opened meanwhile (which closes
        // this one). It closes the form only if it is still this row's.
        let save_end = Action::new_local(move |set: &SetMembership| {
            let (set, lang) = (set.clone(), ctx.lang.get_untracked());
            async move {
                api::set_member(&network.get_value(), code, &set, &token.get_value(), lang).await
            }
        });
        keeping.follow(save_end, move |set| {
            if ending.get_untracked() == Some(code) {
                ending.set(None);
            }
            let lang = ctx.lang.get_untracked();
            lang.membership_saved(name, set.member.valid_until, set.waiting)
        });
        let t = move || ctx.t();
        let (from, until) = (m.valid_from, m.valid_until);
        let how = t().became_by(m.became, &m.by);
        let member = m.clone();
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td>{move || from.map_or_else(|| t().from_before().to_owned(), |d| t().day(d))}</td>
                <td>{move || until.map_or_else(|| t().until_ended().to_owned(), |d| t().day(d))}</td>
                <td>{how}</td>
                <td>{m.note.clone()}</td>
                <td>
                    <button
                        type="button"
                        id=format!("org-end-{code}")
                        aria-label=move || t().end_for(name)
                        aria-expanded=move || (ending.get() == Some(code)).to_string()
                        on:click=move |_| ending.set(Some(code))
                    >
                        {move || t().end_membership()}
                    </button>
                </td>
            </tr>
            <Show when=move || ending.get() == Some(code)>
                <tr>
                    <td colspan="6">
                        <EndForm member=member.clone() span ending save_end />
                    </td>
                </tr>
            </Show>
        }
    };
    view! {
        <div class="org-scroll" tabindex="0" role="region" aria-labelledby="org-members-year-title">
            <table class="org-table">
                <thead>
                    <tr>
                        <th scope="col">{move || ctx.t().col_municipality()}</th>
                        <th scope="col">{move || ctx.t().col_from()}</th>
                        <th scope="col">{move || ctx.t().col_until()}</th>
                        <th scope="col">{move || ctx.t().col_how()}</th>
                        <th scope="col">{move || ctx.t().col_note()}</th>
                        <th scope="col"><span class="org-visually-hidden">{move || ctx.t().end_membership()}</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get().unwrap_or_default() key=Member::clone children=row />
                </tbody>
            </table>
        </div>
    }
}

/// Ends (or moves the end of) one membership, saying first what becomes of its registrations
/// for meetings after the end.
#[component]
fn EndForm(
    member: Member,
    /// The year shown, from its first day through its last.
    span: Memo<Option<(Date, Date)>>,
    ending: RwSignal<Option<u16>>,
    /// Saves the end (the row's, which outlives the form).
    save_end: Action<SetMembership, Result<MembershipSet, api::ApiError>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let code = member.municipality_code;
    let name = municipality_name(code);
    // Its end, or the end of the year shown when the form opens, whichever comes first.
    let year_end = span.with_untracked(|s| s.map(|(_, until)| until));
    let default_end = [member.valid_until, year_end].into_iter().flatten().min();
    let last = RwSignal::new(default_end.map(|d| d.to_string()).unwrap_or_default());
    let note = RwSignal::new(String::new());
    let after = RwSignal::new(AfterEnd::Keep);
    let error = RwSignal::new(None::<String>);
    let upcoming = member.upcoming.clone();
    // Registered for meetings after the end as typed.
    let after_end = move || {
        Date::parse(last.get().trim()).map_or(0, |end| {
            upcoming
                .iter()
                .filter(|u| u.date > end)
                .map(|u| u.registered)
                .sum::<i64>()
        })
    };
    let after_end = Memo::new(move |_| after_end());
    let member = StoredValue::new(member);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = ctx.lang.get_untracked();
        let end = match typed_day(&last.get_untracked(), lang) {
            Ok(end) => end,
            Err(e) => {
                error.set(Some(e));
                crate::focus("org-end-date");
                return;
            }
        };
        let m = member.get_value();
        if m.valid_from.is_some_and(|f| end < f) {
            error.set(Some(lang.end_before_start().to_owned()));
            crate::focus("org-end-date");
            return;
        }
        error.set(None);
        // A day the membership holds: that membership, ended at `end` (see `SetMembership`).
        let from = if m.holds(end) {
            end
        } else {
            m.valid_until.unwrap_or(end)
        };
        save_end.dispatch(SetMembership {
            valid_from: from,
            valid_until: Some(end),
            note: note.get_untracked(),
            registrations: after.get_untracked(),
        });
    };
    Effect::new(move || crate::focus_later("org-end-date"));
    view! {
        <form class="org-inline-form" on:submit=submit aria-labelledby="org-end-title">
            <h3 id="org-end-title">{move || ctx.t().end_for(name)}</h3>
            <Line
                id="org-end-date"
                label=Lang::last_day
                value=last
                numeric=true
                described="org-end-date-hint org-end-date-error"
                invalid=Signal::derive(move || error.with(Option::is_some))
            >
                <p id="org-end-date-hint" class="org-hint">{move || ctx.t().date_format()}</p>
                <p id="org-end-date-error" class="org-error">{move || error.get()}</p>
            </Line>
            <Line id="org-end-note" label=Lang::note value=note />
            <Show when=move || { after_end.get() > 0 }>
                <fieldset class="org-choice">
                    <legend>{move || ctx.t().after_end(after_end.get(), name)}</legend>
                    <label>
                        <input
                            type="radio"
                            name="org-after-end"
                            checked=move || after.get() == AfterEnd::Keep
                            on:change=move |_| after.set(AfterEnd::Keep)
                        />
                        {move || ctx.t().keep_registrations()}
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="org-after-end"
                            checked=move || after.get() == AfterEnd::Wait
                            on:change=move |_| after.set(AfterEnd::Wait)
                        />
                        {move || ctx.t().wait_registrations()}
                    </label>
                </fieldset>
            </Show>
            <button type="submit" class="org-primary" aria-disabled=move || save_end.pending().get().then_some("true")>
                {move || ctx.t().save()}
            </button>
            <button type="button" on:click=move |_| {
                ending.set(None);
                crate::focus_later(format!("org-end-{code}"));
            }>
                {move || ctx.t().cancel()}
            </button>
        </form>
    }
}

/// Renews last year's members into the year shown, confirmed with the count; and the latest
/// renewal's undoing, for a day.
#[component]
fn Renewing(
    year: i32,
    from: Date,
    until: Date,
    renewable: i64,
    renewal: Option<Renewal>,
    keeping: Keeping,
) -> impl IntoView {
    let (network, token) = (keeping.network, keeping.token);
    let ctx = expect_context::<Ctx>();
    let to = Renew {
        from_year: year - 1,
        to_year: year,
    };
    // What the renewal would extend, as the server counts it, and the day they end on now (the
    // day before this year's first).
    let (n, last_end) = (
        usize::try_from(renewable).unwrap_or(0),
        tilmelding_domain::members::day_before(from),
    );
    let confirming = RwSignal::new(false);
    let renew = Action::new_local(move |(): &()| {
        let lang = ctx.lang.get_untracked();
        async move { api::renew(&network.get_value(), to, &token.get_value(), lang).await }
    });
    keeping.follow(renew, move |r| {
        confirming.set(false);
        let lang = ctx.lang.get_untracked();
        lang.renewed(r.renewed, r.from_year, r.to_year)
    });
    let undo = Action::new_local(move |id: &i64| {
        let (id, lang) = (*id, ctx.lang.get_untracked());
        async move { api::undo_renewal(&network.get_value(), id, &token.get_value(), lang).await }
    });
    keeping.follow(undo, move |()| {
        ctx.lang.get_untracked().renewal_undone().to_owned()
    });
    view! {
        <div class="org-actions-row">
            <button type="button" id="org-renew" on:click=move |_| {
                confirming.set(true);
                crate::focus_later("org-renew-confirm");
            }>
                {move || ctx.t().renew_from(year - 1)}
            </button>
            {renewal.map(|r| {
                let line = ctx.t().renewed(r.renewed, r.from_year, r.to_year);
                view! {
                    <p class="org-hint">{line}</p>
                    <button type="button" id="org-undo-renewal" on:click=move |_| { undo.dispatch(r.id); }>
                        {move || ctx.t().undo_renewal()}
                    </button>
                }
            })}
        </div>
        {move || confirming.get().then(|| view! {
            <div class="org-confirm" role="group" aria-labelledby="org-renew-question">
                <p id="org-renew-question">{move || ctx.t().renew_confirm(n, last_end, until)}</p>
                <button type="button" id="org-renew-confirm" class="org-primary" on:click=move |_| { renew.dispatch(()); }>
                    {move || ctx.t().renew_button(n)}
                </button>
                <button type="button" on:click=move |_| {
                    confirming.set(false);
                    crate::focus_later("org-renew");
                }>
                    {move || ctx.t().cancel()}
                </button>
            </div>
        })}
    }
}

/// Adds a municipality as a member, by default for the year shown.
#[component]
fn AddMember(from: Date, until: Date, keeping: Keeping) -> impl IntoView {
    let (network, token) = (keeping.network, keeping.token);
    let ctx = expect_context::<Ctx>();
    let picked = RwSignal::new(None::<&'static Municipality>);
    let pick_error = RwSignal::new(None::<String>);
    let from = RwSignal::new(from.to_string());
    let until = RwSignal::new(until.to_string());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = Action::new_local(move |(code, set): &(u16, SetMembership)| {
        let (code, set, lang) = (*code, set.clone(), ctx.lang.get_untracked());
        async move { api::set_member(&network.get_value(), code, &set, &token.get_value(), lang).await }
    });
    // What the last addition sent. Once it is answered the form is made fresh for the next
    // one, but only where it still shows what was sent: what has been written since stays.
    let sent = StoredValue::new((0u16, String::new()));
    let fresh = RwSignal::new(0u32);
    keeping.follow(add, move |set| {
        let code = set.member.municipality_code;
        let name = municipality_name(code);
        let (sent_code, sent_note) = sent.get_value();
        if sent_code == code && picked.get_untracked().map(|m| m.code) == Some(code) {
            picked.set(None);
            fresh.update(|n| *n += 1);
        }
        if note.with_untracked(|n| *n == sent_note) {
            note.set(String::new());
        }
        let lang = ctx.lang.get_untracked();
        lang.membership_saved(name, set.member.valid_until, set.waiting)
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = ctx.lang.get_untracked();
        let Some(m) = picked.get_untracked() else {
            pick_error.set(Some(lang.pick_first().to_owned()));
            crate::focus("tlm-kommune");
            return;
        };
        pick_error.set(None);
        let start = typed_day(&from.get_untracked(), lang);
        let end_text = until.get_untracked();
        let end = match end_text.trim() {
            "" => Ok(None),
            text => typed_day(text, lang).map(Some),
        };
        let (start, end) = match (start, end) {
            (Ok(s), Ok(e)) if e.is_none_or(|e| e >= s) => (s, e),
            (Ok(_), Ok(_)) => {
                error.set(Some(lang.end_before_start().to_owned()));
                crate::focus("org-add-until");
                return;
            }
            (Err(e), _) | (_, Err(e)) => {
                error.set(Some(e));
                crate::focus("org-add-from");
                return;
            }
        };
        error.set(None);
        sent.set_value((m.code, note.get_untracked()));
        add.dispatch((
            m.code,
            SetMembership {
                valid_from: start,
                valid_until: end,
                note: note.get_untracked(),
                registrations: AfterEnd::Keep,
            },
        ));
    };
    view! {
        <section class="org-card" aria-labelledby="org-add-title">
            <h2 id="org-add-title">{move || ctx.t().add_title()}</h2>
            <p>{move || ctx.t().add_hint()}</p>
            <form on:submit=submit>
                {move || {
                    fresh.track();
                    view! {
                        <MunicipalityPicker
                            selected=Signal::from(picked)
                            on_pick=Callback::new(move |m| picked.set(m))
                            error=pick_error
                        />
                    }
                }}
                <Line
                    id="org-add-from"
                    label=Lang::member_from_label
                    value=from
                    numeric=true
                    described="org-add-error"
                />
                <Line
                    id="org-add-until"
                    label=Lang::member_until_label
                    value=until
                    numeric=true
                    described="org-add-until-hint org-add-error"
                >
                    <p id="org-add-until-hint" class="org-hint">
                        {move || format!("{} {}", ctx.t().date_format(), ctx.t().member_until_hint())}
                    </p>
                </Line>
                <p id="org-add-error" class="org-error">{move || error.get()}</p>
                <Line id="org-add-note" label=Lang::note value=note />
                <button type="submit" class="org-primary" aria-disabled=move || add.pending().get().then_some("true")>
                    {move || ctx.t().add()}
                </button>
            </form>
        </section>
    }
}

/// What was done to the network's members, by whom and when.
#[component]
fn History(history: Vec<MembershipEvent>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let empty = history.is_empty();
    let lines = history
        .into_iter()
        .map(|e| {
            let when = tilmelding_domain::calendar::format_local(e.at);
            let whom = e.municipality_code.map(municipality_name).unwrap_or_default();
            let by = if e.by.is_empty() { String::new() } else { format!(" · {}", e.by) };
            view! {
                <li>
                    {move || format!("{when}{by} · {} {whom} {}", ctx.t().member_event(e.action), e.detail)}
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section class="org-card" aria-labelledby="org-members-history">
            <h2 id="org-members-history">{move || ctx.t().members_history()}</h2>
            {if empty {
                view! { <p>{move || ctx.t().no_history()}</p> }.into_any()
            } else {
                view! { <ul class="org-history">{lines}</ul> }.into_any()
            }}
        </section>
    }
}

/// The day the network's membership year starts.
#[component]
fn YearStart(starts: String, keeping: Keeping) -> impl IntoView {
    let (network, token) = (keeping.network, keeping.token);
    let ctx = expect_context::<Ctx>();
    let starts = RwSignal::new(starts);
    let set = Action::new_local(move |starts: &String| {
        let (starts, lang) = (starts.clone(), ctx.lang.get_untracked());
        async move { api::set_year_start(&network.get_value(), &starts, &token.get_value(), lang).await }
    });
    keeping.follow(set, move |()| {
        ctx.lang.get_untracked().year_starts_saved().to_owned()
    });
    view! {
        <section class="org-card" aria-labelledby="org-year-starts-title">
            <h2 id="org-year-starts-title">{move || ctx.t().year_starts()}</h2>
            <form on:submit=move |ev| {
                ev.prevent_default();
                set.dispatch(starts.get_untracked().trim().to_owned());
            }>
                <Line
                    id="org-year-starts"
                    label=Lang::year_starts
                    value=starts
                    numeric=true
                    described="org-year-starts-hint"
                >
                    <p id="org-year-starts-hint" class="org-hint">{move || ctx.t().year_starts_hint()}</p>
                </Line>
                <button type="submit">{move || ctx.t().save()}</button>
            </form>
        </section>
    }
}
