//! What the organiser sees of a meeting: who is coming, per municipality, and what waits for a
//! decision.

use crate::store::{self, Application, AttendeeRow, Count, Store, Tx, Work};
use tilmelding_domain::Meeting;
use tilmelding_domain::organiser::{MeetingItem, MunicipalityRow, Overview, Totals};

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

/// The meeting as the organiser's list names it.
pub fn item(meeting: &Meeting) -> MeetingItem {
    MeetingItem {
        id: meeting.id.clone(),
        title: meeting.title.clone(),
        date: meeting.date.to_string(),
    }
}

/// Everything the organiser page shows of a meeting, read in one transaction (one snapshot).
pub async fn overview(store: &Store, meeting: &Meeting) -> store::Result<Overview> {
    struct Read {
        meeting_id: String,
        network: String,
    }
    impl Work for Read {
        type Output = (Vec<u16>, Vec<AttendeeRow>, Vec<Application>, Option<String>);
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Self::Output> {
            Ok((
                tx.members(&self.network).await?,
                tx.export(&self.meeting_id).await?,
                tx.pending_applications().await?,
                tx.join_url(&self.meeting_id).await?,
            ))
        }
    }
    let (members, attendees, applications, join_url) = store
        .run(Read {
            meeting_id: meeting.id.clone(),
            network: meeting.network.id.clone(),
        })
        .await?;
    let municipalities: Vec<MunicipalityRow> = Count::tally(&attendees)
        .into_iter()
        .map(|count| MunicipalityRow {
            member: members.contains(&count.municipality_code),
            count,
        })
        .collect();
    Ok(Overview {
        meeting: item(meeting),
        totals: Totals::of(&municipalities),
        municipalities,
        attendees,
        applications: applications
            .into_iter()
            .filter(|a| a.network == meeting.network.id)
            .collect(),
        join_url,
    })
}
