//! A network's members, kept by the organiser: who is a member in a year, a municipality made
//! a member or its membership ended, the members of one year renewed into the next (and the
//! renewal undone within a day), the membership year, and the history of it all. An approved
//! application makes the municipality a member for the membership year of the meeting it
//! applied with ([`approve_into`]).

use crate::store::{
    self, Became, Date, KeptRenewal, Member, MembershipAction, NewMembershipEvent, NewRenewal,
    Standing, Store, Tx, Work,
};
use std::collections::HashMap;
use tilmelding_domain::members::{
    AfterEnd, Members, MembershipSet, MembershipYear, Renew, Renewal, SetMembership, Upcoming,
    danish_date,
};

/// History lines the member page shows: the latest, enough for years of a network.
const HISTORY_SHOWN: i64 = 200;

/// The network's membership year (1 January unless it set another day).
async fn year_of<T: Tx>(tx: &mut T, network: &str) -> store::Result<MembershipYear> {
    Ok(tx
        .membership_year(network)
        .await?
        .as_deref()
        .and_then(MembershipYear::parse)
        .unwrap_or_default())
}

/// "2027-01-01 – 2027-12-31", a period as the history tells it (no start: "–").
fn period(from: Option<Date>, until: Option<Date>) -> String {
    let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    format!("{} – {}", day(from), day(until)).trim().to_owned()
}

/// A period for a municipality, kept: a membership that holds `from` is that membership,
/// continued or ended at `until` (it keeps how it began); otherwise a new one begins, as
/// `became`. Later memberships that the period now covers are taken into it. What it became,
/// and whether it was a membership already.
async fn set_period<T: Tx>(
    tx: &mut T,
    network: &str,
    code: u16,
    (from, until): (Date, Option<Date>),
    made: (Became, &str, &str),
    now: i64,
) -> store::Result<(Member, bool)> {
    let kept = tx.memberships_of(network, code).await?;
    let covering = kept.iter().find(|k| k.member.holds(from));
    for k in &kept {
        let taken = k.member.valid_from.is_some_and(|f| {
            f > from && until.is_none_or(|u| f <= u) && Some(k.id) != covering.map(|c| c.id)
        });
        if taken {
            tx.delete_membership(k.id).await?;
        }
    }
    if let Some(c) = covering {
        tx.set_membership_end(c.id, until).await?;
        let member = Member {
            valid_until: until,
            ..c.member.clone()
        };
        return Ok((member, true));
    }
    let (became, by, note) = made;
    let member = Member {
        municipality_code: code,
        valid_from: Some(from),
        valid_until: until,
        became,
        by: by.to_owned(),
        note: note.to_owned(),
        upcoming: Vec::new(),
    };
    tx.add_membership(network, &member, now).await?;
    Ok((member, false))
}

/// Makes a municipality whose application is approved a member for the membership year of the
/// meeting's date (`day`), and records it; the period.
pub async fn approve_into<T: Tx>(
    tx: &mut T,
    (network, code): (&str, u16),
    day: Date,
    by: &str,
    now: i64,
) -> store::Result<(Date, Date)> {
    let year = year_of(tx, network).await?;
    let (from, until) = year.days(year.of(day));
    let made = (Became::Approved, by, "");
    set_period(tx, network, code, (from, Some(until)), made, now).await?;
    let detail = period(Some(from), Some(until));
    tx.add_membership_event(&NewMembershipEvent {
        network,
        code: Some(code),
        at: now,
        by,
        action: MembershipAction::Approved,
        detail: &detail,
    })
    .await?;
    Ok((from, until))
}

/// Imports a member file's municipalities, from `since` (none: from before periods were kept),
/// each unless the network has had it as a member; records those it did.
pub async fn import<T: Tx>(
    tx: &mut T,
    network: &str,
    codes: &[u16],
    since: Option<Date>,
    now: i64,
) -> store::Result<usize> {
    let mut imported = 0;
    for &code in codes {
        if tx.import_member(network, code, since, now).await? {
            imported += 1;
            tx.add_membership_event(&NewMembershipEvent {
                network,
                code: Some(code),
                at: now,
                by: "",
                action: MembershipAction::Imported,
                detail: &period(since, None),
            })
            .await?;
        }
    }
    Ok(imported)
}

/// Whether the network has, or had, a member (one with a meeting kept is known without).
pub async fn known(store: &Store, network: &str) -> store::Result<bool> {
    struct Known(String);
    impl Work for Known {
        type Output = bool;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<bool> {
            tx.network_has_members(&self.0).await
        }
    }
    store.run(Known(network.to_owned())).await
}

