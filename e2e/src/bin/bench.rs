//! `make bench`: size, startup against a static page, server throughput per store (SQLite, PostgreSQL with one and two instances), and typing in a big
//! form, measured side by side in one run. Prints the results and writes them to
//! `target/bench/results.txt`. Figures, not pass/fail: the goals are in docs/performance.md.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tilmelding_e2e::load::{Outcome, post_to, registration};
use tilmelding_e2e::{APP_PICKER, Browser, Server, ServerOptions, root};
use tilmelding_pgtest::{Cluster, Durability};

#[tokio::main]
async fn main() {
    // `BENCH=startup,throughput make bench` runs only those blocks (size, startup, throughput,
    // mail, form, organiser), for quick turns while working on one of them.
    let only = std::env::var("BENCH").unwrap_or_default();
    let run = |block: &str| only.is_empty() || only.split(',').any(|b| b.trim() == block);
    let mut out = String::new();
    if run("size") {
        size(&mut out);
    }
    if run("startup") {
        startup(&mut out).await;
    }
    if run("throughput") {
        throughput(&mut out).await;
    }
    if run("mail") {
        mail(&mut out).await;
    }
    if run("form") {
        big_form(&mut out).await;
    }
    if run("organiser") {
        organiser(&mut out).await;
    }
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("results.txt"), &out).unwrap();
    println!("{out}\n(written to target/bench/results.txt)");
}

fn size(out: &mut String) {
    let report = std::process::Command::new(root().join("scripts/size.sh"))
        .arg("report")
        .output()
        .unwrap();
    let _ = writeln!(
        out,
        "== 1. Size of the release build (bytes; goal: the registration path <= 150,000 brotli; the manage path as measured)"
    );
    out.push_str(&String::from_utf8_lossy(&report.stdout));
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// When a page load reached each mark, in ms from navigation.
#[derive(Clone, Copy)]
struct Marks {
    /// The programme's first paint: for the app, the `tilmelding-programme` mark (set on the
    /// frame after the loader shows the pre-rendered programme, or after the app renders it)
    /// or the first contentful paint, whichever is later.
    programme: f64,
    /// The picker usable: the app's `tilmelding-ready` mark (the frame after it renders) or
    /// the first contentful paint, whichever is later.
    ready: f64,
    /// Cumulative layout shift of the page from navigation until ready.
    shift: f64,
    /// The part of it over the handover: from the programme's first paint until ready.
    handover: f64,
}

/// The marks of the page just opened: the app's, or for the static page its first
/// contentful paint or DOM interactive, whichever is later, for all three.
async fn marks(b: &Browser, app: bool) -> Marks {
    let script = if app {
        "const done = arguments[arguments.length - 1];
         const shifts = [];
         new PerformanceObserver((l) => l.getEntries().forEach((e) => { if (!e.hadRecentInput) shifts.push(e); }))
             .observe({ type: 'layout-shift', buffered: true });
         const sum = (from) => shifts.filter((e) => e.startTime >= from).reduce((a, e) => a + e.value, 0);
         (function poll() {
             const p = performance.getEntriesByName('tilmelding-programme')[0];
             const r = performance.getEntriesByName('tilmelding-ready')[0];
             const fcp = performance.getEntriesByName('first-contentful-paint')[0];
             if (p && r && fcp) requestAnimationFrame(() => setTimeout(() =>
                 done([Math.max(p.startTime, fcp.startTime), Math.max(r.startTime, fcp.startTime), sum(0), sum(p.startTime)])));
             else setTimeout(poll, 5);
         })();"
    } else {
        "const done = arguments[arguments.length - 1];
         (function poll() {
             const fcp = performance.getEntriesByName('first-contentful-paint')[0];
             const nav = performance.getEntriesByType('navigation')[0];
             if (fcp && nav) { const t = Math.max(fcp.startTime, nav.domInteractive); done([t, t, 0, 0]); }
             else setTimeout(poll, 5);
         })();"
    };
    let v = b.client.execute_async(script, vec![]).await.unwrap();
    let n = |i: usize| v[i].as_f64().unwrap();
    Marks {
        programme: n(0),
        ready: n(1),
        shift: n(2),
        handover: n(3),
    }
}

/// A page to time, and its static twin.
struct Block {
    name: &'static str,
    app: String,
    twin: String,
}

/// The network and CPU a municipal laptop on a slow line gives (Lighthouse's mobile profile):
/// about 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, and a CPU four times slower.
async fn throttle(b: &Browser, on: bool) {
    let (latency, down, up, cpu) = if on {
        (150.0, 1.6e6 / 8.0, 750e3 / 8.0, 4.0)
    } else {
        (0.0, -1.0, -1.0, 1.0)
    };
    // Emulation and the cache switch act only with the network domain on.
    b.cdp("Network.enable", serde_json::json!({})).await;
    b.cdp(
        "Network.emulateNetworkConditions",
        serde_json::json!({ "offline": false, "latency": latency, "downloadThroughput": down, "uploadThroughput": up }),
    )
    .await;
    b.cdp(
        "Emulation.setCPUThrottlingRate",
        serde_json::json!({ "rate": cpu }),
    )
    .await;
    // Throttled loads are first visits (nothing cached); loopback loads revalidate a warm cache.
    b.cdp(
        "Network.setCacheDisabled",
        serde_json::json!({ "cacheDisabled": on }),
    )
    .await;
}

/// The median of the paired ratios app/twin and its 95 % interval: a percentile bootstrap
/// over the pairs (2,000 resamples, fixed seed, so a run can be repeated).
fn ratio_interval(app: &[f64], twin: &[f64]) -> (f64, f64, f64) {
    use rand::{Rng, SeedableRng};
    let ratios: Vec<f64> = app.iter().zip(twin).map(|(a, t)| a / t).collect();
    let mut rng = rand::rngs::SmallRng::seed_from_u64(9);
    let mut medians: Vec<f64> = (0..2000)
        .map(|_| {
            let mut sample: Vec<f64> = (0..ratios.len())
                .map(|_| ratios[rng.random_range(0..ratios.len())])
                .collect();
            median(&mut sample)
        })
        .collect();
    (
        median(&mut ratios.clone()),
        percentile(&mut medians, 0.025),
        percentile(&mut medians, 0.975),
    )
}

/// The JS heap in use (CDP) and the wasm memory's size, in KB, of the page now.
async fn memory(b: &Browser) -> (f64, f64) {
    // What is live, not what the collector has not got round to yet.
    b.cdp("HeapProfiler.collectGarbage", serde_json::json!({}))
        .await;
    let heap = b.cdp("Runtime.getHeapUsage", serde_json::json!({})).await;
    let wasm = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             Promise.resolve(window.__tilmelding).then(w => done(w && w.memory ? w.memory.buffer.byteLength : 0));",
            vec![],
        )
        .await
        .unwrap();
    (
        heap["usedSize"].as_f64().unwrap_or(0.0) / 1024.0,
        wasm.as_f64().unwrap_or(0.0) / 1024.0,
    )
}

