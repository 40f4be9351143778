//! The manage link: its tokens, and what a change through it does.
//!
//! A change runs in one transaction: the submission is found by its link (and locked, on
//! PostgreSQL), the change is applied, kept in the `changes` history with its key, and its
//! e-mails are written to the outbox. A key seen before changes nothing (a retry), and a
//! refused change rolls back whole.

use super::MailContext;
use crate::letters::{Changed, Person};
use crate::store::{self, Date, Recorded, Result, Row, Standing, Store, Sub, Tx, Work};
use base64::Engine;
use sha2::{Digest, Sha256};
use tilmelding_domain::manage::{Action, Allowed, Change, Managed, ManagedAttendee};
use tilmelding_domain::registration::already_registered;
use tilmelding_domain::wire::Status;
use tilmelding_domain::{Attendee, FieldError};

/// A new manage link's secret: `<selector>.<verifier>`. The selector (96 random bits) finds the
/// submission; of the verifier (144 random bits) only a SHA-256 hash is stored, compared in
/// constant time. So a copy of the database holds no working link, and a wrong link learns
/// nothing from timing.
#[derive(Clone)]
pub struct Token {
    pub text: String,
    pub selector: String,
    pub hash: Vec<u8>,
}

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

impl Token {
    pub fn new() -> Token {
        use rand::RngCore;
        let mut selector = [0u8; 12];
        let mut verifier = [0u8; 18];
        rand::rng().fill_bytes(&mut selector);
        rand::rng().fill_bytes(&mut verifier);
        let (selector, verifier) = (B64.encode(selector), B64.encode(verifier));
        Token {
            text: format!("{selector}.{verifier}"),
            hash: hash(&verifier),
            selector,
        }
    }
}

/// A manage link: the page it opens, with the token in the fragment.
pub fn link(page: &str, token: &str) -> String {
    format!("{page}#tilmelding-manage={token}")
}

impl MailContext {
    /// The same mails, giving a new link to the same page (a link's page is all before its
    /// fragment, see [`link`]).
    fn with_link(&self, token: &Token) -> MailContext {
        let page = self.manage_url.split('#').next().unwrap_or_default();
        MailContext {
            manage_url: link(page, &token.text),
            ..self.clone()
        }
    }
}

impl Default for Token {
    fn default() -> Self {
        Token::new()
    }
}