/// A renewal as the page shows it, while it may be undone.
fn undoable(r: KeptRenewal, now: i64) -> Option<Renewal> {
    let undo_until = r.at + Renewal::UNDO_SECONDS;
    (!r.undone && now < undo_until).then_some(Renewal {
        id: r.id,
        from_year: r.from_year,
        to_year: r.to_year,
        renewed: r.renewed,
        by: r.by,
        at: r.at,
        undo_until,
        undone: false,
    })
}

/// The network's members in a membership year, each with its registrations for the network's
/// meetings to come (`meetings`: the network's meetings and their dates), the renewal that may
/// be undone, and the history. No year: the membership year of today.
pub async fn list(
    store: &Store,
    network: &str,
    year: Option<i32>,
    meetings: HashMap<String, Date>,
    now: i64,
) -> store::Result<Members> {
    struct Listing {
        network: String,
        year: Option<i32>,
        meetings: HashMap<String, Date>,
        now: i64,
    }
    impl Work for Listing {
        type Output = Members;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Members> {
            let network = self.network.as_str();
            let starts = year_of(tx, network).await?;
            let today = danish_date(self.now);
            let year = self.year.unwrap_or_else(|| starts.of(today));
            let (from, until) = starts.days(year);
            let to_come: HashMap<&str, Date> = self
                .meetings
                .iter()
                .filter(|(_, date)| **date >= today)
                .map(|(id, date)| (id.as_str(), *date))
                .collect();
            let mut upcoming: HashMap<u16, Vec<Upcoming>> = HashMap::new();
            let registered = Standing::Registered;
            for (meeting, code, n) in tx.registered_per_municipality(network, registered).await? {
                if let Some(&date) = to_come.get(meeting.as_str()) {
                    upcoming.entry(code).or_default().push(Upcoming {
                        meeting_id: meeting,
                        date,
                        registered: n,
                    });
                }
            }
            let members = tx
                .memberships_between(network, from, until)
                .await?
                .into_iter()
                .map(|k| {
                    let mut upcoming = upcoming
                        .get(&k.member.municipality_code)
                        .cloned()
                        .unwrap_or_default();
                    upcoming.sort_by_key(|u| u.date);
                    Member {
                        upcoming,
                        ..k.member
                    }
                })
                .collect();
            let renewable = tx.renewable(network, starts.days(year - 1).1).await?;
            let renewal = tx.latest_renewal(network).await?;
            Ok(Members {
                network: self.network.clone(),
                year,
                from,
                until,
                year_starts: starts.to_string(),
                members,
                renewable,
                renewal: renewal.and_then(|r| undoable(r, self.now)),
                history: tx.membership_history(network, HISTORY_SHOWN).await?,
            })
        }
    }
    store
        .run(Listing {
            network: network.to_owned(),
            year,
            meetings,
            now,
        })
        .await
}

/// Keeps an organiser's period for a municipality (see [`SetMembership`]) and records it. With
/// [`AfterEnd::Wait`], its registrations for the network's meetings after the new end wait for
/// a decision on membership, as an application's do, with an application made in the name of
/// the first contact person.
pub async fn set(
    store: &Store,
    (network, code): (&str, u16),
    set: SetMembership,
    meetings: HashMap<String, Date>,
    (by, now): (&str, i64),
) -> store::Result<MembershipSet> {
    struct Setting {
        network: String,
        code: u16,
        set: SetMembership,
        meetings: HashMap<String, Date>,
        by: String,
        now: i64,
    }
    impl Work for Setting {
        type Output = MembershipSet;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<MembershipSet> {
            let (network, code, s, now) = (self.network.as_str(), self.code, &self.set, self.now);
            let made = (Became::Added, self.by.as_str(), s.note.as_str());
            let span = (s.valid_from, s.valid_until);
            let (member, existing) = set_period(tx, network, code, span, made, now).await?;
            let mut waiting = 0;
            if let (AfterEnd::Wait, Some(end)) = (s.registrations, s.valid_until) {
                let mut after: Vec<_> = self.meetings.iter().filter(|(_, d)| **d > end).collect();
                after.sort_by_key(|(_, d)| *d);
                for (meeting, _) in after {
                    let moved = tx
                        .move_registrations(
                            meeting,
                            code,
                            Standing::Registered,
                            Standing::PendingMembership,
                            now,
                        )
                        .await?;
                    if moved > 0
                        && !tx.application_pending(network, code).await?
                        && let Some(contact) = tx.first_contact(meeting, code).await?
                    {
                        tx.add_application(network, code, &contact, meeting, now)
                            .await?;
                    }
                    waiting += moved;
                }
            }
            let mut detail = period(member.valid_from, member.valid_until);
            if !s.note.is_empty() {
                detail = format!("{detail}: {}", s.note);
            }
            let action = if existing {
                MembershipAction::Changed
            } else {
                MembershipAction::Added
            };
            tx.add_membership_event(&NewMembershipEvent {
                network,
                code: Some(code),
                at: now,
                by: &self.by,
                action,
                detail: &detail,
            })
            .await?;
            Ok(MembershipSet { member, waiting })
        }
    }
    store
        .run(Setting {
            network: network.to_owned(),
            code,
            set,
            meetings,
            by: by.to_owned(),
            now,
        })
        .await
}

