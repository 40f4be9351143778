//! Storage: the statements the server's rules run, on SQLite (the default: a file, no database
//! server) or PostgreSQL (`TILMELDING_DATABASE_URL=postgres://…`: one database shared by several
//! server instances).
//!
//! The store decides nothing and words nothing. Each use case (`crate::service`) is written once
//! as a [`Work`] over the statements of [`Tx`]; [`Store::run`] runs it in one transaction on
//! whichever database this is, committing only what the work says to keep. The two dialects
//! each implement [`Tx`] (`sqlite.rs`, `postgres.rs`), mostly with the same SQL; what one of
//! them truly lacks (PostgreSQL's bulk insert through `unnest`, `FOR UPDATE` row locks and
//! `SKIP LOCKED`) is where they differ.
//!
//! The API's promises are kept by constraints and transactions, never by locks in this process,
//! so they hold across processes too: a submission is stored once per idempotency key, an
//! e-mail once per meeting, and a reference number once per meeting. Both migrate their schema
//! at start (`migrations/<store>/V*.sql`).

mod conn;
pub mod outbox;
mod postgres;
mod sql;
mod sqlite;
mod statements;

use tilmelding_domain::{Attendee, Contact, Lang};

pub use crate::config::Location;
pub use outbox::{Cause, HeldMail, Mail, Queued};
pub use tilmelding_domain::calendar::Date;
pub use tilmelding_domain::catalogue::{MeetingAction, MeetingEvent, MeetingStatus};
pub use tilmelding_domain::members::{Became, Member, MembershipAction, MembershipEvent};
pub use tilmelding_domain::organiser::{
    Application, AttendeeRow, Count, DecidedApplication, SentMessage, Standing,
};
pub use tilmelding_domain::wire::{Receipt, Registered, Status};

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

    /// A deadlock or serialisation failure: the transaction may simply be run again.
    pub fn retryable(&self) -> bool {
        use tokio_postgres::error::SqlState;
        matches!(self, StoreError::Postgres(e)
            if e.code().is_some_and(|c| *c == SqlState::T_R_DEADLOCK_DETECTED
                || *c == SqlState::T_R_SERIALIZATION_FAILURE))
    }
}

/// A standing as stored.
fn parse_standing(stored: &str) -> Result<Standing> {
    Standing::ALL
        .into_iter()
        .find(|s| s.as_str() == stored)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown status {stored:?}")))
}

/// A message the organiser sends to everyone registered, as kept.
pub struct NewMessage<'a> {
    pub meeting_id: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub by: &'a str,
    pub now: i64,
    pub recipients: u32,
    /// The key the organiser page made for the message (see [`Tx::message_by_key`]).
    pub key: Option<&'a str>,
}

/// A meeting as kept: its document (the meeting JSON) and where it stands.
#[derive(Clone, Debug)]
pub struct StoredMeeting {
    pub id: String,
    pub document: String,
    pub status: MeetingStatus,
    pub cancel_reason: Option<String>,
}

/// A meeting as written.
pub struct SavedMeeting<'a> {
    pub id: &'a str,
    pub document: &'a str,
    pub status: MeetingStatus,
    pub cancel_reason: Option<&'a str>,
    /// When it is over (see `Meeting::over`).
    pub over_at: i64,
    pub now: i64,
}

/// A line of a meeting's history as written.
pub struct NewMeetingEvent<'a> {
    pub meeting_id: &'a str,
    pub at: i64,
    pub by: &'a str,
    pub action: MeetingAction,
    pub detail: &'a str,
}

/// A stored submission's id, receipt (JSON) and fingerprint.
pub type StoredReceipt = (i64, String, Option<String>);

/// A submission's row as a new submission writes it.
pub struct NewSubmission<'a> {
    pub meeting_id: &'a str,
    pub number: i64,
    pub reference: &'a str,
    pub network: &'a str,
    pub municipality_code: u16,
    pub contact: &'a Contact,
    pub idempotency_key: Option<&'a str>,
    /// What the submission's body hashes to: its key replays it only with the same body.
    pub fingerprint: &'a str,
    pub lang: Lang,
    pub now: i64,
}

