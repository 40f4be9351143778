//! SQLite: the statements of [`Tx`] on one connection behind a mutex (SQLite serialises writers
//! anyway). WAL with `synchronous=FULL`, because a 2xx is a promise to the user that the
//! registration survives a power cut.

use super::outbox::{self, Failed};
use super::{
    Application, ApplicationState, AttendeeRow, Mail, NewSubmission, Placing, Queued, Recorded,
    Result, Row, Standing, StoreError, Sub, Tx, Work, parse_standing,
};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tilmelding_domain::registration::email_key;
use tilmelding_domain::{Attendee, Contact, Lang};

mod migrations {
    refinery::embed_migrations!("migrations/sqlite");
}

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Sqlite {
    conn: Arc<Mutex<Connection>>,
}

impl Sqlite {
    /// Opens (creating if needed) the database file, and migrates its schema.
    pub async fn open(path: PathBuf) -> Result<Sqlite> {
        tokio::task::spawn_blocking(move || {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let mut conn = Connection::open(&path)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            migrations::migrations::runner().run(&mut conn)?;
            Ok(Sqlite {
                conn: Arc::new(Mutex::new(conn)),
            })
        })
        .await
        .map_err(|_| StoreError::Stopped)?
    }

    /// See [`super::Store::run`]. The statements block, so the work runs to its end on one of
    /// tokio's blocking threads, holding the connection.
    pub async fn run<W: Work>(&self, work: W) -> Result<W::Output> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock cannot leave a half-done transaction behind (it
            // rolls back as it is dropped), so a poisoned lock is safe to keep using.
            let mut conn = conn.lock().unwrap_or_else(|p| p.into_inner());
            let tx = conn.transaction()?;
            let out = tokio::runtime::Handle::current().block_on(work.run(&mut SqliteTx(&tx)))?;
            if W::keeps(&out) {
                tx.commit()?;
            }
            Ok(out)
        })
        .await
        .map_err(|_| StoreError::Failed("a bug while storing".into()))?
    }
}

/// The statements on a SQLite connection inside a transaction.
struct SqliteTx<'a>(&'a Connection);

/// `Some(())` as a `bool`, for `SELECT 1 … ` existence checks.
fn exists(found: rusqlite::Result<Option<()>>) -> Result<bool> {
    Ok(found?.is_some())
}

