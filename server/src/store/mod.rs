//! Storage behind one interface, chosen at start: SQLite (the default: a file, no database
//! server) or PostgreSQL (`TILMELDING_DATABASE_URL=postgres://…`: one database shared by several
//! server instances).
//!
//! Both keep the API's promises with constraints and transactions, never with locks in this
//! process, so they hold across processes too: a submission is stored once per idempotency key,
//! an e-mail once per meeting, and each meeting's reference numbers run 1, 2, 3, … without gaps
//! (the counter is raised in the submission's own transaction, so a rolled-back submission
//! takes its number back). Both migrate their schema at start (`migrations/<store>/V*.sql`).

pub mod manage;
mod postgres;
mod sqlite;

use crate::mail::Mail;
use std::path::PathBuf;
use tilmelding_domain::manage::{Change, Managed};
use tilmelding_domain::{Lang, Meeting, Registration};

pub use manage::{MailContext, Refused, Token};

pub use tilmelding_domain::organiser::{Application, AttendeeRow, Count, Standing};
pub use tilmelding_domain::wire::{Receipt, Registered, Status};

/// Where the data lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file (created with its folder if missing).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL; with `sslmode=require` the connection is encrypted and the
    /// server's certificate verified against `ca` (a PEM file) or, without one, the Mozilla
    /// roots that public certificate authorities are in.
    Postgres { url: String, ca: Option<PathBuf> },
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "SQLite {}", path.display()),
            // The URL may hold a password; name only where it points.
            Location::Postgres { url, .. } => {
                let host = url.rsplit('@').next().unwrap_or(url);
                write!(f, "PostgreSQL {}", host.trim_start_matches("postgres://"))
            }
        }
    }
}

/// What went wrong in the store. The HTTP layer answers each with a 500 (the details go to the
/// log, never to the client); nothing partial is ever committed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("TLS to PostgreSQL: {0}")]
    Tls(String),
    #[error("PostgreSQL connection pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("migrating the schema: {0}")]
    Migration(#[from] refinery::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the stored data is not what this release expects: {0}")]
    Corrupt(String),
    #[error("storing failed: {0}")]
    Failed(String),
    #[error("the storage worker has stopped")]
    Stopped,
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    /// The error with every cause under it ("error performing TLS handshake: invalid peer
    /// certificate: UnknownIssuer"), for the operator reading why the server did not start.
    pub fn full(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(e) = cause {
            let more = e.to_string();
            if !text.contains(&more) {
                text = format!("{text}: {more}");
            }
            cause = e.source();
        }
        text
    }
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
    /// Decided now; this many waiting registrations changed.
    Now(usize),
    /// It was already decided the same way: nothing changed (deciding is idempotent).
    Already,
    /// It was already decided the other way: nothing changed.
    Otherwise,
}

/// What a submission needs to know about its meeting.
#[derive(Clone, Debug)]
pub struct Target {
    meeting_id: String,
    network: String,
    /// Start of the reference numbers, e.g. `KNUB`.
    prefix: String,
}

impl Target {
    fn of(meeting: &Meeting) -> Target {
        let network = meeting.network.id.clone();
        Target {
            meeting_id: meeting.id.clone(),
            prefix: meeting
                .network
                .short_name
                .as_deref()
                .unwrap_or(&network)
                .to_uppercase(),
            network,
        }
    }

    /// The reference of the meeting's `number`th submission, e.g. `KNUB-00042`.
    fn reference(&self, number: i64) -> String {
        format!("{}-{number:05}", self.prefix)
    }
}

/// Most submissions committed together by one store's writer (both stores commit in groups,
/// see [`Store::submit`]): bounds how long one group holds the meeting's counter.
const MAX_GROUP: usize = 256;

/// What comes with a submission besides the registration: its manage link (the hash is
/// stored; a replay gets a link of its own), the language its mails are written in, and what
/// they need (none when no mail is configured).
pub struct Submitting {
    pub token: Token,
    pub lang: Lang,
    pub mail: Option<MailContext>,
}

/// A submission waiting for a store's writer, and where its answer goes (`R`: the channel).
struct Job<R> {
    target: Target,
    reg: Registration,
    now: i64,
    with: Submitting,
    reply: R,
}

