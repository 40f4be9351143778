//! What the organiser sees of a meeting: who is coming, per municipality, and what waits for a
//! decision.

use super::catalogue::Entry;
use crate::store::{
    self, Application, AttendeeRow, Count, DecidedApplication, HeldMail, MeetingStatus, Standing,
    Store, Tx, Work,
};
use tilmelding_domain::Meeting;
use tilmelding_domain::organiser::{MeetingItem, MunicipalityRow, Overview, Totals};

/// Who did something on the organiser page, as recorded with it: the name the organiser gave
/// (normalised, at most 200 characters), or "arrangør" when they gave none.
pub fn signed(name: &str) -> String {
    let name = tilmelding_domain::catalogue::plain_text(name);
    if name.is_empty() {
        "arrangør".to_owned()
    } else {
        name.chars().take(200).collect()
    }
}

/// Decided applications the overview lists: the latest, enough for a network's year.
const DECIDED_SHOWN: i64 = 100;

/// Held-back mails the overview lists: the latest.
const HELD_SHOWN: i64 = 100;

/// Every registration for a meeting, oldest first.
pub async fn export(store: &Store, meeting_id: &str) -> store::Result<Vec<AttendeeRow>> {
    struct Export(String);
    impl Work for Export {
        type Output = Vec<AttendeeRow>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Vec<AttendeeRow>> {
            tx.export(&self.0).await
        }
    }
    store.run(Export(meeting_id.to_owned())).await
}

/// Attendees per municipality for a meeting, in Danish order of municipality (counted from the
/// registrations, so the two can never disagree).
pub async fn counts(store: &Store, meeting_id: &str) -> store::Result<Vec<Count>> {
    Ok(Count::tally(&export(store, meeting_id).await?))
}

/// The meeting as the organiser's list names it, with `registrations` counted.
pub fn item(meeting: &Meeting, status: MeetingStatus, registrations: i64) -> MeetingItem {
    MeetingItem {
        id: meeting.id.clone(),
        title: meeting.title.clone(),
        network: meeting.network.id.clone(),
        date: meeting.date.to_string(),
        theme: meeting.theme.clone(),
        registrations,
        status,
    }
}

/// The meetings the organiser can open, each with its registrations counted: those to come
/// first (the soonest first), then the drafts, then those over (the latest first).
pub async fn meetings(
    store: &Store,
    meetings: impl Iterator<Item = &Entry>,
    now: i64,
) -> store::Result<Vec<MeetingItem>> {
    struct Counted;
    impl Work for Counted {
        type Output = Vec<(String, i64)>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Self::Output> {
            tx.registrations_per_meeting().await
        }
    }
    let counted = store.run(Counted).await?;
    let count = |id: &str| counted.iter().find(|(m, _)| m == id).map_or(0, |(_, n)| *n);
    let mut list: Vec<(i64, MeetingItem)> = meetings
        .map(|e| {
            let m = &e.meeting;
            let days = m.date.days_since_epoch();
            let order = match e.status {
                MeetingStatus::Draft => 0,
                // To come until it has ended (a late deadline does not make it so).
                _ if m.ends().to_unix() >= now => -1_000_000 + days,
                _ => 1_000_000 - days,
            };
            (order, item(m, e.status, count(&m.id)))
        })
        .collect();
    list.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.id.cmp(&y.id)));
    Ok(list.into_iter().map(|(_, item)| item).collect())
}

/// Everything the organiser page shows of a meeting, read in one transaction (one snapshot).
pub async fn overview(
    store: &Store,
    meeting: &Meeting,
    status: MeetingStatus,
    refresh_seconds: u32,
) -> store::Result<Overview> {
    struct Read {
        meeting_id: String,
        network: String,
        /// The meeting's date: who is a member on it.
        day: crate::store::Date,
    }
    impl Work for Read {
        type Output = (
            Vec<u16>,
            Vec<AttendeeRow>,
            Vec<Application>,
            Vec<DecidedApplication>,
            Option<String>,
            Vec<HeldMail>,
        );
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Self::Output> {
            Ok((
                tx.memberships_between(&self.network, self.day, self.day)
                    .await?
                    .into_iter()
                    .map(|k| k.member.municipality_code)
                    .collect(),
                tx.export(&self.meeting_id).await?,
                tx.pending_applications().await?,
                tx.decided_applications(&self.network, DECIDED_SHOWN)
                    .await?,
                tx.join_url(&self.meeting_id).await?,
                tx.held_mails(&self.meeting_id, HELD_SHOWN).await?,
            ))
        }
    }
    let (members, attendees, applications, decided, join_url, held_mails) = store
        .run(Read {
            meeting_id: meeting.id.clone(),
            network: meeting.network.id.clone(),
            day: meeting.date,
        })
        .await?;
    let municipalities: Vec<MunicipalityRow> = Count::tally(&attendees)
        .into_iter()
        .map(|count| MunicipalityRow {
            member: members.contains(&count.municipality_code),
            count,
        })
        .collect();
    let registrations = attendees
        .iter()
        .filter(|a| matches!(a.status, Standing::Registered | Standing::PendingMembership))
        .count() as i64;
    Ok(Overview {
        meeting: item(meeting, status, registrations),
        totals: Totals::of(&municipalities),
        municipalities,
        attendees,
        applications: applications
            .into_iter()
            .filter(|a| a.network == meeting.network.id)
            .collect(),
        join_url,
        decided,
        refresh_seconds,
        held_mails,
    })
}
