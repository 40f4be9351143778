//! The real server on a real loopback port and a real database, for HTTP tests.
//!
//! One suite, both stores: by default each test gets its own SQLite file; with
//! `TILMELDING_TEST_STORE=postgres` (as `make native-tests` runs it a second time) each gets its
//! own database in a throwaway PostgreSQL cluster that this test process starts and removes.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use tilmelding_server::Config;
use tokio::sync::oneshot;

pub const TOKEN: &str = "test-organiser-Gq3vX8rT2mKp9wLz4bNc7yHd";

/// A test's database.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Db {
    /// A new, empty database of the store under test (a SQLite file goes in `dir`).
    pub fn fresh(dir: &Path) -> Db {
        match std::env::var("TILMELDING_TEST_STORE").as_deref() {
            Ok("postgres") => Db::Postgres(tilmelding_pgtest::shared().database()),
            Ok("sqlite") | Err(_) => Db::Sqlite(dir.join("test.sqlite3")),
            Ok(other) => panic!("TILMELDING_TEST_STORE={other}: sqlite or postgres"),
        }
    }

    /// The one number a SQL query answers (the same SQL on both stores).
    pub fn count(&self, sql: &str) -> i64 {
        match self {
            Db::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                conn.query_row(sql, [], |r| r.get(0)).unwrap()
            }
            Db::Postgres(url) => tilmelding_pgtest::shared().psql(url, sql).parse().unwrap(),
        }
    }

    /// The one text a SQL query answers, trimmed (psql trims what it prints).
    pub fn text(&self, sql: &str) -> String {
        match self {
            Db::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                let text: String = conn.query_row(sql, [], |r| r.get(0)).unwrap();
                text.trim().to_owned()
            }
            Db::Postgres(url) => tilmelding_pgtest::shared().psql(url, sql),
        }
    }

    /// The environment variable that points the server's command line at this database.
    pub fn env(&self) -> (&'static str, String) {
        match self {
            Db::Sqlite(path) => ("TILMELDING_DB", path.display().to_string()),
            Db::Postgres(url) => ("TILMELDING_DATABASE_URL", url.clone()),
        }
    }
}

pub struct TestServer {
    pub url: String,
    pub db: Db,
    pub http: reqwest::Client,
    /// The server's clock: a test moves it on instead of waiting.
    pub clock: tilmelding_server::clock::Clock,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), String>>>,
    _dir: tempfile::TempDir,
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The shipped meeting moved to 1 June 2099 at 9.15, without a deadline: registration closes
/// at its start, 15.00 it is over, the reminder is due a day before.
pub fn meeting_in_2099(m: &mut serde_json::Value) {
    m["date"] = serde_json::json!("2099-06-01");
    m["registration"]
        .as_object_mut()
        .unwrap()
        .remove("deadline");
}

/// A refusal's field reasons: (field, code) of each.
pub fn reasons(body: &serde_json::Value) -> Vec<(&str, &str)> {
    body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect()
}

/// A Danish local time (`2099-06-01T09:15`) as seconds since the epoch.
pub fn unix(local: &str) -> i64 {
    tilmelding_domain::LocalDateTime::parse(local)
        .unwrap()
        .to_unix()
}

/// The clock offset that makes a new server's "now" a local time.
pub fn offset_to(local: &str) -> i64 {
    unix(local) - tilmelding_server::clock::Clock::default().now()
}

/// A server with mail to a mail server that is not there: every mail waits in the outbox.
pub fn dead_mail(c: &mut tilmelding_server::Config) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    c.mail = Some(tilmelding_server::config::MailConfig {
        url: format!("smtp://127.0.0.1:{port}"),
        from: "KL <tilmelding@kl.dk>".into(),
    });
}

/// The registration deadline of the tests' meeting (see [`meetings`]).
pub const LATE_DEADLINE: &str = "2099-12-31T12:00";

