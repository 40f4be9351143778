//! Server configuration, from environment variables (documented in docs/operators.md). A leaf: it
//! depends on nothing else of the server.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Wrong organiser tokens (and manage links) one client address may send in a minute, unless
/// configured otherwise ([`Config::wrong_guesses`]).
pub const WRONG_GUESSES_PER_MINUTE: u32 = 10;

/// Everything the server needs to start. `Config::default()` is for tests: loopback, port 0.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen. `TILMELDING_ADDR`, or `127.0.0.1:$PORT`, default `127.0.0.1:8080`.
    pub addr: SocketAddr,
    /// SQLite file. `TILMELDING_DB`, default `data/tilmelding.sqlite3`.
    pub db: PathBuf,
    /// PostgreSQL instead of SQLite: `TILMELDING_DATABASE_URL=postgres://user:pass@host/db`
    /// (add `?sslmode=require` for TLS).
    pub database_url: Option<String>,
    /// The CA certificate(s), PEM, that sign the database's certificate
    /// (`TILMELDING_DATABASE_CA`); without it, TLS trusts the Mozilla roots.
    pub database_ca: Option<PathBuf>,
    /// The built app (trunk's `dist`). `TILMELDING_DIST`, default `dist`.
    pub dist: PathBuf,
    /// Meeting files (`*.json`) and member seeds (`members/*.json`). `TILMELDING_MEETINGS`,
    /// default `meetings`.
    pub meetings: PathBuf,
    /// Bearer token for the organiser endpoints: `TILMELDING_ORGANISER_TOKEN`, or the first
    /// line of the file named by `TILMELDING_ORGANISER_TOKEN_FILE`. None: the endpoints are off.
    pub organiser_token: Option<String>,
    /// The organisers who sign in as themselves, by a link mailed to them
    /// (`TILMELDING_ORGANISERS`: `Kirsten Holm <kh@kl.dk>, ab@kl.dk`). Empty, or no mail: the
    /// token is the only sign-in.
    pub organisers: Organisers,
    /// Submissions per minute from one client address (`TILMELDING_RATE_LIMIT`, default 120;
    /// 0 turns the limit off). Generous: one submission carries up to 1,000 attendees, and a
    /// whole municipality often shares one address behind its firewall.
    pub rate_limit: u32,
    /// Wrong organiser tokens, and wrong manage links, one client address may send in a minute
    /// before its further wrong ones wait for the minute to end (`TILMELDING_WRONG_GUESS_LIMIT`,
    /// default 10; 0 turns the limit off). The right token or link always passes.
    pub wrong_guesses: u32,
    /// Mails one client address may cause in an hour, with mail configured
    /// (`TILMELDING_MAIL_LIMIT`, default 5,000; 0 turns the limit off). A submission causes one
    /// mail per attendee and one to its contact: a municipality registering a thousand
    /// colleagues at once causes 1,001. Past it, submissions and changes are refused with
    /// `429 mail_limit` until the hour is over, so no one can use the organisation's own
    /// address to flood people's inboxes.
    pub mail_limit: u32,
    /// Mails one address may get in an hour from public actions: registrations and changes
    /// through manage links (`TILMELDING_RECIPIENT_MAIL_LIMIT`, default 10; 0 turns the limit
    /// off). Past it the registration or change is still stored and answered; only the extra
    /// mail is held back, and the organiser page lists it. The per-client cap alone would let
    /// anyone send one person a receipt a minute from the organisation's address, carrying
    /// names they chose; no real person is sent ten receipts in an hour.
    pub recipient_mail_limit: u32,
    /// Days a meeting's personal data is kept after the meeting is over
    /// (`TILMELDING_RETENTION_DAYS`, default 30; `off` keeps it until deleted by hand with
    /// `tilmelding-server retention --days N`). The server deletes it by itself, hourly.
    pub retention_days: Option<u32>,
    /// The server's clock (`TILMELDING_CLOCK_OFFSET`, seconds added to the system's time,
    /// default 0; see [`crate::clock`]).
    pub clock: crate::clock::Clock,
    /// Use the last `X-Forwarded-For` hop as the client address (`TILMELDING_TRUST_PROXY=1`),
    /// for a server behind a reverse proxy; otherwise the peer address.
    pub trust_proxy: bool,
    /// Largest request body in bytes (`TILMELDING_MAX_BODY`, default 4 MiB: 1,000 attendees
    /// with every field at its limit in three-byte characters fit).
    pub max_body: usize,
    /// Extra `connect-src` sources for the Content-Security-Policy, space-separated
    /// (`TILMELDING_CSP_CONNECT`), when the app talks to a backend on another origin.
    pub csp_connect: String,
    /// Origins whose pages may call the API from the browser (`TILMELDING_ALLOWED_ORIGINS`,
    /// space- or comma-separated, or `*`). Empty: same origin only. Static files (the app,
    /// meeting files) may be loaded from any origin.
    pub allowed_origins: Vec<String>,
    /// The demo host page's folder (`TILMELDING_DEMO`, default `demo`).
    pub demo: PathBuf,
    /// Origin of the widget the demo page embeds (`TILMELDING_DEMO_WIDGET`, e.g.
    /// `http://127.0.0.1:8080`); empty: this server.
    pub demo_widget: String,
    /// Extra attributes for the demo snippet's host element (`TILMELDING_DEMO_ATTRS`), to demo
    /// the other backend profiles, e.g. `data-backend="form" data-form-url="…"`.
    pub demo_attrs: String,
    /// Where e-mail goes (`TILMELDING_SMTP_URL` and `TILMELDING_MAIL_FROM`); none: no mail.
    pub mail: Option<MailConfig>,
    /// How long a client may take (see [`Timeouts`]).
    pub timeouts: Timeouts,
    /// Connections served at once (`TILMELDING_MAX_CONNECTIONS`, default 10,000); more wait
    /// to be accepted until one closes. At start the server raises its open-files limit as far
    /// as the system allows, and keeps the cap below it.
    pub max_connections: usize,
    /// Connections one client (an IPv4 address or an IPv6 /64) may hold at once
    /// (`TILMELDING_MAX_CONNECTIONS_PER_CLIENT`, default 256; 0 turns the cap off): far below
    /// [`Config::max_connections`], so one host cannot take every place, and far above what a
    /// municipality's office behind one address opens (a browser opens about six). Behind a
    /// trusted proxy (`TILMELDING_TRUST_PROXY`) every connection comes from the proxy, so the
    /// cap is off there and the proxy's own limits apply.
    pub max_connections_per_client: usize,
    /// The address people reach this server at (`TILMELDING_PUBLIC_URL`), for manage links of
    /// meetings whose file names no `registration.page_url`. Default: `http://<addr>`.
    pub public_url: Option<String>,
    /// Seconds an open organiser page waits before it fetches the overview again
    /// (`TILMELDING_ORGANISER_REFRESH`, default 5): fewer requests on a busy server, or a
    /// shorter wait in a test.
    pub organiser_refresh: u32,
}

