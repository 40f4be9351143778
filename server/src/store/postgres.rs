//! PostgreSQL, for several server instances on one database: the statements of `Tx`
//! (`statements.rs`) through [`Conn`], with the bulk inserts only it can say.
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

use super::conn::{Cell, Conn, Record, Value};
use super::outbox::Cause;
use super::{Mail, Placing, Result, StoreError, Work, sql};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use tilmelding_domain::Attendee;
use tilmelding_domain::registration::email_key;
use tokio_postgres::NoTls;
use tokio_postgres::types::{ToSql, Type};

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

/// A PostgreSQL transaction.
struct PgTx<'a>(&'a deadpool_postgres::Transaction<'a>);

/// A value as PostgreSQL takes it for a parameter of type `ty` (its types are strict: an
/// `INTEGER` column takes an `i32`, not an `i64`).
fn typed<'a>(value: Value<'a>, ty: &Type) -> Result<Box<dyn ToSql + Sync + Send + 'a>> {
    let out_of_range = |n: i64| StoreError::Failed(format!("{n} does not fit {ty}"));
    Ok(match (value, ty) {
        (Value::Int(n), &Type::INT2) => Box::new(i16::try_from(n).map_err(|_| out_of_range(n))?),
        (Value::Int(n), &Type::INT4) => Box::new(i32::try_from(n).map_err(|_| out_of_range(n))?),
        (Value::Int(n), &Type::BOOL) => Box::new(n != 0),
        (Value::Int(n), _) => Box::new(n),
        (Value::Text(s), _) => Box::new(s),
        (Value::Bytes(b), _) => Box::new(b),
        (Value::Null, &Type::INT2) => Box::new(None::<i16>),
        (Value::Null, &Type::INT4) => Box::new(None::<i32>),
        (Value::Null, &Type::INT8) => Box::new(None::<i64>),
        (Value::Null, &Type::BOOL) => Box::new(None::<bool>),
        (Value::Null, &Type::BYTEA) => Box::new(None::<Vec<u8>>),
        (Value::Null, _) => Box::new(None::<String>),
    })
}

/// A column as read.
fn cell(row: &tokio_postgres::Row, i: usize) -> Result<Cell> {
    let int = |n: Option<i64>| n.map_or(Cell::Null, Cell::Int);
    Ok(match *row.columns()[i].type_() {
        Type::INT2 => int(row.try_get::<_, Option<i16>>(i)?.map(i64::from)),
        Type::INT4 => int(row.try_get::<_, Option<i32>>(i)?.map(i64::from)),
        Type::INT8 => int(row.try_get::<_, Option<i64>>(i)?),
        Type::BOOL => int(row.try_get::<_, Option<bool>>(i)?.map(i64::from)),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(i)?
            .map_or(Cell::Null, Cell::Bytes),
        _ => row
            .try_get::<_, Option<String>>(i)?
            .map_or(Cell::Null, Cell::Text),
    })
}

impl PgTx<'_> {
    /// The statement, prepared once per connection, and its values as its parameters' types.
    async fn prepared<'a>(
        &self,
        sql: &str,
        values: &[Value<'a>],
    ) -> Result<(
        tokio_postgres::Statement,
        Vec<Box<dyn ToSql + Sync + Send + 'a>>,
    )> {
        let stmt = self.0.prepare_cached(sql).await?;
        let typed = values
            .iter()
            .zip(stmt.params())
            .map(|(v, ty)| typed(*v, ty))
            .collect::<Result<_>>()?;
        Ok((stmt, typed))
    }
}

/// The values as `tokio_postgres` takes them.
fn refs<'a>(values: &'a [Box<dyn ToSql + Sync + Send + '_>]) -> Vec<&'a (dyn ToSql + Sync)> {
    values
        .iter()
        .map(|v| v.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

impl Conn for PgTx<'_> {
    const ROW_LOCKS: bool = true;

    async fn exec(&mut self, sql: &str, values: &[Value<'_>]) -> Result<usize> {
        let (stmt, values) = self.prepared(sql, values).await?;
        Ok(self.0.execute(&stmt, &refs(&values)).await? as usize)
    }

    async fn query(&mut self, sql: &str, values: &[Value<'_>]) -> Result<Vec<Record>> {
        let (stmt, values) = self.prepared(sql, values).await?;
        let rows = self.0.query(&stmt, &refs(&values)).await?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| cell(r, i))
                    .collect::<Result<_>>()
                    .map(Record)
            })
            .collect()
    }

    async fn batch(&mut self, sql: &str) -> Result<()> {
        Ok(self.0.batch_execute(sql).await?)
    }

    async fn take_number(&mut self, _meeting_id: &str) -> Result<i64> {
        // From a sequence: no lock, so submissions commit side by side (see V4's migration).
        self.one("SELECT nextval('submission_numbers')", &[])
            .await?
            .int(0)
    }

    async fn write_attendees(
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
        let stmt = self.0.prepare_cached(sql::INSERT_ATTENDEES_AT_ONCE).await?;
        let rows = self
            .0
            .query(
                &stmt,
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

    async fn write_mails(
        &mut self,
        meeting_id: &str,
        mails: &[Mail],
        now: i64,
        cause: Cause,
    ) -> Result<()> {
        // One statement for all of them (a submission of a thousand attendees writes 1,001
        // mails): each mail's place in the list is its ordinality.
        let column = |f: fn(&Mail) -> Option<String>| -> Vec<Option<String>> {
            mails.iter().map(f).collect()
        };
        let (public, cap) = cause.columns();
        let stmt = self.0.prepare_cached(sql::ENQUEUE_AT_ONCE).await?;
        self.0
            .execute(
                &stmt,
                &[
                    &meeting_id,
                    &now,
                    &column(|m| Some(m.to.clone())),
                    &column(|m| Some(m.subject.clone())),
                    &column(|m| Some(m.text.clone())),
                    &column(|m| Some(m.html.clone())),
                    &column(|m| m.calendar.as_ref().map(|(_, ics)| ics.clone())),
                    &column(|m| {
                        m.calendar
                            .as_ref()
                            .map(|(method, _)| method.name().to_owned())
                    }),
                    &public,
                    &cap,
                ],
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
