//! The manage link (issue 16): its tokens, and what a change does, written once for both stores
//! over the few statements each store provides ([`ManageTx`]).
//!
//! A change runs in one transaction: the submission is found by its link (and locked, on
//! PostgreSQL), the change is applied, kept in the `changes` history with its key, and its
//! e-mails are written to the outbox. A key seen before changes nothing (a retry), and a
//! refused change rolls back whole.

use super::{Result, Standing};
use crate::mail::compose::{Changed, Letters, Mail, Person};
use base64::Engine;
use sha2::{Digest, Sha256};
use tilmelding_domain::manage::{Action, Change, Managed, ManagedAttendee};
use tilmelding_domain::registration::already_registered;
use tilmelding_domain::wire::Status;
use tilmelding_domain::{Attendee, Contact, FieldError, Lang, Meeting};

/// A new manage link's secret: `<selector>.<verifier>`. The selector (96 random bits) finds the
/// submission; of the verifier (144 random bits) only a SHA-256 hash is stored, compared in
/// constant time. So a copy of the database holds no working link, and a wrong link learns
/// nothing from timing.
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

/// What the e-mails of a submission or change need; `None` where no mail is configured.
#[derive(Clone)]
pub struct MailContext {
    pub meeting: Meeting,
    /// The sender's address (also the invitations' organiser).
    pub from: String,
    /// The link the mails give: the one just made, or the one the change came through.
    pub manage_url: String,
}

/// A submission found by its manage link.
#[derive(Clone, Debug)]
pub struct Sub {
    pub id: i64,
    pub reference: String,
    pub network: String,
    pub municipality_code: u16,
    pub contact: Contact,
    pub lang: Lang,
}

/// One of its attendees as stored.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: i64,
    pub attendee: Attendee,
    pub status: Standing,
    pub sequence: i32,
}

impl Row {
    fn person(&self) -> Person {
        Person {
            name: self.attendee.name.clone(),
            email: self.attendee.email.clone(),
            title: self.attendee.title.clone(),
            department: self.attendee.department.clone(),
            sequence: u32::try_from(self.sequence).unwrap_or(0),
        }
    }
}

/// The statements a store provides for the manage link, inside one transaction.
pub(crate) trait ManageTx {
    /// The submission of a meeting with this link selector, and the stored verifier hash;
    /// locked until the transaction ends where the store has row locks.
    async fn submission(
        &mut self,
        meeting_id: &str,
        selector: &str,
    ) -> Result<Option<(Sub, Vec<u8>)>>;
    /// Its attendees, oldest first.
    async fn rows(&mut self, submission: i64) -> Result<Vec<Row>>;
    async fn is_member(&mut self, network: &str, code: u16) -> Result<bool>;
    /// Whether a change with this key was made to the submission.
    async fn seen(&mut self, submission: i64, key: &str) -> Result<bool>;
    /// Keeps a change in the history.
    async fn record(
        &mut self,
        submission: i64,
        key: &str,
        now: i64,
        by: &str,
        kind: &str,
        detail: &str,
    ) -> Result<()>;
    /// Writes the attendee's name, title, department, standing and sequence.
    async fn update(&mut self, row: &Row, now: i64) -> Result<()>;
    /// Registers an attendee with the submission, unless the e-mail is registered for the
    /// meeting (and not cancelled): then `None`.
    async fn insert(
        &mut self,
        meeting_id: &str,
        sub: &Sub,
        a: &Attendee,
        status: Standing,
        now: i64,
    ) -> Result<Option<Row>>;
    async fn set_contact(&mut self, submission: i64, contact: &Contact) -> Result<()>;
    async fn enqueue(&mut self, meeting_id: &str, mails: &[Mail], now: i64) -> Result<()>;
}

/// Why a change was refused (nothing of it is stored).
#[derive(Debug)]
pub enum Refused {
    /// An attendee id not in the submission, or cancelled already (edit, replace).
    UnknownAttendee,
    /// Field reasons: an e-mail already registered for the meeting.
    Fields(Vec<FieldError>),
}

