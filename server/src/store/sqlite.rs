//! SQLite storage: members, membership applications, submissions and registrations.
//!
//! One connection behind a mutex: SQLite serialises writers anyway. WAL with `synchronous=FULL`,
//! because a 2xx is a promise to the user that the registration survives a power cut.
//!
//! Submissions go through one writer thread that commits them in groups (issue 9): when the
//! invitation goes out, hundreds of municipalities submit at once, and a commit (an fsync) per
//! submission would make the disk the limit. Each submission in a group runs in its own
//! savepoint, so one that fails is rolled back alone, and nobody gets an answer before the
//! group's commit has reached the disk.

use super::manage::{self, ManageTx, Row, Sub};
use super::{
    Application, AttendeeRow, ChangeOutcome, Decided, Decision, MAX_GROUP, MailContext, Queued,
    Receipt, Result, Standing, Status, StoreError, Submitting, Target, all_failed, already,
    municipality_name, parse_standing,
};
use crate::mail::Mail;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};
use tilmelding_domain::Registration;
use tilmelding_domain::manage::{Change, Managed};
use tilmelding_domain::registration::email_key;
use tilmelding_domain::{Attendee, Contact, Lang};

mod migrations {
    refinery::embed_migrations!("migrations/sqlite");
}

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Sqlite {
    conn: Arc<Mutex<Connection>>,
    /// To the writer thread; it stops when the last handle is dropped.
    writer: mpsc::Sender<Job>,
}

/// A submission for the writer thread.
type Job = super::Job<mpsc::SyncSender<Result<Option<Receipt>>>>;

