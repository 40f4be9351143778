//! A submission: a municipality's contact registers attendees for a meeting, or, for a
//! municipality that is not a member, applies for membership and registers in one go.
//!
//! On SQLite, submissions are committed in groups by one writer per instance ([`Submissions`]):
//! when the invitation goes out, hundreds of municipalities submit at once, and a commit (a
//! flush to disk) per submission would make the disk the limit. Each submission in a group runs
//! in its own savepoint, so one that fails or stores nothing is rolled back alone, and nobody
//! gets an answer before the group's commit has reached the disk. On PostgreSQL each submission
//! is its own transaction, many at once: the database flushes the commits that wait together.

use super::MailContext;
use super::manage::Token;
use crate::letters::Person;
use crate::store::{
    self, Date, NewSubmission, Placing, Receipt, Registered, Standing, Status, Store, StoreError,
    Tx, Work,
};
use tilmelding_domain::{Lang, Meeting, Registration};
use tokio::sync::{mpsc, oneshot};

/// Most submissions committed together (on SQLite): bounds how long one group holds the
/// database, and so how long the last in a group waits for its answer.
const MAX_GROUP: usize = 256;

/// Whether a bot sent the submission: only bots fill in the field people cannot see (the
/// honeypot). It is refused without storing anything, with a message that still makes sense to
/// the rare person whose browser filled it in by itself.
pub fn by_a_bot(reg: &Registration) -> bool {
    !reg.website.is_empty()
}

/// The mails a submission causes: one to each attendee and one to the contact (see
/// `Letters::submitted`).
pub fn mails(reg: &Registration) -> usize {
    reg.attendees.len() + 1
}

/// What comes with a submission besides the registration: its manage link (the hash is
/// stored; a replay gets a link of its own), the language its mails are written in, and what
/// they need (none when no mail is configured).
pub struct Submitting {
    pub token: Token,
    pub lang: Lang,
    pub mail: Option<MailContext>,
}

/// What a submission needs to know about its meeting.
#[derive(Clone, Debug)]
struct Target {
    meeting_id: String,
    /// The meeting's date: membership is asked on it.
    day: Date,
    network: String,
    /// Start of the reference numbers, e.g. `KNUB`.
    prefix: String,
}

impl Target {
    fn of(meeting: &Meeting) -> Target {
        let network = meeting.network.id.clone();
        Target {
            meeting_id: meeting.id.clone(),
            day: meeting.date,
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

/// One validated submission on its way to the store.
struct Job {
    target: Target,
    reg: Registration,
    /// The body's fingerprint: its key replays it only with the same body.
    fingerprint: String,
    now: i64,
    with: Submitting,
}

/// How storing one submission ended.
enum Outcome {
    Stored(Receipt),
    /// The municipality is not a member and did not apply: nothing is kept.
    NotMember,
    /// Its idempotency key was stored first (by this or another instance): that submission and
    /// its receipt; nothing of this one is kept.
    Replay(i64, Receipt),
    /// Its idempotency key was stored first with another body: nothing is kept or shown.
    KeyReused,
}

/// How a submission ended, for the request that sent it.
pub enum Submitted {
    /// Stored, or the replay of a stored submission with the same body.
    Stored(Receipt),
    /// The municipality is not a member and did not apply: nothing is kept.
    NotMember,
    /// The idempotency key was used for another body: nothing is kept, and the first
    /// submission's receipt is not shown (whoever knows a key must not read what it stored).
    KeyReused,
}

/// A submission's fingerprint: SHA-256 of its validated body without its key (and the
/// honeypot, empty once validated), in hex. A retry sends the same body, so it has the same
/// fingerprint. Hashed from references: a submission may carry a thousand attendees.
fn fingerprint(reg: &Registration) -> String {
    use sha2::Digest;
    let body = (
        reg.municipality_code,
        &reg.contact,
        &reg.attendees,
        reg.privacy_accepted,
        reg.apply_for_membership,
    );
    let json = serde_json::to_vec(&body).expect("a registration always serialises");
    format!("{:x}", sha2::Sha256::digest(json))
}

/// A replayed submission's receipt, with a manage link of its own.
struct Replayed {
    submission: i64,
    receipt: Receipt,
    token: Token,
    now: i64,
}

impl Work for Replayed {
    type Output = Receipt;

    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Receipt> {
        let t = &self.token;
        tx.add_token(&t.selector, self.submission, &t.hash, self.now)
            .await?;
        Ok(self.receipt.clone())
    }
}

fn parse_receipt(json: &str) -> store::Result<Receipt> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("a stored receipt: {e}")))
}

