//! A real SMTP server for the mail tests: npm's `maildev` (installed by `make test-tools`),
//! on free loopback ports, read through its REST API. Stopped when the handle drops.

use crate::{WAIT, free_port, root};
use serde_json::Value;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

pub struct Maildev {
    child: Child,
    /// The SMTP port (for `TILMELDING_SMTP_URL`).
    pub smtp: u16,
    /// The REST API's port.
    pub web: u16,
}

impl Maildev {
    /// Starts maildev on free ports and waits until its API answers.
    pub async fn start() -> Maildev {
        Maildev::on(free_port(), free_port()).await
    }

    /// Starts maildev on these ports (again, after [`Maildev::stop`], to bring a mail server
    /// back on the address the reference server was given).
    pub async fn on(smtp: u16, web: u16) -> Maildev {
        let bin = root().join(".tools/node_modules/.bin/maildev");
        assert!(
            bin.exists(),
            "{} is missing: `make test-tools` installs it",
            bin.display()
        );
        let child = Command::new(bin)
            .args(["--smtp", &smtp.to_string(), "--web", &web.to_string()])
            .args(["--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--silent"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("maildev starts");
        let m = Maildev { child, smtp, web };
        let deadline = tokio::time::Instant::now() + WAIT;
        while reqwest::get(m.api("/healthz")).await.is_err() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "maildev did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The SMTP side opens with the API, but make sure it accepts connections too.
        while tokio::net::TcpStream::connect(("127.0.0.1", smtp))
            .await
            .is_err()
        {
            assert!(tokio::time::Instant::now() < deadline, "maildev SMTP");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        m
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.smtp)
    }

    fn api(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/api{path}", self.web)
    }

    /// Every mail received so far, oldest first, as maildev parses them (`subject`, `to`,
    /// `text`, `html`, `attachments`, …).
    pub async fn all(&self) -> Vec<Value> {
        let list: Value = reqwest::get(self.api("/email"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        list.as_array().cloned().unwrap_or_default()
    }

    /// Waits until at least `n` mails have arrived; returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + WAIT * 3;
        loop {
            let all = self.all().await;
            if all.len() >= n {
                return all;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} of {n} mails arrived: {:#?}",
                all.len(),
                all.iter().map(|m| &m["subject"]).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The raw message (headers and MIME parts) of a mail, for what the parsed form hides.
    pub async fn source(&self, mail: &Value) -> String {
        let id = mail["id"].as_str().unwrap();
        reqwest::get(self.api(&format!("/email/{id}/source")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// A calendar line of a mail's invitation (`UID`, `METHOD`, `SEQUENCE`), from its source.
    pub async fn calendar_line(&self, mail: &Value, name: &str) -> String {
        let source = self.source(mail).await;
        // The invitation travels quoted-printable or base64; maildev's parsed attachment is
        // the decoded one, so read that where it has it.
        let decoded = mail["attachments"]
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find_map(|a| a["content"]["data"].as_array().cloned())
            })
            .map(|bytes| {
                String::from_utf8(bytes.iter().map(|b| b.as_u64().unwrap() as u8).collect())
                    .unwrap()
            });
        let ics = decoded.unwrap_or(source).replace("\r\n ", "");
        ics.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {ics}"))
            .trim()
            .to_owned()
    }

    /// Stops it (mail sent meanwhile cannot be delivered).
    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

/// The mails to `address`.
pub fn to<'a>(mails: &'a [Value], address: &str) -> Vec<&'a Value> {
    mails
        .iter()
        .filter(|m| {
            m["to"]
                .as_array()
                .is_some_and(|to| to.iter().any(|t| t["address"] == address))
        })
        .collect()
}
