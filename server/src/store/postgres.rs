//! PostgreSQL storage, for several server instances on one database.
//!
//! Every guarantee is the database's: each submission first raises its meeting's reference
//! counter. That row lock puts the meeting's submissions in order across every instance, so
//! the idempotency check after it sees any submission committed before (READ COMMITTED gives
//! each statement a fresh snapshot), and a number taken by a submission that is rolled back is
//! handed back with it: no gaps. The unique constraints (`migrations/postgres`) stand behind
//! all of it. An instance that dies mid-transaction loses its connection, and PostgreSQL rolls
//! the transaction back.
//!
//! Because the counter is held until the commit, and a commit waits for the disk, one
//! transaction per submission would put every instance's submissions one disk flush apart
//! (about 200/s here). So, as on SQLite, each instance's writer task commits the submissions
//! waiting for it in one transaction, each in its own savepoint.

use super::manage::{self, ManageTx, Row, Sub};
use super::{
    Application, AttendeeRow, ChangeOutcome, Decided, Decision, MAX_GROUP, MailContext, Queued,
    Receipt, Result, Standing, Status, StoreError, Submitting, Target, all_failed, already,
    municipality_name, parse_standing,
};
use crate::mail::Mail;
use deadpool_postgres::GenericClient;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tilmelding_domain::Registration;
use tilmelding_domain::manage::{Change, Managed};
use tilmelding_domain::registration::email_key;
use tilmelding_domain::{Attendee, Contact, Lang};
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

mod migrations {
    refinery::embed_migrations!("migrations/postgres");
}

/// Connections each instance keeps at most. PostgreSQL's default `max_connections` is 100, so
/// a few instances fit beside the operators' own tools.
const POOL_SIZE: usize = 16;

/// Any 64-bit number of our own, for the advisory lock that lets one instance at a time migrate.
const MIGRATION_LOCK: i64 = 0x746c_6d64_6e67; // "tlmdng"

/// Handle to the pool and the writer task; cheap to clone.
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
    /// To the writer task; it stops when the last handle is dropped.
    writer: mpsc::UnboundedSender<Job>,
}

/// A submission for the writer task.
type Job = super::Job<oneshot::Sender<Result<Option<Receipt>>>>;

impl Postgres {
    /// Connects, and migrates the schema. Instances starting together take turns through an
    /// advisory lock, so each migration runs once.
    pub async fn open(url: &str, ca: Option<&std::path::Path>) -> Result<Postgres> {
        let config: tokio_postgres::Config = url.parse()?;
        let recycling = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        // TLS when the URL asks for it (`sslmode=require`): hosted databases usually do. Not
        // for `prefer` (tokio-postgres's default), where a certificate we cannot verify would
        // fail a connection that the operator expects to work unencrypted.
        let manager = if config.get_ssl_mode() == tokio_postgres::config::SslMode::Require {
            Manager::from_config(config, tls(ca)?, recycling)
        } else {
            Manager::from_config(config, NoTls, recycling)
        };
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(|e| StoreError::Failed(e.to_string()))?;
        let mut client = pool.get().await?;
        client
            .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        let migrated = migrations::migrations::runner()
            .run_async(&mut **client)
            .await;
        client
            .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
            .await?;
        migrated?;
        let (writer, jobs) = mpsc::unbounded_channel();
        tokio::spawn(write_groups(pool.clone(), jobs));
        Ok(Postgres { pool, writer })
    }

    pub async fn seed_members(&self, network: &str, codes: &[u16], now: i64) -> Result<()> {
        let codes: Vec<i32> = codes.iter().map(|&c| c.into()).collect();
        self.pool
            .get()
            .await?
            .execute(
                "INSERT INTO members (network, municipality_code, since)
                 SELECT $1, code, $3 FROM unnest($2::integer[]) AS code
                 ON CONFLICT DO NOTHING",
                &[&network, &codes, &now],
            )
            .await?;
        Ok(())
    }

