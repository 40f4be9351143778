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

use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};
use tilmelding_domain::registration::email_key;
use tilmelding_domain::{Meeting, Registration};

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    /// To the writer thread; it stops when the last handle is dropped.
    writer: mpsc::Sender<Job>,
}

/// Most submissions committed together: bounds the time the connection is held for readers.
const MAX_GROUP: usize = 256;

/// A submission waiting for the writer thread, and where its answer goes.
struct Job {
    target: Target,
    reg: Registration,
    now: i64,
    reply: mpsc::SyncSender<Result<Option<Receipt>>>,
}

/// What a submission needs to know about its meeting.
struct Target {
    meeting_id: String,
    network: String,
    /// Start of the reference numbers, e.g. `KNUB`.
    prefix: String,
}

pub use tilmelding_domain::wire::{Receipt, Registered, Status};

/// A pending membership application.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Application {
    pub id: i64,
    pub network: String,
    pub municipality_code: u16,
    pub municipality: String,
    pub contact_name: String,
    pub contact_email: String,
    pub created_at: String,
    pub pending_registrations: i64,
}

/// One row of the organiser's export.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRow {
    pub reference: String,
    pub municipality_code: u16,
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    pub status: String,
    pub contact_name: String,
    pub contact_email: String,
    pub created_at: i64,
}

/// Attendees per municipality.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Count {
    pub municipality_code: u16,
    pub municipality: String,
    pub registered: i64,
    pub pending_membership: i64,
}

/// Storage errors. The caller turns them into a 500; nothing partial is ever committed.
pub type Result<T> = std::result::Result<T, rusqlite::Error>;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS members (
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    since INTEGER NOT NULL,
    PRIMARY KEY (network, municipality_code)
);
CREATE TABLE IF NOT EXISTS applications (
    id INTEGER PRIMARY KEY,
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    approved_at INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS one_open_application
    ON applications (network, municipality_code) WHERE approved_at IS NULL;
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    idempotency_key TEXT,
    reference TEXT NOT NULL DEFAULT '',
    receipt TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (meeting_id, idempotency_key)
);
CREATE TABLE IF NOT EXISTS registrations (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    meeting_id TEXT NOT NULL,
    network TEXT NOT NULL,
    municipality_code INTEGER NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    title TEXT NOT NULL,
    department TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (meeting_id, email_key)
);
";

impl Store {
    /// Opens (creating if needed) the database file and its schema.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(14), Some(e.to_string()))
            })?;
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        let conn = Arc::new(Mutex::new(conn));
        let (writer, jobs) = mpsc::channel();
        let shared = conn.clone();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || write_groups(&shared, &jobs))
            .map_err(|e| failure(&e.to_string()))?;
        Ok(Store { conn, writer })
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
        tx.commit()
    }

    /// Whether the municipality is a member, and whether it has an application waiting.
    pub fn membership(&self, network: &str, code: u16) -> Result<(bool, bool)> {
        let conn = self.conn();
        let member = is_member(&conn, network, code)?;
        let pending = conn
            .query_row(
                "SELECT 1 FROM applications WHERE network = ?1 AND municipality_code = ?2 AND approved_at IS NULL",
                params![network, code],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        Ok((member, pending))
    }

    /// Stores a validated submission, committed to disk before this returns. Attendees whose
    /// e-mail is already registered for the meeting are reported, not stored. A key seen before
    /// returns the original receipt. `Ok(None)`: the municipality is not a member and did not
    /// apply. Blocks until the writer thread has committed the group it joined.
    pub fn submit(
        &self,
        meeting: &Meeting,
        reg: Registration,
        now: i64,
    ) -> Result<Option<Receipt>> {
        let network = meeting.network.id.clone();
        let target = Target {
            meeting_id: meeting.id.clone(),
            prefix: meeting
                .network
                .short_name
                .as_deref()
                .unwrap_or(&network)
                .to_uppercase(),
            network,
        };
        let (reply, answer) = mpsc::sync_channel(1);
        let gone = || failure("the storage writer has stopped");
        self.writer
            .send(Job {
                target,
                reg,
                now,
                reply,
            })
            .map_err(|_| gone())?;
        answer.recv().map_err(|_| gone())?
    }

    /// Every registration for a meeting, oldest first.
    pub fn export(&self, meeting_id: &str) -> Result<Vec<ExportRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT s.reference, s.network, r.municipality_code, r.name, r.email, r.title, r.department, r.status,
                    s.contact_name, s.contact_email, r.created_at
             FROM registrations r JOIN submissions s ON s.id = r.submission_id
             WHERE r.meeting_id = ?1 ORDER BY r.id",
        )?;
        let rows = stmt.query_map(params![meeting_id], |r| {
            Ok(ExportRow {
                reference: r.get(0)?,
                municipality_code: r.get(2)?,
                name: r.get(3)?,
                email: r.get(4)?,
                title: r.get(5)?,
                department: r.get(6)?,
                status: r.get(7)?,
                contact_name: r.get(8)?,
                contact_email: r.get(9)?,
                created_at: r.get(10)?,
            })
        })?;
        rows.collect()
    }

    /// Attendees per municipality for a meeting, in Danish order of municipality.
    pub fn counts(&self, meeting_id: &str) -> Result<Vec<Count>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT municipality_code,
                    SUM(status = 'registered'), SUM(status = 'pending_membership')
             FROM registrations WHERE meeting_id = ?1 GROUP BY municipality_code",
        )?;
        let mut counts: Vec<Count> = stmt
            .query_map(params![meeting_id], |r| {
                let code: u16 = r.get(0)?;
                Ok(Count {
                    municipality_code: code,
                    municipality: municipality_name(code),
                    registered: r.get(1)?,
                    pending_membership: r.get(2)?,
                })
            })?
            .collect::<Result<_>>()?;
        counts.sort_by(|a, b| tilmelding_domain::text::cmp_da(&a.municipality, &b.municipality));
        Ok(counts)
    }

    /// Applications not yet approved, oldest first.
    pub fn pending_applications(&self) -> Result<Vec<Application>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT a.id, a.network, a.municipality_code, a.contact_name, a.contact_email, a.created_at,
                    (SELECT COUNT(*) FROM registrations r
                      WHERE r.network = a.network AND r.municipality_code = a.municipality_code
                        AND r.status = 'pending_membership')
             FROM applications a WHERE a.approved_at IS NULL ORDER BY a.id",
        )?;
        let rows = stmt.query_map([], |r| {
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
        rows.collect()
    }

    /// Approves an application: the municipality becomes a member and its pending registrations
    /// in that network become registrations. Returns how many registrations were confirmed, or
    /// `None` if there is no open application with that id.
    pub fn approve(&self, id: i64, now: i64) -> Result<Option<usize>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let app: Option<(String, u16)> = tx
            .query_row(
                "SELECT network, municipality_code FROM applications WHERE id = ?1 AND approved_at IS NULL",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((network, code)) = app else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE applications SET approved_at = ?1 WHERE id = ?2",
            params![now, id],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO members (network, municipality_code, since) VALUES (?1, ?2, ?3)",
            params![network, code, now],
        )?;
        let confirmed = tx.execute(
            "UPDATE registrations SET status = 'registered'
             WHERE network = ?1 AND municipality_code = ?2 AND status = 'pending_membership'",
            params![network, code],
        )?;
        tx.commit()?;
        Ok(Some(confirmed))
    }
}

