//! The server's accept loop: axum's router on hyper's own connection machinery, so that each
//! connection gets the limits `axum::serve` has no setting for. A client that sends its request
//! headers slower than [`Timeouts::header`] is disconnected (hyper's header read timeout), so a
//! crowd of half-sent requests holds nothing for long; at most
//! [`Config::max_connections`] are served at once (more wait in the system's queue until one
//! closes), so the process never runs out of file descriptors; and at shutdown the server stops
//! accepting, lets requests in flight finish for at most [`Timeouts::shutdown`], and then stops,
//! whatever a stalled client is doing.
//!
//! [`Timeouts::header`]: crate::config::Timeouts::header
//! [`Timeouts::shutdown`]: crate::config::Timeouts::shutdown

use crate::config::Config;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
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
        let app = app.clone();
        // The router as hyper wants it, each request told the client's address (what
        // `into_make_service_with_connect_info` does for `axum::serve`).
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(req)
        });
        let conn = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection: nothing to report.
            let _ = conn.await;
            drop(slot);
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