/// A copy of the shipped meetings, optionally edited, in a temp dir.
pub fn meetings(edit: impl FnOnce(&mut serde_json::Value)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = repo().join("meetings");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("knub-2021-05-17.json")).unwrap())
            .unwrap();
    // The shipped meeting took place in 2021, so it is closed now: the tests register for it
    // as for a meeting that takes late sign-ups (a deadline far after its start, which the
    // meeting file allows), so that each test is about what it tests, not about the date.
    m["registration"]["deadline"] = serde_json::json!(LATE_DEADLINE);
    edit(&mut m);
    std::fs::write(dir.path().join("knub-2021-05-17.json"), m.to_string()).unwrap();
    std::fs::create_dir(dir.path().join("members")).unwrap();
    std::fs::copy(
        src.join("members/knub.json"),
        dir.path().join("members/knub.json"),
    )
    .unwrap();
    dir
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::with(meetings(|_| {}), None, Some(TOKEN)).await
    }

    pub async fn with(
        meetings: tempfile::TempDir,
        db: Option<Db>,
        token: Option<&str>,
    ) -> TestServer {
        Self::configured(meetings, db, token, |_| {}).await
    }

    /// Starts with a configuration edited by `edit`.
    pub async fn configured(
        meetings: tempfile::TempDir,
        db: Option<Db>,
        token: Option<&str>,
        edit: impl FnOnce(&mut Config),
    ) -> TestServer {
        let db = db.unwrap_or_else(|| Db::fresh(meetings.path()));
        let (path, database_url) = match &db {
            Db::Sqlite(path) => (path.clone(), None),
            Db::Postgres(url) => (PathBuf::new(), Some(url.clone())),
        };
        let mut config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            db: path,
            database_url,
            dist: meetings.path().join("no-dist"),
            meetings: meetings.path().into(),
            organiser_token: token.map(str::to_owned),
            ..Config::default()
        };
        edit(&mut config);
        let clock = config.clock.clone();
        let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(tilmelding_server::serve(config, listener, async {
            let _ = rx.await;
        }));
        TestServer {
            url,
            db,
            http: reqwest::Client::new(),
            clock,
            stop: Some(tx),
            task: Some(task),
            _dir: meetings,
        }
    }

    /// Graceful stop; returns the temp dir so the database can be reopened.
    pub async fn stop(mut self) -> tempfile::TempDir {
        let _ = self.stop.take().unwrap().send(());
        self.task.take().unwrap().await.unwrap().unwrap();
        // Move the dir out without running Drop on it.
        std::mem::replace(&mut self._dir, tempfile::tempdir().unwrap())
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api{path}", self.url)
    }

    pub async fn register(&self, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let r = self
            .http
            .post(self.api("/meetings/knub-2021-05-17/registrations"))
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db.count(sql)
    }

    pub fn text(&self, sql: &str) -> String {
        self.db.text(sql)
    }

    /// GETs an API path with a bearer token: the status, and the JSON body (null if none).
    pub async fn get_json(&self, path: &str, token: &str) -> (u16, serde_json::Value) {
        let r = self
            .http
            .get(self.api(path))
            .bearer_auth(token)
            .send()
            .await;
        answer(r.unwrap()).await
    }

    /// The organiser's CSV export of the shipped meeting, as text.
    pub async fn csv(&self) -> String {
        let path = "/organiser/meetings/knub-2021-05-17/registrations.csv";
        let r = self
            .http
            .get(self.api(path))
            .bearer_auth(TOKEN)
            .send()
            .await;
        r.unwrap().text().await.unwrap()
    }

    /// POSTs JSON to an API path with a bearer token: the status and the JSON body.
    pub async fn post_json(
        &self,
        path: &str,
        token: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let r = self.http.post(self.api(path)).bearer_auth(token).json(body);
        answer(r.send().await.unwrap()).await
    }
}

async fn answer(r: reqwest::Response) -> (u16, serde_json::Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// A valid registration for a municipality with `n` attendees whose e-mails start with `tag`.
/// The manage link's token in a receipt (what follows `#tilmelding-manage=`).
pub fn manage_token(receipt: &serde_json::Value) -> String {
    let url = receipt["manage_url"].as_str().unwrap_or_default();
    url.split_once("#tilmelding-manage=")
        .map(|(_, t)| t.to_owned())
        .unwrap_or_else(|| panic!("no manage link in {receipt}"))
}

pub fn registration(code: u16, tag: &str, n: usize) -> serde_json::Value {
    let attendees: Vec<_> = (0..n)
        .map(|i| {
            serde_json::json!({
                "name": format!("Deltager {i}"),
                "email": format!("{tag}{i}@kommune.dk"),
                "title": "Konsulent",
                "department": "Byudvikling"
            })
        })
        .collect();
    serde_json::json!({
        "municipality_code": code,
        "contact": { "name": "Kim Kontakt", "email": format!("kontakt-{tag}@kommune.dk") },
        "attendees": attendees,
        "privacy_accepted": true
    })
}