async fn startup(out: &mut String) {
    let pairs: usize = std::env::var("PAIRS")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(30);
    // The widget's origin serves a copy of dist with the standalone page's static twin; three
    // host origins serve the embedded pages (with and without docs/web-editors.md's preload lines) and
    // their twin.
    let dist = tempfile::tempdir().unwrap();
    // The widget's files; not `organiser/`, the organiser page's folder, which no host loads.
    for e in std::fs::read_dir(root().join("dist")).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dist.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    let ports: Vec<u16> = (0..3).map(|_| tilmelding_e2e::free_port()).collect();
    let origins: Vec<String> = ports
        .iter()
        .map(|p| format!("http://127.0.0.1:{p}"))
        .collect();
    let widget = Server::with(ServerOptions {
        dist: dist.path().into(),
        env: vec![("TILMELDING_ALLOWED_ORIGINS", origins.join(" "))],
        ..Default::default()
    })
    .await;
    let w = widget.url.clone();
    let b = Browser::start().await;
    b.open(&w).await;
    b.wait_css(APP_PICKER).await;
    b.heading("Gruppedrøftelse").await;
    // The twin: the widget's own rendered markup in a declared shadow root (with the same
    // stylesheet link inside), so the browser builds it while parsing; no script.
    let shadow = b
        .js("return document.querySelector('#tilmelding').shadowRoot.innerHTML")
        .await;
    let shadow = shadow
        .as_str()
        .unwrap()
        .replace("href=\"/", &format!("href=\"{w}/"));
    let head = "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>KNUB</title>";
    let article = "<header><h1>Kommunernes Netværk for Udsatte Boligområder</h1></header><main><p>Du kan tilmelde dig netværket samt netværksmøde her</p>{widget}</main>";
    let twin_widget = format!(
        "<div id=\"tilmelding\"><template shadowrootmode=\"open\">{shadow}</template></div>"
    );
    std::fs::write(
        dist.path().join("static.html"),
        format!("<!doctype html><html lang=\"da\"><head>{head}<link rel=\"stylesheet\" href=\"/tilmelding.css\"></head><body>{}</body></html>", article.replace("{widget}", &twin_widget)),
    )
    .unwrap();
    let snippet = format!(
        "<div id=\"tilmelding\" data-meeting-url=\"{w}/meetings/knub-2021-05-17.json\" data-api-base=\"{w}/api\"></div><script type=\"module\" src=\"{w}/embed.js\"></script>"
    );
    let preload = format!(
        "<link rel=\"modulepreload\" href=\"{w}/tilmelding.js\"><link rel=\"preload\" href=\"{w}/tilmelding_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin><link rel=\"preload\" href=\"{w}/meetings/knub-2021-05-17.json\" as=\"fetch\" crossorigin><link rel=\"preload\" href=\"{w}/meetings/knub-2021-05-17.html\" as=\"fetch\" crossorigin>"
    );
    let pages = [
        format!(
            "<!doctype html><html lang=\"da\"><head>{head}{preload}</head><body>{}</body></html>",
            article.replace("{widget}", &snippet)
        ),
        format!(
            "<!doctype html><html lang=\"da\"><head>{head}</head><body>{}</body></html>",
            article.replace("{widget}", &snippet)
        ),
        format!(
            "<!doctype html><html lang=\"da\"><head>{head}</head><body>{}</body></html>",
            article.replace("{widget}", &twin_widget)
        ),
    ];
    let mut hosts = Vec::new();
    let mut demos = Vec::new();
    for (page, port) in pages.iter().zip(&ports) {
        let demo = tempfile::tempdir().unwrap();
        std::fs::write(demo.path().join("index.html"), page).unwrap();
        hosts.push(
            Server::with(ServerOptions {
                env: vec![
                    ("TILMELDING_DEMO_WIDGET", w.clone()),
                    ("TILMELDING_DEMO", demo.path().display().to_string()),
                ],
                port: *port,
                ..Default::default()
            })
            .await,
        );
        demos.push(demo);
    }
    let blocks = [
        Block {
            name: "standalone page",
            app: format!("{w}/"),
            twin: format!("{w}/static.html"),
        },
        Block {
            name: "embedded, other origin, with preload lines",
            app: format!("{}/demo/", hosts[0].url),
            twin: format!("{}/demo/", hosts[2].url),
        },
        Block {
            name: "embedded, other origin, no preload lines",
            app: format!("{}/demo/", hosts[1].url),
            twin: format!("{}/demo/", hosts[2].url),
        },
    ];
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(
        out,
        "\n== 2. Startup: {pairs} alternating pairs (app, static twin) per block, headless Chromium; commit {commit}, {cores} cores\n\
         ms to the programme's first paint and to ready (the picker usable); ratio = median of the pairs' app/twin [95 % bootstrap interval]\n\
         (goals, upper bounds: programme visible <= 1.3 throttled; ready <= 2.5 throttled, <= 1.3 loopback; layout shift 0)"
    );
    for throttled in [false, true] {
        throttle(&b, throttled).await;
        let profile = if throttled {
            "throttled (1.6 Mbit/s, 150 ms RTT, CPU x4, first visit)"
        } else {
            "loopback (warm cache)"
        };
        for block in &blocks {
            let (mut app, mut twin) = (Vec::new(), Vec::new());
            for _ in 0..pairs {
                b.open(&block.app).await;
                app.push(marks(&b, true).await);
                b.open(&block.twin).await;
                twin.push(marks(&b, false).await);
            }
            b.open(&block.app).await;
            marks(&b, true).await;
            let (heap, wasm) = memory(&b).await;
            let _ = writeln!(out, "{profile}, {}:", block.name);
            for (what, mark) in [
                (
                    "programme visible",
                    (|m: &Marks| m.programme) as fn(&Marks) -> f64,
                ),
                ("ready", |m: &Marks| m.ready),
            ] {
                let mut a: Vec<f64> = app.iter().map(mark).collect();
                let mut t: Vec<f64> = twin.iter().map(mark).collect();
                let (ratio, low, high) = ratio_interval(&a, &t);
                let _ = writeln!(
                    out,
                    "  {what}: app {:.0} ms, twin {:.0} ms, ratio {ratio:.2} [{low:.2}, {high:.2}]",
                    median(&mut a),
                    median(&mut t),
                );
            }
            let most = |f: fn(&Marks) -> f64| app.iter().map(f).fold(0.0, f64::max);
            let _ = writeln!(
                out,
                "  layout shift, at most over the {pairs} loads: {:.4} over the handover, {:.4} from navigation until ready; after load: JS heap {heap:.0} KB, wasm memory {wasm:.0} KB",
                most(|m| m.handover),
                most(|m| m.shift),
            );
        }
    }
    // Where the time goes on the slowest path, and on loopback: the browser's own resource
    // timing, against the ready mark.
    for throttled in [true, false] {
        throttle(&b, throttled).await;
        b.open(&blocks[2].app).await;
        marks(&b, true).await;
        trace(&b, out, throttled).await;
    }
    throttle(&b, false).await;
    drop(hosts);
    drop(demos);
}

