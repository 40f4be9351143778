//! The reference backend: a thin HTTP adapter over `tilmelding-domain`, storing in SQLite or
//! PostgreSQL. It serves the built app, the meeting files, and the JSON API described in
//! `api/openapi.yaml`.
//!
//! Layers point one way: [`http`] (a module per resource) calls [`service`] (the rules, one
//! module per use case, written once), which runs statements of the [`store`] and composes
//! mails with [`letters`]; the [`mail`] worker sends the outbox. [`config`] and [`clock`]
//! depend on nothing of the server. This file wires the router.

pub mod clock;
pub mod config;
pub mod export;
pub mod http;
pub mod letters;
pub mod limit;
pub mod mail;
pub mod service;
pub mod state;
pub mod store;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use http::csp::content_security_policy;
pub use state::{AppState, state};
pub use store::Store;

/// The whole HTTP surface: API, meeting files, and the app.
pub fn router(state: AppState, config: &Config) -> Router {
    let meeting_files = ServeDir::new(&config.meetings);
    let files = http::programme::Files {
        state: state.clone(),
        dir: meeting_files.clone(),
    };
    let api = http::api(state);
    let api = match http::cors(&config.allowed_origins) {
        Some(cors) => api.layer(cors),
        None => api,
    };
    // `make app` writes brotli and gzip copies next to each file (scripts/compress.sh), so the
    // wasm travels at about a third of its size with no compression work per request.
    let app = ServeDir::new(&config.dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(config.dist.join("index.html")));
    // The app's files and the meeting files are public and loaded by host pages on other
    // origins (a module script and its wasm need CORS).
    let public = |r: Router| {
        r.layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("cross-origin"),
        ))
        // Host pages may time the widget's downloads (resource timing gives sizes and phases
        // of other origins' files only with this).
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("timing-allow-origin"),
            HeaderValue::from_static("*"),
        ))
        // The app's files come brotli, gzip or plain by the request's Accept-Encoding: a
        // shared cache must keep them apart.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
    };
    let demo = http::demo::DemoPage {
        template: config.demo.join("index.html"),
        widget: config.demo_widget.clone(),
        attrs: config.demo_attrs.clone(),
        csp_connect: config.csp_connect.clone(),
    };
    let header = |name, value: HeaderValue| SetResponseHeaderLayer::overriding(name, value);
    Router::new()
        .nest("/api", api.layer(DefaultBodyLimit::max(config.max_body)))
        .route("/demo", get(http::demo::page).with_state(demo.clone()))
        .route("/demo/", get(http::demo::page).with_state(demo))
        .route_service("/demo/kl.css", ServeFile::new(config.demo.join("kl.css")))
        .route_service(
            "/demo/hostile.css",
            ServeFile::new(config.demo.join("hostile.css")),
        )
        .nest(
            "/meetings",
            public(
                Router::new()
                    .route("/{file}", get(http::programme::file).with_state(files))
                    .fallback_service(meeting_files)
                    // The pre-rendered widget is made per request and a meeting file may
                    // change at any time, so neither has a compressed copy on disk; both are
                    // small and text, and compressed they reach a slow line sooner (the
                    // pre-rendered programme is the first thing a visitor sees).
                    .layer(CompressionLayer::new()),
            ),
        )
        .fallback_service(public(Router::new().fallback_service(app)))
        // Files keep their names across releases (hosts link them), so browsers revalidate.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            http::csp::content_security_policy(&config.csp_connect, ""),
        ))
        .layer(header(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(header(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // A request, its body included, gets a time limit: a client that sends a body a byte at
        // a time is answered 408 and let go, instead of holding a worker.
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            config.timeouts.request,
        ))
        // A span per request with its method, path and status: no query string, header or
        // body, so no token or personal data reaches the log.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_failure(()),
        )
}

/// Serves until `shutdown` completes, then finishes requests in flight.
pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let mut state = state(&config).await?;
    if let Ok(addr) = listener.local_addr() {
        state.base_url = config.base_url(addr).into();
    }
    tokio::spawn(state.meetings.clone().keep_fresh(state.store.clone()));
    if let Some(mail) = &config.mail {
        tokio::spawn(service::reminders::keep_reminding(
            state.store.clone(),
            state.meetings.clone(),
            mail.from_address(),
            state.clock.clone(),
        ));
        tokio::spawn(mail::worker(
            state.store.clone(),
            mail.clone(),
            std::time::Duration::from_secs(1),
            state.clock.clone(),
        ));
    }
    if let Some(days) = config.retention_days {
        tokio::spawn(service::meetings::keep_retention(
            state.store.clone(),
            days,
            state.clock.clone(),
        ));
    }
    let app = router(state, &config);
    http::serve::connections(listener, app, &config, shutdown).await
}