impl Sqlite {
    /// Opens (creating if needed) the database file, and migrates its schema.
    pub fn open(path: &Path) -> Result<Sqlite> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut conn = conn;
        migrations::migrations::runner().run(&mut conn)?;
        let conn = Arc::new(Mutex::new(conn));
        let (writer, jobs) = mpsc::channel();
        let shared = conn.clone();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || write_groups(&shared, &jobs))?;
        Ok(Sqlite { conn, writer })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        lock(&self.conn)
    }

    /// Adds members from a seed list; existing members are left as they are.
    pub fn seed_members(&self, network: &str, codes: &[u16], now: i64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for code in codes {
            tx.execute(
                "INSERT OR IGNORE INTO members (network, municipality_code, since) VALUES (?1, ?2, ?3)",
                params![network, code, now],
            )?;
        }
        Ok(tx.commit()?)
    }

    /// Whether the municipality is a member, and whether it has an application waiting.
    pub fn membership(&self, network: &str, code: u16) -> Result<(bool, bool)> {
        let conn = self.conn();
        let member = is_member(&conn, network, code)?;
        let pending = conn
            .query_row(
                "SELECT 1 FROM applications WHERE network = ?1 AND municipality_code = ?2
                 AND approved_at IS NULL AND declined_at IS NULL",
                params![network, code],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        Ok((member, pending))
    }

    /// See [`super::Store::submit`]. Blocks until the writer thread has committed the group
    /// the submission joined.
    pub fn submit(
        &self,
        target: Target,
        reg: Registration,
        now: i64,
        with: Submitting,
    ) -> Result<Option<Receipt>> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.writer
            .send(super::Job {
                target,
                reg,
                now,
                with,
                reply,
            })
            .map_err(|_| StoreError::Stopped)?;
        answer.recv().map_err(|_| StoreError::Stopped)?
    }

    pub fn export(&self, meeting_id: &str) -> Result<Vec<AttendeeRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT s.reference, s.network, r.municipality_code, r.name, r.email, r.title, r.department, r.status,
                    s.contact_name, s.contact_email, r.created_at, r.cancelled_at, r.updated_at
             FROM registrations r JOIN submissions s ON s.id = r.submission_id
             WHERE r.meeting_id = ?1 ORDER BY r.id",
        )?;
        let rows = stmt.query_map(params![meeting_id], |r| {
            Ok((
                AttendeeRow {
                    reference: r.get(0)?,
                    municipality_code: r.get(2)?,
                    name: r.get(3)?,
                    email: r.get(4)?,
                    title: r.get(5)?,
                    department: r.get(6)?,
                    status: Standing::Registered,
                    contact_name: r.get(8)?,
                    contact_email: r.get(9)?,
                    created_at: r.get(10)?,
                    cancelled_at: r.get(11)?,
                    updated_at: r.get(12)?,
                },
                r.get::<_, String>(7)?,
            ))
        })?;
        rows.map(|row| {
            let (row, status) = row?;
            Ok(AttendeeRow {
                status: parse_standing(&status)?,
                ..row
            })
        })
        .collect()
    }

    pub fn pending_applications(&self) -> Result<Vec<Application>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT a.id, a.network, a.municipality_code, a.contact_name, a.contact_email, a.created_at,
                    (SELECT COUNT(*) FROM registrations r
                      WHERE r.network = a.network AND r.municipality_code = a.municipality_code
                        AND r.status = ?1)
             FROM applications a WHERE a.approved_at IS NULL AND a.declined_at IS NULL
             ORDER BY a.id",
        )?;
        let rows = stmt.query_map([Standing::PendingMembership.as_str()], |r| {
            let code: u16 = r.get(2)?;
            Ok(Application {
                id: r.get(0)?,
                network: r.get(1)?,
                municipality_code: code,
                municipality: municipality_name(code),
                contact_name: r.get(3)?,
                contact_email: r.get(4)?,
                created_at: tilmelding_domain::calendar::format_local(r.get(5)?),
                pending_registrations: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn decide(
        &self,
        id: i64,
        decision: &Decision,
        by: &str,
        now: i64,
    ) -> Result<Option<Decided>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let app: Option<(String, u16, bool, bool)> = tx
            .query_row(
                "SELECT network, municipality_code, approved_at IS NOT NULL, declined_at IS NOT NULL
                 FROM applications WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((network, code, approved, declined)) = app else {
            return Ok(None);
        };
        if approved || declined {
            return Ok(Some(already(decision, approved)));
        }
        let to = match decision {
            Decision::Approve => {
                tx.execute(
                    "UPDATE applications SET approved_at = ?1, decided_by = ?2 WHERE id = ?3",
                    params![now, by, id],
                )?;
                tx.execute(
                    "INSERT OR IGNORE INTO members (network, municipality_code, since)
                     VALUES (?1, ?2, ?3)",
                    params![network, code, now],
                )?;
                Standing::Registered
            }
            Decision::Decline { reason } => {
                tx.execute(
                    "UPDATE applications SET declined_at = ?1, reason = ?2, decided_by = ?3
                     WHERE id = ?4",
                    params![now, reason, by, id],
                )?;
                Standing::MembershipDeclined
            }
        };
        let changed = tx.execute(
            "UPDATE registrations SET status = ?3, updated_at = ?5
             WHERE network = ?1 AND municipality_code = ?2 AND status = ?4",
            params![
                network,
                code,
                to.as_str(),
                Standing::PendingMembership.as_str(),
                now
            ],
        )?;
        tx.commit()?;
        Ok(Some(Decided::Now(changed)))
    }

    pub fn members(&self, network: &str) -> Result<Vec<u16>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT municipality_code FROM members WHERE network = ?1 ORDER BY municipality_code",
        )?;
        let codes = stmt.query_map(params![network], |r| r.get(0))?;
        Ok(codes.collect::<rusqlite::Result<_>>()?)
    }

    /// See [`super::Store::managed`].
    pub fn managed(&self, meeting_id: &str, token: &str, open: bool) -> Result<Option<Managed>> {
        let conn = self.conn();
        let mut tx = SqliteTx(&conn);
        block_on(async {
            match manage::find(&mut tx, meeting_id, token).await? {
                Some(sub) => manage::view(&mut tx, &sub, open).await.map(Some),
                None => Ok(None),
            }
        })
    }

    /// See [`super::Store::change`].
    pub fn change(
        &self,
        meeting_id: &str,
        token: &str,
        change: &Change,
        mail: Option<&MailContext>,
        now: i64,
    ) -> Result<Option<ChangeOutcome>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut m = SqliteTx(&tx);
        let outcome = block_on(async {
            let Some(mut sub) = manage::find(&mut m, meeting_id, token).await? else {
                return Ok(None);
            };
            match manage::apply(&mut m, meeting_id, &mut sub, change, mail, now).await? {
                Ok(()) => manage::view(&mut m, &sub, true).await.map(|v| Some(Ok(v))),
                Err(refused) => Ok(Some(Err(refused))),
            }
        })?;
        // A refused change is rolled back whole (dropping the transaction does).
        if matches!(outcome, Some(Ok(_))) {
            tx.commit()?;
        }
        Ok(outcome)
    }

    pub fn claim_mail(&self, now: i64, lease: i64, limit: i64) -> Result<Vec<Queued>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "UPDATE outbox SET claimed_until = ?1 + ?2
             WHERE id IN (SELECT id FROM outbox
                           WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?1
                             AND (claimed_until IS NULL OR claimed_until < ?1)
                           ORDER BY id LIMIT ?3)
             RETURNING id, recipient, subject, body_text, body_html, calendar, calendar_method,
                       attempts",
        )?;
        let rows = stmt.query_map(params![now, lease, limit], |r| {
            Ok(super::queued(
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?;
        let mut claimed = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        claimed.sort_by_key(|q| q.id);
        Ok(claimed)
    }

    pub fn mail_sent(&self, id: i64, now: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE outbox SET sent_at = ?1, claimed_until = NULL, body_text = '', body_html = '',
                    calendar = NULL
             WHERE id = ?2",
            params![now, id],
        )?;
        Ok(())
    }

    pub fn mail_failed(
        &self,
        id: i64,
        attempts: i64,
        next: i64,
        error: &str,
        give_up: bool,
    ) -> Result<()> {
        self.conn().execute(
            "UPDATE outbox SET attempts = ?1, next_attempt_at = ?2, last_error = ?3,
                    claimed_until = NULL, failed_at = CASE WHEN ?4 THEN ?2 END
             WHERE id = ?5",
            params![attempts, next, error, give_up, id],
        )?;
        Ok(())
    }

    pub fn delete_meeting(&self, meeting_id: &str) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "DELETE FROM outbox WHERE meeting_id = ?1",
            params![meeting_id],
        )?;
        let n = tx.execute(
            "DELETE FROM registrations WHERE meeting_id = ?1",
            params![meeting_id],
        )?;
        tx.execute(
            "DELETE FROM submissions WHERE meeting_id = ?1",
            params![meeting_id],
        )?;
        tx.commit()?;
        Ok(n)
    }
}