/// The page's resource timing and its ready mark.
async fn trace(b: &Browser, out: &mut String, throttled: bool) {
    let trace = b
        .js("const ready = performance.getEntriesByName('tilmelding-ready')[0].startTime;
             const nav = performance.getEntriesByType('navigation')[0];
             const rows = [['page', 0, nav.responseEnd, nav.transferSize]].concat(
                 performance.getEntriesByType('resource').map(r =>
                     [r.name.split('/').pop(), r.startTime, r.responseEnd, r.transferSize]));
             return { ready, rows: rows.map(([n, s, e, b]) => `${n}: ${Math.round(s)}–${Math.round(e)} ms, ${b} bytes`) };")
        .await;
    let _ = writeln!(
        out,
        "{} (embedded, no preload lines), resource timing; ready at {:.0} ms:",
        if throttled {
            "slowest path, throttled"
        } else {
            "loopback"
        },
        trace["ready"].as_f64().unwrap_or(0.0)
    );
    for row in trace["rows"].as_array().into_iter().flatten() {
        let _ = writeln!(out, "  {}", row.as_str().unwrap_or(""));
    }
}

async fn throughput(out: &mut String) {
    let _ = writeln!(
        out,
        "\n== 3. Server throughput by store (goal on SQLite: >= 3,000/s at the best concurrency, p99 <= 20 ms)"
    );
    let limit = || ("TILMELDING_RATE_LIMIT", "0".to_owned());
    let db = tempfile::tempdir().unwrap();
    let server = Server::with(ServerOptions {
        env: vec![limit()],
        db: Some(db.path().join("bench.sqlite3")),
        ..Default::default()
    })
    .await;
    let url = format!("{}/api/meetings/knub-2021-05-17/registrations", server.url);
    store_throughput(out, "SQLite, 1 instance", std::slice::from_ref(&url)).await;
    let big = registration("big", 0, 500);
    let http = reqwest::Client::new();
    let start = Instant::now();
    let status = http.post(&url).json(&big).send().await.unwrap().status();
    let _ = writeln!(
        out,
        "one submission of 500 attendees (SQLite): {} in {:.0} ms (goal: <= 200 ms)",
        status.as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    server.stop().await;

    // PostgreSQL with its default durability (each commit reaches the disk), as SQLite's
    // synchronous=FULL does; a fresh database for each setup.
    let cluster = match Cluster::start(Durability::Full) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(out, "PostgreSQL: not measured: {e}");
            return;
        }
    };
    for instances in [1, 2] {
        let database = cluster.database();
        let mut servers = Vec::new();
        for _ in 0..instances {
            servers.push(
                Server::with(ServerOptions {
                    env: vec![limit(), ("TILMELDING_DATABASE_URL", database.clone())],
                    ..Default::default()
                })
                .await,
            );
        }
        let urls: Vec<String> = servers
            .iter()
            .map(|s| format!("{}/api/meetings/knub-2021-05-17/registrations", s.url))
            .collect();
        let label = format!(
            "PostgreSQL, {instances} instance{}",
            if instances == 1 { "" } else { "s" }
        );
        store_throughput(out, &label, &urls).await;
        for s in servers {
            s.stop().await;
        }
    }
}

