//! Where the app's startup time goes: loads the standalone page five times in headless Chromium
//! and prints each resource's start and end and the paint and `tilmelding-ready` marks (ms from
//! navigation). For work on the widget's startup figure:
//! `cargo run -p tilmelding-e2e --example timeline` after `make app server`.

use tilmelding_e2e::{Browser, Server};
#[tokio::main]
async fn main() {
    let server = Server::start().await;
    let b = Browser::start().await;
    for _ in 0..5 {
        b.open(&server.url).await;
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let v = b.js("return performance.getEntries().filter(e => !e.name.includes('favicon')).map(e => e.name.split('/').pop().slice(0,24) + ' ' + e.startTime.toFixed(0) + '-' + (e.responseEnd||e.startTime+e.duration).toFixed(0)).join(' | ')").await;
        println!("{}", v.as_str().unwrap());
    }
}
