//! What the statements need of a driver, and nothing more: run one statement with its values
//! bound, and read its rows back as plain values. Both drivers implement [`Conn`], so every
//! statement of [`super::Tx`] is written once (`statements.rs`), binding and reading the same way
//! on SQLite and on PostgreSQL. What only one dialect can say stays a method of `Conn`: inserting
//! many rows at once, the reference numbers, and whether rows can be locked.

use super::{Attendee, Mail, Placing, Result, StoreError, outbox::Cause};

/// A value bound to a statement's parameter.
#[derive(Clone, Copy, Debug)]
pub enum Value<'a> {
    Int(i64),
    Text(&'a str),
    Bytes(&'a [u8]),
    Null,
}

macro_rules! int_values {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<'_> {
            fn from(v: $t) -> Self {
                Value::Int(i64::from(v))
            }
        }
    )*};
}
int_values!(i64, i32, u16, u32, bool);

impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Self {
        Value::Text(v)
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(v: &'a String) -> Self {
        Value::Text(v)
    }
}

impl<'a> From<&'a [u8]> for Value<'a> {
    fn from(v: &'a [u8]) -> Self {
        Value::Bytes(v)
    }
}

impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// The values of a statement's parameters, `$1`, `$2`, … in order.
macro_rules! values {
    ($($v:expr),* $(,)?) => {
        &[$($crate::store::conn::Value::from($v)),*]
    };
}
pub(crate) use values;

/// One column of a row as read: SQLite's and PostgreSQL's types come back as these.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// One row as read.
#[derive(Clone, Debug)]
pub struct Record(pub Vec<Cell>);

impl Record {
    fn cell(&self, i: usize) -> Result<&Cell> {
        self.0
            .get(i)
            .ok_or_else(|| StoreError::Corrupt(format!("no column {i}")))
    }

    fn wrong(&self, i: usize, wanted: &str) -> StoreError {
        StoreError::Corrupt(format!("column {i} is not {wanted}: {:?}", self.0.get(i)))
    }

    /// A number, in the type the caller keeps it in (a municipality code as `u16`).
    pub fn int<T: TryFrom<i64>>(&self, i: usize) -> Result<T> {
        self.opt_int(i)?.ok_or_else(|| self.wrong(i, "a number"))
    }

    pub fn opt_int<T: TryFrom<i64>>(&self, i: usize) -> Result<Option<T>> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            Cell::Int(n) => T::try_from(*n)
                .map(Some)
                .map_err(|_| self.wrong(i, "in range")),
            _ => Err(self.wrong(i, "a number")),
        }
    }

    /// A truth value (SQLite keeps it as 0 or 1).
    pub fn flag(&self, i: usize) -> Result<bool> {
        Ok(self.int::<i64>(i)? != 0)
    }

    pub fn text(&self, i: usize) -> Result<String> {
        self.opt_text(i)?.ok_or_else(|| self.wrong(i, "a text"))
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            Cell::Text(s) => Ok(Some(s.clone())),
            _ => Err(self.wrong(i, "a text")),
        }
    }

    pub fn bytes(&self, i: usize) -> Result<Vec<u8>> {
        match self.cell(i)? {
            Cell::Bytes(b) => Ok(b.clone()),
            _ => Err(self.wrong(i, "bytes")),
        }
    }
}

/// A driver's connection inside a transaction.
// `async fn` without a `Send` bound, as for `Tx`: both implementations are in this crate.
#[allow(async_fn_in_trait)]
pub trait Conn {
    /// Whether `SELECT … FOR UPDATE` locks rows: PostgreSQL's, where several instances write at
    /// once. SQLite's one writer already excludes every other.
    const ROW_LOCKS: bool;

    /// Runs a statement; how many rows it changed.
    async fn exec(&mut self, sql: &str, values: &[Value<'_>]) -> Result<usize>;
    /// Runs a statement; its rows.
    async fn query(&mut self, sql: &str, values: &[Value<'_>]) -> Result<Vec<Record>>;
    /// Runs statements without values (`SAVEPOINT` and its kin).
    async fn batch(&mut self, sql: &str) -> Result<()>;

    /// The first row, if any.
    async fn opt(&mut self, sql: &str, values: &[Value<'_>]) -> Result<Option<Record>> {
        Ok(self.query(sql, values).await?.into_iter().next())
    }

    /// The one row a statement always answers with (`SELECT EXISTS …`, `RETURNING`).
    async fn one(&mut self, sql: &str, values: &[Value<'_>]) -> Result<Record> {
        self.opt(sql, values)
            .await?
            .ok_or_else(|| StoreError::Corrupt("a statement answered no row".into()))
    }

    // What only one dialect can say.
    /// See [`super::Tx::next_number`].
    async fn take_number(&mut self, meeting_id: &str) -> Result<i64>;
    /// See [`super::Tx::insert_attendees`].
    async fn write_attendees(
        &mut self,
        at: &Placing<'_>,
        attendees: &[Attendee],
    ) -> Result<Vec<Option<(i64, i32)>>>;
    /// See [`super::Tx::enqueue`].
    async fn write_mails(
        &mut self,
        meeting_id: &str,
        mails: &[Mail],
        now: i64,
        cause: Cause,
    ) -> Result<()>;
}