/// What e-mail costs: registrations per second on SQLite with mail configured (each
/// writes its mails to the outbox in its own transaction), and how fast the worker then
/// delivers them to a real SMTP server (maildev).
async fn mail(out: &mut String) {
    let _ = writeln!(
        out,
        "\n== 3b. E-mail: registrations with mail on, and the outbox delivered to maildev"
    );
    let maildev = tilmelding_e2e::mail::Maildev::start().await;
    let db = tempfile::tempdir().unwrap();
    let path = db.path().join("bench.sqlite3");
    // The load generator is one client standing in for thousands: its per-client limits are
    // off, the mails it causes as its requests.
    let server = Server::with(ServerOptions {
        env: vec![
            ("TILMELDING_RATE_LIMIT", "0".to_owned()),
            ("TILMELDING_MAIL_LIMIT", "0".to_owned()),
            ("TILMELDING_SMTP_URL", maildev.url()),
            ("TILMELDING_MAIL_FROM", "KL <netvaerk@kl.dk>".to_owned()),
        ],
        db: Some(path.clone()),
        ..Default::default()
    })
    .await;
    let url = format!("{}/api/meetings/knub-2021-05-17/registrations", server.url);
    let start = Instant::now();
    store_throughput(
        out,
        "SQLite, 1 instance, mail on",
        std::slice::from_ref(&url),
    )
    .await;
    let mails = Browser::count(&path, "SELECT COUNT(*) FROM outbox");
    loop {
        let waiting = Browser::count(&path, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");
        if waiting == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let secs = start.elapsed().as_secs_f64();
    let _ = writeln!(
        out,
        "  {mails} mails (a receipt and a confirmation with an invitation per registration) all delivered {secs:.0} s after the first registration: {:.0} mails/s from one instance",
        mails as f64 / secs
    );
    server.stop().await;
    maildev.stop().await;
}

/// Registrations per second and latency at three concurrencies, the requests spread evenly
/// over `urls` (instances of the server on one store).
async fn store_throughput(out: &mut String, label: &str, urls: &[String]) {
    let _ = writeln!(out, "{label}:");
    for (concurrency, n) in [(1usize, 1000usize), (16, 5000), (64, 5000)] {
        let run = format!("c{concurrency}");
        let bodies = Arc::new((0..n).map(|i| registration(&run, i, 1)).collect::<Vec<_>>());
        let jobs = (0..n).map(|i| (i, i % urls.len())).collect();
        let start = Instant::now();
        let results = post_to(urls.to_vec(), bodies, jobs, concurrency, Arc::default()).await;
        let secs = start.elapsed().as_secs_f64();
        let ok = results
            .iter()
            .filter(|(o, _)| matches!(o, Outcome::Acked(_)))
            .count();
        let mut ms: Vec<f64> = results
            .iter()
            .map(|(_, d)| d.as_secs_f64() * 1000.0)
            .collect();
        let _ = writeln!(
            out,
            "  concurrency {concurrency:>2}: {:>6.0} registrations/s, p50 {:.1} ms, p99 {:.1} ms ({ok}/{n} acknowledged)",
            n as f64 / secs,
            percentile(&mut ms, 0.5),
            percentile(&mut ms, 0.99)
        );
    }
}

async fn big_form(out: &mut String) {
    let server = Server::start().await;
    let b = Browser::start().await;
    b.open_member_form(&server.url).await;
    let rows: String = (0..500)
        .map(|i| format!("Person {i}\tp{i}@randers.dk\tKonsulent\n"))
        .collect();
    b.paste_into("Indsæt deltagere fra et regneark", &rows)
        .await;
    b.button("Tilføj rækkerne").await.click().await.unwrap();
    b.wait_text("Du tilmelder 500 deltagere fra Randers.").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let id = b
        .field_in("Deltager 250", "Navn")
        .await
        .attr("id")
        .await
        .unwrap()
        .unwrap();
    // Each keystroke: the input event, then everything it sets off (signals, effects, the
    // draft save), measured until the page yields again (a MessageChannel task, which the
    // browser does not clamp the way it clamps nested timers).
    let times = b
        .client
        .execute_async(
            "const [id, done] = arguments; const el = document.querySelector('#tilmelding').shadowRoot.getElementById(id); const times = [];
             const yieldNow = () => new Promise(r => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); });
             (async () => {
                 for (let i = 0; i < 40; i++) {
                     const t0 = performance.now();
                     el.value += 'x';
                     el.dispatchEvent(new Event('input', { bubbles: true }));
                     await yieldNow();
                     times.push(performance.now() - t0);
                 }
                 done(times);
             })();",
            vec![serde_json::json!(id)],
        )
        .await
        .unwrap();
    let mut times: Vec<f64> = serde_json::from_value(times).unwrap();
    let (heap, wasm) = memory(&b).await;
    let _ = writeln!(
        out,
        "\n== 4. Typing with 500 attendee rows in the form (goal: < 16 ms per keystroke)"
    );
    let _ = writeln!(
        out,
        "per keystroke: median {:.1} ms, p90 {:.1} ms, max {:.1} ms (40 keystrokes into row 250)",
        percentile(&mut times, 0.5),
        percentile(&mut times, 0.9),
        percentile(&mut times, 1.0)
    );
    let _ = writeln!(
        out,
        "memory with 500 rows: JS heap {heap:.0} KB, wasm memory {wasm:.0} KB"
    );
}