/// One submission, in its own transaction or savepoint; what it wrote is kept only if it ends
/// [`Outcome::Stored`].
async fn store_one<T: Tx>(tx: &mut T, job: &Job) -> store::Result<Outcome> {
    let (t, reg, now, with) = (&job.target, &job.reg, job.now, &job.with);
    let code = reg.municipality_code;
    let number = tx.next_number(&t.meeting_id).await?;
    let member = tx.member_on(&t.network, code, t.day).await?;
    if !member && !reg.apply_for_membership {
        return Ok(Outcome::NotMember);
    }
    if !member {
        tx.add_application(&t.network, code, &reg.contact, &t.meeting_id, now)
            .await?;
    }
    let status = if member {
        Status::Registered
    } else {
        Status::PendingMembership
    };
    let reference = t.reference(number);
    let new = NewSubmission {
        meeting_id: &t.meeting_id,
        number,
        reference: &reference,
        network: &t.network,
        municipality_code: code,
        contact: &reg.contact,
        idempotency_key: reg.idempotency_key.as_deref(),
        fingerprint: &job.fingerprint,
        lang: with.lang,
        now,
    };
    let Some(submission) = tx.insert_submission(&new).await? else {
        let key = reg.idempotency_key.as_deref().unwrap_or_default();
        let (id, json, stored) = tx
            .stored_receipt(&t.meeting_id, key)
            .await?
            .ok_or_else(|| {
                StoreError::Corrupt("a submission's key is taken but has no receipt".into())
            })?;
        if stored.as_deref() != Some(job.fingerprint.as_str()) {
            return Ok(Outcome::KeyReused);
        }
        return Ok(Outcome::Replay(id, parse_receipt(&json)?));
    };
    tx.add_token(&with.token.selector, submission, &with.token.hash, now)
        .await?;
    let placing = Placing {
        submission,
        meeting_id: &t.meeting_id,
        network: &t.network,
        municipality_code: code,
        status: Standing::from(status),
        now,
    };
    let stored = tx.insert_attendees(&placing, &reg.attendees).await?;
    let receipt = receipt(reference, status, reg, &stored);
    if let Some(ctx) = &with.mail {
        let sequences: Vec<i32> = stored.iter().flatten().map(|&(_, s)| s).collect();
        let join = tx.join_url(&t.meeting_id).await?;
        // The receipt to the contact, a confirmation to each attendee stored.
        let pending = receipt.status == Status::PendingMembership;
        let code = reg.municipality_code;
        let mails = ctx
            .letters(with.lang, &receipt.reference, code, pending, now)
            .with_join(join.as_deref())
            .submitted(&reg.contact, &people(reg, &receipt, &sequences));
        tx.enqueue(&t.meeting_id, &mails, now, ctx.cause).await?;
    }
    let json = serde_json::to_string(&receipt).expect("a receipt always serialises");
    tx.set_receipt(submission, &json).await?;
    Ok(Outcome::Stored(receipt))
}

