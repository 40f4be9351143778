//! A fault-injecting reverse proxy in front of the real server, for tests of what the app does
//! when the network or the backend misbehaves. Everything is forwarded; registration POSTs can
//! be answered with 503 *after* the server has handled them (the worst case: stored, but the
//! answer lost), and can be delayed.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{Request, Response, StatusCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// What the proxy does to registration POSTs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Faults {
    /// Answer this many registration POSTs with 503 (after forwarding them).
    pub fail_first: usize,
    /// Hold every registration POST this long before forwarding it.
    pub delay: Duration,
    /// Answer every registration POST with this status, content type and body instead of
    /// forwarding it.
    pub answer: Option<(u16, &'static str, &'static str)>,
    /// Send `.wasm` files with this content type, like a static server that does not know
    /// wasm (`application/octet-stream`).
    pub wasm_type: Option<&'static str>,
    /// Hold every `.wasm` download until [`Proxy::release_wasm`], like a slow line that has
    /// not delivered it yet.
    pub hold_wasm: bool,
}

#[derive(Clone)]
struct Shared {
    upstream: String,
    faults: Faults,
    posts: Arc<AtomicUsize>,
    headers: Arc<std::sync::Mutex<Vec<(String, String)>>>,
    http: reqwest::Client,
    wasm_released: Arc<tokio::sync::watch::Sender<bool>>,
}

/// A running proxy; stops when dropped.
pub struct Proxy {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    posts: Arc<AtomicUsize>,
    headers: Arc<std::sync::Mutex<Vec<(String, String)>>>,
    wasm_released: Arc<tokio::sync::watch::Sender<bool>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy to `upstream` on a free loopback port.
    pub async fn start(upstream: &str, faults: Faults) -> Proxy {
        let posts = Arc::new(AtomicUsize::new(0));
        let headers = Arc::default();
        let wasm_released = Arc::new(tokio::sync::watch::Sender::new(false));
        let shared = Shared {
            wasm_released: Arc::clone(&wasm_released),
            upstream: upstream.to_owned(),
            faults,
            posts: posts.clone(),
            headers: Arc::clone(&headers),
            http: reqwest::Client::new(),
        };
        let app = axum::Router::new().fallback(forward).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Proxy {
            url,
            posts,
            headers,
            wasm_released,
            task,
        }
    }

    /// Lets the held `.wasm` downloads go (see [`Faults::hold_wasm`]).
    pub fn release_wasm(&self) {
        self.wasm_released.send_replace(true);
    }

    /// The headers of the last registration POST.
    pub fn last_headers(&self) -> Vec<(String, String)> {
        self.headers.lock().unwrap().clone()
    }

    /// How many registration POSTs reached the proxy.
    pub fn registration_posts(&self) -> usize {
        self.posts.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn forward(State(s): State<Shared>, req: Request<Body>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 64 << 20)
        .await
        .unwrap_or_default();
    let is_registration = parts.method == "POST" && parts.uri.path().ends_with("/registrations");
    let n = if is_registration {
        *s.headers.lock().unwrap() = parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        tokio::time::sleep(s.faults.delay).await;
        s.posts.fetch_add(1, Ordering::SeqCst)
    } else {
        0
    };
    if let (true, Some((status, content_type, text))) = (is_registration, s.faults.answer) {
        return Response::builder()
            .status(status)
            .header("content-type", content_type)
            .body(Body::from(text))
            .unwrap();
    }
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    if s.faults.hold_wasm && parts.uri.path().ends_with(".wasm") {
        let _ = s.wasm_released.subscribe().wait_for(|go| *go).await;
    }
    let mut out = s
        .http
        .request(parts.method.clone(), format!("{}{path}", s.upstream))
        .body(body);
    for (k, v) in &parts.headers {
        if k != "host" && k != "content-length" {
            out = out.header(k, v);
        }
    }
    let Ok(resp) = out.send().await else {
        return Response::builder()
            .status(StatusCode::BAD_GATEWAY)
            .body(Body::empty())
            .unwrap();
    };
    if is_registration && n < s.faults.fail_first {
        return Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .header("content-type", "text/html")
            .body(Body::from("<h1>503 Service Unavailable</h1>"))
            .unwrap();
    }
    let mut builder = Response::builder().status(resp.status());
    let retype = s.faults.wasm_type.filter(|_| path.ends_with(".wasm"));
    for (k, v) in resp.headers() {
        if k != "content-length" && k != "transfer-encoding" && k != "connection" {
            builder = match retype {
                Some(t) if k == "content-type" => builder.header(k, t),
                _ => builder.header(k, v),
            };
        }
    }
    builder
        .body(Body::from(resp.bytes().await.unwrap_or_default()))
        .unwrap()
}