/// A link's selector and verifier; `None` for anything that cannot be a link of ours.
pub fn split(text: &str) -> Option<(&str, &str)> {
    let (selector, verifier) = text.trim().split_once('.')?;
    let ours = |s: &str, len| {
        s.len() == len
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    (ours(selector, 16) && ours(verifier, 24)).then_some((selector, verifier))
}

fn hash(verifier: &str) -> Vec<u8> {
    Sha256::digest(verifier.as_bytes()).to_vec()
}

/// Whether `verifier` is the one whose hash is stored, in constant time.
pub fn verifies(verifier: &str, stored: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(hash(verifier).ct_eq(stored))
}

/// Why a change was refused (nothing of it is stored).
#[derive(Debug)]
pub enum Refused {
    /// An attendee id not in the submission, or cancelled already (edit, replace).
    UnknownAttendee,
    /// Field reasons: an e-mail already registered for the meeting.
    Fields(Vec<FieldError>),
    /// The link was right, but a newer one replaced it: a new contact person was sent their
    /// own, so the one before no longer manages the submission.
    LinkReplaced,
}

/// The submission behind a link, if the link is right: `Err` if it was right once and a newer
/// link replaced it.
async fn find(
    tx: &mut impl Tx,
    meeting_id: &str,
    token: &str,
    lock: bool,
) -> Result<Option<std::result::Result<Sub, Refused>>> {
    let Some((selector, verifier)) = split(token) else {
        return Ok(None);
    };
    if let Some((sub, stored)) = tx.submission(meeting_id, selector, lock).await? {
        return Ok(verifies(verifier, &stored).then_some(Ok(sub)));
    }
    Ok(tx
        .replaced_token(meeting_id, selector)
        .await?
        .filter(|stored| verifies(verifier, stored))
        .map(|_| Err(Refused::LinkReplaced)))
}

/// The submission as the manage view shows it.
async fn view(tx: &mut impl Tx, sub: &Sub, day: Date, allowed: Allowed) -> Result<Managed> {
    let member = tx
        .member_on(&sub.network, sub.municipality_code, day)
        .await?;
    let rows = tx.rows(sub.id).await?;
    Ok(Managed {
        reference: sub.reference.clone(),
        status: if member {
            Status::Registered
        } else {
            Status::PendingMembership
        },
        municipality_code: sub.municipality_code,
        contact: sub.contact.clone(),
        attendees: rows
            .into_iter()
            .map(|r| ManagedAttendee {
                id: r.id,
                cancelled: r.status == Standing::Cancelled,
                name: r.attendee.name,
                email: r.attendee.email,
                title: r.attendee.title,
                department: r.attendee.department,
            })
            .collect(),
        open: allowed.open,
        cancellable: allowed.cancellable,
    })
}

/// Applies a validated change to the submission (see the module's comment), and to `sub` (a new
/// contact). Returns `Ok(Err)` for a refusal; the caller then rolls the transaction back.
async fn apply(
    tx: &mut impl Tx,
    (meeting_id, day): (&str, Date),
    sub: &mut Sub,
    change: &Change,
    mail: Option<&MailContext>,
    now: i64,
) -> Result<std::result::Result<(), Refused>> {
    if tx.seen(sub.id, &change.idempotency_key).await? {
        return Ok(Ok(()));
    }
    let rows = tx.rows(sub.id).await?;
    let active = |id: i64| {
        rows.iter()
            .find(|r| r.id == id && r.status != Standing::Cancelled)
            .cloned()
    };
    let member = tx
        .member_on(&sub.network, sub.municipality_code, day)
        .await?;
    let status = if member {
        Standing::Registered
    } else {
        Standing::PendingMembership
    };
    let mut changed = Changed::default();
    let mut contact = sub.contact.clone();
    let mut before = serde_json::Value::Null;
    let kind = match &change.action {
        Action::Edit {
            attendee,
            name,
            title,
            department,
        } => {
            let Some(mut row) = active(*attendee) else {
                return Ok(Err(Refused::UnknownAttendee));
            };
            before = attendee_json(&row.attendee);
            row.attendee.name.clone_from(name);
            row.attendee.title.clone_from(title);
            row.attendee.department.clone_from(department);
            row.sequence += 1;
            tx.update(&row, now).await?;
            changed.edited.push(as_person(&row));
            "edit"
        }
        Action::Replace { attendee, person } => {
            let Some(mut row) = active(*attendee) else {
                return Ok(Err(Refused::UnknownAttendee));
            };
            before = attendee_json(&row.attendee);
            row.status = Standing::Cancelled;
            row.sequence += 1;
            tx.update(&row, now).await?;
            let Some(new) = insert(tx, meeting_id, sub, person, status, now).await? else {
                return Ok(Err(Refused::Fields(vec![already_registered(0)])));
            };
            changed.cancelled.push(as_person(&row));
            changed.added.push(as_person(&new));
            "replace"
        }
        Action::Cancel { attendees } => {
            let mut gone = Vec::new();
            for id in attendees {
                if !rows.iter().any(|r| r.id == *id) {
                    return Ok(Err(Refused::UnknownAttendee));
                }
                // Cancelling one already cancelled changes nothing.
                if let Some(mut row) = active(*id) {
                    gone.push(attendee_json(&row.attendee));
                    row.status = Standing::Cancelled;
                    row.sequence += 1;
                    tx.update(&row, now).await?;
                    changed.cancelled.push(as_person(&row));
                }
            }
            before = serde_json::Value::Array(gone);
            "cancel"
        }
        Action::Add { attendees } => {
            let mut taken = Vec::new();
            for (i, a) in attendees.iter().enumerate() {
                match insert(tx, meeting_id, sub, a, status, now).await? {
                    Some(row) => changed.added.push(as_person(&row)),
                    None => taken.push(already_registered(i)),
                }
            }
            if !taken.is_empty() {
                return Ok(Err(Refused::Fields(taken)));
            }
            "add"
        }
        Action::Contact { contact: new } => {
            before = serde_json::json!({ "name": contact.name, "email": contact.email });
            changed.old_contact = Some(std::mem::replace(&mut contact, new.clone()));
            tx.set_contact(sub.id, new).await?;
            "contact"
        }
    };
    let detail = serde_json::json!({ "change": change.action, "before": before }).to_string();
    let by = format!("manage link ({} <{}>)", sub.contact.name, sub.contact.email);
    tx.record(&Recorded {
        submission: sub.id,
        key: &change.idempotency_key,
        at: now,
        by: &by,
        kind,
        detail: &detail,
    })
    .await?;
    // A new contact person gets a link of their own, and the one before keeps none: every
    // earlier link of the submission ends. Only where mail can carry the new one.
    let relinked;
    let mail = match mail {
        Some(ctx) if changed.old_contact.is_some() => {
            tx.replace_tokens(sub.id, now).await?;
            let token = Token::new();
            tx.add_token(&token.selector, sub.id, &token.hash, now)
                .await?;
            relinked = ctx.with_link(&token);
            Some(&relinked)
        }
        other => other,
    };
    if let Some(ctx) = mail.filter(|_| !changed.is_empty()) {
        let now_rows: Vec<Person> = tx
            .rows(sub.id)
            .await?
            .iter()
            .filter(|r| r.status != Standing::Cancelled)
            .map(as_person)
            .collect();
        let join = tx.join_url(meeting_id).await?;
        let letters = ctx
            .letters(
                sub.lang,
                &sub.reference,
                sub.municipality_code,
                !member,
                now,
            )
            .with_join(join.as_deref());
        let mails = letters.changed(&contact, &changed, &now_rows);
        tx.enqueue(meeting_id, &mails, now, ctx.cause).await?;
    }
    sub.contact = contact;
    Ok(Ok(()))
}

fn attendee_json(a: &Attendee) -> serde_json::Value {
    serde_json::to_value(a).unwrap_or_default()
}

/// An attendee as the mails name them.
fn as_person(row: &Row) -> Person {
    Person::of(&row.attendee, row.sequence)
}

/// Registers one attendee with the submission, unless the e-mail is registered for the meeting
/// (and not cancelled): then `None`.
async fn insert(
    tx: &mut impl Tx,
    meeting_id: &str,
    sub: &Sub,
    a: &Attendee,
    status: Standing,
    now: i64,
) -> Result<Option<Row>> {
    let at = store::Placing {
        submission: sub.id,
        meeting_id,
        network: &sub.network,
        municipality_code: sub.municipality_code,
        status,
        now,
    };
    let stored = tx.insert_attendees(&at, std::slice::from_ref(a)).await?;
    Ok(stored
        .into_iter()
        .flatten()
        .next()
        .map(|(id, sequence)| Row {
            id,
            attendee: a.clone(),
            status,
            sequence,
        }))
}

/// The most mails a change causes: one to each person it concerns, and an update to the
/// contact (a new contact is told, and the one before), as `Letters::changed` writes them.
pub fn mails(change: &Change) -> usize {
    1 + match &change.action {
        Action::Add { attendees } => attendees.len(),
        Action::Cancel { attendees } => attendees.len(),
        Action::Replace { .. } => 2,
        Action::Edit { .. } | Action::Contact { .. } => 1,
    }
}

/// The outcome of a change through the manage link. `None`: no such link.
pub type ChangeOutcome = std::result::Result<Managed, Refused>;

/// The submission behind a manage link, as the manage view shows it, with what it may still
/// change (or [`Refused::LinkReplaced`]). `None`: no submission of this meeting has that link.
pub async fn managed(
    store: &Store,
    (meeting_id, day): (&str, Date),
    token: &str,
    allowed: Allowed,
) -> Result<Option<ChangeOutcome>> {
    struct Read {
        meeting_id: String,
        day: Date,
        token: String,
        allowed: Allowed,
    }
    impl Work for Read {
        type Output = Option<ChangeOutcome>;
        async fn run<T: Tx>(&self, tx: &mut T) -> Result<Option<ChangeOutcome>> {
            match find(tx, &self.meeting_id, &self.token, false).await? {
                Some(Ok(sub)) => view(tx, &sub, self.day, self.allowed)
                    .await
                    .map(|v| Some(Ok(v))),
                Some(Err(replaced)) => Ok(Some(Err(replaced))),
                None => Ok(None),
            }
        }
    }
    store
        .run(Read {
            meeting_id: meeting_id.to_owned(),
            day,
            token: token.to_owned(),
            allowed,
        })
        .await
}

/// Applies a validated change through a manage link, in one transaction with its history row
/// and its e-mails. `None`: no such link.
pub async fn change(
    store: &Store,
    (meeting_id, day): (&str, Date),
    token: &str,
    change: Change,
    mail: Option<MailContext>,
    now: i64,
    allowed: Allowed,
) -> Result<Option<ChangeOutcome>> {
    struct Changing {
        meeting_id: String,
        day: Date,
        token: String,
        change: Change,
        mail: Option<MailContext>,
        now: i64,
        allowed: Allowed,
    }
    impl Work for Changing {
        type Output = Option<ChangeOutcome>;
        async fn run<T: Tx>(&self, tx: &mut T) -> Result<Option<ChangeOutcome>> {
            let mut sub = match find(tx, &self.meeting_id, &self.token, true).await? {
                Some(Ok(sub)) => sub,
                Some(Err(replaced)) => return Ok(Some(Err(replaced))),
                None => return Ok(None),
            };
            let m = self.mail.as_ref();
            let at = (self.meeting_id.as_str(), self.day);
            match apply(tx, at, &mut sub, &self.change, m, self.now).await? {
                Ok(()) => view(tx, &sub, self.day, self.allowed)
                    .await
                    .map(|v| Some(Ok(v))),
                Err(refused) => Ok(Some(Err(refused))),
            }
        }
        /// A refused change is rolled back whole.
        fn keeps(out: &Self::Output) -> bool {
            matches!(out, Some(Ok(_)))
        }
    }
    store
        .run(Changing {
            meeting_id: meeting_id.to_owned(),
            day,
            token: token.to_owned(),
            change,
            mail,
            now,
            allowed,
        })
        .await
}