/// A mail claimed from the outbox for sending.
#[derive(Clone, Debug)]
pub struct Queued {
    pub id: i64,
    pub mail: Mail,
    /// Failed attempts so far.
    pub attempts: i64,
}

/// The outcome of a change through the manage link. `None` from the store: no such link.
pub type ChangeOutcome = std::result::Result<Managed, Refused>;

/// The answer for every submission in a group whose transaction failed as a whole (store
/// errors are not `Clone`; their text is what the log needs).
fn all_failed<T, R>(group: &[Job<R>], message: &str) -> Vec<Result<T>> {
    group
        .iter()
        .map(|_| Err(StoreError::Failed(message.to_owned())))
        .collect()
}

/// Handle to the store; cheap to clone.
#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

/// Calls the same method on whichever store this is; SQLite's calls block, so they run on
/// tokio's blocking threads.
macro_rules! dispatch {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            Store::Sqlite($s) => {
                let $s = $s.clone();
                tokio::task::spawn_blocking(move || $call)
                    .await
                    .map_err(|_| StoreError::Stopped)?
            }
            Store::Postgres($s) => $call.await,
        }
    };
}

impl Store {
    /// Opens the store (creating and migrating its schema as needed).
    pub async fn open(location: &Location) -> Result<Store> {
        Ok(match location {
            Location::Sqlite(path) => {
                let path = path.clone();
                Store::Sqlite(
                    tokio::task::spawn_blocking(move || sqlite::Sqlite::open(&path))
                        .await
                        .map_err(|_| StoreError::Stopped)??,
                )
            }
            Location::Postgres { url, ca } => {
                Store::Postgres(postgres::Postgres::open(url, ca.as_deref()).await?)
            }
        })
    }

    /// Adds members from a seed list; existing members are left as they are.
    pub async fn seed_members(&self, network: &str, codes: &[u16], now: i64) -> Result<()> {
        let (network, codes) = (network.to_owned(), codes.to_vec());
        dispatch!(self, s => s.seed_members(&network, &codes, now))
    }

    /// Whether the municipality is a member, and whether it has an application waiting.
    pub async fn membership(&self, network: &str, code: u16) -> Result<(bool, bool)> {
        let network = network.to_owned();
        dispatch!(self, s => s.membership(&network, code))
    }

    /// Stores a validated submission, durably, before this returns. Attendees whose e-mail is
    /// already registered for the meeting are reported, not stored. A key seen before returns
    /// the original receipt. `Ok(None)`: the municipality is not a member and did not apply.
    ///
    /// Each store has one writer that commits the submissions waiting for it together, each in
    /// its own savepoint (issue 9): a commit waits for the disk, and when the invitation goes
    /// out, a commit per submission would make the disk the limit. Nobody gets an answer
    /// before their group's commit.
    pub async fn submit(
        &self,
        meeting: &Meeting,
        reg: Registration,
        now: i64,
        with: Submitting,
    ) -> Result<Option<Receipt>> {
        let target = Target::of(meeting);
        dispatch!(self, s => s.submit(target, reg, now, with))
    }

    /// The submission behind a manage link, as the manage view shows it (`open`: changes are
    /// allowed). `None`: no submission of this meeting has that link.
    pub async fn managed(
        &self,
        meeting_id: &str,
        token: &str,
        open: bool,
    ) -> Result<Option<Managed>> {
        let (meeting_id, token) = (meeting_id.to_owned(), token.to_owned());
        dispatch!(self, s => s.managed(&meeting_id, &token, open))
    }

    /// Applies a validated change through a manage link, in one transaction with its history
    /// row and its e-mails (see [`manage`]). `None`: no such link.
    pub async fn change(
        &self,
        meeting_id: &str,
        token: &str,
        change: Change,
        mail: Option<MailContext>,
        now: i64,
    ) -> Result<Option<ChangeOutcome>> {
        let (meeting_id, token) = (meeting_id.to_owned(), token.to_owned());
        dispatch!(self, s => s.change(&meeting_id, &token, &change, mail.as_ref(), now))
    }

    /// Claims up to `limit` mails that are due, for `lease` seconds: another worker (another
    /// instance) does not take them meanwhile.
    pub async fn claim_mail(&self, now: i64, lease: i64, limit: i64) -> Result<Vec<Queued>> {
        dispatch!(self, s => s.claim_mail(now, lease, limit))
    }