/// Where the data lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file (created with its folder if missing).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL; with `sslmode=require` the connection is encrypted and the
    /// server's certificate verified against `ca` (a PEM file) or, without one, the Mozilla
    /// roots that public certificate authorities are in.
    Postgres { url: String, ca: Option<PathBuf> },
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "SQLite {}", path.display()),
            // The URL may hold a password; name only where it points.
            Location::Postgres { url, .. } => {
                let host = url.rsplit('@').next().unwrap_or(url);
                write!(f, "PostgreSQL {}", host.trim_start_matches("postgres://"))
            }
        }
    }
}

/// Where mail goes, from `TILMELDING_SMTP_URL` and `TILMELDING_MAIL_FROM`.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// `smtp://host:port` (plain, for a relay on the same network), `smtp://…?tls=required`
    /// (STARTTLS), `smtps://…` (TLS), with `user:password@` if the server wants them.
    pub url: String,
    /// The sender, e.g. `KL <tilmelding@kl.dk>`.
    pub from: String,
}

impl MailConfig {
    /// The sender's address alone, for calendar invitations' `ORGANIZER`.
    pub fn from_address(&self) -> String {
        self.from
            .parse::<lettre::message::Mailbox>()
            .map_or_else(|_| self.from.clone(), |m| m.email.to_string())
    }
}