/// The organiser page with 2,000 attendees on one meeting: how long until the
/// signed-in page shows them all, each keystroke in the search box until the page yields again
/// (filtering and re-rendering the table), and clearing the search (all 2,000 rows back).
async fn organiser(out: &mut String) {
    const TOKEN: &str = "bench-organiser-Hc7fV2mS9kL4xQ1wR6nBv";
    let server = Server::with(ServerOptions {
        token: Some(TOKEN.into()),
        env: vec![("TILMELDING_RATE_LIMIT", "0".into())],
        ..Default::default()
    })
    .await;
    let url = format!("{}/api/meetings/knub-2021-05-17/registrations", server.url);
    // 2,000 attendees: 20 submissions of 100, from 20 municipalities.
    let bodies = Arc::new(
        (0..20)
            .map(|i| registration("org", i, 100))
            .collect::<Vec<_>>(),
    );
    let done = post_to(
        vec![url],
        bodies,
        (0..20).map(|i| (i, 0)).collect(),
        4,
        Arc::default(),
    )
    .await;
    assert!(done.iter().all(|(o, _)| matches!(o, Outcome::Acked(_))));
    let b = Browser::start().await;
    b.organiser_sign_in_form(&server.url, TOKEN).await;
    let start = Instant::now();
    b.button("Log ind").await.click().await.unwrap();
    b.wait_text("Viser 200 af 2000 deltagere.").await;
    let shown_ms = start.elapsed().as_secs_f64() * 1000.0;
    let times = b
        .client
        .execute_async(
            "const done = arguments[0]; const el = document.getElementById('org-search'); const times = [];
             const yieldNow = () => new Promise(r => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); });
             const type = async (value) => {
                 const t0 = performance.now();
                 el.value = value;
                 el.dispatchEvent(new Event('input', { bubbles: true }));
                 await yieldNow();
                 return performance.now() - t0;
             };
             (async () => {
                 for (let round = 0; round < 5; round++) {
                     let typed = '';
                     for (const c of 'deltager 1') { typed += c; times.push(await type(typed)); }
                     times.push(await type(''));
                 }
                 done(times);
             })();",
            vec![],
        )
        .await
        .unwrap();
    let mut times: Vec<f64> = serde_json::from_value(times).unwrap();
    let (heap, _) = memory(&b).await;
    let _ = writeln!(
        out,
        "\n== 5. Organiser page with 2,000 attendees (goal: each keystroke < 100 ms, as a person sees it)"
    );
    let _ = writeln!(
        out,
        "signed in to the page shown (the first 200 rows of 2,000): {shown_ms:.0} ms (includes WebDriver's polling)"
    );
    let _ = writeln!(
        out,
        "search, per keystroke (filter and table update): median {:.1} ms, p90 {:.1} ms, max {:.1} ms ({} keystrokes, clearing included)",
        percentile(&mut times, 0.5),
        percentile(&mut times, 0.9),
        percentile(&mut times, 1.0),
        times.len()
    );
    let _ = writeln!(
        out,
        "memory with 2,000 attendees loaded: JS heap {heap:.0} KB"
    );
    server.stop().await;
}