/// The submission behind a link, if the link is right.
pub(crate) async fn find(
    tx: &mut impl ManageTx,
    meeting_id: &str,
    token: &str,
) -> Result<Option<Sub>> {
    let Some((selector, verifier)) = split(token) else {
        return Ok(None);
    };
    Ok(tx
        .submission(meeting_id, selector)
        .await?
        .filter(|(_, stored)| verifies(verifier, stored))
        .map(|(sub, _)| sub))
}

/// The submission as the manage view shows it.
pub(crate) async fn view(tx: &mut impl ManageTx, sub: &Sub, open: bool) -> Result<Managed> {
    let member = tx.is_member(&sub.network, sub.municipality_code).await?;
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
        open,
    })
}

/// Applies a validated change to the submission (see the module's comment), and to `sub` (a new
/// contact). Returns `Ok(Err)` for a refusal; the caller then rolls the transaction back.
pub(crate) async fn apply(
    tx: &mut impl ManageTx,
    meeting_id: &str,
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
    let member = tx.is_member(&sub.network, sub.municipality_code).await?;
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
            changed.edited.push(row.person());
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
            let Some(new) = tx.insert(meeting_id, sub, person, status, now).await? else {
                return Ok(Err(Refused::Fields(vec![already_registered(0)])));
            };
            changed.cancelled.push(row.person());
            changed.added.push(new.person());
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
                    changed.cancelled.push(row.person());
                }
            }
            before = serde_json::Value::Array(gone);
            "cancel"
        }
        Action::Add { attendees } => {
            let mut taken = Vec::new();
            for (i, a) in attendees.iter().enumerate() {
                match tx.insert(meeting_id, sub, a, status, now).await? {
                    Some(row) => changed.added.push(row.person()),
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
    tx.record(sub.id, &change.idempotency_key, now, &by, kind, &detail)
        .await?;
    if let Some(ctx) = mail.filter(|_| !changed.is_empty()) {
        let now_rows: Vec<Person> = tx
            .rows(sub.id)
            .await?
            .iter()
            .filter(|r| r.status != Standing::Cancelled)
            .map(Row::person)
            .collect();
        let letters = letters(
            ctx,
            sub.lang,
            &sub.reference,
            sub.municipality_code,
            !member,
            now,
        );
        let mails = letters.changed(&contact, &changed, &now_rows);
        tx.enqueue(meeting_id, &mails, now).await?;
    }
    sub.contact = contact;
    Ok(Ok(()))
}

fn attendee_json(a: &Attendee) -> serde_json::Value {
    serde_json::to_value(a).unwrap_or_default()
}

/// The letters of one submission.
pub fn letters<'a>(
    ctx: &'a MailContext,
    lang: Lang,
    reference: &'a str,
    code: u16,
    pending: bool,
    now: i64,
) -> Letters<'a> {
    Letters {
        meeting: &ctx.meeting,
        lang,
        from: &ctx.from,
        manage_url: &ctx.manage_url,
        reference,
        municipality: tilmelding_domain::Municipality::by_code(code).map_or("", |m| m.name),
        pending,
        now,
    }
}

/// The mails of a stored submission: the receipt to the contact, a confirmation to each
/// attendee stored by it. `sequences`: each stored attendee's calendar revision, in the
/// receipt's order (above 0 for an address registered again after a cancellation, so the
/// calendar that removed the entry takes the new invitation).
pub fn submission_mails(
    ctx: &MailContext,
    lang: Lang,
    reg: &tilmelding_domain::Registration,
    receipt: &tilmelding_domain::wire::Receipt,
    sequences: &[i32],
    now: i64,
) -> Vec<Mail> {
    let people: Vec<Person> = receipt
        .registered
        .iter()
        .zip(sequences)
        .filter_map(|(r, s)| Some((reg.attendees.get(r.row)?, s)))
        .map(|(a, &sequence)| Person {
            name: a.name.clone(),
            email: a.email.clone(),
            title: a.title.clone(),
            department: a.department.clone(),
            sequence: u32::try_from(sequence).unwrap_or(0),
        })
        .collect();
    letters(
        ctx,
        lang,
        &receipt.reference,
        reg.municipality_code,
        receipt.status == Status::PendingMembership,
        now,
    )
    .submitted(&reg.contact, &people)
}
