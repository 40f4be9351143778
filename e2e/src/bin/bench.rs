//! `make bench`: size, startup against a static page, server throughput, and typing in a big
//! form, measured side by side in one run. Prints the results and writes them to
//! `target/bench/results.txt`. Figures, not pass/fail: the goals are in issue 9 and the README.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tilmelding_e2e::load::{Outcome, post_all, registration};
use tilmelding_e2e::{Browser, Server, ServerOptions, root};

#[tokio::main]
async fn main() {
    // `BENCH=startup,throughput make bench` runs only those blocks (size, startup, throughput,
    // form), for quick turns while working on one of them.
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
    if run("form") {
        big_form(&mut out).await;
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
        "== 1. Size of the release build (bytes; goal: total <= 60 KB brotli)"
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

/// Milliseconds from navigation until the programme is visible and the first input focusable:
/// for the app, its `tilmelding-ready` mark (set on the frame after it renders) or the first
/// contentful paint, whichever is later; for the static page, first contentful paint or DOM
/// interactive, whichever is later.
async fn ready_ms(b: &Browser, app: bool) -> f64 {
    let script = if app {
        "const done = arguments[arguments.length - 1];
         (function poll() {
             const m = performance.getEntriesByName('tilmelding-ready')[0];
             const fcp = performance.getEntriesByName('first-contentful-paint')[0];
             if (m && fcp) done(Math.max(m.startTime, fcp.startTime)); else setTimeout(poll, 5);
         })();"
    } else {
        "const done = arguments[arguments.length - 1];
         (function poll() {
             const fcp = performance.getEntriesByName('first-contentful-paint')[0];
             const nav = performance.getEntriesByType('navigation')[0];
             if (fcp && nav) done(Math.max(fcp.startTime, nav.domInteractive)); else setTimeout(poll, 5);
         })();"
    };
    b.client
        .execute_async(script, vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap()
}

async fn startup(out: &mut String) {
    // The static twin: the app's own rendered markup, saved with the stylesheet and no script,
    // served by the same server from a copy of dist.
    let dist = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(root().join("dist")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dist.path().join(p.file_name().unwrap())).unwrap();
    }
    let server = Server::with(ServerOptions {
        dist: dist.path().into(),
        ..Default::default()
    })
    .await;
    let b = Browser::start().await;
    b.open(&server.url).await;
    b.wait_css("input[role=combobox]").await;
    // The widget's markup lives in its shadow root: the twin declares the same shadow root
    // (with the same stylesheet link inside), so the browser builds it while parsing.
    let body = b
        .js("const host = document.querySelector('#tilmelding');
             const main = document.querySelector('main').cloneNode(true);
             main.querySelector('#tilmelding').innerHTML =
                 '<template shadowrootmode=\"open\">' + host.shadowRoot.innerHTML + '</template>';
             return main.outerHTML")
        .await;
    let page = format!(
        "<!doctype html><html lang=\"da\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Tilmelding (statisk)</title><link rel=\"stylesheet\" href=\"/tilmelding.css\"></head><body>{}</body></html>",
        body.as_str().unwrap()
    );
    std::fs::write(dist.path().join("static.html"), page).unwrap();
    let (mut app, mut stat) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        b.open(&server.url).await;
        app.push(ready_ms(&b, true).await);
        b.open(&format!("{}/static.html", server.url)).await;
        stat.push(ready_ms(&b, false).await);
    }
    let (a, s) = (median(&mut app), median(&mut stat));
    let _ = writeln!(
        out,
        "\n== 2. Startup, headless Chromium, 20 alternating loads each (goal: ratio <= 1.3)"
    );
    let _ = writeln!(
        out,
        "app page:    median {a:.0} ms to programme visible and first input focusable"
    );
    let _ = writeln!(
        out,
        "static page: median {s:.0} ms (same markup and stylesheet, no script)"
    );
    let _ = writeln!(out, "ratio app/static: {:.2}", a / s);
}

async fn throughput(out: &mut String) {
    let _ = writeln!(
        out,
        "\n== 3. Server throughput, reference server on SQLite (goal: >= 3,000/s at the best concurrency, p99 <= 20 ms)"
    );
    let db = tempfile::tempdir().unwrap();
    let server = Server::with(ServerOptions {
        env: vec![("TILMELDING_RATE_LIMIT", "0".into())],
        db: Some(db.path().join("bench.sqlite3")),
        ..Default::default()
    })
    .await;
    let url = format!("{}/api/meetings/knub-2021-05-17/registrations", server.url);
    for (concurrency, n) in [(1usize, 1000usize), (16, 5000), (64, 5000)] {
        let run = format!("c{concurrency}");
        let bodies = Arc::new((0..n).map(|i| registration(&run, i, 1)).collect::<Vec<_>>());
        let start = Instant::now();
        let results = post_all(url.clone(), bodies, concurrency, Arc::default()).await;
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
            "concurrency {concurrency:>2}: {:>6.0} registrations/s, p50 {:.1} ms, p99 {:.1} ms ({ok}/{n} acknowledged)",
            n as f64 / secs,
            percentile(&mut ms, 0.5),
            percentile(&mut ms, 0.99)
        );
    }
    let big = registration("big", 0, 500);
    let http = reqwest::Client::new();
    let start = Instant::now();
    let status = http.post(&url).json(&big).send().await.unwrap().status();
    let _ = writeln!(
        out,
        "one submission of 500 attendees: {} in {:.0} ms (goal: <= 200 ms)",
        status.as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
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
}