    pub async fn membership(&self, network: &str, code: u16) -> Result<(bool, bool)> {
        let row = self
            .pool
            .get()
            .await?
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM members WHERE network = $1 AND municipality_code = $2),
                        EXISTS (SELECT 1 FROM applications
                                 WHERE network = $1 AND municipality_code = $2
                                   AND approved_at IS NULL AND declined_at IS NULL)",
                &[&network, &i32::from(code)],
            )
            .await?;
        Ok((row.get(0), row.get(1)))
    }

    /// See [`super::Store::submit`].
    pub async fn submit(
        &self,
        target: Target,
        reg: Registration,
        now: i64,
        with: Submitting,
    ) -> Result<Option<Receipt>> {
        // A replay of a stored submission needs no lock: answer it straight away (with a
        // manage link of its own).
        let client = self.pool.get().await?;
        if let Some((id, receipt)) = stored_receipt(&client, &target, &reg).await? {
            add_token(&client, id, &with, now).await?;
            return Ok(Some(receipt));
        }
        drop(client);
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(super::Job {
                target,
                reg,
                now,
                with,
                reply,
            })
            .map_err(|_| StoreError::Stopped)?;
        answer.await.map_err(|_| StoreError::Stopped)?
    }

    pub async fn export(&self, meeting_id: &str) -> Result<Vec<AttendeeRow>> {
        let rows = self
            .pool
            .get()
            .await?
            .query(
                "SELECT s.reference, r.municipality_code, r.name, r.email, r.title, r.department,
                        r.status, s.contact_name, s.contact_email, r.created_at, r.cancelled_at,
                        r.updated_at
                 FROM registrations r JOIN submissions s ON s.id = r.submission_id
                 WHERE r.meeting_id = $1 ORDER BY r.id",
                &[&meeting_id],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AttendeeRow {
                    reference: r.get(0),
                    municipality_code: code(r.get(1))?,
                    name: r.get(2),
                    email: r.get(3),
                    title: r.get(4),
                    department: r.get(5),
                    status: parse_standing(r.get(6))?,
                    contact_name: r.get(7),
                    contact_email: r.get(8),
                    created_at: r.get(9),
                    cancelled_at: r.get(10),
                    updated_at: r.get(11),
                })
            })
            .collect()
    }

    pub async fn pending_applications(&self) -> Result<Vec<Application>> {
        let rows = self
            .pool
            .get()
            .await?
            .query(
                "SELECT a.id, a.network, a.municipality_code, a.contact_name, a.contact_email,
                        a.created_at,
                        (SELECT COUNT(*) FROM registrations r
                          WHERE r.network = a.network AND r.municipality_code = a.municipality_code
                            AND r.status = $1)
                 FROM applications a WHERE a.approved_at IS NULL AND a.declined_at IS NULL
                 ORDER BY a.id",
                &[&Standing::PendingMembership.as_str()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let code = code(r.get(2))?;
                Ok(Application {
                    id: r.get(0),
                    network: r.get(1),
                    municipality_code: code,
                    municipality: municipality_name(code),
                    contact_name: r.get(3),
                    contact_email: r.get(4),
                    created_at: tilmelding_domain::calendar::format_local(r.get(5)),
                    pending_registrations: r.get(6),
                })
            })
            .collect()
    }

    pub async fn decide(
        &self,
        id: i64,
        decision: &Decision,
        by: &str,
        now: i64,
    ) -> Result<Option<Decided>> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        // The application's row, locked: two organisers deciding at once (on two instances)
        // take turns, and the second finds it decided.
        let Some(app) = tx
            .query_opt(
                "SELECT network, municipality_code, approved_at IS NOT NULL, declined_at IS NOT NULL
                 FROM applications WHERE id = $1 FOR UPDATE",
                &[&id],
            )
            .await?
        else {
            return Ok(None);
        };
        let (network, code, approved, declined): (String, i32, bool, bool) =
            (app.get(0), app.get(1), app.get(2), app.get(3));
        if approved || declined {
            return Ok(Some(already(decision, approved)));
        }
        let to = match decision {
            Decision::Approve => {
                tx.execute(
                    "UPDATE applications SET approved_at = $1, decided_by = $2 WHERE id = $3",
                    &[&now, &by, &id],
                )
                .await?;
                tx.execute(
                    "INSERT INTO members (network, municipality_code, since) VALUES ($1, $2, $3)
                     ON CONFLICT DO NOTHING",
                    &[&network, &code, &now],
                )
                .await?;
                Standing::Registered
            }
            Decision::Decline { reason } => {
                tx.execute(
                    "UPDATE applications SET declined_at = $1, reason = $2, decided_by = $3
                     WHERE id = $4",
                    &[&now, reason, &by, &id],
                )
                .await?;
                Standing::MembershipDeclined
            }
        };
        let changed = tx
            .execute(
                "UPDATE registrations SET status = $3, updated_at = $5
                 WHERE network = $1 AND municipality_code = $2 AND status = $4",
                &[
                    &network,
                    &code,
                    &to.as_str(),
                    &Standing::PendingMembership.as_str(),
                    &now,
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(Some(Decided::Now(changed as usize)))
    }

    pub async fn members(&self, network: &str) -> Result<Vec<u16>> {
        let rows = self
            .pool
            .get()
            .await?
            .query(
                "SELECT municipality_code FROM members WHERE network = $1
                 ORDER BY municipality_code",
                &[&network],
            )
            .await?;
        rows.iter().map(|r| code(r.get(0))).collect()
    }

    /// See [`super::Store::managed`].
    pub async fn managed(
        &self,
        meeting_id: &str,
        token: &str,
        open: bool,
    ) -> Result<Option<Managed>> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let mut m = PgTx(&tx, Lock::No);
        match manage::find(&mut m, meeting_id, token).await? {
            Some(sub) => manage::view(&mut m, &sub, open).await.map(Some),
            None => Ok(None),
        }
    }

    /// See [`super::Store::change`]. The submission's row is locked first, so two changes to
    /// one submission (on two instances) take turns.
    pub async fn change(
        &self,
        meeting_id: &str,
        token: &str,
        change: &Change,
        mail: Option<&MailContext>,
        now: i64,
    ) -> Result<Option<ChangeOutcome>> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let mut m = PgTx(&tx, Lock::Submission);
        let Some(mut sub) = manage::find(&mut m, meeting_id, token).await? else {
            return Ok(None);
        };
        match manage::apply(&mut m, meeting_id, &mut sub, change, mail, now).await? {
            Ok(()) => {
                let view = manage::view(&mut m, &sub, true).await?;
                tx.commit().await?;
                Ok(Some(Ok(view)))
            }
            // Rolled back whole as the transaction is dropped.
            Err(refused) => Ok(Some(Err(refused))),
        }
    }

    pub async fn claim_mail(&self, now: i64, lease: i64, limit: i64) -> Result<Vec<Queued>> {
        let rows = self
            .pool
            .get()
            .await?
            .query(
                "UPDATE outbox SET claimed_until = $1 + $2
                 WHERE id IN (SELECT id FROM outbox
                               WHERE sent_at IS NULL AND failed_at IS NULL
                                 AND next_attempt_at <= $1
                                 AND (claimed_until IS NULL OR claimed_until < $1)
                               ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING id, recipient, subject, body_text, body_html, calendar,
                           calendar_method, attempts",
                &[&now, &lease, &limit],
            )
            .await?;
        let mut claimed: Vec<Queued> = rows
            .iter()
            .map(|r| {
                super::queued(
                    r.get(0),
                    r.get(1),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    r.get(6),
                    i64::from(r.get::<_, i32>(7)),
                )
            })
            .collect();
        claimed.sort_by_key(|q| q.id);
        Ok(claimed)
    }

    pub async fn mail_sent(&self, id: i64, now: i64) -> Result<()> {
        self.pool
            .get()
            .await?
            .execute(
                "UPDATE outbox SET sent_at = $1, claimed_until = NULL, body_text = '',
                        body_html = '', calendar = NULL
                 WHERE id = $2",
                &[&now, &id],
            )
            .await?;
        Ok(())
    }

    pub async fn mail_failed(
        &self,
        id: i64,
        attempts: i64,
        next: i64,
        error: &str,
        give_up: bool,
    ) -> Result<()> {
        let attempts = i32::try_from(attempts).unwrap_or(i32::MAX);
        self.pool
            .get()
            .await?
            .execute(
                "UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3,
                        claimed_until = NULL, failed_at = CASE WHEN $4 THEN $2::BIGINT END
                 WHERE id = $5",
                &[&attempts, &next, &error, &give_up, &id],
            )
            .await?;
        Ok(())
    }

    pub async fn delete_meeting(&self, meeting_id: &str) -> Result<usize> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("DELETE FROM outbox WHERE meeting_id = $1", &[&meeting_id])
            .await?;
        let n = tx
            .execute(
                "DELETE FROM registrations WHERE meeting_id = $1",
                &[&meeting_id],
            )
            .await?;
        tx.execute(
            "DELETE FROM submissions WHERE meeting_id = $1",
            &[&meeting_id],
        )
        .await?;
        tx.commit().await?;
        Ok(n as usize)
    }
}

