//! SQLite: the statements of [`Tx`] on one connection behind a mutex (SQLite serialises writers
//! anyway). WAL with `synchronous=FULL`, because a 2xx is a promise to the user that the
//! registration survives a power cut.

use super::outbox::{self, Failed};
use super::sql;
use super::{
    Application, ApplicationState, AttendeeRow, DecidedApplication, HeldMail, Mail, NewMessage,
    NewSubmission, Placing, Queued, Recorded, Result, Row, SentMessage, Standing, StoreError,
    StoredReceipt, Sub, Tx, Work, parse_standing,
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
            // Deleted content is overwritten with zeros, not left in freed pages: a copy of
            // the file holds no deleted person and no working manage link ([`Sqlite::forget`]).
            conn.pragma_update(None, "secure_delete", "ON")?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            migrations::migrations::runner().run(&mut conn)?;
            Ok(Sqlite {
                conn: Arc::new(Mutex::new(conn)),
            })
        })
        .await
        .map_err(|_| StoreError::Stopped)?
    }

    /// Copies the write-ahead log into the main file and empties it, so that what was deleted
    /// (zeroed by `secure_delete`) is gone from both files, not kept in the log's old pages.
    pub async fn forget(&self) -> Result<()> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let conn = conn.lock().unwrap_or_else(|p| p.into_inner());
            // The pragma answers with a row (busy, log pages, pages copied).
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(())
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

impl SqliteTx<'_> {
    /// The answer of a `SELECT EXISTS (…)`.
    fn exists(&self, sql: &str, params: impl rusqlite::Params) -> Result<bool> {
        Ok(self
            .0
            .prepare_cached(sql)?
            .query_row(params, |r| r.get(0))?)
    }

    /// Runs a statement; returns how many rows it changed.
    fn exec(&self, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
        Ok(self.0.prepare_cached(sql)?.execute(params)?)
    }
}

/// A submission from the first columns of a row (see `sql::SUBMISSION_BY_SELECTOR`).
fn sub(r: &rusqlite::Row) -> rusqlite::Result<Sub> {
    Ok(Sub {
        id: r.get(0)?,
        reference: r.get(1)?,
        network: r.get(2)?,
        municipality_code: r.get(3)?,
        contact: Contact {
            name: r.get(4)?,
            email: r.get(5)?,
        },
        lang: Lang::from_code(&r.get::<_, String>(6)?),
    })
}

