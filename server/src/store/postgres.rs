//! PostgreSQL: the statements of [`Tx`], for several server instances on one database.
//!
//! Every guarantee is the database's unique constraints (`migrations/postgres`): a submission's
//! insert under a key that another transaction is inserting waits for it, and finds it if it
//! committed (a replay); an address registered for the meeting meanwhile is skipped the same
//! way. Reference numbers come from a sequence, so no lock puts submissions in one line: each
//! is its own transaction, many at once over the pool, and PostgreSQL flushes the commits that
//! wait together. An instance that dies mid-transaction loses its connection, and PostgreSQL
//! rolls the transaction back.
//!
//! Each statement is prepared once per connection (`prepare_cached`).

use super::outbox::{self, Failed};
use super::sql;
use super::{
    Application, ApplicationState, AttendeeRow, DecidedApplication, HeldMail, Mail, NewMessage,
    NewSubmission, Placing, Queued, Recorded, Result, Row, SentMessage, Standing, StoreError,
    StoredReceipt, Sub, Tx, Work, parse_standing,
};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use tilmelding_domain::registration::email_key;
use tilmelding_domain::{Attendee, Contact, Lang};
use tokio_postgres::NoTls;
use tokio_postgres::types::ToSql;

mod migrations {
    refinery::embed_migrations!("migrations/postgres");
}

/// Connections each instance keeps at most. PostgreSQL's default `max_connections` is 100, so
/// a few instances fit beside the operators' own tools.
const POOL_SIZE: usize = 16;

/// Longest a request waits for one of the pool's connections.
const POOL_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Longest a new connection to the database (or the check of a used one) may take.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Longest one statement may run (PostgreSQL's `statement_timeout`), unless the database URL's
/// `options` set one: a statement stuck on a lock, or on a plan gone wrong, gives its connection
/// back and fails its request (a 500) well within the request's own limit. Migrations at start
/// have none: they run once, and may take long on a large table.
const STATEMENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// How often a transaction is tried again after a deadlock or a serialisation failure (which
/// the design avoids, but which may still come under load).
const RETRIES: usize = 3;

/// Any 64-bit number of our own, for the advisory lock that lets one instance at a time migrate.
const MIGRATION_LOCK: i64 = 0x746c_6d64_6e67; // "tlmdng"

/// Handle to the pool; cheap to clone.
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
}

impl Postgres {
    /// Connects, and migrates the schema. Instances starting together take turns through an
    /// advisory lock, so each migration runs once.
    pub async fn open(url: &str, ca: Option<&std::path::Path>) -> Result<Postgres> {
        let mut config: tokio_postgres::Config = url.parse()?;
        let options = config.get_options().unwrap_or_default().to_owned();
        if !options.contains("statement_timeout") {
            let limit = STATEMENT_TIMEOUT.as_millis();
            config.options(format!("{options} -c statement_timeout={limit}").trim());
        }
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
        // A request never waits without end: for a connection from a pool that is exhausted
        // (every connection busy, say, with a database that hangs), or for a new connection
        // to a database that does not answer. Past it the request fails (a 500) and frees its
        // worker.
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| StoreError::Failed(e.to_string()))?;
        let mut client = pool.get().await?;
        client.batch_execute("SET statement_timeout = 0").await?;
        client
            .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        let migrated = migrations::migrations::runner()
            .run_async(&mut **client)
            .await;
        client
            .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
            .await?;
        // Back to the connection's own limit, for the pool's later users.
        client.batch_execute("RESET statement_timeout").await?;
        migrated?;
        Ok(Postgres { pool })
    }

    /// See [`super::Store::run`].
    pub async fn run<W: Work>(&self, work: W) -> Result<W::Output> {
        let mut attempt = 0;
        loop {
            match self.try_run(&work).await {
                Err(e) if attempt < RETRIES && e.retryable() => attempt += 1,
                done => return done,
            }
        }
    }

    async fn try_run<W: Work>(&self, work: &W) -> Result<W::Output> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let out = work.run(&mut PgTx(&tx)).await?;
        // Without a commit, the transaction rolls back as it is dropped.
        if W::keeps(&out) {
            tx.commit().await?;
        }
        Ok(out)
    }
}

