//! The server's accept loop: axum's router on hyper's own connection machinery, so that each
//! connection gets the limits `axum::serve` has no setting for. Every connection earns its
//! place:
//! - a client that sends its request headers slower than [`Timeouts::header`] is disconnected
//!   (hyper's header read timeout), so a crowd of half-sent requests holds nothing for long;
//! - a connection with no request in flight is closed once it has been quiet for
//!   [`Timeouts::header`] before its first request and [`Timeouts::idle`] after one (a watchdog
//!   per connection): a TCP connection that sends nothing, half an HTTP/2 preface, or an HTTP/2
//!   connection that answers pings and opens no stream. hyper has no timeout of its own for
//!   these: its header timeout starts only once it has decided the connection speaks HTTP/1;
//! - one client (an IPv4 address or an IPv6 /64) holds at most
//!   [`Config::max_connections_per_client`] at once, so one host cannot take every place;
//! - at most [`Config::max_connections`] are served at once (more wait in the system's queue
//!   until one closes), so the process never runs out of file descriptors;
//! - at shutdown the server stops accepting, lets requests in flight finish for at most
//!   [`Timeouts::shutdown`], and then stops, whatever a stalled client is doing.
//!
//! [`Timeouts::header`]: crate::config::Timeouts::header
//! [`Timeouts::idle`]: crate::config::Timeouts::idle
//! [`Timeouts::shutdown`]: crate::config::Timeouts::shutdown

use crate::config::Config;
use crate::limit::client_of;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;
use tower::ServiceExt;

/// Serves `app` on `listener` until `shutdown` completes (see the module's comment).
pub async fn connections(
    listener: tokio::net::TcpListener,
    app: Router,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let timeouts = &config.timeouts;
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(connection_cap(
        config.max_connections,
    )));
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(timeouts.header));
    let graceful = GracefulShutdown::new();
    // Behind a trusted proxy every connection comes from the proxy: no cap per client there.
    let per_client = (!config.trust_proxy && config.max_connections_per_client > 0)
        .then(|| PerClient::new(config.max_connections_per_client));
    let (first, idle) = (timeouts.header, timeouts.idle);
    tokio::pin!(shutdown);
    loop {
        // A slot first: at the cap, new connections wait in the system's queue, not here.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.map_err(|e| e.to_string())?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors, or a connection reset before it was accepted: the
                // next accept may well succeed; wait a moment rather than spin.
                Err(e) => {
                    tracing::warn!("accepting a connection: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Past its cap, a client's new connection is closed at once.
        let client_slot = match &per_client {
            Some(p) => match p.take(peer.ip()) {
                Some(taken) => Some(taken),
                None => continue,
            },
            None => None,
        };
        let app = app.clone();
        let activity = Arc::new(Activity::new());
        let watched = activity.clone();
        // The router as hyper wants it, each request told the client's address (what
        // `into_make_service_with_connect_info` does for `axum::serve`), and the connection
        // busy until its answer is sent.
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            let busy = Busy::start(&watched);
            req.extensions_mut().insert(ConnectInfo(peer));
            let answer = app.clone().oneshot(req);
            async move {
                let answer = answer.await?;
                Ok::<_, std::convert::Infallible>(
                    answer.map(|body| Body::new(Sending { body, _busy: busy })),
                )
            }
        });
        let conn = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection: nothing to report.
            // A quiet one is dropped, which closes it: nothing of it is in flight.
            tokio::select! {
                _ = conn => {}
                () = activity.quiet_for(first, idle) => {}
            }
            drop(slot);
            drop(client_slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(timeouts.shutdown, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "stopping with requests still in flight after {:?}",
            timeouts.shutdown
        );
    }
    Ok(())
}

/// What one connection is doing, for its watchdog: requests in flight (their answers still
/// being sent), whether it has had one, and when the last ended.
struct Activity {
    in_flight: AtomicUsize,
    asked: AtomicBool,
    since: Mutex<Instant>,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            in_flight: AtomicUsize::new(0),
            asked: AtomicBool::new(false),
            since: Mutex::new(Instant::now()),
        }
    }

    /// Ends once the connection has had nothing in flight for `first` before its first request
    /// or `idle` after one.
    async fn quiet_for(&self, first: Duration, idle: Duration) {
        loop {
            let wait = if self.in_flight.load(Ordering::Acquire) > 0 {
                idle
            } else {
                let allowed = if self.asked.load(Ordering::Acquire) {
                    idle
                } else {
                    first
                };
                let since = *self.since.lock().unwrap_or_else(|e| e.into_inner());
                let left = (since + allowed).saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return;
                }
                left
            };
            tokio::time::sleep(wait).await;
        }
    }
}

/// A request in flight on a connection, until its answer has been sent (or the client went).
struct Busy(Arc<Activity>);

impl Busy {
    fn start(activity: &Arc<Activity>) -> Busy {
        activity.asked.store(true, Ordering::Release);
        activity.in_flight.fetch_add(1, Ordering::AcqRel);
        Busy(activity.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        *self.0.since.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// An answer's body, keeping its connection busy while it is sent: a large file on a slow line
/// is not cut off as idle.
struct Sending {
    body: Body,
    _busy: Busy,
}

impl hyper::body::Body for Sending {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Connections per client, capped.
struct PerClient {
    cap: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl PerClient {
    fn new(cap: usize) -> PerClient {
        PerClient {
            cap,
            open: Arc::default(),
        }
    }

    /// A place for a connection from `ip`, held until dropped; none past the client's cap.
    fn take(&self, ip: IpAddr) -> Option<ClientSlot> {
        let client = client_of(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(client).or_insert(0);
        if *n >= self.cap {
            return None;
        }
        *n += 1;
        Some(ClientSlot {
            client,
            open: self.open.clone(),
        })
    }
}

/// One of a client's connections; its place is given back when dropped.
struct ClientSlot {
    client: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.client) {
            *n -= 1;
            // A client with no connection takes no memory.
            if *n == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// Open files the process keeps for itself besides connections: the database, log, the files
/// it serves.
const FILES_BESIDE_CONNECTIONS: u64 = 256;

/// The connections the server takes at once: `wanted`, or fewer if the open-files limit (raised
/// as far as the system allows) would not hold them.
fn connection_cap(wanted: usize) -> usize {
    let files = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    let fits = files.saturating_sub(FILES_BESIDE_CONNECTIONS).max(1);
    let cap = wanted.min(usize::try_from(fits).unwrap_or(usize::MAX));
    if cap < wanted {
        tracing::warn!(
            "serving at most {cap} connections at once, not {wanted}: the open-files limit is {files}"
        );
    }
    cap
}