/// Where new attendees go: their submission, meeting and municipality, and their standing.
pub struct Placing<'a> {
    pub submission: i64,
    pub meeting_id: &'a str,
    pub network: &'a str,
    pub municipality_code: u16,
    pub status: Standing,
    pub now: i64,
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
    /// The calendar entry's revision (`SEQUENCE`), raised by every change.
    pub sequence: i32,
}

/// An application as deciding it needs to see it.
pub struct ApplicationState {
    pub network: String,
    pub municipality_code: u16,
    pub approved: bool,
    pub declined: bool,
    /// The meeting it was made with (none for applications from before that was kept).
    pub meeting_id: Option<String>,
}

/// A membership as kept, with its row's id.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptMembership {
    pub id: i64,
    pub member: Member,
}

/// A line of a network's member history, as written.
pub struct NewMembershipEvent<'a> {
    pub network: &'a str,
    pub code: Option<u16>,
    pub at: i64,
    pub by: &'a str,
    pub action: MembershipAction,
    pub detail: &'a str,
}

/// A renewal as kept.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptRenewal {
    pub id: i64,
    pub from_year: i32,
    pub to_year: i32,
    pub old_until: Date,
    pub new_until: Date,
    pub renewed: i64,
    pub at: i64,
    pub by: String,
    pub undone: bool,
}

/// A renewal to make: the memberships of `network` ending on `old_until` extended through
/// `new_until`.
pub struct NewRenewal<'a> {
    pub network: &'a str,
    pub from_year: i32,
    pub to_year: i32,
    pub old_until: Date,
    pub new_until: Date,
    pub at: i64,
    pub by: &'a str,
}

/// The statements the rules run, inside one transaction ([`Store::run`]). Each store implements
/// them in its dialect; none decides anything.
// `async fn` without a `Send` bound: every implementation is in this crate, and the compiler
// checks each concrete future where it must be `Send` (a request's handler, a spawned task).
#[allow(async_fn_in_trait)]
pub trait Tx {
    /// Starts a savepoint inside the transaction: one submission of a group (see
    /// `service::submission`), kept with [`Tx::release_savepoint`] or undone alone with
    /// [`Tx::roll_back_to_savepoint`].
    async fn savepoint(&mut self) -> Result<()>;
    async fn release_savepoint(&mut self) -> Result<()>;
    async fn roll_back_to_savepoint(&mut self) -> Result<()>;
    /// Runs statements without values, as written: for checks of the store itself (its tests
    /// ask PostgreSQL for the connection's settings); the rules never write SQL.
    async fn batch(&mut self, sql: &str) -> Result<()>;

