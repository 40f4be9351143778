//! Per-client rate limits (submissions; wrong organiser tokens): a fixed one-minute window per
//! address, per server instance. Written by
//! hand: `tower_governor` and friends key on the peer address only and answer in plain text,
//! while the API promises a JSON reason and must honour a trusted proxy's forwarded address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

/// Counts submissions per client address.
#[derive(Clone)]
pub struct RateLimiter {
    per_minute: u32,
    windows: Arc<Mutex<HashMap<IpAddr, (Instant, u32)>>>,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` submissions per address; 0 allows everything.
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            windows: Arc::default(),
        }
    }

    /// Whether the client is over the limit now, without counting anything: `Err(seconds)`
    /// says how long until it is not.
    pub fn blocked(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        match windows.get(&client) {
            Some((start, count))
                if now.duration_since(*start) < WINDOW && *count >= self.per_minute =>
            {
                Err((WINDOW - now.duration_since(*start)).as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    /// Records one event; `Err(seconds)` says how long until the next is allowed.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        // Forget finished windows now and then, so the map stays as small as the traffic.
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, count) = windows.entry(client).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *count = 0;
        }
        if *count >= self.per_minute {
            return Err((WINDOW - now.duration_since(*start)).as_secs().max(1));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_then_refuses_until_the_window_ends() {
        let l = RateLimiter::new(3);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t = Instant::now();
        for _ in 0..3 {
            assert!(l.check(a, t).is_ok());
        }
        assert_eq!(l.check(a, t + Duration::from_secs(20)), Err(40));
        assert_eq!(l.blocked(a, t + Duration::from_secs(30)), Err(30));
        assert_eq!(l.blocked(a, t + WINDOW), Ok(()));
        assert_eq!(l.blocked(b, t), Ok(()));
        assert!(l.check(b, t).is_ok(), "other clients are not affected");
        assert!(l.check(a, t + WINDOW).is_ok());
        assert!(RateLimiter::new(0).check(a, t).is_ok());
    }
}
