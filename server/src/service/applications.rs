//! Membership applications: the organiser approves or declines a municipality that applied
//! while registering, and the people waiting on it are told.

use super::MailContext;
use super::manage::{Token, link};
use super::members;
use crate::letters::Person;
use crate::store::Cause;
use crate::store::{self, Application, Date, Standing, Store, Tx, Work};
use std::collections::HashMap;
use tilmelding_domain::Meeting;
use tilmelding_domain::members::danish_date;

/// A decline's reason as the municipality is told it, normalised and without control
/// characters (PostgreSQL refuses a NUL byte); `None` when nothing visible is left, or it is
/// longer than 2,000 characters as sent (as the contract's `maxLength` counts them).
pub fn decline_reason(reason: &str) -> Option<String> {
    let normalised = tilmelding_domain::catalogue::plain_text(reason);
    (!normalised.is_empty() && reason.chars().count() <= 2000).then_some(normalised)
}

/// The organiser's answer to a membership application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The municipality becomes a member; its waiting registrations become registered.
    Approve,
    /// Its waiting registrations are declined, with a reason for the municipality.
    Decline { reason: String },
}

/// What deciding an application did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// Decided now; this many waiting registrations changed, and on approval the membership
    /// it made (its first and last day).
    Now(usize, Option<(Date, Date)>),
    /// It was already decided the same way: nothing changed (deciding is idempotent).
    Already,
    /// It was already decided the other way: nothing changed.
    Otherwise,
}

/// Applications not yet decided, oldest first.
pub async fn pending(store: &Store) -> store::Result<Vec<Application>> {
    struct Pending;
    impl Work for Pending {
        type Output = Vec<Application>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Vec<Application>> {
            tx.pending_applications().await
        }
    }
    store.run(Pending).await
}

/// What the mails of a decision need, where mail is configured: the sender, and for each
/// meeting the server knows, its data and the page its manage links open.
#[derive(Clone)]
pub struct DecisionMail {
    pub from: String,
    pub meetings: HashMap<String, (Meeting, String)>,
}

/// Approves or declines an application, in one transaction with what follows from it (see
/// [`Decision`]) and the mails that tell the people waiting on it, and keeps who did it and
/// when. `None`: no application with that id.
pub async fn decide(
    store: &Store,
    (id, decision): (i64, Decision),
    (by, now): (&str, i64),
    days: HashMap<String, Date>,
    mail: Option<DecisionMail>,
) -> store::Result<Option<Decided>> {
    store
        .run(Deciding {
            id,
            decision,
            by: by.to_owned(),
            now,
            days,
            mail,
        })
        .await
}

struct Deciding {
    id: i64,
    decision: Decision,
    by: String,
    now: i64,
    /// The meetings' dates, by id: an approval makes a member for the membership year of the
    /// meeting applied with (today's, for an application from before that was kept).
    days: HashMap<String, Date>,
    mail: Option<DecisionMail>,
}

impl Deciding {
    /// Tells each waiting submission's contact and attendees of the decision: on approval the
    /// receipt again (with a new manage link: only the links' hashes are kept) and the
    /// attendees' invitations; on a decline the reason. A meeting whose file is gone is not
    /// described to anyone.
    async fn tell<T: Tx>(
        &self,
        tx: &mut T,
        mail: &DecisionMail,
        waiting: Vec<(store::Sub, String, Vec<Person>)>,
    ) -> store::Result<()> {
        for (sub, meeting_id, people) in waiting {
            let Some((meeting, page)) = mail.meetings.get(&meeting_id) else {
                continue;
            };
            let token = Token::new();
            let ctx = MailContext {
                meeting: meeting.clone(),
                from: mail.from.clone(),
                manage_url: link(page, &token.text),
                cause: Cause::Organisation,
            };
            let join = tx.join_url(&meeting_id).await?;
            let letters = ctx
                .letters(
                    sub.lang,
                    &sub.reference,
                    sub.municipality_code,
                    false,
                    self.now,
                )
                .with_join(join.as_deref());
            let mails = match &self.decision {
                Decision::Approve => {
                    tx.add_token(&token.selector, sub.id, &token.hash, self.now)
                        .await?;
                    letters.approved(&sub.contact, &people)
                }
                Decision::Decline { reason } => letters.declined(&sub.contact, &people, reason),
            };
            tx.enqueue(&meeting_id, &mails, self.now, ctx.cause).await?;
        }
        Ok(())
    }
}

impl Work for Deciding {
    type Output = Option<Decided>;

    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Option<Decided>> {
        let (id, by, now) = (self.id, self.by.as_str(), self.now);
        let Some(app) = tx.application(id).await? else {
            return Ok(None);
        };
        if app.approved || app.declined {
            let same = app.approved == (self.decision == Decision::Approve);
            return Ok(Some(if same {
                Decided::Already
            } else {
                Decided::Otherwise
            }));
        }
        let (network, code) = (app.network.as_str(), app.municipality_code);
        let mut waiting = Vec::new();
        if self.mail.is_some() {
            let waits = Standing::PendingMembership;
            for (sub, meeting_id) in tx.submissions_with(network, code, waits).await? {
                let people = tx
                    .rows(sub.id)
                    .await?
                    .iter()
                    .filter(|r| r.status == waits)
                    .map(|r| Person::of(&r.attendee, r.sequence))
                    .collect();
                waiting.push((sub, meeting_id, people));
            }
        }
        let (to, member) = match &self.decision {
            Decision::Approve => {
                tx.approve_application(id, by, now).await?;
                let day = (app.meeting_id.as_ref())
                    .and_then(|m| self.days.get(m).copied())
                    .unwrap_or_else(|| danish_date(now));
                let period = members::approve_into(tx, (network, code), day, by, now).await?;
                (Standing::Registered, Some(period))
            }
            Decision::Decline { reason } => {
                tx.decline_application(id, reason, by, now).await?;
                (Standing::MembershipDeclined, None)
            }
        };
        let changed = tx.settle_waiting(network, code, to, now).await?;
        if let Some(mail) = &self.mail {
            self.tell(tx, mail, waiting).await?;
        }
        Ok(Some(Decided::Now(changed, member)))
    }
}