    // Members and applications.
    /// Imports a member file's municipality from `from` (none: from before periods were kept),
    /// unless the network has had it as a member; whether it did.
    async fn import_member(
        &mut self,
        network: &str,
        code: u16,
        from: Option<Date>,
        now: i64,
    ) -> Result<bool>;
    /// Whether a membership of the municipality holds the day.
    async fn member_on(&mut self, network: &str, code: u16, day: Date) -> Result<bool>;
    /// The memberships that hold a day from `from` through `until`, by municipality.
    async fn memberships_between(
        &mut self,
        network: &str,
        from: Date,
        until: Date,
    ) -> Result<Vec<KeptMembership>>;
    /// A municipality's memberships, the earliest first.
    async fn memberships_of(&mut self, network: &str, code: u16) -> Result<Vec<KeptMembership>>;
    async fn add_membership(&mut self, network: &str, m: &Member, now: i64) -> Result<()>;
    async fn set_membership_end(&mut self, id: i64, until: Option<Date>) -> Result<()>;
    async fn delete_membership(&mut self, id: i64) -> Result<()>;
    /// Whether the network has, or had, a member.
    async fn network_has_members(&mut self, network: &str) -> Result<bool>;
    /// Extends the memberships ending on `old_until` through `new_until` (not those of a
    /// municipality with a later membership): the renewal's id, and how many it extended.
    async fn renew(&mut self, r: &NewRenewal<'_>) -> Result<(i64, i64)>;
    /// How many memberships a renewal from `old_until` would extend.
    async fn renewable(&mut self, network: &str, old_until: Date) -> Result<i64>;
    async fn latest_renewal(&mut self, network: &str) -> Result<Option<KeptRenewal>>;
    /// Puts back the ends a renewal moved, where nobody changed them since; how many.
    async fn undo_renewal(&mut self, r: &KeptRenewal, now: i64) -> Result<usize>;
    /// The day the network's membership year starts (`MM-DD`), if it set one.
    async fn membership_year(&mut self, network: &str) -> Result<Option<String>>;
    async fn set_membership_year(&mut self, network: &str, starts: &str) -> Result<()>;
    async fn add_membership_event(&mut self, e: &NewMembershipEvent<'_>) -> Result<()>;
    /// A network's member history, the latest `limit` first.
    async fn membership_history(
        &mut self,
        network: &str,
        limit: i64,
    ) -> Result<Vec<MembershipEvent>>;
    /// Registrations in `standing` per meeting and municipality of a network.
    async fn registered_per_municipality(
        &mut self,
        network: &str,
        standing: Standing,
    ) -> Result<Vec<(String, u16, i64)>>;
    /// Moves a municipality's registrations for a meeting from `from` to `to`; how many.
    async fn move_registrations(
        &mut self,
        meeting_id: &str,
        code: u16,
        from: Standing,
        to: Standing,
        now: i64,
    ) -> Result<usize>;
    /// The contact person of the municipality's first submission for the meeting.
    async fn first_contact(&mut self, meeting_id: &str, code: u16) -> Result<Option<Contact>>;

    // Organisers' sign-in.
    async fn add_sign_in_link(
        &mut self,
        hash: &[u8],
        email: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()>;
    /// How many links were made for the address since `since`.
    async fn sign_in_links_since(&mut self, email: &str, since: i64) -> Result<i64>;
    /// Takes a link, once and before it expires: its address.
    async fn use_sign_in_link(&mut self, hash: &[u8], now: i64) -> Result<Option<String>>;
    async fn add_session(
        &mut self,
        hash: &[u8],
        name: &str,
        email: &str,
        expires_at: i64,
    ) -> Result<()>;
    /// The name and address of a session that has not expired.
    async fn session(&mut self, hash: &[u8], now: i64) -> Result<Option<(String, String)>>;
    async fn end_session(&mut self, hash: &[u8]) -> Result<()>;
    /// Forgets the links and sessions that have expired.
    async fn forget_sign_ins(&mut self, now: i64) -> Result<()>;

    /// Whether the municipality has an application waiting for a decision.
    async fn application_pending(&mut self, network: &str, code: u16) -> Result<bool>;
    /// Adds an application, unless one is waiting already.
    async fn add_application(
        &mut self,
        network: &str,
        code: u16,
        contact: &Contact,
        meeting_id: &str,
        now: i64,
    ) -> Result<()>;
    /// Applications not yet decided, oldest first, with their waiting registrations.
    async fn pending_applications(&mut self) -> Result<Vec<Application>>;
    /// An application, locked until the transaction ends where the store has row locks.
    /// A network's decided applications, the latest `limit` first.
    async fn decided_applications(
        &mut self,
        network: &str,
        limit: i64,
    ) -> Result<Vec<DecidedApplication>>;
    /// How many registrations count (registered or waiting) per meeting id.
    async fn registrations_per_meeting(&mut self) -> Result<Vec<(String, i64)>>;
    async fn application(&mut self, id: i64) -> Result<Option<ApplicationState>>;
    async fn approve_application(&mut self, id: i64, by: &str, now: i64) -> Result<()>;
    async fn decline_application(
        &mut self,
        id: i64,
        reason: &str,
        by: &str,
        now: i64,
    ) -> Result<()>;
    /// Moves the municipality's waiting registrations to `to`; returns how many.
    async fn settle_waiting(
        &mut self,
        network: &str,
        code: u16,
        to: Standing,
        now: i64,
    ) -> Result<usize>;

    // Submissions.
    /// The next reference number for a meeting: on SQLite from the meeting's counter (gap-free,
    /// as the one writer takes it in the submission's own transaction), on PostgreSQL from a
    /// sequence (unique, without a lock).
    async fn next_number(&mut self, meeting_id: &str) -> Result<i64>;
    /// The submission stored under an idempotency key: its id, receipt (JSON) and body's
    /// fingerprint (none for submissions stored before keys were bound to their bodies).
    async fn stored_receipt(
        &mut self,
        meeting_id: &str,
        key: &str,
    ) -> Result<Option<StoredReceipt>>;
    /// Inserts a submission; `None` when its idempotency key was stored first.
    async fn insert_submission(&mut self, s: &NewSubmission<'_>) -> Result<Option<i64>>;
    /// Registers attendees, each unless their e-mail is registered for the meeting (and not
    /// cancelled). Per attendee, in order: the row's id and calendar sequence (one above the
    /// address's last cancelled registration for the meeting), or `None`.
    async fn insert_attendees(
        &mut self,
        at: &Placing<'_>,
        attendees: &[Attendee],
    ) -> Result<Vec<Option<(i64, i32)>>>;
    async fn set_receipt(&mut self, submission: i64, json: &str) -> Result<()>;
    /// Keeps a manage link's selector and verifier hash for the submission.
    async fn add_token(
        &mut self,
        selector: &str,
        submission: i64,
        hash: &[u8],
        now: i64,
    ) -> Result<()>;

    // The manage link.
    /// The submission of a meeting with this link selector, and the stored verifier hash;
    /// with `lock`, locked until the transaction ends where the store has row locks.
    async fn submission(
        &mut self,
        meeting_id: &str,
        selector: &str,
        lock: bool,
    ) -> Result<Option<(Sub, Vec<u8>)>>;
    /// The stored verifier hash of a link of the meeting's submissions that a newer link
    /// replaced (see [`Tx::replace_tokens`]).
    async fn replaced_token(&mut self, meeting_id: &str, selector: &str)
    -> Result<Option<Vec<u8>>>;
    /// Ends every link of the submission: a newer one replaces them.
    async fn replace_tokens(&mut self, submission: i64, now: i64) -> Result<()>;
    /// The submissions of a municipality with attendees in `standing`, each with its meeting.
    async fn submissions_with(
        &mut self,
        network: &str,
        code: u16,
        standing: Standing,
    ) -> Result<Vec<(Sub, String)>>;
    /// Its attendees, oldest first.
    async fn rows(&mut self, submission: i64) -> Result<Vec<Row>>;
    /// Whether a change with this key was made to the submission.
    async fn seen(&mut self, submission: i64, key: &str) -> Result<bool>;
    /// Keeps a change in the history.
    async fn record(&mut self, change: &Recorded<'_>) -> Result<()>;
    /// Writes the attendee's name, title, department, standing and sequence.
    async fn update(&mut self, row: &Row, now: i64) -> Result<()>;
    async fn set_contact(&mut self, submission: i64, contact: &Contact) -> Result<()>;

    // The organiser's views and retention.
    /// Every registration for a meeting, oldest first.
    async fn export(&mut self, meeting_id: &str) -> Result<Vec<AttendeeRow>>;
    /// Deletes a meeting's registrations, submissions and mails; returns how many attendees.
    /// The reference counter stays, so no number is reused.
    async fn delete_meeting(&mut self, meeting_id: &str) -> Result<usize>;
    /// The meetings kept with their documents, by id.
    async fn stored_meetings(&mut self) -> Result<Vec<StoredMeeting>>;
    /// One of them; with `lock`, locked until the transaction ends where the store has row
    /// locks.
    async fn stored_meeting(&mut self, id: &str, lock: bool) -> Result<Option<StoredMeeting>>;
    /// Keeps a new meeting; false when a meeting with its id is kept already.
    async fn add_meeting(&mut self, m: &SavedMeeting<'_>) -> Result<bool>;
    /// Keeps a meeting file's meeting, published, unless its document is kept already; whether
    /// it was.
    async fn import_meeting(&mut self, m: &SavedMeeting<'_>) -> Result<bool>;
    /// Writes a kept meeting's document, status and reason, and when it is over (retention
    /// deletes its personal data some days after).
    async fn save_meeting(&mut self, m: &SavedMeeting<'_>) -> Result<()>;
    /// The number every change to a meeting raises: each instance reloads its meetings when it
    /// moves.
    async fn meetings_version(&mut self) -> Result<i64>;
    async fn raise_meetings_version(&mut self) -> Result<()>;
    /// Adds a line to a meeting's history.
    async fn add_meeting_event(&mut self, e: &NewMeetingEvent<'_>) -> Result<()>;
    /// A meeting's history, newest first.
    async fn meeting_history(&mut self, meeting_id: &str) -> Result<Vec<MeetingEvent>>;
    /// The meetings over before `before` that still have personal data, loaded now or not.
    async fn meetings_over(&mut self, before: i64) -> Result<Vec<String>>;
    /// Keeps a message the organiser sent; its id.
    async fn add_message(&mut self, m: &NewMessage<'_>) -> Result<i64>;
    /// A meeting's messages, newest first.
    async fn messages(&mut self, meeting_id: &str) -> Result<Vec<SentMessage>>;
    /// The message sent under `key`, if one was: a send repeated after a lost answer.
    async fn message_by_key(&mut self, meeting_id: &str, key: &str) -> Result<Option<SentMessage>>;
    /// Marks the meeting's reminder as written; false when it was already.
    async fn mark_reminded(&mut self, meeting_id: &str, now: i64) -> Result<bool>;
    /// The meeting's reminder is to be written again, at its new time.
    async fn remind_again(&mut self, meeting_id: &str) -> Result<()>;
    /// The online meeting's link, once the organiser has set it.
    async fn join_url(&mut self, meeting_id: &str) -> Result<Option<String>>;
    async fn set_join_url(&mut self, meeting_id: &str, url: &str, now: i64) -> Result<()>;
    /// Raises the calendar revision (`SEQUENCE`) of every registered attendee of a meeting, for
    /// an updated invitation.
    async fn revise_registered(&mut self, meeting_id: &str, now: i64) -> Result<usize>;
    /// Every registered attendee of a meeting (not waiting, declined or cancelled), with their
    /// calendar revision and the language their submission was made in.
    async fn attending(&mut self, meeting_id: &str) -> Result<Vec<(Attendee, i32, Lang)>>;
    /// Deletes the applications decided before `before`; how many.
    async fn delete_decided_applications(&mut self, before: i64) -> Result<usize>;

    // The outbox.
    /// Writes the mails one event causes (a submission, a change, a decision) to the outbox,
    /// due now, each with its place in the list: the outbox sends every list's first mails
    /// before any list's later ones. A public action's mail to an address that has had its
    /// hour's share is held back instead (see [`outbox::Cause`]).
    async fn enqueue(
        &mut self,
        meeting_id: &str,
        mails: &[Mail],
        now: i64,
        cause: outbox::Cause,
    ) -> Result<()>;
    /// A meeting's held-back mails, the latest `limit` first.
    async fn held_mails(&mut self, meeting_id: &str, limit: i64) -> Result<Vec<HeldMail>>;
    /// Claims up to `limit` due mails for `lease` seconds (fairly, see [`Tx::enqueue`]): another worker
    /// (another instance) does not take them meanwhile.
    async fn claim_mail(&mut self, now: i64, lease: i64, limit: i64) -> Result<Vec<Queued>>;
    /// Records a mail as sent under `claim`, and forgets its body (it may hold a manage link).
    async fn mail_sent(&mut self, id: i64, claim: i64, now: i64) -> Result<()>;
    /// Records a failed attempt under its claim: the next comes at `next`, or none if
    /// `give_up`.
    async fn mail_failed(&mut self, failed: &outbox::Failed<'_>) -> Result<()>;
}

/// A change through a manage link, as the history keeps it.
pub struct Recorded<'a> {
    pub submission: i64,
    pub key: &'a str,
    pub at: i64,
    pub by: &'a str,
    pub kind: &'a str,
    pub detail: &'a str,
}

/// One use case's work in one transaction, over the statements of [`Tx`]: written once, run on
/// either database by [`Store::run`].
#[allow(async_fn_in_trait)]
pub trait Work: Send + Sync + 'static {
    type Output: Send + 'static;
    /// The work. It may run more than once (PostgreSQL reports a deadlock: the transaction is
    /// tried again), so it takes `&self`.
    async fn run<T: Tx>(&self, tx: &mut T) -> Result<Self::Output>;
    /// Whether what it wrote is committed; otherwise it is rolled back (a refusal).
    fn keeps(_: &Self::Output) -> bool {
        true
    }
}

/// Handle to the store; cheap to clone.
#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

impl Store {
    /// Opens the store (creating and migrating its schema as needed).
    pub async fn open(location: &Location) -> Result<Store> {
        Ok(match location {
            Location::Sqlite(path) => Store::Sqlite(sqlite::Sqlite::open(path.clone()).await?),
            Location::Postgres { url, ca } => {
                Store::Postgres(postgres::Postgres::open(url, ca.as_deref()).await?)
            }
        })
    }

    /// Whether submissions are best committed in groups: SQLite has one writer, and a flush to
    /// disk per submission would make the disk the limit. PostgreSQL flushes the commits that
    /// wait at the same time together by itself, so there each submission is its own
    /// transaction, many at once.
    pub fn commits_in_groups(&self) -> bool {
        matches!(self, Store::Sqlite(_))
    }

    /// Runs `work` in one transaction and commits it (unless [`Work::keeps`] says no). SQLite's
    /// statements block, so its work runs on tokio's blocking threads; PostgreSQL's is tried
    /// again, whole, after a deadlock or a serialisation failure.
    /// Makes what was deleted or emptied (retention, a sent mail's body) gone from the
    /// database's files too: SQLite checkpoints and empties its write-ahead log. PostgreSQL's
    /// autovacuum marks dead rows' space for reuse, and it is overwritten as the table grows;
    /// its WAL and backups keep them as long as the operator keeps those (docs/operators.md).
    pub async fn forget(&self) -> Result<()> {
        match self {
            Store::Sqlite(s) => s.forget().await,
            Store::Postgres(_) => Ok(()),
        }
    }

    pub async fn run<W: Work>(&self, work: W) -> Result<W::Output> {
        match self {
            Store::Sqlite(s) => s.run(work).await,
            Store::Postgres(p) => p.run(work).await,
        }
    }
}

/// A decided application, from its columns as stored.
fn decided(
    id: i64,
    code: u16,
    approved: bool,
    decided_by: String,
    decided_at: i64,
    reason: Option<String>,
) -> DecidedApplication {
    DecidedApplication {
        id,
        municipality_code: code,
        municipality: tilmelding_domain::Municipality::by_code(code)
            .map_or_else(|| code.to_string(), |m| m.name.to_owned()),
        approved,
        decided_by,
        decided_at,
        reason,
    }
}

/// An application as listed, from its columns as stored.
fn application(
    id: i64,
    network: String,
    code: u16,
    [contact_name, contact_email]: [String; 2],
    created_at: i64,
    pending_registrations: i64,
) -> Application {
    Application {
        id,
        network,
        municipality_code: code,
        municipality: tilmelding_domain::Municipality::by_code(code)
            .map_or_else(|| code.to_string(), |m| m.name.to_owned()),
        contact_name,
        contact_email,
        created_at: tilmelding_domain::calendar::format_local(created_at),
        pending_registrations,
    }
}
