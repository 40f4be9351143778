//! "Now", for every rule that depends on the time: when registration closes, when a mail is
//! due, when a meeting's data goes.
//!
//! The server's clock is the system's, moved by an offset that only whoever starts the server
//! sets (`TILMELDING_CLOCK_OFFSET`, seconds; for demonstrations and tests of a meeting's life,
//! e.g. a day later, without waiting a day). Nothing in a request reads or moves it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The server's clock. Cheap to clone; clones share the offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// The system's clock, moved by `seconds`.
    pub fn offset_by(seconds: i64) -> Clock {
        Clock {
            offset: Arc::new(AtomicI64::new(seconds)),
        }
    }

    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        system_now() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves the clock on by `seconds` (a test of what happens a day later).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// Two clocks are alike when they are moved alike.
impl PartialEq for Clock {
    fn eq(&self, other: &Clock) -> bool {
        self.offset.load(Ordering::Relaxed) == other.offset.load(Ordering::Relaxed)
    }
}

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_clock_moves_its_clones() {
        let clock = Clock::default();
        let twin = clock.clone();
        let before = twin.now();
        clock.advance(86_400);
        assert!((86_400..86_460).contains(&(twin.now() - before)));
        assert!((3_600..3_660).contains(&(Clock::offset_by(3_600).now() - before)));
    }
}
