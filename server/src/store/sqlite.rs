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

use super::{
    Application, AttendeeRow, Decided, Decision, MAX_GROUP, Receipt, Result, Standing, Status,
    StoreError, Target, all_failed, already, municipality_name, parse_standing,
};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};
use tilmelding_domain::Registration;
use tilmelding_domain::registration::email_key;

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
    pub fn submit(&self, target: Target, reg: Registration, now: i64) -> Result<Option<Receipt>> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.writer
            .send(super::Job {
                target,
                reg,
                now,
                reply,
            })
            .map_err(|_| StoreError::Stopped)?;
        answer.recv().map_err(|_| StoreError::Stopped)?
    }

    pub fn export(&self, meeting_id: &str) -> Result<Vec<AttendeeRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT s.reference, s.network, r.municipality_code, r.name, r.email, r.title, r.department, r.status,
                    s.contact_name, s.contact_email, r.created_at
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
            "UPDATE registrations SET status = ?3
             WHERE network = ?1 AND municipality_code = ?2 AND status = ?4",
            params![
                network,
                code,
                to.as_str(),
                Standing::PendingMembership.as_str()
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
            let receipt = store_submission(&sp, &job.target, &job.reg, job.now)?;
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

/// One submission, inside the writer's transaction (see [`Sqlite::submit`]).
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
        if let Some(json) = json {
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
              contact_email, idempotency_key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            t.meeting_id,
            number,
            reference,
            network,
            reg.municipality_code,
            reg.contact.name,
            reg.contact.email,
            reg.idempotency_key,
            now
        ],
    )?;
    let submission = conn.last_insert_rowid();
    let mut stored = Vec::with_capacity(reg.attendees.len());
    {
        let mut insert = conn.prepare_cached(
            "INSERT INTO registrations
                 (submission_id, meeting_id, network, municipality_code, name, email, email_key,
                  title, department, status, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (meeting_id, email_key) DO NOTHING",
        )?;
        for a in &reg.attendees {
            let n = insert.execute(params![
                submission,
                t.meeting_id,
                network,
                reg.municipality_code,
                a.name,
                a.email,
                email_key(&a.email),
                a.title,
                a.department,
                Standing::from(status).as_str(),
                now
            ])?;
            stored.push(n == 1);
        }
    }
    let receipt = super::receipt(reference, status, reg, &stored);
    let json = serde_json::to_string(&receipt).expect("a receipt always serialises");
    conn.execute(
        "UPDATE submissions SET receipt = ?1 WHERE id = ?2",
        params![json, submission],
    )?;
    Ok(Some(receipt))
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