/// How long a client may take, so that a slow or stalled one never holds the server: to send a
/// request's headers, and a new connection its first request (`TILMELDING_HEADER_TIMEOUT`,
/// seconds, default 10), to send the whole request with its body and be answered
/// (`TILMELDING_REQUEST_TIMEOUT`, default 60: a full 4 MiB body on a slow mobile line), to
/// keep a connection open with nothing asked (`TILMELDING_IDLE_TIMEOUT`, default 10: HTTP/1
/// keep-alive, or HTTP/2 with no open stream), and, at shutdown, to finish what is in flight
/// (`TILMELDING_SHUTDOWN_TIMEOUT`, default 10).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub header: std::time::Duration,
    pub request: std::time::Duration,
    pub idle: std::time::Duration,
    pub shutdown: std::time::Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header: std::time::Duration::from_secs(10),
            request: std::time::Duration::from_secs(60),
            idle: std::time::Duration::from_secs(10),
            shutdown: std::time::Duration::from_secs(10),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            db: "data/tilmelding.sqlite3".into(),
            database_url: None,
            database_ca: None,
            dist: "dist".into(),
            meetings: "meetings".into(),
            organiser_token: None,
            organisers: Default::default(),
            rate_limit: 120,
            wrong_guesses: WRONG_GUESSES_PER_MINUTE,
            mail_limit: 5_000,
            recipient_mail_limit: 10,
            retention_days: Some(30),
            clock: crate::clock::Clock::default(),
            trust_proxy: false,
            max_body: 4 << 20,
            csp_connect: String::new(),
            allowed_origins: Vec::new(),
            demo: "demo".into(),
            demo_widget: String::new(),
            demo_attrs: String::new(),
            mail: None,
            public_url: None,
            timeouts: Timeouts::default(),
            max_connections: 10_000,
            max_connections_per_client: 256,
            organiser_refresh: tilmelding_domain::organiser::Overview::REFRESH_SECONDS,
        }
    }
}

/// The organisers who may sign in by mail (`TILMELDING_ORGANISERS`: addresses, each optionally
/// with a name, `Kirsten Holm <kh@kl.dk>`, separated by commas or lines).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Organisers(Vec<tilmelding_domain::organiser::Organiser>);