/// The receipt for a submission's attendees, given which of them were stored (the others were
/// already registered for the meeting).
fn receipt(
    reference: String,
    status: Status,
    reg: &Registration,
    stored: &[Option<(i64, i32)>],
) -> Receipt {
    let mut receipt = Receipt {
        reference,
        status,
        registered: Vec::new(),
        already_registered: Vec::new(),
        manage_url: None,
    };
    for (row, (a, stored)) in reg.attendees.iter().zip(stored).enumerate() {
        if stored.is_some() {
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

/// The attendees a submission stored, each with their calendar revision (`sequences`, in the
/// receipt's order: above 0 for an address registered again after a cancellation, so the
/// calendar that removed the entry takes the new invitation).
fn people(reg: &Registration, receipt: &Receipt, sequences: &[i32]) -> Vec<Person> {
    receipt
        .registered
        .iter()
        .zip(sequences)
        .filter_map(|(r, s)| Some((reg.attendees.get(r.row)?, s)))
        .map(|(a, &sequence)| Person::of(a, sequence))
        .collect()
}

/// Submissions waiting for a commit, stored together: each in its own savepoint, one commit
/// for all.
struct Group(Vec<Job>);

impl Work for Group {
    type Output = Vec<store::Result<Outcome>>;

    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Self::Output> {
        let mut results = Vec::with_capacity(self.0.len());
        for job in &self.0 {
            tx.savepoint().await?;
            let result = store_one(tx, job).await;
            match &result {
                Ok(Outcome::Stored(_)) => tx.release_savepoint().await?,
                // Nothing to keep: the number it took goes back with its savepoint.
                _ => {
                    tx.roll_back_to_savepoint().await?;
                }
            }
            results.push(result);
        }
        Ok(results)
    }
}

/// One submission in its own transaction.
struct Single(Job);

impl Work for Single {
    type Output = Outcome;

    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Outcome> {
        store_one(tx, &self.0).await
    }

    fn keeps(out: &Outcome) -> bool {
        matches!(out, Outcome::Stored(_))
    }
}

/// A submission with its answer's way back to the request.
type Waiting = (Job, oneshot::Sender<store::Result<Outcome>>);

/// Stores submissions: on SQLite through one writer task per instance that takes every
/// submission waiting (up to [`MAX_GROUP`]), stores them as one [`Group`], then answers them
/// all; on PostgreSQL each in its own transaction. Cheap to clone.
#[derive(Clone)]
pub struct Submissions {
    store: Store,
    /// To the writer task, where submissions are committed in groups; it stops when the last
    /// handle is dropped.
    writer: Option<mpsc::UnboundedSender<Waiting>>,
}

impl Submissions {
    /// Starts the writer task where the store commits in groups.
    pub fn start(store: Store) -> Submissions {
        let writer = store.commits_in_groups().then(|| {
            let (jobs, waiting) = mpsc::unbounded_channel();
            tokio::spawn(write_groups(store.clone(), waiting));
            jobs
        });
        Submissions { store, writer }
    }

    /// Stores a validated submission, durably, before this returns. Attendees whose e-mail is
    /// already registered for the meeting are reported, not stored. A key seen before with
    /// the same body returns the original receipt, with a manage link of its own.
    pub async fn submit(
        &self,
        meeting: &Meeting,
        reg: Registration,
        now: i64,
        with: Submitting,
    ) -> store::Result<Submitted> {
        let token = with.token.clone();
        let job = Job {
            target: Target::of(meeting),
            fingerprint: fingerprint(&reg),
            reg,
            now,
            with,
        };
        let outcome = match &self.writer {
            Some(writer) => {
                let (reply, answer) = oneshot::channel();
                writer.send((job, reply)).map_err(|_| StoreError::Stopped)?;
                answer.await.map_err(|_| StoreError::Stopped)??
            }
            None => self.store.run(Single(job)).await?,
        };
        match outcome {
            Outcome::Stored(receipt) => Ok(Submitted::Stored(receipt)),
            Outcome::NotMember => Ok(Submitted::NotMember),
            Outcome::KeyReused => Ok(Submitted::KeyReused),
            // Its key was stored first (a retry, or the first attempt racing it): the first
            // submission's receipt, and a link of its own.
            Outcome::Replay(submission, receipt) => {
                let link = Replayed {
                    submission,
                    receipt,
                    token,
                    now,
                };
                self.store.run(link).await.map(Submitted::Stored)
            }
        }
    }
}

async fn write_groups(store: Store, mut waiting: mpsc::UnboundedReceiver<Waiting>) {
    while let Some(first) = waiting.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match waiting.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let (jobs, replies): (Vec<_>, Vec<_>) = group.into_iter().unzip();
        let store = store.clone();
        // In a task of its own: a bug that panics while storing fails this group's requests
        // (a 500; the transaction rolls back), and the writer goes on with the next group.
        let written = tokio::spawn(async move { store.run(Group(jobs)).await }).await;
        let results = match written {
            Ok(Ok(results)) => results.into_iter().map(Some).collect(),
            Ok(Err(e)) => {
                tracing::error!(error = %e.full(), "storing a group of submissions");
                Vec::new()
            }
            Err(_) => {
                tracing::error!("a bug while storing a group of submissions");
                Vec::new()
            }
        };
        let mut results = results.into_iter();
        for reply in replies {
            let result = results
                .next()
                .flatten()
                .unwrap_or_else(|| Err(StoreError::Failed("the group was not stored".into())));
            // The caller may have gone (its request was cancelled); the data is stored anyway.
            let _ = reply.send(result);
        }
    }
}

/// Whether the municipality is a member of the meeting's network on the meeting's date, and
/// whether it has an application waiting.
pub async fn membership(
    store: &Store,
    meeting: &Meeting,
    code: u16,
) -> store::Result<(bool, bool)> {
    struct Membership(String, u16, Date);
    impl Work for Membership {
        type Output = (bool, bool);
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<(bool, bool)> {
            Ok((
                tx.member_on(&self.0, self.1, self.2).await?,
                tx.application_pending(&self.0, self.1).await?,
            ))
        }
    }
    let network = meeting.network.id.clone();
    store.run(Membership(network, code, meeting.date)).await
}
