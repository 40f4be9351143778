//! Meeting files (imported at start, with their networks' member lists, and pre-rendered for a
//! static host), and retention: a meeting's personal data deleted some days after it is over,
//! and decided applications some days after the decision.

use super::catalogue::Catalogue;
use super::editing;
use crate::clock::Clock;
use crate::store::{self, Store, Tx, Work};
use std::path::{Path, PathBuf};
use tilmelding_domain::meeting::MeetingError;
use tilmelding_domain::{Lang, Meeting, Municipality};

/// A meeting file, and its meeting (or where and why it is not one).
pub type MeetingFile = (PathBuf, Result<Meeting, MeetingError>);

/// The meetings kept, and the meeting files that are not meetings: their names and why, for
/// the organiser page.
pub struct Loaded {
    pub meetings: Catalogue,
    pub unreadable: Vec<(String, MeetingError)>,
}

/// Every `*.json` file in the folder, by name, each parsed and checked as a meeting (or why
/// not).
pub fn read(dir: &Path) -> Result<Vec<MeetingFile>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|path| {
            // A file that cannot be read as text is no JSON either.
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            (path, Meeting::from_json(&text))
        })
        .collect())
}

/// Writes each meeting's pre-rendered widget beside its file (`<id>.html`, `<id>.en.html`), for
/// a static host: the programme shows before the wasm arrives. Returns the files written. A
/// file that is not a valid meeting is an error here: the editor running this wants to know.
pub fn prerender(dir: &Path, now: i64) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (path, parsed) in read(dir)? {
        let meeting = parsed.map_err(|e| format!("{}: {e}", path.display()))?;
        for lang in [Lang::Da, Lang::En] {
            let out = dir.join(tilmelding::prerender::file_name(&meeting.id, lang));
            std::fs::write(&out, tilmelding::prerender::page(&meeting, lang, now))
                .map_err(|e| format!("{}: {e}", out.display()))?;
            written.push(out);
        }
    }
    Ok(written)
}

/// Imports every `*.json` meeting in the folder that the store does not keep yet (see
/// [`editing::import`]), seeds members from `members/*.json`, and reads the kept meetings. A
/// file that is not a valid meeting is logged, kept for the organiser page with its reason,
/// and skipped, never fatal: one bad file must not take every other meeting down. No folder is
/// no files: meetings are made on the organiser page.
pub async fn load(dir: &Path, store: &Store, now: i64) -> Result<Loaded, String> {
    let (mut found, mut unreadable) = (Vec::new(), Vec::new());
    let files = if dir.exists() { read(dir)? } else { Vec::new() };
    for (path, parsed) in files {
        match parsed {
            Ok(m) => found.push(m),
            Err(e) => {
                tracing::warn!(
                    file = %path.display(),
                    "skipping a file that is not a valid meeting: {e}"
                );
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                unreadable.push((name, e));
            }
        }
    }
    for id in editing::import(store, found, now)
        .await
        .map_err(|e| e.full())?
    {
        tracing::info!(meeting = id, "a meeting file imported");
    }
    let members_dir = dir.join("members");
    if let Ok(entries) = std::fs::read_dir(&members_dir) {
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let list: MemberFile =
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
            let network = list.network.clone();
            let imported = store
                .run(Seed(list, now))
                .await
                .map_err(|e| e.to_string())?;
            if imported > 0 {
                tracing::info!(network, imported, "members imported from a member file");
            }
        }
    }
    Ok(Loaded {
        meetings: Catalogue::load(store).await.map_err(|e| e.full())?,
        unreadable,
    })
}

/// A member file (`meetings/members/*.json`): a network's municipalities, members from
/// `since` (none: from before periods were kept) until ended. An import: each municipality
/// the network has never had as a member is added once; after that the organiser page keeps
/// the members.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberFile {
    network: String,
    members: Vec<u16>,
    #[serde(default)]
    since: Option<tilmelding_domain::calendar::Date>,
}

/// A member file imported.
struct Seed(MemberFile, i64);

impl Work for Seed {
    type Output = usize;
    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<usize> {
        let f = &self.0;
        super::members::import(tx, &f.network, &f.members, f.since, self.1).await
    }
}

/// What one pass of retention deleted.
#[derive(Debug, Default, PartialEq)]
pub struct Deleted {
    /// Each meeting whose data went, and how many registrations it had.
    pub meetings: Vec<(String, usize)>,
    pub applications: usize,
}

/// Deletes the personal data of every meeting over more than `days` days before `now`
/// (registrations, submissions with their manage links and change history, mails),
/// and the applications decided that long ago.
pub async fn retention(store: &Store, days: u32, now: i64) -> store::Result<Deleted> {
    struct Over(i64);
    impl Work for Over {
        type Output = Vec<String>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Vec<String>> {
            tx.meetings_over(self.0).await
        }
    }
    struct Delete(String);
    impl Work for Delete {
        type Output = usize;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<usize> {
            tx.delete_meeting(&self.0).await
        }
    }
    struct Applications(i64);
    impl Work for Applications {
        type Output = usize;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<usize> {
            tx.delete_decided_applications(self.0).await
        }
    }
    let before = now - i64::from(days) * 86_400;
    let mut deleted = Deleted::default();
    // A transaction per meeting: one meeting's data goes whole or not at all, and a big one
    // does not hold the database for the others.
    for id in store.run(Over(before)).await? {
        let n = store.run(Delete(id.clone())).await?;
        deleted.meetings.push((id, n));
    }
    deleted.applications = store.run(Applications(before)).await?;
    if deleted != Deleted::default() {
        store.forget().await?;
    }
    Ok(deleted)
}

/// Runs retention now and then every hour, for as long as the server runs. Logs what it
/// deleted by meeting and number, never whose.
pub async fn keep_retention(store: Store, days: u32, clock: Clock) {
    loop {
        match retention(&store, days, clock.now()).await {
            Ok(d) => {
                for (meeting, registrations) in &d.meetings {
                    tracing::info!(
                        meeting,
                        registrations,
                        "retention: a meeting's data deleted"
                    );
                }
                if d.applications > 0 {
                    tracing::info!(
                        applications = d.applications,
                        "retention: decided applications deleted"
                    );
                }
            }
            Err(e) => tracing::error!(error = %e.full(), "retention"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}
