//! The running server's shared state: the store, the meetings loaded at start, the limits.

use crate::config::Config;
use crate::limit;
use crate::store::{self, Store};
use std::collections::HashMap;
use std::sync::Arc;
use tilmelding_domain::wire::MemberList;
use tilmelding_domain::{Limits, Meeting, Municipality};

/// Shared state of the running server.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub meetings: Arc<HashMap<String, Meeting>>,
    pub organiser_token: Option<Arc<str>>,
    pub limits: Limits,
    pub limiter: limit::RateLimiter,
    /// Wrong organiser tokens per client address (10 a minute, then every organiser request
    /// from that address is refused until the minute is over).
    pub wrong_tokens: limit::RateLimiter,
    /// Wrong manage links per client address, limited the same way.
    pub wrong_links: limit::RateLimiter,
    pub trust_proxy: bool,
    /// Where e-mail goes; none: no mail is written or sent.
    pub mail: Option<crate::mail::MailConfig>,
    /// The server's address for manage links (see [`Config::base_url`]).
    pub base_url: Arc<str>,
}

/// Wrong organiser tokens one client address may send in a minute.
pub const WRONG_TOKENS_PER_MINUTE: u32 = 10;

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Loads every `*.json` meeting in the folder and seeds members from `members/*.json`.
/// A file that is not a valid meeting is reported and skipped (it is still served as a file,
/// so the app can show its own error for it), never fatal: one bad file must not take every
/// other meeting down.
pub async fn load_meetings(
    dir: &std::path::Path,
    store: &Store,
) -> Result<HashMap<String, Meeting>, String> {
    let mut meetings = HashMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let parsed = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Meeting>(&t).map_err(|e| e.to_string()))
            .and_then(|m| m.check().map(|()| m).map_err(|e| e.0));
        match parsed {
            Ok(m) => {
                meetings.insert(m.id.clone(), m);
            }
            Err(e) => eprintln!(
                "tilmelding: skipping {}: not a valid meeting: {e}",
                path.display()
            ),
        }
    }
    let members_dir = dir.join("members");
    if let Ok(entries) = std::fs::read_dir(&members_dir) {
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let list: MemberList =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            if let Some(bad) = list
                .members
                .iter()
                .find(|c| Municipality::by_code(**c).is_none())
            {
                return Err(format!(
                    "{}: {bad} is not a municipality code",
                    path.display()
                ));
            }
            store
                .seed_members(&list.network, &list.members, now())
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(meetings)
}

/// Deletes the registrations of every meeting that ended more than `days` days before `now`.
/// Returns (meeting id, attendees deleted) for each meeting that had any.
pub async fn retention(
    state: &AppState,
    days: u32,
    now: i64,
) -> store::Result<Vec<(String, usize)>> {
    let mut done = Vec::new();
    for m in state.meetings.values() {
        if m.ends().to_unix() + i64::from(days) * 86_400 < now {
            let n = state.store.delete_meeting(&m.id).await?;
            if n > 0 {
                done.push((m.id.clone(), n));
            }
        }
    }
    done.sort();
    Ok(done)
}

/// Opens the store, loads meetings and builds the state.
pub async fn state(config: &Config) -> Result<AppState, String> {
    let location = config.store();
    let store = Store::open(&location)
        .await
        .map_err(|e| format!("{location}: {}", e.full()))?;
    let meetings = load_meetings(&config.meetings, &store).await?;
    Ok(AppState {
        store,
        meetings: Arc::new(meetings),
        organiser_token: config.organiser_token.as_deref().map(Arc::from),
        limits: Limits::default(),
        limiter: limit::RateLimiter::new(config.rate_limit),
        wrong_tokens: limit::RateLimiter::new(WRONG_TOKENS_PER_MINUTE),
        wrong_links: limit::RateLimiter::new(WRONG_TOKENS_PER_MINUTE),
        trust_proxy: config.trust_proxy,
        mail: config.mail.clone(),
        base_url: config.base_url(config.addr).into(),
    })
}