/// Extends every membership that ends with `from_year` through `to_year` (not those of a
/// municipality with a later membership already), and records it.
pub async fn renew(
    store: &Store,
    network: &str,
    renew: Renew,
    (by, now): (&str, i64),
) -> store::Result<Renewal> {
    struct Renewing {
        network: String,
        renew: Renew,
        by: String,
        now: i64,
    }
    impl Work for Renewing {
        type Output = Renewal;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Renewal> {
            let (network, r, now) = (self.network.as_str(), self.renew, self.now);
            let year = year_of(tx, network).await?;
            let (old_until, new_until) = (year.days(r.from_year).1, year.days(r.to_year).1);
            let (id, renewed) = tx
                .renew(&NewRenewal {
                    network,
                    from_year: r.from_year,
                    to_year: r.to_year,
                    old_until,
                    new_until,
                    at: now,
                    by: &self.by,
                })
                .await?;
            let detail = format!("{} → {}: {renewed}", r.from_year, r.to_year);
            tx.add_membership_event(&NewMembershipEvent {
                network,
                code: None,
                at: now,
                by: &self.by,
                action: MembershipAction::Renewed,
                detail: &detail,
            })
            .await?;
            Ok(Renewal {
                id,
                from_year: r.from_year,
                to_year: r.to_year,
                renewed,
                by: self.by.clone(),
                at: now,
                undo_until: now + Renewal::UNDO_SECONDS,
                undone: false,
            })
        }
    }
    store
        .run(Renewing {
            network: network.to_owned(),
            renew,
            by: by.to_owned(),
            now,
        })
        .await
}

/// Undoes the network's latest renewal, if it is the one named and less than a day old: each
/// membership it extended, and nobody changed since, ends with its year again. `None`: it
/// cannot be undone.
pub async fn undo(
    store: &Store,
    network: &str,
    id: i64,
    (by, now): (&str, i64),
) -> store::Result<Option<usize>> {
    struct Undoing {
        network: String,
        id: i64,
        by: String,
        now: i64,
    }
    impl Work for Undoing {
        type Output = Option<usize>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Option<usize>> {
            let network = self.network.as_str();
            let Some(r) = tx.latest_renewal(network).await? else {
                return Ok(None);
            };
            if r.id != self.id || undoable(r.clone(), self.now).is_none() {
                return Ok(None);
            }
            let undone = tx.undo_renewal(&r, self.now).await?;
            let detail = format!("{} → {}: {undone}", r.from_year, r.to_year);
            tx.add_membership_event(&NewMembershipEvent {
                network,
                code: None,
                at: self.now,
                by: &self.by,
                action: MembershipAction::RenewalUndone,
                detail: &detail,
            })
            .await?;
            Ok(Some(undone))
        }
    }
    store
        .run(Undoing {
            network: network.to_owned(),
            id,
            by: by.to_owned(),
            now,
        })
        .await
}

/// Sets the day the network's membership year starts; kept memberships keep their days.
pub async fn set_year(
    store: &Store,
    network: &str,
    starts: MembershipYear,
    (by, now): (&str, i64),
) -> store::Result<()> {
    struct SettingYear {
        network: String,
        starts: MembershipYear,
        by: String,
        now: i64,
    }
    impl Work for SettingYear {
        type Output = ();
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<()> {
            let starts = self.starts.to_string();
            tx.set_membership_year(&self.network, &starts).await?;
            tx.add_membership_event(&NewMembershipEvent {
                network: &self.network,
                code: None,
                at: self.now,
                by: &self.by,
                action: MembershipAction::YearSet,
                detail: &starts,
            })
            .await
        }
    }
    store
        .run(SettingYear {
            network: network.to_owned(),
            starts,
            by: by.to_owned(),
            now,
        })
        .await
}