fn lock(conn: &Mutex<Connection>) -> std::sync::MutexGuard<'_, Connection> {
    // A panic while holding the lock cannot leave a half-done transaction behind (it rolls
    // back on drop), so a poisoned lock is safe to keep using.
    conn.lock().unwrap_or_else(|p| p.into_inner())
}

/// The writer thread: takes every submission waiting (up to [`MAX_GROUP`]), stores each in its
/// own savepoint, commits once, then answers them all.
fn write_groups(conn: &Mutex<Connection>, jobs: &mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        // A bug that panics while storing must not stop the writer for good: the group's
        // transaction rolls back as the panic unwinds, its callers get an error (a 500), and
        // the next group is written as usual.
        let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            write_group(&mut lock(conn), &group)
        }));
        let results = written.unwrap_or_else(|_| all_failed(&group, "a bug while storing"));
        for (job, result) in group.into_iter().zip(results) {
            // The caller may have gone (its request was cancelled); the data is stored anyway.
            let _ = job.reply.send(result);
        }
    }
}

fn write_group(conn: &mut Connection, group: &[Job]) -> Vec<Result<Option<Receipt>>> {
    let mut tx = match conn.transaction() {
        Ok(tx) => tx,
        Err(e) => return all_failed(group, &e.to_string()),
    };
    let mut results = Vec::with_capacity(group.len());
    for job in group {
        let one = tx.savepoint().map_err(StoreError::from).and_then(|sp| {
            let receipt = store_submission(&sp, job)?;
            sp.commit()?;
            Ok(receipt)
        });
        results.push(one);
    }
    match tx.commit() {
        Ok(()) => results,
        Err(e) => all_failed(group, &e.to_string()),
    }
}

