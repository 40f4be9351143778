//! PostgreSQL storage, for several server instances on one database.
//!
//! Every guarantee is the database's: a submission runs in one transaction that first raises
//! its meeting's reference counter. That row lock puts the meeting's submissions in order
//! across every instance, so the idempotency check after it sees any submission committed
//! before (READ COMMITTED gives each statement a fresh snapshot), and the number it took is
//! handed back if the transaction rolls back: no gaps. The unique constraints
//! (`migrations/postgres`) stand behind all of it. An instance that dies mid-transaction loses
//! its connection, and PostgreSQL rolls the transaction back.

use super::{
    Application, Count, ExportRow, Receipt, Result, Status, StoreError, Target, municipality_name,
    parse_status,
};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tilmelding_domain::Registration;
use tilmelding_domain::registration::email_key;
use tokio_postgres::error::SqlState;
use tokio_postgres::{GenericClient, NoTls};

mod migrations {
    refinery::embed_migrations!("migrations/postgres");
}

/// Connections each instance keeps at most. PostgreSQL's default `max_connections` is 100, so
/// a few instances fit beside the operators' own tools.
const POOL_SIZE: usize = 16;

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
    pub async fn open(url: &str) -> Result<Postgres> {
        let config: tokio_postgres::Config = url.parse()?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
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
        Ok(Postgres { pool })
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
                                 WHERE network = $1 AND municipality_code = $2 AND approved_at IS NULL)",
                &[&network, &i32::from(code)],
            )
            .await?;
        Ok((row.get(0), row.get(1)))
    }

    /// See [`super::Store::submit`]. A deadlock or serialisation failure (which the design
    /// avoids, but PostgreSQL may still report under load) is retried a few times.
    pub async fn submit(
        &self,
        target: Target,
        reg: Registration,
        now: i64,
    ) -> Result<Option<Receipt>> {
        let mut client = self.pool.get().await?;
        // A replay of a stored submission needs no lock: answer it straight away.
        if let Some(receipt) = stored_receipt(&**client, &target, &reg).await? {
            return Ok(Some(receipt));
        }
        let mut attempt = 0;
        loop {
            let tx = client.transaction().await?;
            match store_submission(&tx, &target, &reg, now).await {
                Ok(Some(receipt)) => {
                    tx.commit().await?;
                    return Ok(Some(receipt));
                }
                // Nothing to keep (a replay found, or not a member): hand the number back.
                Ok(None) => {
                    tx.rollback().await?;
                    return Ok(None);
                }
                Err(Stored::Replay(receipt)) => {
                    tx.rollback().await?;
                    return Ok(Some(receipt));
                }
                Err(Stored::Failed(e)) if attempt < 3 && retryable(&e) => {
                    attempt += 1;
                    drop(tx);
                }
                Err(Stored::Failed(e)) => return Err(e),
            }
        }
    }

    pub async fn export(&self, meeting_id: &str) -> Result<Vec<ExportRow>> {
        let rows = self
            .pool
            .get()
            .await?
            .query(
                "SELECT s.reference, r.municipality_code, r.name, r.email, r.title, r.department,
                        r.status, s.contact_name, s.contact_email, r.created_at
                 FROM registrations r JOIN submissions s ON s.id = r.submission_id
                 WHERE r.meeting_id = $1 ORDER BY r.id",
                &[&meeting_id],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ExportRow {
                    reference: r.get(0),
                    municipality_code: code(r.get(1))?,
                    name: r.get(2),
                    email: r.get(3),
                    title: r.get(4),
                    department: r.get(5),
                    status: parse_status(r.get(6))?,
                    contact_name: r.get(7),
                    contact_email: r.get(8),
                    created_at: r.get(9),
                })
            })
            .collect()
    }

    pub async fn counts(&self, meeting_id: &str) -> Result<Vec<Count>> {
        let rows = self
            .pool
            .get()
            .await?
            .query(
                "SELECT municipality_code,
                        COUNT(*) FILTER (WHERE status = $2), COUNT(*) FILTER (WHERE status = $3)
                 FROM registrations WHERE meeting_id = $1 GROUP BY municipality_code",
                &[
                    &meeting_id,
                    &Status::Registered.as_str(),
                    &Status::PendingMembership.as_str(),
                ],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let code = code(r.get(0))?;
                Ok(Count {
                    municipality_code: code,
                    municipality: municipality_name(code),
                    registered: r.get(1),
                    pending_membership: r.get(2),
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
                 FROM applications a WHERE a.approved_at IS NULL ORDER BY a.id",
                &[&Status::PendingMembership.as_str()],
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

    pub async fn approve(&self, id: i64, now: i64) -> Result<Option<usize>> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        // Taking the application's row first makes two approvals of it (from two instances)
        // wait for each other; the second finds it approved and changes nothing.
        let Some(app) = tx
            .query_opt(
                "UPDATE applications SET approved_at = $2
                 WHERE id = $1 AND approved_at IS NULL
                 RETURNING network, municipality_code",
                &[&id, &now],
            )
            .await?
        else {
            return Ok(None);
        };
        let (network, code): (String, i32) = (app.get(0), app.get(1));
        tx.execute(
            "INSERT INTO members (network, municipality_code, since) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[&network, &code, &now],
        )
        .await?;
        let confirmed = tx
            .execute(
                "UPDATE registrations SET status = $3
                 WHERE network = $1 AND municipality_code = $2 AND status = $4",
                &[
                    &network,
                    &code,
                    &Status::Registered.as_str(),
                    &Status::PendingMembership.as_str(),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(Some(confirmed as usize))
    }

    pub async fn delete_meeting(&self, meeting_id: &str) -> Result<usize> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
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

/// How storing one submission ended, short of success.
enum Stored {
    /// The same idempotency key was committed first (by this or another instance).
    Replay(Receipt),
    Failed(StoreError),
}

impl<E: Into<StoreError>> From<E> for Stored {
    fn from(e: E) -> Self {
        Stored::Failed(e.into())
    }
}

/// The receipt stored under the submission's idempotency key, if any.
async fn stored_receipt(
    client: &impl GenericClient,
    t: &Target,
    reg: &Registration,
) -> Result<Option<Receipt>> {
    let Some(key) = &reg.idempotency_key else {
        return Ok(None);
    };
    let row = client
        .query_opt(
            "SELECT receipt FROM submissions WHERE meeting_id = $1 AND idempotency_key = $2",
            &[&t.meeting_id, key],
        )
        .await?;
    row.map(|r| {
        serde_json::from_str(r.get(0))
            .map_err(|e| StoreError::Corrupt(format!("a stored receipt: {e}")))
    })
    .transpose()
}

/// One submission in its transaction (see the module's comment for why in this order).
async fn store_submission(
    tx: &tokio_postgres::Transaction<'_>,
    t: &Target,
    reg: &Registration,
    now: i64,
) -> std::result::Result<Option<Receipt>, Stored> {
    let number: i32 = tx
        .query_one(
            "INSERT INTO reference_counters (meeting_id, last) VALUES ($1, 1)
             ON CONFLICT (meeting_id) DO UPDATE SET last = reference_counters.last + 1
             RETURNING last",
            &[&t.meeting_id],
        )
        .await?
        .get(0);
    if let Some(receipt) = stored_receipt(tx, t, reg).await? {
        return Err(Stored::Replay(receipt));
    }
    let code = i32::from(reg.municipality_code);
    let member = tx
        .query_opt(
            "SELECT 1 FROM members WHERE network = $1 AND municipality_code = $2",
            &[&t.network, &code],
        )
        .await?
        .is_some();
    if !member && !reg.apply_for_membership {
        return Ok(None);
    }
    if !member {
        tx.execute(
            "INSERT INTO applications
                 (network, municipality_code, contact_name, contact_email, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (network, municipality_code) WHERE approved_at IS NULL DO NOTHING",
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
    let submission: i64 = tx
        .query_one(
            "INSERT INTO submissions
                 (meeting_id, number, reference, network, municipality_code, contact_name,
                  contact_email, idempotency_key, receipt, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', $9)
             RETURNING id",
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
            ],
        )
        .await?
        .get(0);
    // All attendees in one statement (a submission may carry 1,000); the ones whose e-mail is
    // already registered for the meeting are skipped by the constraint and not returned.
    let column = |f: fn(&tilmelding_domain::Attendee) -> String| -> Vec<String> {
        reg.attendees.iter().map(f).collect()
    };
    let keys = column(|a| email_key(&a.email));
    let inserted = tx
        .query(
            "INSERT INTO registrations
                 (submission_id, meeting_id, network, municipality_code, name, email, email_key,
                  title, department, status, created_at)
             SELECT $1, $2, $3, $4, a.name, a.email, a.email_key, a.title, a.department, $5, $6
             FROM unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
                  WITH ORDINALITY AS a (name, email, email_key, title, department, row)
             ORDER BY a.row
             ON CONFLICT (meeting_id, email_key) DO NOTHING
             RETURNING email_key",
            &[
                &submission,
                &t.meeting_id,
                &t.network,
                &code,
                &status.as_str(),
                &now,
                &column(|a| a.name.clone()),
                &column(|a| a.email.clone()),
                &keys,
                &column(|a| a.title.clone()),
                &column(|a| a.department.clone()),
            ],
        )
        .await?;
    let mut fresh: std::collections::HashSet<String> =
        inserted.iter().map(|r| r.get::<_, String>(0)).collect();
    // The first row with a stored key is the one that was stored.
    let stored: Vec<bool> = keys.iter().map(|k| fresh.remove(k)).collect();
    let receipt = super::receipt(reference, status, reg, &stored);
    let json = serde_json::to_string(&receipt).expect("a receipt always serialises");
    tx.execute(
        "UPDATE submissions SET receipt = $1 WHERE id = $2",
        &[&json, &submission],
    )
    .await?;
    Ok(Some(receipt))
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
