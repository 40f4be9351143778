//! Per-client rate limits (submissions; wrong organiser tokens and manage links, per minute;
//! the mails a client causes, per hour): a fixed window per client, per server instance. A client is an IPv4 address, or an IPv6
//! /64: one home or office network gets a /64 and may use any address in it, so counting
//! single IPv6 addresses would let one client rotate past every limit. Written by
//! hand: `tower_governor` and friends key on the peer address only and answer in plain text,
//! while the API promises a JSON reason and must honour a trusted proxy's forwarded address.

use lru::LruCache;
use std::net::IpAddr;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);

/// Clients a limiter keeps count of at most. Past it (more clients in one window than any real
/// meeting has), the client seen least recently is forgotten, so memory stays bounded whatever
/// the traffic, and no flood of addresses can make everyone share one count and lock each other
/// out. A forgotten client starts a new window when it comes back.
const MAX_CLIENTS: usize = 100_000;

/// The client an address belongs to: the address itself for IPv4 (also when written as an
/// IPv4-mapped IPv6 address), its /64 network for IPv6.
pub fn client_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
    }
}

/// Counts events per client.
#[derive(Clone)]
pub struct RateLimiter {
    /// Events one client may cause in a window.
    allowed: u32,
    window: Duration,
    windows: Arc<Mutex<Windows>>,
}

struct Windows {
    /// Each client's window: when it started, and the events in it.
    by_client: LruCache<IpAddr, (Instant, u32)>,
}

impl Default for Windows {
    fn default() -> Self {
        Windows {
            by_client: LruCache::new(NonZeroUsize::new(MAX_CLIENTS).unwrap_or(NonZeroUsize::MIN)),
        }
    }
}

impl RateLimiter {
    /// A limiter allowing `per_minute` events per client; 0 allows everything.
    pub fn new(per_minute: u32) -> Self {
        Self::per(MINUTE, per_minute)
    }

    /// A limiter allowing `allowed` events per client in each `window`; 0 allows everything.
    pub fn per(window: Duration, allowed: u32) -> Self {
        RateLimiter {
            allowed,
            window,
            windows: Arc::default(),
        }
    }

    /// Records one event; `Err(seconds)` says how long until the next is allowed.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        self.take(client, 1, now)
    }

    /// Records `n` events at once, or none when they do not all fit in what the client has
    /// left of its window; `Err(seconds)` says how long until the window starts again.
    pub fn take(&self, client: IpAddr, n: u32, now: Instant) -> Result<(), u64> {
        if self.allowed == 0 {
            return Ok(());
        }
        let window = self.window;
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let (start, count) = windows
            .by_client
            .get_or_insert_mut(client_of(client), || (now, 0));
        if now.duration_since(*start) >= window {
            *start = now;
            *count = 0;
        }
        if count.saturating_add(n) > self.allowed {
            return Err((window - now.duration_since(*start)).as_secs().max(1));
        }
        *count += n;
        Ok(())
    }

    /// Gives back `n` events [`RateLimiter::take`] recorded for the client `at` an instant, if
    /// its window has not started again since: a request refused after its events were counted
    /// costs its client nothing.
    pub fn give_back(&self, client: IpAddr, n: u32, at: Instant) {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((start, count)) = windows.by_client.peek_mut(&client_of(client))
            && *start <= at
        {
            *count = count.saturating_sub(n);
        }
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
        assert_eq!(l.check(a, t + Duration::from_secs(30)), Err(30));
        assert!(l.check(b, t).is_ok(), "other clients are not affected");
        assert!(l.check(a, t + MINUTE).is_ok());
        assert!(RateLimiter::new(0).check(a, t).is_ok());
    }

    #[test]
    fn events_given_back_count_no_more() {
        let l = RateLimiter::per(Duration::from_secs(3600), 10);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let t = Instant::now();
        assert!(l.take(a, 8, t).is_ok());
        assert!(l.take(a, 3, t).is_err());
        l.give_back(a, 8, t);
        assert!(l.take(a, 10, t).is_ok(), "all ten again");
        // A window that started again since is not given back to.
        let later = t + Duration::from_secs(3600);
        assert!(l.take(a, 10, later).is_ok());
        l.give_back(a, 10, t);
        assert!(l.take(a, 1, later).is_err());
    }

    #[test]
    fn many_events_at_once_are_taken_whole_or_not_at_all() {
        let hour = Duration::from_secs(3600);
        let l = RateLimiter::per(hour, 1_000);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let t = Instant::now();
        assert!(l.take(a, 600, t).is_ok());
        assert_eq!(l.take(a, 401, t + Duration::from_secs(600)), Err(3000));
        assert!(l.take(a, 400, t).is_ok(), "the refused 401 took nothing");
        assert!(l.take(a, 1, t).is_err());
        assert!(l.take(a, 1_000, t + hour).is_ok());
    }

    #[test]
    fn an_ipv6_client_is_its_64_and_cannot_rotate_past_the_limit() {
        let l = RateLimiter::new(3);
        let t = Instant::now();
        for i in 1..=3 {
            let ip: IpAddr = format!("2001:db8:1:2::{i:x}").parse().unwrap();
            assert!(l.check(ip, t).is_ok());
        }
        let rotated: IpAddr = "2001:db8:1:2:ffff:1234:5678:9abc".parse().unwrap();
        assert!(l.check(rotated, t).is_err(), "the same /64");
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(l.check(other, t).is_ok(), "another /64 is another client");
        let mapped: IpAddr = "::ffff:10.0.0.9".parse().unwrap();
        assert_eq!(client_of(mapped), "10.0.0.9".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn memory_stays_bounded_and_a_flood_of_addresses_locks_no_one_out() {
        let l = RateLimiter::new(1);
        let t = Instant::now();
        let regular: IpAddr = "10.9.9.9".parse().unwrap();
        for i in 0..(MAX_CLIENTS as u32 + 5_000) {
            let _ = l.check(IpAddr::from(i.to_be_bytes()), t);
            // A client that keeps coming stays known: still limited, never forgotten.
            if i % 1_000 == 0 && i > 0 {
                assert!(l.check(regular, t).is_err(), "at {i}");
            } else if i == 0 {
                assert!(l.check(regular, t).is_ok());
            }
        }
        assert!(l.windows.lock().unwrap().by_client.len() <= MAX_CLIENTS);
        // A new client past the flood has its own count, not one shared with the flood.
        let newcomer: IpAddr = "2001:db8:ffff::1".parse().unwrap();
        assert!(l.check(newcomer, t).is_ok());
    }
}