/// One submission, inside the writer's transaction (see [`Sqlite::submit`]), with its manage
/// link and its e-mails.
fn store_submission(conn: &Connection, job: &Job) -> Result<Option<Receipt>> {
    let (t, reg, now, with) = (&job.target, &job.reg, job.now, &job.with);
    let network = t.network.as_str();
    // Checked inside the transaction: a retry racing the first attempt must find its receipt.
    if let Some(key) = &reg.idempotency_key {
        let stored: Option<(i64, String)> = conn
            .query_row(
                "SELECT id, receipt FROM submissions WHERE meeting_id = ?1 AND idempotency_key = ?2",
                params![t.meeting_id, key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((id, json)) = stored {
            add_token(conn, id, with, now)?;
            return serde_json::from_str(&json)
                .map(Some)
                .map_err(|e| StoreError::Corrupt(format!("a stored receipt: {e}")));
        }
    }
    let member = is_member(conn, network, reg.municipality_code)?;
    if !member && !reg.apply_for_membership {
        return Ok(None);
    }
    if !member {
        conn.execute(
            "INSERT OR IGNORE INTO applications
                 (network, municipality_code, contact_name, contact_email, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                network,
                reg.municipality_code,
                reg.contact.name,
                reg.contact.email,
                now
            ],
        )?;
    }
    let status = if member {
        Status::Registered
    } else {
        Status::PendingMembership
    };
    let number: i64 = conn.query_row(
        "INSERT INTO reference_counters (meeting_id, last) VALUES (?1, 1)
         ON CONFLICT (meeting_id) DO UPDATE SET last = last + 1 RETURNING last",
        params![t.meeting_id],
        |r| r.get(0),
    )?;
    let reference = t.reference(number);
    conn.execute(
        "INSERT INTO submissions
             (meeting_id, number, reference, network, municipality_code, contact_name,
              contact_email, idempotency_key, created_at, language)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            t.meeting_id,
            number,
            reference,
            network,
            reg.municipality_code,
            reg.contact.name,
            reg.contact.email,
            reg.idempotency_key,
            now,
            with.lang.code()
        ],
    )?;
    let submission = conn.last_insert_rowid();
    add_token(conn, submission, with, now)?;
    let mut stored = Vec::with_capacity(reg.attendees.len());
    let mut sequences = Vec::new();
    for a in &reg.attendees {
        let row = insert_attendee(
            conn,
            &t.meeting_id,
            submission,
            network,
            reg.municipality_code,
            a,
            Standing::from(status),
            now,
        )?;
        stored.push(row.is_some());
        sequences.extend(row.map(|(_, sequence)| sequence));
    }
    let receipt = super::receipt(reference, status, reg, &stored);
    let json = serde_json::to_string(&receipt).expect("a receipt always serialises");
    conn.execute(
        "UPDATE submissions SET receipt = ?1 WHERE id = ?2",
        params![json, submission],
    )?;
    if let Some(ctx) = &with.mail {
        let mails = manage::submission_mails(ctx, with.lang, reg, &receipt, &sequences, now);
        enqueue(conn, &t.meeting_id, &mails, now)?;
    }
    Ok(Some(receipt))
}

/// Keeps a manage link's hash for the submission.
fn add_token(conn: &Connection, submission: i64, with: &Submitting, now: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO manage_tokens (selector, submission_id, verifier_hash, created_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        with.token.selector,
        submission,
        with.token.hash,
        now
    ])?;
    Ok(())
}

/// Registers one attendee unless the address is registered for the meeting (and not
/// cancelled). Returns the row's id and its calendar sequence: one above the address's last
/// cancelled registration for the meeting, if it had one.
#[allow(clippy::too_many_arguments)]
fn insert_attendee(
    conn: &Connection,
    meeting_id: &str,
    submission: i64,
    network: &str,
    code: u16,
    a: &Attendee,
    status: Standing,
    now: i64,
) -> Result<Option<(i64, i32)>> {
    let key = email_key(&a.email);
    Ok(conn
        .prepare_cached(
            "INSERT INTO registrations
                 (submission_id, meeting_id, network, municipality_code, name, email, email_key,
                  title, department, status, created_at, updated_at, sequence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11,
                     (SELECT COALESCE(MAX(sequence) + 1, 0) FROM registrations
                       WHERE meeting_id = ?2 AND email_key = ?7))
             ON CONFLICT (meeting_id, email_key) WHERE status <> 'cancelled' DO NOTHING
             RETURNING id, sequence",
        )?
        .query_row(
            params![
                submission,
                meeting_id,
                network,
                code,
                a.name,
                a.email,
                key,
                a.title,
                a.department,
                status.as_str(),
                now
            ],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Writes mails to the outbox, due now.
fn enqueue(conn: &Connection, meeting_id: &str, mails: &[Mail], now: i64) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO outbox (meeting_id, created_at, recipient, subject, body_text, body_html,
                             calendar, calendar_method, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?2)",
    )?;
    for m in mails {
        let (method, ics) = m.calendar.clone().unzip();
        insert.execute(params![
            meeting_id, now, m.to, m.subject, m.text, m.html, ics, method
        ])?;
    }
    Ok(())
}

/// Runs a future whose every step is synchronous (the SQLite statements of [`SqliteTx`]) to
/// its end, here on the blocking thread.
fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Handle::current().block_on(f)
}