/// The writer task: takes every submission waiting (up to [`MAX_GROUP`]), stores them in one
/// transaction, then answers them all.
async fn write_groups(pool: Pool, mut jobs: mpsc::UnboundedReceiver<Job>) {
    while let Some(first) = jobs.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let pool = pool.clone();
        // In a task of its own: a bug that panics while storing drops this group's replies
        // (its callers get a 500; the transaction rolls back with its connection), and the
        // writer goes on with the next group.
        let _ = tokio::spawn(async move {
            let results = write_group(&pool, &group).await;
            for (job, result) in group.into_iter().zip(results) {
                // The caller may have gone (its request was cancelled); the data is stored.
                let _ = job.reply.send(result);
            }
        })
        .await;
    }
}

/// One group in one transaction, tried again as a whole if PostgreSQL reports a deadlock or a
/// serialisation failure (which the design avoids, but which may still come under load).
async fn write_group(pool: &Pool, group: &[Job]) -> Vec<Result<Option<Receipt>>> {
    let mut attempt = 0;
    loop {
        match try_group(pool, group).await {
            Ok(results) => return results,
            Err(e) if attempt < 3 && retryable(&e) => attempt += 1,
            Err(e) => return all_failed(group, &e.to_string()),
        }
    }
}

async fn try_group(pool: &Pool, group: &[Job]) -> Result<Vec<Result<Option<Receipt>>>> {
    let mut client = pool.get().await?;
    let mut tx = client.transaction().await?;
    let mut results = Vec::with_capacity(group.len());
    for job in group {
        let sp = tx.savepoint("submission").await?;
        let result = match store_submission(&sp, job).await {
            Ok(Some(receipt)) => {
                sp.commit().await?;
                Ok(Some(receipt))
            }
            // Nothing to keep (not a member, or the key was committed first): the number the
            // submission took goes back with its savepoint.
            Ok(None) => {
                sp.rollback().await?;
                Ok(None)
            }
            Err(Stored::Replay(id, receipt)) => {
                sp.rollback().await?;
                add_token(&tx, id, &job.with, job.now).await?;
                Ok(Some(receipt))
            }
            Err(Stored::Failed(e)) if retryable(&e) => return Err(e),
            Err(Stored::Failed(e)) => {
                sp.rollback().await?;
                Err(e)
            }
        };
        results.push(result);
    }
    tx.commit().await?;
    Ok(results)
}