impl Store {
    /// Deletes every registration and submission of a meeting (retention). Returns how many
    /// attendees were deleted.
    pub fn delete_meeting(&self, meeting_id: &str) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
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

fn failure(message: &str) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
        Some(message.to_owned()),
    )
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
        let results = written.unwrap_or_else(|_| {
            group
                .iter()
                .map(|_| Err(failure("storing the submission failed")))
                .collect()
        });
        for (job, result) in group.into_iter().zip(results) {
            // The caller may have gone (its request was cancelled); the data is stored anyway.
            let _ = job.reply.send(result);
        }
    }
}

fn write_group(conn: &mut Connection, group: &[Job]) -> Vec<Result<Option<Receipt>>> {
    let all_failed = |e: rusqlite::Error| {
        let message = e.to_string();
        group.iter().map(|_| Err(failure(&message))).collect()
    };
    let mut tx = match conn.transaction() {
        Ok(tx) => tx,
        Err(e) => return all_failed(e),
    };
    let mut results = Vec::with_capacity(group.len());
    for job in group {
        let one = tx.savepoint().and_then(|sp| {
            let receipt = store_submission(&sp, &job.target, &job.reg, job.now)?;
            sp.commit()?;
            Ok(receipt)
        });
        results.push(one);
    }
    match tx.commit() {
        Ok(()) => results,
        Err(e) => all_failed(e),
    }
}

/// One submission, inside the writer's transaction (see [`Store::submit`]).
fn store_submission(
    conn: &Connection,
    t: &Target,
    reg: &Registration,
    now: i64,
) -> Result<Option<Receipt>> {
    let network = t.network.as_str();
    // Checked inside the transaction: a retry racing the first attempt must find its receipt.
    if let Some(key) = &reg.idempotency_key {
        let json: Option<String> = conn
            .query_row(
                "SELECT receipt FROM submissions WHERE meeting_id = ?1 AND idempotency_key = ?2",
                params![t.meeting_id, key],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(receipt) = json.and_then(|j| serde_json::from_str(&j).ok()) {
            return Ok(Some(receipt));
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
    conn.execute(
        "INSERT INTO submissions
             (meeting_id, network, municipality_code, contact_name, contact_email, idempotency_key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            t.meeting_id,
            network,
            reg.municipality_code,
            reg.contact.name,
            reg.contact.email,
            reg.idempotency_key,
            now
        ],
    )?;
    let submission = conn.last_insert_rowid();
    let reference = format!("{}-{submission:05}", t.prefix);
    let mut receipt = Receipt {
        reference,
        status,
        registered: Vec::new(),
        already_registered: Vec::new(),
    };
    {
        let mut insert = conn.prepare_cached(
            "INSERT INTO registrations
                 (submission_id, meeting_id, network, municipality_code, name, email, email_key,
                  title, department, status, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (meeting_id, email_key) DO NOTHING",
        )?;
        for (row, a) in reg.attendees.iter().enumerate() {
            let stored = insert.execute(params![
                submission,
                t.meeting_id,
                network,
                reg.municipality_code,
                a.name,
                a.email,
                email_key(&a.email),
                a.title,
                a.department,
                status.as_str(),
                now
            ])?;
            if stored == 1 {
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
    }
    let json = serde_json::to_string(&receipt).expect("a receipt always serialises");
    conn.execute(
        "UPDATE submissions SET receipt = ?1, reference = ?2 WHERE id = ?3",
        params![json, receipt.reference, submission],
    )?;
    Ok(Some(receipt))
}

/// Whether the municipality is a member of the network (inside a transaction or not).
fn is_member(conn: &Connection, network: &str, code: u16) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM members WHERE network = ?1 AND municipality_code = ?2",
            params![network, code],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn municipality_name(code: u16) -> String {
    tilmelding_domain::Municipality::by_code(code)
        .map_or_else(|| code.to_string(), |m| m.name.to_owned())
}