impl Tx for SqliteTx<'_> {
    async fn batch(&mut self, sql: &'static str) -> Result<()> {
        Ok(self.0.execute_batch(sql)?)
    }

    async fn add_members(&mut self, network: &str, codes: &[u16], now: i64) -> Result<()> {
        // One statement per member: SQLite has no arrays to insert them in one.
        for code in codes {
            self.exec(
                "INSERT INTO members (network, municipality_code, since) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
                params![network, code, now],
            )?;
        }
        Ok(())
    }

    async fn is_member(&mut self, network: &str, code: u16) -> Result<bool> {
        self.exists(sql::IS_MEMBER, params![network, code])
    }

    async fn members(&mut self, network: &str) -> Result<Vec<u16>> {
        let mut stmt = self.0.prepare_cached(sql::MEMBERS)?;
        let codes = stmt.query_map(params![network], |r| r.get(0))?;
        Ok(codes.collect::<rusqlite::Result<_>>()?)
    }

    async fn application_pending(&mut self, network: &str, code: u16) -> Result<bool> {
        self.exists(sql::APPLICATION_PENDING, params![network, code])
    }

    async fn add_application(
        &mut self,
        network: &str,
        code: u16,
        contact: &Contact,
        now: i64,
    ) -> Result<()> {
        self.exec(
            sql::ADD_APPLICATION,
            params![network, code, contact.name, contact.email, now],
        )?;
        Ok(())
    }

    async fn pending_applications(&mut self) -> Result<Vec<Application>> {
        let mut stmt = self.0.prepare_cached(sql::PENDING_APPLICATIONS)?;
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

    async fn decided_applications(
        &mut self,
        network: &str,
        limit: i64,
    ) -> Result<Vec<DecidedApplication>> {
        let mut stmt = self.0.prepare_cached(sql::DECIDED_APPLICATIONS)?;
        let rows = stmt.query_map(params![network, limit], |r| {
            Ok(super::decided(
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    async fn registrations_per_meeting(&mut self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.0.prepare_cached(sql::REGISTRATIONS_PER_MEETING)?;
        let counted = [Standing::Registered, Standing::PendingMembership].map(Standing::as_str);
        let rows = stmt.query_map(counted, |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    async fn application(&mut self, id: i64) -> Result<Option<ApplicationState>> {
        // No row lock: the one connection's transaction already excludes every other writer.
        Ok(self
            .0
            .prepare_cached(sql::APPLICATION)?
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
        self.exec(sql::APPROVE_APPLICATION, params![now, by, id])?;
        Ok(())
    }

    async fn decline_application(
        &mut self,
        id: i64,
        reason: &str,
        by: &str,
        now: i64,
    ) -> Result<()> {
        self.exec(sql::DECLINE_APPLICATION, params![now, reason, by, id])?;
        Ok(())
    }

    async fn settle_waiting(
        &mut self,
        network: &str,
        code: u16,
        to: Standing,
        now: i64,
    ) -> Result<usize> {
        let waiting = Standing::PendingMembership.as_str();
        self.exec(
            sql::SETTLE_WAITING,
            params![to.as_str(), now, network, code, waiting],
        )
    }

    async fn next_number(&mut self, meeting_id: &str) -> Result<i64> {
        // The meeting's counter, raised in the submission's savepoint: a submission rolled back
        // gives its number back, so the numbers have no gaps.
        Ok(self
            .0
            .prepare_cached(
                "INSERT INTO reference_counters (meeting_id, last) VALUES ($1, 1)
                 ON CONFLICT (meeting_id) DO UPDATE SET last = last + 1 RETURNING last",
            )?
            .query_row(params![meeting_id], |r| r.get(0))?)
    }

    async fn stored_receipt(
        &mut self,
        meeting_id: &str,
        key: &str,
    ) -> Result<Option<StoredReceipt>> {
        Ok(self
            .0
            .prepare_cached(sql::STORED_RECEIPT)?
            .query_row(params![meeting_id, key], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?)
    }

    async fn insert_submission(&mut self, s: &NewSubmission<'_>) -> Result<Option<i64>> {
        Ok(self
            .0
            .prepare_cached(sql::INSERT_SUBMISSION)?
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
                    s.fingerprint,
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
        // One statement per attendee: SQLite has no arrays to insert them in one (and, in
        // process, a statement costs no round trip).
        let mut insert = self.0.prepare_cached(
            "INSERT INTO registrations
                 (submission_id, meeting_id, network, municipality_code, name, email, email_key,
                  title, department, status, created_at, updated_at, sequence)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11,
                     (SELECT COALESCE(MAX(sequence) + 1, 0) FROM registrations
                       WHERE meeting_id = $2 AND email_key = $7))
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
        self.exec(sql::SET_RECEIPT, params![json, submission])?;
        Ok(())
    }

    async fn add_token(
        &mut self,
        selector: &str,
        submission: i64,
        hash: &[u8],
        now: i64,
    ) -> Result<()> {
        self.exec(sql::ADD_TOKEN, params![selector, submission, hash, now])?;
        Ok(())
    }

    async fn submission(
        &mut self,
        meeting_id: &str,
        selector: &str,
        _lock: bool,
    ) -> Result<Option<(Sub, Vec<u8>)>> {
        // No row lock: the one connection's transaction already excludes every other writer.
        Ok(self
            .0
            .prepare_cached(sql::SUBMISSION_BY_SELECTOR)?
            .query_row(params![selector, meeting_id], |r| Ok((sub(r)?, r.get(7)?)))
            .optional()?)
    }

    async fn replaced_token(
        &mut self,
        meeting_id: &str,
        selector: &str,
    ) -> Result<Option<Vec<u8>>> {
        Ok(self
            .0
            .prepare_cached(sql::REPLACED_TOKEN)?
            .query_row(params![selector, meeting_id], |r| r.get(0))
            .optional()?)
    }

    async fn replace_tokens(&mut self, submission: i64, now: i64) -> Result<()> {
        self.exec(sql::REPLACE_TOKENS, params![now, submission])?;
        Ok(())
    }

    async fn submissions_with(
        &mut self,
        network: &str,
        code: u16,
        standing: Standing,
    ) -> Result<Vec<(Sub, String)>> {
        let mut stmt = self.0.prepare_cached(sql::SUBMISSIONS_WITH)?;
        let found = stmt.query_map(params![network, code, standing.as_str()], |r| {
            Ok((sub(r)?, r.get(7)?))
        })?;
        Ok(found.collect::<rusqlite::Result<_>>()?)
    }

    async fn rows(&mut self, submission: i64) -> Result<Vec<Row>> {
        let mut stmt = self.0.prepare_cached(sql::ROWS)?;
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
        self.exists(sql::SEEN, params![submission, key])
    }

    async fn record(&mut self, c: &Recorded<'_>) -> Result<()> {
        self.exec(
            sql::RECORD,
            params![c.submission, c.key, c.at, c.by, c.kind, c.detail],
        )?;
        Ok(())
    }

    async fn update(&mut self, row: &Row, now: i64) -> Result<()> {
        let a = &row.attendee;
        self.exec(
            sql::UPDATE,
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
        self.exec(
            sql::SET_CONTACT,
            params![contact.name, contact.email, submission],
        )?;
        Ok(())
    }

    async fn export(&mut self, meeting_id: &str) -> Result<Vec<AttendeeRow>> {
        let mut stmt = self.0.prepare_cached(sql::EXPORT)?;
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
        let [messages, outbox, registrations, submissions] = sql::DELETE_MEETING;
        self.exec(messages, params![meeting_id])?;
        self.exec(outbox, params![meeting_id])?;
        let n = self.exec(registrations, params![meeting_id])?;
        self.exec(submissions, params![meeting_id])?;
        Ok(n)
    }

    async fn add_message(&mut self, m: &NewMessage<'_>) -> Result<i64> {
        Ok(self.0.prepare_cached(sql::ADD_MESSAGE)?.query_row(
            params![
                m.meeting_id,
                m.subject,
                m.body,
                m.by,
                m.now,
                m.recipients,
                m.key
            ],
            |r| r.get(0),
        )?)
    }

    async fn messages(&mut self, meeting_id: &str) -> Result<Vec<SentMessage>> {
        let mut stmt = self.0.prepare_cached(sql::MESSAGES)?;
        let rows = stmt.query_map(params![meeting_id], sent_message)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    async fn message_by_key(&mut self, meeting_id: &str, key: &str) -> Result<Option<SentMessage>> {
        let mut stmt = self.0.prepare_cached(sql::MESSAGE_BY_KEY)?;
        Ok(stmt
            .query_row(params![meeting_id, key], sent_message)
            .optional()?)
    }

    async fn keep_meeting(&mut self, meeting_id: &str, over_at: i64) -> Result<()> {
        self.exec(sql::KEEP_MEETING, params![meeting_id, over_at])?;
        Ok(())
    }

    async fn meetings_over(&mut self, before: i64) -> Result<Vec<String>> {
        let mut stmt = self.0.prepare_cached(sql::MEETINGS_OVER)?;
        let ids = stmt.query_map(params![before], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    async fn mark_reminded(&mut self, meeting_id: &str, now: i64) -> Result<bool> {
        Ok(self.exec(sql::MARK_REMINDED, params![now, meeting_id])? == 1)
    }

    async fn join_url(&mut self, meeting_id: &str) -> Result<Option<String>> {
        Ok(self
            .0
            .prepare_cached(sql::JOIN_URL)?
            .query_row(params![meeting_id], |r| r.get(0))
            .optional()?
            .flatten())
    }

    async fn set_join_url(&mut self, meeting_id: &str, url: &str, now: i64) -> Result<()> {
        self.exec(sql::SET_JOIN_URL, params![url, now, meeting_id])?;
        Ok(())
    }

    async fn revise_registered(&mut self, meeting_id: &str, now: i64) -> Result<usize> {
        let registered = Standing::Registered.as_str();
        self.exec(sql::REVISE_REGISTERED, params![now, meeting_id, registered])
    }

    async fn attending(&mut self, meeting_id: &str) -> Result<Vec<(Attendee, i32, Lang)>> {
        let mut stmt = self.0.prepare_cached(sql::ATTENDING)?;
        let registered = Standing::Registered.as_str();
        let rows = stmt.query_map(params![meeting_id, registered], |r| {
            Ok((
                Attendee {
                    name: r.get(0)?,
                    email: r.get(1)?,
                    title: r.get(2)?,
                    department: r.get(3)?,
                },
                r.get(4)?,
                Lang::from_code(&r.get::<_, String>(5)?),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    async fn delete_decided_applications(&mut self, before: i64) -> Result<usize> {
        self.exec(sql::DELETE_DECIDED_APPLICATIONS, params![before])
    }

    async fn enqueue(
        &mut self,
        meeting_id: &str,
        mails: &[Mail],
        now: i64,
        cause: outbox::Cause,
    ) -> Result<()> {
        let (public, cap) = cause.columns();
        let mut insert = self.0.prepare_cached(sql::ENQUEUE)?;
        for (position, m) in (0_i64..).zip(mails) {
            let (method, ics) = m.calendar.as_ref().map(|(m, f)| (m.name(), f)).unzip();
            insert.execute(params![
                meeting_id, now, m.to, m.subject, m.text, m.html, ics, method, position, public,
                cap
            ])?;
        }
        Ok(())
    }

    async fn held_mails(&mut self, meeting_id: &str, limit: i64) -> Result<Vec<HeldMail>> {
        let mut stmt = self.0.prepare_cached(sql::HELD_MAILS)?;
        let rows = stmt.query_map(params![meeting_id, limit], |r| {
            Ok(HeldMail {
                to: r.get(0)?,
                subject: r.get(1)?,
                held_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    async fn claim_mail(&mut self, now: i64, lease: i64, limit: i64) -> Result<Vec<Queued>> {
        let mut stmt = self.0.prepare_cached(&sql::CLAIM_MAIL.concat())?;
        let rows = stmt.query_map(params![now, lease, limit], |r| {
            Ok(outbox::queued(
                r.get(0)?,
                r.get(8)?,
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

    async fn mail_sent(&mut self, id: i64, claim: i64, now: i64) -> Result<()> {
        self.exec(sql::MAIL_SENT, params![now, id, claim])?;
        Ok(())
    }

    async fn mail_failed(&mut self, f: &Failed<'_>) -> Result<()> {
        self.exec(
            sql::MAIL_FAILED,
            params![f.attempts, f.next, f.error, f.give_up, f.id, f.claim],
        )?;
        Ok(())
    }
}

/// A kept message, from its row (`sql::MESSAGES`' columns).
fn sent_message(r: &rusqlite::Row<'_>) -> rusqlite::Result<SentMessage> {
    Ok(SentMessage {
        id: r.get(0)?,
        subject: r.get(1)?,
        body: r.get(2)?,
        sent_by: r.get(3)?,
        sent_at: r.get(4)?,
        recipients: r.get(5)?,
    })
}