/// The manage link's statements ([`ManageTx`]) on a SQLite connection inside a transaction.
/// They block (SQLite is in-process); the callers run them on tokio's blocking threads.
struct SqliteTx<'a>(&'a Connection);

impl ManageTx for SqliteTx<'_> {
    async fn submission(
        &mut self,
        meeting_id: &str,
        selector: &str,
    ) -> Result<Option<(Sub, Vec<u8>)>> {
        Ok(self
            .0
            .query_row(
                "SELECT s.id, s.reference, s.network, s.municipality_code, s.contact_name,
                        s.contact_email, s.language, t.verifier_hash
                 FROM manage_tokens t JOIN submissions s ON s.id = t.submission_id
                 WHERE t.selector = ?1 AND s.meeting_id = ?2",
                params![selector, meeting_id],
                |r| {
                    Ok((
                        Sub {
                            id: r.get(0)?,
                            reference: r.get(1)?,
                            network: r.get(2)?,
                            municipality_code: r.get(3)?,
                            contact: Contact {
                                name: r.get(4)?,
                                email: r.get(5)?,
                            },
                            lang: Lang::from_code(&r.get::<_, String>(6)?),
                        },
                        r.get(7)?,
                    ))
                },
            )
            .optional()?)
    }

    async fn rows(&mut self, submission: i64) -> Result<Vec<Row>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT id, name, email, title, department, status, sequence FROM registrations
             WHERE submission_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![submission], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Attendee {
                    name: r.get(1)?,
                    email: r.get(2)?,
                    title: r.get(3)?,
                    department: r.get(4)?,
                },
                r.get::<_, String>(5)?,
                r.get::<_, i32>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (id, attendee, status, sequence) = row?;
            Ok(Row {
                id,
                attendee,
                status: parse_standing(&status)?,
                sequence,
            })
        })
        .collect()
    }

    async fn is_member(&mut self, network: &str, code: u16) -> Result<bool> {
        Ok(is_member(self.0, network, code)?)
    }

    async fn seen(&mut self, submission: i64, key: &str) -> Result<bool> {
        Ok(self
            .0
            .query_row(
                "SELECT 1 FROM changes WHERE submission_id = ?1 AND idempotency_key = ?2",
                params![submission, key],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
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
        self.0.execute(
            "INSERT INTO changes (submission_id, idempotency_key, at, by, kind, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![submission, key, now, by, kind, detail],
        )?;
        Ok(())
    }

    async fn update(&mut self, row: &Row, now: i64) -> Result<()> {
        let a = &row.attendee;
        self.0.execute(
            "UPDATE registrations SET name = ?1, title = ?2, department = ?3, status = ?4,
                    sequence = ?5, updated_at = ?6,
                    cancelled_at = CASE WHEN ?4 = 'cancelled' THEN COALESCE(cancelled_at, ?6) END
             WHERE id = ?7",
            params![
                a.name,
                a.title,
                a.department,
                row.status.as_str(),
                row.sequence,
                now,
                row.id
            ],
        )?;
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
        let row = insert_attendee(
            self.0,
            meeting_id,
            sub.id,
            &sub.network,
            sub.municipality_code,
            a,
            status,
            now,
        )?;
        Ok(row.map(|(id, sequence)| Row {
            id,
            attendee: a.clone(),
            status,
            sequence,
        }))
    }

    async fn set_contact(&mut self, submission: i64, contact: &Contact) -> Result<()> {
        self.0.execute(
            "UPDATE submissions SET contact_name = ?1, contact_email = ?2 WHERE id = ?3",
            params![contact.name, contact.email, submission],
        )?;
        Ok(())
    }

    async fn enqueue(&mut self, meeting_id: &str, mails: &[Mail], now: i64) -> Result<()> {
        enqueue(self.0, meeting_id, mails, now)
    }
}

/// Whether the municipality is a member of the network (inside a transaction or not).
fn is_member(conn: &Connection, network: &str, code: u16) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM members WHERE network = ?1 AND municipality_code = ?2",
            params![network, code],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
