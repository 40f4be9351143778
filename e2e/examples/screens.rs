//! Walks the attendee flow and saves a screenshot of each state to a folder, for reviewing the
//! design by eye: `cargo run -p tilmelding-e2e --example screens -- /tmp/screens`.

use tilmelding_e2e::{Browser, Server, WIDGET};

async fn shot(b: &Browser, dir: &std::path::Path, name: &str) {
    let png = b.client.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

#[tokio::main]
async fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "screens".into()));
    std::fs::create_dir_all(&dir).unwrap();
    let server = Server::start().await;
    let b = Browser::start().await;
    b.client.set_window_size(1000, 1400).await.unwrap();
    b.open(&server.url).await;
    b.heading("Tilmelding").await;
    let input = b.field("Kommune").await;
    b.js(&format!(
        "{WIDGET}.getElementById('tlm-reg-title').scrollIntoView()"
    ))
    .await;
    input.send_keys("aa").await.unwrap();
    b.wait_css("[role=option]").await;
    shot(&b, &dir, "1-picker").await;
    b.pick_municipality("rand").await;
    shot(&b, &dir, "1b-picked").await;
    b.wait_text("Randers Kommune er medlem af netværket.").await;
    b.button("Send tilmelding").await.click().await.unwrap();
    b.wait_css("#tlm-form-errors").await;
    shot(&b, &dir, "2-errors").await;
    b.paste_into(
        "Indsæt deltagere fra et regneark",
        "Anna\tanna@kl.dk\tKonsulent\nBo\tbo@kl\tChef\n",
    )
    .await;
    b.button("Tilføj rækkerne").await.click().await.unwrap();
    b.js(&format!(
        "{WIDGET}.querySelector('.tlm-paste').scrollIntoView()"
    ))
    .await;
    shot(&b, &dir, "3-pasted").await;
    b.pick_municipality("billund").await;
    b.wait_text("Billund Kommune er ikke medlem af netværket.")
        .await;
    shot(&b, &dir, "4-non-member").await;
    println!("screenshots in {}", dir.display());
}