/// How storing one submission ended, short of success.
enum Stored {
    /// The same idempotency key was committed first (by this or another instance): its
    /// submission and receipt.
    Replay(i64, Receipt),
    Failed(StoreError),
}

impl<E: Into<StoreError>> From<E> for Stored {
    fn from(e: E) -> Self {
        Stored::Failed(e.into())
    }
}

/// The submission stored under the idempotency key, if any, and its receipt.
async fn stored_receipt(
    client: &impl GenericClient,
    t: &Target,
    reg: &Registration,
) -> Result<Option<(i64, Receipt)>> {
    let Some(key) = &reg.idempotency_key else {
        return Ok(None);
    };
    let sql = "SELECT id, receipt FROM submissions WHERE meeting_id = $1 AND idempotency_key = $2";
    let row = client
        .query_opt(&client.prepare_cached(sql).await?, &[&t.meeting_id, key])
        .await?;
    row.map(|r| {
        serde_json::from_str(r.get(1))
            .map(|receipt| (r.get(0), receipt))
            .map_err(|e| StoreError::Corrupt(format!("a stored receipt: {e}")))
    })
    .transpose()
}

/// Keeps a manage link's hash for the submission.
async fn add_token(
    client: &impl GenericClient,
    submission: i64,
    with: &Submitting,
    now: i64,
) -> Result<()> {
    let sql = "INSERT INTO manage_tokens (selector, submission_id, verifier_hash, created_at)
               VALUES ($1, $2, $3, $4)";
    client
        .execute(
            &client.prepare_cached(sql).await?,
            &[&with.token.selector, &submission, &with.token.hash, &now],
        )
        .await?;
    Ok(())
}

