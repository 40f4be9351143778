use tilmelding_e2e::{Browser, Server};
#[tokio::main]
async fn main() {
    let server = Server::start().await;
    let b = Browser::start().await;
    for _ in 0..6 {
        b.open(&server.url).await;
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let v = b.js("return performance.getEntries().map(e => e.name.split('/').pop().slice(0,28) + ' ' + e.entryType.slice(0,5) + ' ' + e.startTime.toFixed(1) + '-' + (e.responseEnd||e.startTime+e.duration).toFixed(1)).join('\\n')").await;
        println!("{}\n---", v.as_str().unwrap());
    }
}