    /// Records a mail as sent, and forgets its body (it may hold a manage link).
    pub async fn mail_sent(&self, id: i64, now: i64) -> Result<()> {
        dispatch!(self, s => s.mail_sent(id, now))
    }

    /// Records a failed attempt: the next comes at `next`, or none if `give_up`.
    pub async fn mail_failed(
        &self,
        id: i64,
        attempts: i64,
        next: i64,
        error: &str,
        give_up: bool,
    ) -> Result<()> {
        let error = error.to_owned();
        dispatch!(self, s => s.mail_failed(id, attempts, next, &error, give_up))
    }

    /// Every registration for a meeting, oldest first.
    pub async fn export(&self, meeting_id: &str) -> Result<Vec<AttendeeRow>> {
        let meeting_id = meeting_id.to_owned();
        dispatch!(self, s => s.export(&meeting_id))
    }

    /// Attendees per municipality for a meeting, in Danish order of municipality (counted
    /// from the registrations, so the two can never disagree).
    pub async fn counts(&self, meeting_id: &str) -> Result<Vec<Count>> {
        Ok(Count::tally(&self.export(meeting_id).await?))
    }

    /// Applications not yet approved, oldest first.
    pub async fn pending_applications(&self) -> Result<Vec<Application>> {
        dispatch!(self, s => s.pending_applications())
    }

    /// Approves or declines an application, in one transaction with what follows from it (see
    /// [`Decision`]), and keeps who did it and when. `None`: no application with that id.
    pub async fn decide(
        &self,
        id: i64,
        decision: Decision,
        by: &str,
        now: i64,
    ) -> Result<Option<Decided>> {
        let by = by.to_owned();
        dispatch!(self, s => s.decide(id, &decision, &by, now))
    }

    /// The network's member municipalities.
    pub async fn members(&self, network: &str) -> Result<Vec<u16>> {
        let network = network.to_owned();
        dispatch!(self, s => s.members(&network))
    }

    /// Deletes every registration and submission of a meeting (retention). Returns how many
    /// attendees were deleted. The meeting's reference counter stays, so no number is reused.
    pub async fn delete_meeting(&self, meeting_id: &str) -> Result<usize> {
        let meeting_id = meeting_id.to_owned();
        dispatch!(self, s => s.delete_meeting(&meeting_id))
    }
}

/// A standing as stored.
fn parse_standing(stored: &str) -> Result<Standing> {
    Standing::ALL
        .into_iter()
        .find(|s| s.as_str() == stored)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown status {stored:?}")))
}

/// What deciding an application that was already decided means (`approved`: it was approved).
fn already(decision: &Decision, approved: bool) -> Decided {
    if approved == (*decision == Decision::Approve) {
        Decided::Already
    } else {
        Decided::Otherwise
    }
}

fn municipality_name(code: u16) -> String {
    tilmelding_domain::Municipality::by_code(code)
        .map_or_else(|| code.to_string(), |m| m.name.to_owned())
}

/// The receipt for a submission's attendees, given which of them were stored (the others were
/// already registered for the meeting).
fn receipt(reference: String, status: Status, reg: &Registration, stored: &[bool]) -> Receipt {
    let mut receipt = Receipt {
        reference,
        status,
        registered: Vec::new(),
        already_registered: Vec::new(),
        manage_url: None,
    };
    for (row, (a, &stored)) in reg.attendees.iter().zip(stored).enumerate() {
        if stored {
            receipt.registered.push(Registered {
                row,
                name: a.name.clone(),
                email: a.email.clone(),
            });
        } else {
            receipt
                .already_registered
                .push(tilmelding_domain::registration::already_registered(row));
        }
    }
    receipt
}

/// A row of the outbox as claimed.
#[allow(clippy::too_many_arguments)]
fn queued(
    id: i64,
    to: String,
    subject: String,
    text: String,
    html: String,
    calendar: Option<String>,
    method: Option<String>,
    attempts: i64,
) -> Queued {
    Queued {
        id,
        attempts,
        mail: Mail {
            to,
            subject,
            text,
            html,
            calendar: method.zip(calendar),
        },
    }
}