impl Tx for SqliteTx<'_> {
    async fn batch(&mut self, sql: &'static str) -> Result<()> {
        Ok(self.0.execute_batch(sql)?)
    }

    async fn add_members(&mut self, network: &str, codes: &[u16], now: i64) -> Result<()> {
        let mut insert = self.0.prepare_cached(
            "INSERT INTO members (network, municipality_code, since) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
        )?;
        for code in codes {
            insert.execute(params![network, code, now])?;
        }
        Ok(())
    }

    async fn is_member(&mut self, network: &str, code: u16) -> Result<bool> {
        exists(
            self.0
                .prepare_cached(
                    "SELECT 1 FROM members WHERE network = ?1 AND municipality_code = ?2",
                )?
                .query_row(params![network, code], |_| Ok(()))
                .optional(),
        )
    }

    async fn members(&mut self, network: &str) -> Result<Vec<u16>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT municipality_code FROM members WHERE network = ?1 ORDER BY municipality_code",
        )?;
        let codes = stmt.query_map(params![network], |r| r.get(0))?;
        Ok(codes.collect::<rusqlite::Result<_>>()?)
    }

    async fn application_pending(&mut self, network: &str, code: u16) -> Result<bool> {
        exists(
            self.0
                .prepare_cached(
                    "SELECT 1 FROM applications WHERE network = ?1 AND municipality_code = ?2
                     AND approved_at IS NULL AND declined_at IS NULL",
                )?
                .query_row(params![network, code], |_| Ok(()))
                .optional(),
        )
    }

    async fn add_application(
        &mut self,
        network: &str,
        code: u16,
        contact: &Contact,
        now: i64,
    ) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO applications
                     (network, municipality_code, contact_name, contact_email, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (network, municipality_code)
                 WHERE approved_at IS NULL AND declined_at IS NULL DO NOTHING",
            )?
            .execute(params![network, code, contact.name, contact.email, now])?;
        Ok(())
    }

    async fn pending_applications(&mut self) -> Result<Vec<Application>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT a.id, a.network, a.municipality_code, a.contact_name, a.contact_email,
                    a.created_at,
                    (SELECT COUNT(*) FROM registrations r
                      WHERE r.network = a.network AND r.municipality_code = a.municipality_code
                        AND r.status = ?1)
             FROM applications a WHERE a.approved_at IS NULL AND a.declined_at IS NULL
             ORDER BY a.id",
        )?;
        let rows = stmt.query_map([Standing::PendingMembership.as_str()], |r| {
            Ok(super::application(
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                [r.get(3)?, r.get(4)?],
                r.get(5)?,
                r.get(6)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    async fn application(&mut self, id: i64) -> Result<Option<ApplicationState>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT network, municipality_code, approved_at IS NOT NULL, declined_at IS NOT NULL
                 FROM applications WHERE id = ?1",
            )?
            .query_row(params![id], |r| {
                Ok(ApplicationState {
                    network: r.get(0)?,
                    municipality_code: r.get(1)?,
                    approved: r.get(2)?,
                    declined: r.get(3)?,
                })
            })
            .optional()?)
    }

    async fn approve_application(&mut self, id: i64, by: &str, now: i64) -> Result<()> {
        self.0.execute(
            "UPDATE applications SET approved_at = ?1, decided_by = ?2 WHERE id = ?3",
            params![now, by, id],
        )?;
        Ok(())
    }

    async fn decline_application(
        &mut self,
        id: i64,
        reason: &str,
        by: &str,
        now: i64,
    ) -> Result<()> {
        self.0.execute(
            "UPDATE applications SET declined_at = ?1, reason = ?2, decided_by = ?3 WHERE id = ?4",
            params![now, reason, by, id],
        )?;
        Ok(())
    }

    async fn settle_waiting(
        &mut self,
        network: &str,
        code: u16,
        to: Standing,
        now: i64,
    ) -> Result<usize> {
        Ok(self.0.execute(
            "UPDATE registrations SET status = ?3, updated_at = ?5
             WHERE network = ?1 AND municipality_code = ?2 AND status = ?4",
            params![
                network,
                code,
                to.as_str(),
                Standing::PendingMembership.as_str(),
                now
            ],
        )?)
    }

    async fn next_number(&mut self, meeting_id: &str) -> Result<i64> {
        Ok(self
            .0
            .prepare_cached(
                "INSERT INTO reference_counters (meeting_id, last) VALUES (?1, 1)
                 ON CONFLICT (meeting_id) DO UPDATE SET last = last + 1 RETURNING last",
            )?
            .query_row(params![meeting_id], |r| r.get(0))?)
    }

    async fn stored_receipt(
        &mut self,
        meeting_id: &str,
        key: &str,
    ) -> Result<Option<(i64, String)>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT id, receipt FROM submissions WHERE meeting_id = ?1 AND idempotency_key = ?2",
            )?
            .query_row(params![meeting_id, key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    async fn insert_submission(&mut self, s: &NewSubmission<'_>) -> Result<Option<i64>> {
        Ok(self
            .0
            .prepare_cached(
                "INSERT INTO submissions
                     (meeting_id, number, reference, network, municipality_code, contact_name,
                      contact_email, idempotency_key, created_at, language)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (meeting_id, idempotency_key) DO NOTHING
                 RETURNING id",
            )?
            .query_row(
                params![
                    s.meeting_id,
                    s.number,
                    s.reference,
                    s.network,
                    s.municipality_code,
                    s.contact.name,
                    s.contact.email,
                    s.idempotency_key,
                    s.now,
                    s.lang.code()
                ],
                |r| r.get(0),
            )
            .optional()?)
    }

    async fn insert_attendees(
        &mut self,
        at: &Placing<'_>,
        attendees: &[Attendee],
    ) -> Result<Vec<Option<(i64, i32)>>> {
        let mut insert = self.0.prepare_cached(
            "INSERT INTO registrations
                 (submission_id, meeting_id, network, municipality_code, name, email, email_key,
                  title, department, status, created_at, updated_at, sequence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11,
                     (SELECT COALESCE(MAX(sequence) + 1, 0) FROM registrations
                       WHERE meeting_id = ?2 AND email_key = ?7))
             ON CONFLICT (meeting_id, email_key) WHERE status <> 'cancelled' DO NOTHING
             RETURNING id, sequence",
        )?;
        attendees
            .iter()
            .map(|a| {
                Ok(insert
                    .query_row(
                        params![
                            at.submission,
                            at.meeting_id,
                            at.network,
                            at.municipality_code,
                            a.name,
                            a.email,
                            email_key(&a.email),
                            a.title,
                            a.department,
                            at.status.as_str(),
                            at.now
                        ],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?)
            })
            .collect()
    }

    async fn set_receipt(&mut self, submission: i64, json: &str) -> Result<()> {
        self.0
            .prepare_cached("UPDATE submissions SET receipt = ?1 WHERE id = ?2")?
            .execute(params![json, submission])?;
        Ok(())
    }

    async fn add_token(
        &mut self,
        selector: &str,
        submission: i64,
        hash: &[u8],
        now: i64,
    ) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO manage_tokens (selector, submission_id, verifier_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![selector, submission, hash, now])?;
        Ok(())
    }

    async fn submission(
        &mut self,
        meeting_id: &str,
        selector: &str,
        _lock: bool,
    ) -> Result<Option<(Sub, Vec<u8>)>> {
        // No row locks: the one connection's transaction already excludes every other writer.
        Ok(self
            .0
            .prepare_cached(
                "SELECT s.id, s.reference, s.network, s.municipality_code, s.contact_name,
                        s.contact_email, s.language, t.verifier_hash
                 FROM manage_tokens t JOIN submissions s ON s.id = t.submission_id
                 WHERE t.selector = ?1 AND s.meeting_id = ?2",
            )?
            .query_row(params![selector, meeting_id], |r| {
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
            })
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

    async fn seen(&mut self, submission: i64, key: &str) -> Result<bool> {
        exists(
            self.0
                .prepare_cached(
                    "SELECT 1 FROM changes WHERE submission_id = ?1 AND idempotency_key = ?2",
                )?
                .query_row(params![submission, key], |_| Ok(()))
                .optional(),
        )
    }

    async fn record(&mut self, c: &Recorded<'_>) -> Result<()> {
        self.0.execute(
            "INSERT INTO changes (submission_id, idempotency_key, at, by, kind, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![c.submission, c.key, c.at, c.by, c.kind, c.detail],
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

    async fn set_contact(&mut self, submission: i64, contact: &Contact) -> Result<()> {
        self.0.execute(
            "UPDATE submissions SET contact_name = ?1, contact_email = ?2 WHERE id = ?3",
            params![contact.name, contact.email, submission],
        )?;
        Ok(())
    }

    async fn export(&mut self, meeting_id: &str) -> Result<Vec<AttendeeRow>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT s.reference, r.municipality_code, r.name, r.email, r.title, r.department,
                    r.status, s.contact_name, s.contact_email, r.created_at, r.cancelled_at,
                    r.updated_at
             FROM registrations r JOIN submissions s ON s.id = r.submission_id
             WHERE r.meeting_id = ?1 ORDER BY r.id",
        )?;
        let rows = stmt.query_map(params![meeting_id], |r| {
            Ok((
                AttendeeRow {
                    reference: r.get(0)?,
                    municipality_code: r.get(1)?,
                    name: r.get(2)?,
                    email: r.get(3)?,
                    title: r.get(4)?,
                    department: r.get(5)?,
                    status: Standing::Registered,
                    contact_name: r.get(7)?,
                    contact_email: r.get(8)?,
                    created_at: r.get(9)?,
                    cancelled_at: r.get(10)?,
                    updated_at: r.get(11)?,
                },
                r.get::<_, String>(6)?,
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

    async fn delete_meeting(&mut self, meeting_id: &str) -> Result<usize> {
        self.0.execute(
            "DELETE FROM outbox WHERE meeting_id = ?1",
            params![meeting_id],
        )?;
        let n = self.0.execute(
            "DELETE FROM registrations WHERE meeting_id = ?1",
            params![meeting_id],
        )?;
        self.0.execute(
            "DELETE FROM submissions WHERE meeting_id = ?1",
            params![meeting_id],
        )?;
        Ok(n)
    }

    async fn enqueue(&mut self, meeting_id: &str, mails: &[Mail], now: i64) -> Result<()> {
        let mut insert = self.0.prepare_cached(
            "INSERT INTO outbox (meeting_id, created_at, recipient, subject, body_text, body_html,
                                 calendar, calendar_method, next_attempt_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?2)",
        )?;
        for m in mails {
            let (method, ics) = m.calendar.as_ref().map(|(m, f)| (m.name(), f)).unzip();
            insert.execute(params![
                meeting_id, now, m.to, m.subject, m.text, m.html, ics, method
            ])?;
        }
        Ok(())
    }

    async fn claim_mail(&mut self, now: i64, lease: i64, limit: i64) -> Result<Vec<Queued>> {
        let mut stmt = self.0.prepare_cached(
            "UPDATE outbox SET claimed_until = ?1 + ?2
             WHERE id IN (SELECT id FROM outbox
                           WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?1
                             AND (claimed_until IS NULL OR claimed_until < ?1)
                           ORDER BY id LIMIT ?3)
             RETURNING id, recipient, subject, body_text, body_html, calendar, calendar_method,
                       attempts",
        )?;
        let rows = stmt.query_map(params![now, lease, limit], |r| {
            Ok(outbox::queued(
                r.get(0)?,
                [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?],
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?;
        let mut claimed = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        claimed.sort_by_key(|q| q.id);
        Ok(claimed)
    }

    async fn mail_sent(&mut self, id: i64, now: i64) -> Result<()> {
        self.0.execute(
            "UPDATE outbox SET sent_at = ?1, claimed_until = NULL, body_text = '', body_html = '',
                    calendar = NULL
             WHERE id = ?2",
            params![now, id],
        )?;
        Ok(())
    }

    async fn mail_failed(&mut self, f: &Failed<'_>) -> Result<()> {
        self.0.execute(
            "UPDATE outbox SET attempts = ?1, next_attempt_at = ?2, last_error = ?3,
                    claimed_until = NULL, failed_at = CASE WHEN ?4 THEN ?2 END
             WHERE id = ?5",
            params![f.attempts, f.next, f.error, f.give_up, f.id],
        )?;
        Ok(())
    }
}
