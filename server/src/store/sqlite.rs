//! SQLite: one connection behind a mutex (SQLite serialises writers anyway), running the
//! statements of `Tx` (`statements.rs`) through [`Conn`]. WAL with `synchronous=FULL`, because a 2xx is a promise to the user that the
//! registration survives a power cut.

use super::conn::{Cell, Conn, Record, Value};
use super::outbox::Cause;
use super::{Mail, Placing, Result, StoreError, Work, sql, statements};
use rusqlite::Connection;
use rusqlite::types::{ToSqlOutput, ValueRef};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tilmelding_domain::Attendee;

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

/// A SQLite connection inside a transaction.
struct SqliteTx<'a>(&'a Connection);

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Int(n) => ValueRef::Integer(n),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Bytes(b) => ValueRef::Blob(b),
            Value::Null => ValueRef::Null,
        }))
    }
}

/// A column as read.
fn cell(v: ValueRef<'_>) -> rusqlite::Result<Cell> {
    Ok(match v {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(n) => Cell::Int(n),
        ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Cell::Bytes(b.to_vec()),
        ValueRef::Real(_) => {
            return Err(rusqlite::Error::InvalidColumnType(
                0,
                "real".into(),
                v.data_type(),
            ));
        }
    })
}

impl Conn for SqliteTx<'_> {
    const ROW_LOCKS: bool = false;

    async fn exec(&mut self, sql: &str, values: &[Value<'_>]) -> Result<usize> {
        Ok(self
            .0
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(values))?)
    }

    async fn query(&mut self, sql: &str, values: &[Value<'_>]) -> Result<Vec<Record>> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let columns = stmt.column_count();
        let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
            (0..columns)
                .map(|i| cell(r.get_ref(i)?))
                .collect::<rusqlite::Result<_>>()
                .map(Record)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    async fn batch(&mut self, sql: &str) -> Result<()> {
        Ok(self.0.execute_batch(sql)?)
    }

    async fn take_number(&mut self, meeting_id: &str) -> Result<i64> {
        // The meeting's counter, raised in the submission's savepoint: a submission rolled back
        // gives its number back, so the numbers have no gaps.
        self.one(sql::NEXT_NUMBER, &[Value::Text(meeting_id)])
            .await?
            .int(0)
    }

    async fn write_attendees(
        &mut self,
        at: &Placing<'_>,
        attendees: &[Attendee],
    ) -> Result<Vec<Option<(i64, i32)>>> {
        statements::insert_attendees_one_by_one(self, at, attendees).await
    }

    async fn write_mails(
        &mut self,
        meeting_id: &str,
        mails: &[Mail],
        now: i64,
        cause: Cause,
    ) -> Result<()> {
        statements::enqueue_one_by_one(self, meeting_id, mails, now, cause).await
    }
}