/// Writes mails to the outbox, due now.
async fn enqueue(
    client: &impl GenericClient,
    meeting_id: &str,
    mails: &[Mail],
    now: i64,
) -> Result<()> {
    let sql = "INSERT INTO outbox (meeting_id, created_at, recipient, subject, body_text,
                                   body_html, calendar, calendar_method, next_attempt_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $2)";
    let insert = client.prepare_cached(sql).await?;
    for m in mails {
        let (method, ics) = m.calendar.clone().unzip();
        client
            .execute(
                &insert,
                &[
                    &meeting_id,
                    &now,
                    &m.to,
                    &m.subject,
                    &m.text,
                    &m.html,
                    &ics,
                    &method,
                ],
            )
            .await?;
    }
    Ok(())
}

/// One submission in its savepoint (see the module's comment for why in this order). Four
/// statements (five for a municipality applying), each prepared once per connection: inside a
/// group every round trip to the database is paid in turn.
async fn store_submission(
    tx: &impl GenericClient,
    job: &Job,
) -> std::result::Result<Option<Receipt>, Stored> {
    let (t, reg, now, with) = (&job.target, &job.reg, job.now, &job.with);
    let code = i32::from(reg.municipality_code);
    let counted = tx
        .query_one(
            &tx.prepare_cached(
                "WITH counter AS (
                     INSERT INTO reference_counters (meeting_id, last) VALUES ($1, 1)
                     ON CONFLICT (meeting_id) DO UPDATE SET last = reference_counters.last + 1
                     RETURNING last)
                 SELECT (SELECT last FROM counter),
                        EXISTS (SELECT 1 FROM members WHERE network = $2 AND municipality_code = $3)",
            )
            .await?,
            &[&t.meeting_id, &t.network, &code],
        )
        .await?;
    let (number, member): (i32, bool) = (counted.get(0), counted.get(1));
    if !member && !reg.apply_for_membership {
        return Ok(None);
    }
    if !member {
        tx.execute(
            &tx.prepare_cached(
                "INSERT INTO applications
                     (network, municipality_code, contact_name, contact_email, created_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (network, municipality_code)
                 WHERE approved_at IS NULL AND declined_at IS NULL DO NOTHING",
            )
            .await?,
            &[
                &t.network,
                &code,
                &reg.contact.name,
                &reg.contact.email,
                &now,
            ],
        )
        .await?;
    }
    let status = if member {
        Status::Registered
    } else {
        Status::PendingMembership
    };
    let reference = t.reference(number.into());
    // The submission and all its attendees in one statement (a submission may carry 1,000).
    // A key committed first (the counter's lock made this statement wait for it) stores
    // nothing here: that is a replay. Attendees whose e-mail is already registered for the
    // meeting are skipped by the constraint and not returned.
    let column = |f: fn(&tilmelding_domain::Attendee) -> String| -> Vec<String> {
        reg.attendees.iter().map(f).collect()
    };
    let keys = column(|a| email_key(&a.email));
    let inserted = tx
        .query_one(
            &tx.prepare_cached(
                "WITH submission AS (
                     INSERT INTO submissions
                         (meeting_id, number, reference, network, municipality_code, contact_name,
                          contact_email, idempotency_key, receipt, created_at, language)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', $9, $16)
                     ON CONFLICT (meeting_id, idempotency_key) DO NOTHING
                     RETURNING id),
                 attendees AS (
                     INSERT INTO registrations
                         (submission_id, meeting_id, network, municipality_code, name, email,
                          email_key, title, department, status, created_at, updated_at, sequence)
                     SELECT submission.id, $1, $4, $5, a.name, a.email, a.email_key, a.title,
                            a.department, $10, $9, $9,
                            -- One above the address's last cancelled registration, if any.
                            (SELECT COALESCE(MAX(p.sequence) + 1, 0) FROM registrations p
                              WHERE p.meeting_id = $1 AND p.email_key = a.email_key)
                     FROM submission,
                          unnest($11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
                              WITH ORDINALITY AS a (name, email, email_key, title, department, row)
                     ORDER BY a.row
                     ON CONFLICT (meeting_id, email_key) WHERE status <> 'cancelled' DO NOTHING
                     RETURNING email_key, sequence)
                 SELECT (SELECT id FROM submission), ARRAY(SELECT email_key FROM attendees),
                        ARRAY(SELECT sequence FROM attendees)",
            )
            .await?,
            &[
                &t.meeting_id,
                &number,
                &reference,
                &t.network,
                &code,
                &reg.contact.name,
                &reg.contact.email,
                &reg.idempotency_key,
                &now,
                &Standing::from(status).as_str(),
                &column(|a| a.name.clone()),
                &column(|a| a.email.clone()),
                &keys,
                &column(|a| a.title.clone()),
                &column(|a| a.department.clone()),
                &with.lang.code(),
            ],
        )
        .await?;
    let Some(submission) = inserted.get::<_, Option<i64>>(0) else {
        let (id, receipt) = stored_receipt(tx, t, reg).await?.ok_or_else(|| {
            StoreError::Corrupt("a submission's key is taken but has no receipt".into())
        })?;
        return Err(Stored::Replay(id, receipt));
    };
    add_token(tx, submission, with, now).await?;
    let mut fresh: std::collections::HashMap<String, i32> = inserted
        .get::<_, Vec<String>>(1)
        .into_iter()
        .zip(inserted.get::<_, Vec<i32>>(2))
        .collect();
    // The first row with a stored key is the one that was stored.
    let stored: Vec<Option<i32>> = keys.iter().map(|k| fresh.remove(k)).collect();
    let sequences: Vec<i32> = stored.iter().flatten().copied().collect();
    let stored: Vec<bool> = stored.iter().map(Option::is_some).collect();
    let receipt = super::receipt(reference, status, reg, &stored);
    if let Some(ctx) = &with.mail {
        let mails = manage::submission_mails(ctx, with.lang, reg, &receipt, &sequences, now);
        enqueue(tx, &t.meeting_id, &mails, now).await?;
    }
    let json = serde_json::to_string(&receipt).expect("a receipt always serialises");
    tx.execute(
        &tx.prepare_cached("UPDATE submissions SET receipt = $1 WHERE id = $2")
            .await?,
        &[&json, &submission],
    )
    .await?;
    Ok(Some(receipt))
}