/// The statements in a PostgreSQL transaction.
struct PgTx<'a>(&'a deadpool_postgres::Transaction<'a>);

impl PgTx<'_> {
    async fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<PgRow>> {
        let stmt = self.0.prepare_cached(sql).await?;
        Ok(self.0.query(&stmt, params).await?)
    }

    async fn one(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<PgRow> {
        let stmt = self.0.prepare_cached(sql).await?;
        Ok(self.0.query_one(&stmt, params).await?)
    }

    async fn opt(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<PgRow>> {
        let stmt = self.0.prepare_cached(sql).await?;
        Ok(self.0.query_opt(&stmt, params).await?)
    }

    async fn exec(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<usize> {
        let stmt = self.0.prepare_cached(sql).await?;
        Ok(self.0.execute(&stmt, params).await? as usize)
    }
}

type PgRow = tokio_postgres::Row;

/// A submission from the first columns of a row (see `sql::SUBMISSION_BY_SELECTOR`).
fn sub(r: &PgRow) -> Result<Sub> {
    Ok(Sub {
        id: r.get(0),
        reference: r.get(1),
        network: r.get(2),
        municipality_code: code(r.get(3))?,
        contact: Contact {
            name: r.get(4),
            email: r.get(5),
        },
        lang: Lang::from_code(r.get(6)),
    })
}

/// A municipality code as stored.
fn code(stored: i32) -> Result<u16> {
    u16::try_from(stored).map_err(|_| StoreError::Corrupt(format!("municipality code {stored}")))
}

impl Tx for PgTx<'_> {
    async fn batch(&mut self, sql: &'static str) -> Result<()> {
        Ok(self.0.batch_execute(sql).await?)
    }

    async fn add_members(&mut self, network: &str, codes: &[u16], now: i64) -> Result<()> {
        let codes: Vec<i32> = codes.iter().map(|&c| c.into()).collect();
        self.exec(
            "INSERT INTO members (network, municipality_code, since)
             SELECT $1, code, $3 FROM unnest($2::integer[]) AS code
             ON CONFLICT DO NOTHING",
            &[&network, &codes, &now],
        )
        .await?;
        Ok(())
    }

    async fn is_member(&mut self, network: &str, code: u16) -> Result<bool> {
        Ok(self
            .one(sql::IS_MEMBER, &[&network, &i32::from(code)])
            .await?
            .get(0))
    }

    async fn members(&mut self, network: &str) -> Result<Vec<u16>> {
        let rows = self.query(sql::MEMBERS, &[&network]).await?;
        rows.iter().map(|r| code(r.get(0))).collect()
    }

    async fn application_pending(&mut self, network: &str, code: u16) -> Result<bool> {
        Ok(self
            .one(sql::APPLICATION_PENDING, &[&network, &i32::from(code)])
            .await?
            .get(0))
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
            &[
                &network,
                &i32::from(code),
                &contact.name,
                &contact.email,
                &now,
            ],
        )
        .await?;
        Ok(())
    }

    async fn pending_applications(&mut self) -> Result<Vec<Application>> {
        let rows = self
            .query(
                sql::PENDING_APPLICATIONS,
                &[&Standing::PendingMembership.as_str()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(super::application(
                    r.get(0),
                    r.get(1),
                    code(r.get(2))?,
                    [r.get(3), r.get(4)],
                    r.get(5),
                    r.get(6),
                ))
            })
            .collect()
    }

    async fn decided_applications(
        &mut self,
        network: &str,
        limit: i64,
    ) -> Result<Vec<DecidedApplication>> {
        let rows = self
            .query(sql::DECIDED_APPLICATIONS, &[&network, &limit])
            .await?;
        rows.iter()
            .map(|r| {
                Ok(super::decided(
                    r.get(0),
                    code(r.get(1))?,
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                ))
            })
            .collect()
    }

    async fn registrations_per_meeting(&mut self) -> Result<Vec<(String, i64)>> {
        let [registered, waiting] =
            [Standing::Registered, Standing::PendingMembership].map(Standing::as_str);
        let rows = self
            .query(sql::REGISTRATIONS_PER_MEETING, &[&registered, &waiting])
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn application(&mut self, id: i64) -> Result<Option<ApplicationState>> {
        // Locked: two organisers deciding at once (on two instances) take turns, and the
        // second finds it decided.
        let row = self
            .opt(&format!("{} FOR UPDATE", sql::APPLICATION), &[&id])
            .await?;
        row.map(|r| {
            Ok(ApplicationState {
                network: r.get(0),
                municipality_code: code(r.get(1))?,
                approved: r.get(2),
                declined: r.get(3),
            })
        })
        .transpose()
    }

    async fn approve_application(&mut self, id: i64, by: &str, now: i64) -> Result<()> {
        self.exec(sql::APPROVE_APPLICATION, &[&now, &by, &id])
            .await?;
        Ok(())
    }

    async fn decline_application(
        &mut self,
        id: i64,
        reason: &str,
        by: &str,
        now: i64,
    ) -> Result<()> {
        self.exec(sql::DECLINE_APPLICATION, &[&now, &reason, &by, &id])
            .await?;
        Ok(())
    }

    async fn settle_waiting(
        &mut self,
        network: &str,
        code: u16,
        to: Standing,
        now: i64,
    ) -> Result<usize> {
        self.exec(
            sql::SETTLE_WAITING,
            &[
                &to.as_str(),
                &now,
                &network,
                &i32::from(code),
                &Standing::PendingMembership.as_str(),
            ],
        )
        .await
    }

    async fn next_number(&mut self, _meeting_id: &str) -> Result<i64> {
        // From a sequence: no lock, so submissions commit side by side (see V4's migration).
        let next: i32 = self
            .one("SELECT nextval('submission_numbers')::INTEGER", &[])
            .await?
            .get(0);
        Ok(next.into())
    }

    async fn stored_receipt(
        &mut self,
        meeting_id: &str,
        key: &str,
    ) -> Result<Option<StoredReceipt>> {
        Ok(self
            .opt(sql::STORED_RECEIPT, &[&meeting_id, &key])
            .await?
            .map(|r| (r.get(0), r.get(1), r.get(2))))
    }

    async fn insert_submission(&mut self, s: &NewSubmission<'_>) -> Result<Option<i64>> {
        let number = i32::try_from(s.number)
            .map_err(|_| StoreError::Failed(format!("reference number {}", s.number)))?;
        Ok(self
            .opt(
                sql::INSERT_SUBMISSION,
                &[
                    &s.meeting_id,
                    &number,
                    &s.reference,
                    &s.network,
                    &i32::from(s.municipality_code),
                    &s.contact.name,
                    &s.contact.email,
                    &s.idempotency_key,
                    &s.fingerprint,
                    &s.now,
                    &s.lang.code(),
                ],
            )
            .await?
            .map(|r| r.get(0)))
    }

    async fn insert_attendees(
        &mut self,
        at: &Placing<'_>,
        attendees: &[Attendee],
    ) -> Result<Vec<Option<(i64, i32)>>> {
        // All of them in one statement (a submission may carry 1,000). Attendees whose e-mail
        // is already registered for the meeting are skipped by the constraint and not returned;
        // the first row with an address is the one that was stored.
        let column =
            |f: fn(&Attendee) -> String| -> Vec<String> { attendees.iter().map(f).collect() };
        let keys = column(|a| email_key(&a.email));
        let rows = self
            .query(
                "INSERT INTO registrations
                     (submission_id, meeting_id, network, municipality_code, name, email,
                      email_key, title, department, status, created_at, updated_at, sequence)
                 SELECT $1, $2, $3, $4, a.name, a.email, a.email_key, a.title, a.department, $5,
                        $6, $6,
                        -- One above the address's last cancelled registration, if any.
                        (SELECT COALESCE(MAX(p.sequence) + 1, 0) FROM registrations p
                          WHERE p.meeting_id = $2 AND p.email_key = a.email_key)
                 FROM unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
                          WITH ORDINALITY AS a (name, email, email_key, title, department, row)
                 ORDER BY a.row
                 ON CONFLICT (meeting_id, email_key) WHERE status <> 'cancelled' DO NOTHING
                 RETURNING email_key, id, sequence",
                &[
                    &at.submission,
                    &at.meeting_id,
                    &at.network,
                    &i32::from(at.municipality_code),
                    &at.status.as_str(),
                    &at.now,
                    &column(|a| a.name.clone()),
                    &column(|a| a.email.clone()),
                    &keys,
                    &column(|a| a.title.clone()),
                    &column(|a| a.department.clone()),
                ],
            )
            .await?;
        let mut fresh: std::collections::HashMap<String, (i64, i32)> = rows
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect();
        Ok(keys.iter().map(|k| fresh.remove(k)).collect())
    }

    async fn set_receipt(&mut self, submission: i64, json: &str) -> Result<()> {
        self.exec(sql::SET_RECEIPT, &[&json, &submission]).await?;
        Ok(())
    }

    async fn add_token(
        &mut self,
        selector: &str,
        submission: i64,
        hash: &[u8],
        now: i64,
    ) -> Result<()> {
        self.exec(sql::ADD_TOKEN, &[&selector, &submission, &hash, &now])
            .await?;
        Ok(())
    }

    async fn submission(
        &mut self,
        meeting_id: &str,
        selector: &str,
        lock: bool,
    ) -> Result<Option<(Sub, Vec<u8>)>> {
        // For a change, the submission's row and the link's are locked: two changes to one
        // submission (on two instances) take turns, and one that waited sees a link the first
        // replaced as replaced. A read locks nothing.
        let sql = if lock {
            format!("{} FOR UPDATE OF s, t", sql::SUBMISSION_BY_SELECTOR)
        } else {
            sql::SUBMISSION_BY_SELECTOR.to_owned()
        };
        let row = self.opt(&sql, &[&selector, &meeting_id]).await?;
        row.map(|r| Ok((sub(&r)?, r.get(7)))).transpose()
    }

    async fn replaced_token(
        &mut self,
        meeting_id: &str,
        selector: &str,
    ) -> Result<Option<Vec<u8>>> {
        let row = self
            .opt(sql::REPLACED_TOKEN, &[&selector, &meeting_id])
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn replace_tokens(&mut self, submission: i64, now: i64) -> Result<()> {
        self.exec(sql::REPLACE_TOKENS, &[&now, &submission]).await?;
        Ok(())
    }

    async fn submissions_with(
        &mut self,
        network: &str,
        code: u16,
        standing: Standing,
    ) -> Result<Vec<(Sub, String)>> {
        let rows = self
            .query(
                sql::SUBMISSIONS_WITH,
                &[&network, &i32::from(code), &standing.as_str()],
            )
            .await?;
        rows.iter().map(|r| Ok((sub(r)?, r.get(7)))).collect()
    }

    async fn rows(&mut self, submission: i64) -> Result<Vec<Row>> {
        let rows = self.query(sql::ROWS, &[&submission]).await?;
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

    async fn seen(&mut self, submission: i64, key: &str) -> Result<bool> {
        Ok(self.one(sql::SEEN, &[&submission, &key]).await?.get(0))
    }

    async fn record(&mut self, c: &Recorded<'_>) -> Result<()> {
        self.exec(
            sql::RECORD,
            &[&c.submission, &c.key, &c.at, &c.by, &c.kind, &c.detail],
        )
        .await?;
        Ok(())
    }

    async fn update(&mut self, row: &Row, now: i64) -> Result<()> {
        let a = &row.attendee;
        self.exec(
            sql::UPDATE,
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

    async fn set_contact(&mut self, submission: i64, contact: &Contact) -> Result<()> {
        self.exec(
            sql::SET_CONTACT,
            &[&contact.name, &contact.email, &submission],
        )
        .await?;
        Ok(())
    }

    async fn export(&mut self, meeting_id: &str) -> Result<Vec<AttendeeRow>> {
        let rows = self.query(sql::EXPORT, &[&meeting_id]).await?;
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

    async fn delete_meeting(&mut self, meeting_id: &str) -> Result<usize> {
        let [messages, outbox, registrations, submissions] = sql::DELETE_MEETING;
        self.exec(messages, &[&meeting_id]).await?;
        self.exec(outbox, &[&meeting_id]).await?;
        let n = self.exec(registrations, &[&meeting_id]).await?;
        self.exec(submissions, &[&meeting_id]).await?;
        Ok(n)
    }

    async fn add_message(&mut self, m: &NewMessage<'_>) -> Result<i64> {
        let recipients = i32::try_from(m.recipients).unwrap_or(i32::MAX);
        let row = self
            .one(
                sql::ADD_MESSAGE,
                &[
                    &m.meeting_id,
                    &m.subject,
                    &m.body,
                    &m.by,
                    &m.now,
                    &recipients,
                    &m.key,
                ],
            )
            .await?;
        Ok(row.get(0))
    }

    async fn messages(&mut self, meeting_id: &str) -> Result<Vec<SentMessage>> {
        let rows = self.query(sql::MESSAGES, &[&meeting_id]).await?;
        Ok(rows.iter().map(sent_message).collect())
    }

    async fn message_by_key(&mut self, meeting_id: &str, key: &str) -> Result<Option<SentMessage>> {
        let rows = self
            .query(sql::MESSAGE_BY_KEY, &[&meeting_id, &key])
            .await?;
        Ok(rows.first().map(sent_message))
    }

    async fn keep_meeting(&mut self, meeting_id: &str, over_at: i64) -> Result<()> {
        self.exec(sql::KEEP_MEETING, &[&meeting_id, &over_at])
            .await?;
        Ok(())
    }

    async fn meetings_over(&mut self, before: i64) -> Result<Vec<String>> {
        let rows = self.query(sql::MEETINGS_OVER, &[&before]).await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn mark_reminded(&mut self, meeting_id: &str, now: i64) -> Result<bool> {
        Ok(self.exec(sql::MARK_REMINDED, &[&now, &meeting_id]).await? == 1)
    }

    async fn join_url(&mut self, meeting_id: &str) -> Result<Option<String>> {
        Ok(self
            .opt(sql::JOIN_URL, &[&meeting_id])
            .await?
            .and_then(|r| r.get(0)))
    }

    async fn set_join_url(&mut self, meeting_id: &str, url: &str, now: i64) -> Result<()> {
        self.exec(sql::SET_JOIN_URL, &[&url, &now, &meeting_id])
            .await?;
        Ok(())
    }

    async fn revise_registered(&mut self, meeting_id: &str, now: i64) -> Result<usize> {
        let registered = Standing::Registered.as_str();
        self.exec(sql::REVISE_REGISTERED, &[&now, &meeting_id, &registered])
            .await
    }

    async fn attending(&mut self, meeting_id: &str) -> Result<Vec<(Attendee, i32, Lang)>> {
        let registered = Standing::Registered.as_str();
        let rows = self
            .query(sql::ATTENDING, &[&meeting_id, &registered])
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                (
                    Attendee {
                        name: r.get(0),
                        email: r.get(1),
                        title: r.get(2),
                        department: r.get(3),
                    },
                    r.get(4),
                    Lang::from_code(r.get(5)),
                )
            })
            .collect())
    }

    async fn delete_decided_applications(&mut self, before: i64) -> Result<usize> {
        self.exec(sql::DELETE_DECIDED_APPLICATIONS, &[&before])
            .await
    }

    async fn enqueue(
        &mut self,
        meeting_id: &str,
        mails: &[Mail],
        now: i64,
        cause: outbox::Cause,
    ) -> Result<()> {
        // One statement for all of them (a submission of a thousand attendees writes 1,001
        // mails): each mail's place in the list is its ordinality. A public action's mail is
        // held back as `sql::ENQUEUE` says.
        let column = |f: fn(&Mail) -> Option<String>| -> Vec<Option<String>> {
            mails.iter().map(f).collect()
        };
        let (public, cap) = cause.columns();
        self.exec(
            "INSERT INTO outbox (meeting_id, created_at, recipient, subject, body_text, body_html,
                                 calendar, calendar_method, next_attempt_at, position, public,
                                 held_at)
             SELECT $1, $2, m.recipient, m.subject, m.body_text, m.body_html, m.calendar,
                    m.calendar_method, $2, m.place - 1, $9::integer,
                    CASE WHEN $9 = 1
                          AND (SELECT COUNT(*) FROM outbox o
                                WHERE o.public = 1 AND o.held_at IS NULL
                                  AND lower(o.recipient) = lower(m.recipient)
                                  AND o.created_at > $2::bigint - 3600) >= $10::bigint
                    THEN $2::bigint END
             FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                  WITH ORDINALITY
                  AS m (recipient, subject, body_text, body_html, calendar, calendar_method, place)",
            &[
                &meeting_id,
                &now,
                &column(|m| Some(m.to.clone())),
                &column(|m| Some(m.subject.clone())),
                &column(|m| Some(m.text.clone())),
                &column(|m| Some(m.html.clone())),
                &column(|m| m.calendar.as_ref().map(|(_, ics)| ics.clone())),
                &column(|m| m.calendar.as_ref().map(|(method, _)| method.name().to_owned())),
                &public,
                &cap,
            ],
        )
        .await?;
        Ok(())
    }

    async fn held_mails(&mut self, meeting_id: &str, limit: i64) -> Result<Vec<HeldMail>> {
        let rows = self.query(sql::HELD_MAILS, &[&meeting_id, &limit]).await?;
        Ok(rows
            .iter()
            .map(|r| HeldMail {
                to: r.get(0),
                subject: r.get(1),
                held_at: r.get(2),
            })
            .collect())
    }

    async fn claim_mail(&mut self, now: i64, lease: i64, limit: i64) -> Result<Vec<Queued>> {
        let rows = self
            .query(
                &format!(
                    "{} FOR UPDATE SKIP LOCKED{}",
                    sql::CLAIM_MAIL[0],
                    sql::CLAIM_MAIL[1]
                ),
                &[&now, &lease, &limit],
            )
            .await?;
        let mut claimed: Vec<Queued> = rows
            .iter()
            .map(|r| {
                outbox::queued(
                    r.get(0),
                    r.get(8),
                    [r.get(1), r.get(2), r.get(3), r.get(4)],
                    r.get(5),
                    r.get(6),
                    i64::from(r.get::<_, i32>(7)),
                )
            })
            .collect();
        claimed.sort_by_key(|q| q.id);
        Ok(claimed)
    }

    async fn mail_sent(&mut self, id: i64, claim: i64, now: i64) -> Result<()> {
        self.exec(sql::MAIL_SENT, &[&now, &id, &claim]).await?;
        Ok(())
    }

    async fn mail_failed(&mut self, f: &Failed<'_>) -> Result<()> {
        let attempts = i32::try_from(f.attempts).unwrap_or(i32::MAX);
        self.exec(
            sql::MAIL_FAILED,
            &[&attempts, &f.next, &f.error, &f.give_up, &f.id, &f.claim],
        )
        .await?;
        Ok(())
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

/// A kept message, from its row (`sql::MESSAGES`' columns).
fn sent_message(r: &tokio_postgres::Row) -> SentMessage {
    SentMessage {
        id: r.get(0),
        subject: r.get(1),
        body: r.get(2),
        sent_by: r.get(3),
        sent_at: r.get(4),
        recipients: u32::try_from(r.get::<_, i32>(5)).unwrap_or(0),
    }
}