impl Organisers {
    /// Reads the list; a part that is no address is named in the error.
    pub fn parse(list: &str) -> Result<Organisers, String> {
        let mut found = Vec::new();
        for part in list
            .split([',', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            // lettre reads "Name <address>" and a bare address as a mailbox.
            let mailbox: lettre::message::Mailbox = part
                .parse()
                .map_err(|e| format!("TILMELDING_ORGANISERS: {part:?} is not an address: {e}"))?;
            let email = mailbox.email.to_string();
            found.push(tilmelding_domain::organiser::Organiser {
                name: mailbox.name.unwrap_or_else(|| email.clone()),
                email: Some(email),
            });
        }
        Ok(Organisers(found))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The organiser with this address, however it is cased.
    pub fn find(&self, email: &str) -> Option<&tilmelding_domain::organiser::Organiser> {
        let email = email.trim();
        self.0.iter().find(|o| {
            o.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        })
    }
}

/// Characters an organiser token has at the least.
pub const TOKEN_MIN_CHARS: usize = 32;

/// Guesses (as a power of ten) that zxcvbn must estimate a token takes: 10^18, some 30,000
/// years at a million guesses a second. Its estimates stop at about 10^19, so this judges what a
/// person chose (a dictionary token fell at guess 301; `password12345678` is put at 10^4); a
/// token made by `tilmelding-server token` has 256 random bits.
const TOKEN_MIN_GUESSES_LOG10: f64 = 18.0;

/// Refuses an organiser token that could be guessed: shorter than [`TOKEN_MIN_CHARS`], or made
/// of words, dates, repeats or sequences, whatever its length (`password12345678` twice).
pub fn check_token(token: &str) -> Result<(), String> {
    let advice = "make one with `tilmelding-server token`";
    if token.chars().count() < TOKEN_MIN_CHARS {
        return Err(format!(
            "the organiser token must be at least {TOKEN_MIN_CHARS} characters: {advice}"
        ));
    }
    if zxcvbn::zxcvbn(token, &[]).guesses_log10() < TOKEN_MIN_GUESSES_LOG10 {
        return Err(format!(
            "the organiser token could be guessed (words, dates, repeats or sequences): {advice}"
        ));
    }
    Ok(())
}

/// A new organiser token: 256 random bits, URL-safe base64 (43 characters).
pub fn new_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl Config {
    /// Reads the configuration from the environment.
    pub fn from_env() -> Result<Config, String> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let addr = match (var("TILMELDING_ADDR"), var("PORT")) {
            (Some(a), _) => a.parse().map_err(|e| format!("TILMELDING_ADDR={a}: {e}"))?,
            (None, Some(p)) => {
                let port: u16 = p.parse().map_err(|e| format!("PORT={p}: {e}"))?;
                SocketAddr::from(([127, 0, 0, 1], port))
            }
            (None, None) => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
        let organiser_token = match (
            var("TILMELDING_ORGANISER_TOKEN"),
            var("TILMELDING_ORGANISER_TOKEN_FILE"),
        ) {
            (Some(t), _) => Some(t.trim().to_owned()),
            (None, Some(f)) => {
                let text = std::fs::read_to_string(&f)
                    .map_err(|e| format!("TILMELDING_ORGANISER_TOKEN_FILE={f}: {e}"))?;
                text.lines()
                    .next()
                    .map(|l| l.trim().to_owned())
                    .filter(|t| !t.is_empty())
            }
            (None, None) => None,
        };
        if let Some(token) = &organiser_token {
            check_token(token)?;
        }
        let database_url = var("TILMELDING_DATABASE_URL");
        if let Some(url) = &database_url
            && !(url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return Err(
                "TILMELDING_DATABASE_URL must be a postgres:// URL (unset: SQLite, TILMELDING_DB)"
                    .into(),
            );
        }
        let number = |k: &str, default: usize| -> Result<usize, String> {
            var(k).map_or(Ok(default), |v| {
                v.trim().parse().map_err(|e| format!("{k}={v}: {e}"))
            })
        };
        let mail = match (var("TILMELDING_SMTP_URL"), var("TILMELDING_MAIL_FROM")) {
            (Some(url), Some(from)) => {
                from.parse::<lettre::message::Mailbox>()
                    .map_err(|e| format!("TILMELDING_MAIL_FROM={from}: {e}"))?;
                Some(MailConfig { url, from })
            }
            (None, None) => None,
            _ => {
                return Err(
                    "TILMELDING_SMTP_URL and TILMELDING_MAIL_FROM go together (neither: no mail)"
                        .into(),
                );
            }
        };
        let public_url = var("TILMELDING_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned());
        // Links in e-mails are built from the public address; on 0.0.0.0 or :: there is none to
        // take from where the server listens, and a link to http://0.0.0.0:8080/ reaches nobody.
        if public_url.is_none() && addr.ip().is_unspecified() {
            return Err(format!(
                "TILMELDING_ADDR={addr} listens on every address, so the server cannot tell the \
                 address people reach it at: set TILMELDING_PUBLIC_URL (e.g. \
                 https://tilmelding.example.dk), which the manage links in e-mails are made of"
            ));
        }
        let seconds = |k: &str, default: std::time::Duration| -> Result<_, String> {
            let n = number(k, default.as_secs() as usize)?;
            if n == 0 {
                return Err(format!(
                    "{k}=0: a time limit of 0 seconds lets nothing through"
                ));
            }
            Ok(std::time::Duration::from_secs(n as u64))
        };
        let defaults = Timeouts::default();
        let timeouts = Timeouts {
            header: seconds("TILMELDING_HEADER_TIMEOUT", defaults.header)?,
            request: seconds("TILMELDING_REQUEST_TIMEOUT", defaults.request)?,
            idle: seconds("TILMELDING_IDLE_TIMEOUT", defaults.idle)?,
            shutdown: seconds("TILMELDING_SHUTDOWN_TIMEOUT", defaults.shutdown)?,
        };
        let max_connections = number("TILMELDING_MAX_CONNECTIONS", 10_000)?;
        if max_connections == 0 {
            return Err("TILMELDING_MAX_CONNECTIONS=0 lets nobody in".into());
        }
        let organiser_refresh = number(
            "TILMELDING_ORGANISER_REFRESH",
            tilmelding_domain::organiser::Overview::REFRESH_SECONDS as usize,
        )?;
        if !(1..=3600).contains(&organiser_refresh) {
            return Err("TILMELDING_ORGANISER_REFRESH must be 1 to 3600 seconds".into());
        }
        let max_connections_per_client = number("TILMELDING_MAX_CONNECTIONS_PER_CLIENT", 256)?;
        let organisers = Organisers::parse(&var("TILMELDING_ORGANISERS").unwrap_or_default())?;
        Ok(Config {
            mail,
            organisers,
            public_url,
            max_connections_per_client,
            organiser_refresh: organiser_refresh as u32,
            timeouts,
            max_connections,
            rate_limit: number("TILMELDING_RATE_LIMIT", 120)? as u32,
            wrong_guesses: number(
                "TILMELDING_WRONG_GUESS_LIMIT",
                WRONG_GUESSES_PER_MINUTE as usize,
            )? as u32,
            mail_limit: number("TILMELDING_MAIL_LIMIT", 5_000)? as u32,
            recipient_mail_limit: number("TILMELDING_RECIPIENT_MAIL_LIMIT", 10)? as u32,
            clock: match var("TILMELDING_CLOCK_OFFSET") {
                Some(v) => crate::clock::Clock::offset_by(
                    v.trim()
                        .parse()
                        .map_err(|e| format!("TILMELDING_CLOCK_OFFSET={v}: {e}"))?,
                ),
                None => crate::clock::Clock::default(),
            },
            retention_days: match var("TILMELDING_RETENTION_DAYS").as_deref().map(str::trim) {
                Some("off") => None,
                _ => Some(number("TILMELDING_RETENTION_DAYS", 30)? as u32),
            },
            trust_proxy: var("TILMELDING_TRUST_PROXY").is_some_and(|v| v == "1" || v == "true"),
            max_body: number("TILMELDING_MAX_BODY", 4 << 20)?,
            csp_connect: var("TILMELDING_CSP_CONNECT").unwrap_or_default(),
            allowed_origins: var("TILMELDING_ALLOWED_ORIGINS")
                .unwrap_or_default()
                .split([' ', ','])
                .filter(|o| !o.is_empty())
                .map(|o| o.trim_end_matches('/').to_owned())
                .collect(),
            demo: var("TILMELDING_DEMO")
                .unwrap_or_else(|| "demo".into())
                .into(),
            demo_attrs: var("TILMELDING_DEMO_ATTRS").unwrap_or_default(),
            demo_widget: var("TILMELDING_DEMO_WIDGET")
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_owned(),
            addr,
            database_url,
            database_ca: var("TILMELDING_DATABASE_CA").map(PathBuf::from),
            db: var("TILMELDING_DB")
                .unwrap_or_else(|| "data/tilmelding.sqlite3".into())
                .into(),
            dist: var("TILMELDING_DIST")
                .unwrap_or_else(|| "dist".into())
                .into(),
            meetings: var("TILMELDING_MEETINGS")
                .unwrap_or_else(|| "meetings".into())
                .into(),
            organiser_token,
        })
    }
}

impl Config {
    /// The server's own address for links: `TILMELDING_PUBLIC_URL`, or where it listens.
    pub fn base_url(&self, listening: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{listening}"))
    }

    /// Where the data lives: PostgreSQL if a URL is set, otherwise the SQLite file.
    pub fn store(&self) -> Location {
        match &self.database_url {
            Some(url) => Location::Postgres {
                url: url.clone(),
                ca: self.database_ca.clone(),
            },
            None => Location::Sqlite(self.db.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organisers_list_takes_names_and_bare_addresses() {
        let list = Organisers::parse("Kirsten Holm <kh@kl.dk>, ab@kl.dk\n").unwrap();
        let kh = list.find("KH@kl.dk").unwrap();
        assert_eq!(kh.name, "Kirsten Holm");
        assert_eq!(kh.recorded(), "Kirsten Holm <kh@kl.dk>");
        assert_eq!(list.find("ab@kl.dk").unwrap().name, "ab@kl.dk");
        assert!(list.find("xy@kl.dk").is_none());
        assert!(Organisers::parse("not an address").is_err());
        assert!(Organisers::parse("").unwrap().is_empty());
    }

    #[test]
    fn a_token_that_could_be_guessed_is_refused_and_a_made_one_passes() {
        for weak in [
            "password12345678",
            "password12345678password12345678",
            "Tr0ub4dor&3Tr0ub4dor&3Tr0ub4dor&3",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "qwertyuiopasdfghjklzxcvbnm123456",
        ] {
            assert!(check_token(weak).is_err(), "{weak}");
        }
        for _ in 0..100 {
            let token = new_token();
            assert_eq!(token.len(), 43);
            assert!(check_token(&token).is_ok(), "{token}");
        }
    }
}
