//! The meetings the server knows (loaded at start, with their networks' member lists), and
//! retention: a meeting's personal data deleted some days after it ended.

use crate::clock::now;
use crate::store::{self, Store, Tx, Work};
use std::collections::HashMap;
use tilmelding_domain::wire::MemberList;
use tilmelding_domain::{Meeting, Municipality};

/// Loads every `*.json` meeting in the folder and seeds members from `members/*.json`.
/// A file that is not a valid meeting is reported and skipped (it is still served as a file,
/// so the app can show its own error for it), never fatal: one bad file must not take every
/// other meeting down.
pub async fn load(
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
            Err(e) => tracing::warn!(
                file = %path.display(),
                "skipping a file that is not a valid meeting: {e}"
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
                .run(Seed(list, now()))
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(meetings)
}

/// A member list's municipalities added as members; existing members are left as they are.
struct Seed(MemberList, i64);

impl Work for Seed {
    type Output = ();
    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<()> {
        tx.add_members(&self.0.network, &self.0.members, self.1)
            .await
    }
}

/// Deletes the registrations of every meeting that ended more than `days` days before `now`.
/// Returns (meeting id, attendees deleted) for each meeting that had any.
pub async fn retention<'a>(
    store: &Store,
    meetings: impl IntoIterator<Item = &'a Meeting>,
    days: u32,
    now: i64,
) -> store::Result<Vec<(String, usize)>> {
    struct Delete(String);
    impl Work for Delete {
        type Output = usize;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<usize> {
            tx.delete_meeting(&self.0).await
        }
    }
    let mut done = Vec::new();
    for m in meetings {
        if m.ends().to_unix() + i64::from(days) * 86_400 < now {
            let n = store.run(Delete(m.id.clone())).await?;
            if n > 0 {
                done.push((m.id.clone(), n));
            }
        }
    }
    done.sort();
    Ok(done)
}