/// The manage link's statements ([`ManageTx`]) in a PostgreSQL transaction: for a change, the
/// submission's row is locked (two changes to one submission take turns); a read locks nothing.
struct PgTx<'a>(&'a deadpool_postgres::Transaction<'a>, Lock);

#[derive(Clone, Copy, PartialEq)]
enum Lock {
    No,
    Submission,
}

impl ManageTx for PgTx<'_> {
    async fn submission(
        &mut self,
        meeting_id: &str,
        selector: &str,
    ) -> Result<Option<(Sub, Vec<u8>)>> {
        const FIND: &str = "SELECT s.id, s.reference, s.network, s.municipality_code,
                   s.contact_name, s.contact_email, s.language, t.verifier_hash
            FROM manage_tokens t JOIN submissions s ON s.id = t.submission_id
            WHERE t.selector = $1 AND s.meeting_id = $2";
        let sql = match self.1 {
            Lock::No => FIND.to_owned(),
            Lock::Submission => format!("{FIND} FOR UPDATE OF s"),
        };
        let row = self.0.query_opt(&sql, &[&selector, &meeting_id]).await?;
        row.map(|r| {
            Ok((
                Sub {
                    id: r.get(0),
                    reference: r.get(1),
                    network: r.get(2),
                    municipality_code: code(r.get(3))?,
                    contact: Contact {
                        name: r.get(4),
                        email: r.get(5),
                    },
                    lang: Lang::from_code(r.get(6)),
                },
                r.get(7),
            ))
        })
        .transpose()
    }

    async fn rows(&mut self, submission: i64) -> Result<Vec<Row>> {
        let rows = self
            .0
            .query(
                "SELECT id, name, email, title, department, status, sequence FROM registrations
                 WHERE submission_id = $1 ORDER BY id",
                &[&submission],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Row {
                    id: r.get(0),
                    attendee: Attendee {
                        name: r.get(1),
                        email: r.get(2),
                        title: r.get(3),
                        department: r.get(4),
                    },
                    status: parse_standing(r.get(5))?,
                    sequence: r.get(6),
                })
            })
            .collect()
    }

    async fn is_member(&mut self, network: &str, code: u16) -> Result<bool> {
        Ok(self
            .0
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM members WHERE network = $1 AND municipality_code = $2)",
                &[&network, &i32::from(code)],
            )
            .await?
            .get(0))
    }

    async fn seen(&mut self, submission: i64, key: &str) -> Result<bool> {
        Ok(self
            .0
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM changes WHERE submission_id = $1 AND idempotency_key = $2)",
                &[&submission, &key],
            )
            .await?
            .get(0))
    }

    async fn record(
        &mut self,
        submission: i64,
        key: &str,
        now: i64,
        by: &str,
        kind: &str,
        detail: &str,
    ) -> Result<()> {
        self.0
            .execute(
                "INSERT INTO changes (submission_id, idempotency_key, at, by, kind, detail)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[&submission, &key, &now, &by, &kind, &detail],
            )
            .await?;
        Ok(())
    }

    async fn update(&mut self, row: &Row, now: i64) -> Result<()> {
        let a = &row.attendee;
        self.0
            .execute(
                "UPDATE registrations SET name = $1, title = $2, department = $3, status = $4,
                        sequence = $5, updated_at = $6,
                        cancelled_at = CASE WHEN $4 = 'cancelled' THEN COALESCE(cancelled_at, $6) END
                 WHERE id = $7",
                &[
                    &a.name,
                    &a.title,
                    &a.department,
                    &row.status.as_str(),
                    &row.sequence,
                    &now,
                    &row.id,
                ],
            )
            .await?;
        Ok(())
    }

    async fn insert(
        &mut self,
        meeting_id: &str,
        sub: &Sub,
        a: &Attendee,
        status: Standing,
        now: i64,
    ) -> Result<Option<Row>> {
        let row = self
            .0
            .query_opt(
                "INSERT INTO registrations
                     (submission_id, meeting_id, network, municipality_code, name, email,
                      email_key, title, department, status, created_at, updated_at, sequence)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11,
                         (SELECT COALESCE(MAX(sequence) + 1, 0) FROM registrations
                           WHERE meeting_id = $2 AND email_key = $7))
                 ON CONFLICT (meeting_id, email_key) WHERE status <> 'cancelled' DO NOTHING
                 RETURNING id, sequence",
                &[
                    &sub.id,
                    &meeting_id,
                    &sub.network,
                    &i32::from(sub.municipality_code),
                    &a.name,
                    &a.email,
                    &email_key(&a.email),
                    &a.title,
                    &a.department,
                    &status.as_str(),
                    &now,
                ],
            )
            .await?;
        Ok(row.map(|r| Row {
            id: r.get(0),
            attendee: a.clone(),
            status,
            sequence: r.get(1),
        }))
    }

    async fn set_contact(&mut self, submission: i64, contact: &Contact) -> Result<()> {
        self.0
            .execute(
                "UPDATE submissions SET contact_name = $1, contact_email = $2 WHERE id = $3",
                &[&contact.name, &contact.email, &submission],
            )
            .await?;
        Ok(())
    }

    async fn enqueue(&mut self, meeting_id: &str, mails: &[Mail], now: i64) -> Result<()> {
        enqueue(self.0, meeting_id, mails, now).await
    }
}

/// The TLS connector: the server's certificate must chain to `ca` (PEM), or without it to
/// the Mozilla roots; rustls with the `ring` provider, so no system OpenSSL is needed.
fn tls(ca: Option<&std::path::Path>) -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    match ca {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<std::result::Result<Vec<_>, _>>())
                .map_err(|e| StoreError::Tls(format!("{}: {e}", path.display())))?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(StoreError::Tls(format!(
                    "{}: no certificate in it",
                    path.display()
                )));
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| StoreError::Tls(e.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Errors worth trying the transaction again for.
fn retryable(e: &StoreError) -> bool {
    matches!(e, StoreError::Postgres(e)
        if e.code().is_some_and(|c| *c == SqlState::T_R_DEADLOCK_DETECTED
            || *c == SqlState::T_R_SERIALIZATION_FAILURE))
}

/// A municipality code as stored.
fn code(stored: i32) -> Result<u16> {
    u16::try_from(stored).map_err(|_| StoreError::Corrupt(format!("municipality code {stored}")))
}
