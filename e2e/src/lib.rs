//! Harness for end-to-end tests: the real server binary on a free loopback port with its own
//! SQLite file, and Debian's Chromium driven over WebDriver (chromedriver), both stopped when
//! the test's handles drop. Tests find elements as a person would: by label text and by role
//! and accessible name, in the page and inside every open shadow root (the widget lives in
//! one; XPath and WebDriver's locators do not cross shadow boundaries, so [`FIND`] does).
//!
//! Needs the release build in `dist/` and the server binary; `make test` builds both first.

pub mod flows;
pub mod load;
pub mod mail;
pub mod meetings;
pub mod members;
pub mod organiser;
pub mod proxy;

use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long any single wait may take before the test fails with a message.
pub const WAIT: Duration = Duration::from_secs(20);

/// The widget's shadow root on a page with one widget, for scripts.
pub const WIDGET: &str = "document.querySelector('#tilmelding').shadowRoot";

/// The app's municipality picker, not the pre-rendered one it replaces, and once the app
/// shows it (it renders hidden until it takes the pre-rendered widget's place): found, it
/// shows that the app runs.
pub const APP_PICKER: &str = "input[role=combobox]:not([data-tlm-prerendered] *):not([hidden] *)";

/// The focused element, through shadow roots (`document.activeElement` stops at the host).
pub const ACTIVE: &str = "(() => { let a = document.activeElement; \
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement; \
    return a; })()";

/// Finds one element in the page or any open shadow root: `arguments` are a kind and its
/// words. Text is compared with white space folded, as XPath's `normalize-space` did.
pub const FIND: &str = r#"
const [kind, a, b, scope] = arguments;
const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
const roots = [];
const walk = (root) => {
    roots.push(root);
    for (const e of root.querySelectorAll('*')) if (e.shadowRoot) walk(e.shadowRoot);
};
walk(scope ? document.querySelector(scope).shadowRoot : document);
const all = (css) => roots.flatMap((r) => [...r.querySelectorAll(css)]);
const labelled = (root, el, text) =>
    el.getAttribute('aria-label') === text
    || (el.closest('label') && norm(el.closest('label').textContent) === text)
    || (el.id !== '' && [...root.querySelectorAll('label')].some((l) => l.htmlFor === el.id && norm(l.textContent) === text));
const controls = 'input, textarea, select';
// A control of the pre-rendered widget is replaced by the app's own when the app takes over,
// so a reference to it would go stale, and the app's own are hidden until then: the finders of
// controls find the app's, once shown.
const live = (e) => !e.closest('[data-tlm-prerendered], [hidden]');
switch (kind) {
case 'css':
    return all(a)[0] || null;
case 'text':
    return roots.flatMap((r) => [...r.querySelectorAll(r === document ? 'body *' : '*')])
        .find((e) => norm(e.textContent).includes(a) && ![...e.children].some((c) => norm(c.textContent).includes(a))) || null;
case 'heading':
    return all('h1, h2, h3, h4, [role=heading]').find((e) => norm(e.textContent) === a) || null;
case 'button':
    return all('button, [role=button]').filter(live).find((e) => norm(e.textContent) === a || e.getAttribute('aria-label') === a) || null;
case 'link':
    return all('a').filter(live).find((e) => norm(e.textContent) === a) || null;
case 'alert':
    return all('[role=alert]').find((e) => norm(e.textContent) !== '') || null;
case 'field':
    return roots.flatMap((r) => [...r.querySelectorAll(controls)].filter((el) => live(el) && labelled(r, el, a)))[(b || 1) - 1] || null;
case 'field_in':
    for (const r of roots) {
        for (const set of r.querySelectorAll('fieldset')) {
            const legend = set.querySelector(':scope > legend');
            if (!legend || norm(legend.textContent) !== a) continue;
            const hit = [...set.querySelectorAll(controls)].find((el) => live(el) && labelled(set, el, b));
            if (hit) return hit;
        }
    }
    return null;
}
throw new Error('unknown kind ' + kind);
"#;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running reference server.
pub struct Server {
    child: Child,
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub url: String,
    /// Its database file.
    pub db: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

/// How to start a server.
pub struct ServerOptions {
    /// Extra environment variables.
    pub env: Vec<(&'static str, String)>,
    pub meetings: PathBuf,
    pub dist: PathBuf,
    pub db: Option<PathBuf>,
    pub token: Option<String>,
    pub port: u16,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            env: Vec::new(),
            meetings: open_meetings(),
            dist: root().join("dist"),
            db: None,
            token: None,
            port: 0,
        }
    }
}

impl Server {
    /// Starts the server with the shipped meetings and a fresh database.
    pub async fn start() -> Server {
        Server::with(ServerOptions::default()).await
    }

    /// Starts the server as configured, and waits until it listens.
    pub async fn with(opts: ServerOptions) -> Server {
        let bin = std::env::var_os("TILMELDING_SERVER_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("target/server/tilmelding-server"));
        assert!(
            bin.exists(),
            "{} is missing: run `make test`, which builds it",
            bin.display()
        );
        assert!(
            opts.dist.join("index.html").exists(),
            "{} has no build: run `make test`, which builds it",
            opts.dist.display()
        );
        let (dir, db) = match opts.db {
            Some(db) => (None, db),
            None => {
                let dir = tempfile::tempdir().unwrap();
                let db = dir.path().join("test.sqlite3");
                (Some(dir), db)
            }
        };
        let mut cmd = Command::new(bin);
        cmd.env_clear()
            .env("TILMELDING_ADDR", format!("127.0.0.1:{}", opts.port))
            .env("TILMELDING_DB", &db)
            .env("TILMELDING_DIST", &opts.dist)
            .env("TILMELDING_MEETINGS", &opts.meetings)
            .env("TILMELDING_DEMO", root().join("demo"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for (k, v) in &opts.env {
            cmd.env(k, v);
        }
        if let Some(t) = &opts.token {
            cmd.env("TILMELDING_ORGANISER_TOKEN", t);
        }
        let mut child = cmd.spawn().expect("server starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = tokio::time::timeout(WAIT, lines.next_line())
            .await
            .expect("server prints its address in time")
            .unwrap()
            .expect("server printed nothing");
        let url = line
            .split_once("listening on ")
            .map(|(_, u)| u.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| panic!("unexpected first line: {line}"));
        // Keep draining both pipes so the server never blocks on a full one; keep stderr.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut errs = BufReader::new(child.stderr.take().unwrap()).lines();
        let sink = log.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = errs.next_line().await {
                eprintln!("[server] {line}");
                sink.lock().unwrap().push(line);
            }
        });
        Server {
            child,
            log,
            url,
            db,
            _dir: dir,
        }
    }

    /// What the server has written to stderr so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Fails if the browser reported any Content-Security-Policy violation to the server.
    /// Reports are sent asynchronously, so give them a moment first.
    pub async fn assert_no_csp_violations(&self) {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let violations: Vec<String> = self
            .log()
            .into_iter()
            .filter(|l| l.contains("CSP violation"))
            .collect();
        assert!(violations.is_empty(), "CSP violations: {violations:#?}");
    }

    /// Kills the server with SIGKILL, as a crash or power cut would, and waits for it.
    pub async fn kill_hard(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// Registers through the API (the widget's own flow is tested elsewhere); fails unless the
    /// server answers 201, and returns the receipt.
    pub async fn register(&self, body: &serde_json::Value) -> serde_json::Value {
        register_at(&self.url, body).await
    }

    /// Stops the server the way Ctrl-C does, and waits for it to exit.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .arg("-INT")
                .arg(pid.to_string())
                .status();
        }
        let _ = tokio::time::timeout(WAIT, self.child.wait()).await;
    }
}

/// The browser engines the tests drive: Chromium (Blink), Firefox ESR (Gecko) and WebKitGTK
/// (WebKit, Safari's engine), each from Debian's packages, each through its own WebDriver
/// (chromedriver; geckodriver, built from crates.io into `.tools/`; WebKitWebDriver, under a
/// virtual display from `xvfb-run`, as WebKitGTK's MiniBrowser needs one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Chromium,
    Firefox,
    WebKit,
}

impl Engine {
    /// The WebDriver server for this engine on `port`; `profile` is the session's folder.
    fn driver(self, port: u16, profile: &Path, downloads: &Path) -> Command {
        match self {
            Engine::Chromium => {
                let mut c = Command::new("chromedriver");
                c.arg(format!("--port={port}"));
                c
            }
            Engine::Firefox => {
                let built = root().join(".tools/bin/geckodriver");
                let mut c = Command::new(if built.exists() {
                    built
                } else {
                    PathBuf::from("geckodriver")
                });
                c.args(["--port", &port.to_string(), "--host", "127.0.0.1"]);
                c
            }
            Engine::WebKit => {
                // WebKitGTK saves downloads in the user's download folder (XDG user dirs).
                let config = profile.join("config");
                std::fs::create_dir_all(&config).unwrap();
                std::fs::write(
                    config.join("user-dirs.dirs"),
                    format!("XDG_DOWNLOAD_DIR=\"{}\"\n", downloads.display()),
                )
                .unwrap();
                let mut c = Command::new("xvfb-run");
                c.env("HOME", profile).env("XDG_CONFIG_HOME", &config);
                c.args(["-a", "-s", "-screen 0 1280x1024x24", "WebKitWebDriver"])
                    .arg(format!("--port={port}"));
                c
            }
        }
    }

    /// The session's capabilities: the browser binary, headless where the engine can be,
    /// downloads into `downloads` without asking.
    fn capabilities(self, profile: &Path, downloads: &Path) -> serde_json::Value {
        match self {
            Engine::Chromium => serde_json::json!({
                "goog:loggingPrefs": { "browser": "ALL" },
                "goog:chromeOptions": {
                    "binary": "/usr/bin/chromium",
                    "prefs": {
                        "download.default_directory": downloads,
                        "download.prompt_for_download": false
                    },
                    "args": [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update",
                        "--no-first-run", "--disable-sync", "--window-size=1200,900",
                        format!("--user-data-dir={}", profile.display()),
                    ]
                }
            }),
            Engine::Firefox => serde_json::json!({
                "moz:firefoxOptions": {
                    "binary": "/usr/bin/firefox-esr",
                    "args": ["-headless", "-width", "1200", "-height", "900"],
                    "prefs": {
                        "browser.download.dir": downloads,
                        "browser.download.folderList": 2,
                        "browser.download.useDownloadDir": true,
                        "browser.download.always_ask_before_handling_new_types": false,
                        "browser.helperApps.neverAsk.saveToDisk": "text/calendar",
                        "app.update.enabled": false,
                        "browser.shell.checkDefaultBrowser": false
                    }
                }
            }),
            Engine::WebKit => serde_json::json!({
                "webkitgtk:browserOptions": {
                    "binary": "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
                    "args": ["--automation"]
                }
            }),
        }
    }
}

/// A browser session (headless Chromium unless started in another [`Engine`]) with its own
/// profile.
pub struct Browser {
    pub client: Client,
    /// The engine it runs.
    pub engine: Engine,
    /// Where downloads land.
    pub downloads: tempfile::TempDir,
    /// chromedriver's address, for the one command fantoccini does not have (the console).
    driver_url: String,
    /// The host element (CSS) whose widget the finders search, on a page with several.
    scope: std::sync::Mutex<Option<String>>,
    _driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    /// Stops chromedriver and every Chromium process it started: killing chromedriver alone
    /// leaves the browser running, which loads the machine for every later test and benchmark.
    fn drop(&mut self) {
        if let Some(pid) = self._driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

impl Browser {
    /// Starts chromedriver on a free port and opens a fresh headless Chromium.
    pub async fn start() -> Browser {
        Browser::start_in(Engine::Chromium).await
    }

    /// Starts the engine's WebDriver on a free port and opens a fresh browser session.
    pub async fn start_in(engine: Engine) -> Browser {
        let port = free_port();
        let profile = tempfile::tempdir().unwrap();
        let downloads = tempfile::tempdir().unwrap();
        let driver = engine
            .driver(port, profile.path(), downloads.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that dropping the session can stop the Chromium it
            // started too (see Drop), not just chromedriver.
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .expect("the engine's WebDriver is installed (make test installs it)");
        let caps = engine.capabilities(profile.path(), downloads.path());
        let caps: serde_json::Map<String, serde_json::Value> = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + WAIT;
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if tokio::time::Instant::now() > deadline => panic!("{engine:?}: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        if engine != Engine::Chromium {
            client.set_window_size(1200, 900).await.unwrap();
        }
        Browser {
            client,
            engine,
            downloads,
            driver_url: url,
            scope: Default::default(),
            _driver: driver,
            _profile: profile,
        }
    }

    /// The browser console's messages since the last call (chromedriver's log endpoint), one
    /// line each: level, then text.
    pub async fn console(&self) -> Vec<String> {
        let log = self
            .driver("se/log", serde_json::json!({ "type": "browser" }))
            .await;
        log.as_array()
            .unwrap_or(&Vec::new())
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["level"].as_str().unwrap_or(""),
                    e["message"].as_str().unwrap_or("")
                )
            })
            .collect()
    }

    /// A chromedriver command of this session that fantoccini has no method for.
    async fn driver(&self, command: &str, body: serde_json::Value) -> serde_json::Value {
        let session = self.client.session_id().await.unwrap().unwrap();
        let answer: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/session/{session}/{command}", self.driver_url))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        answer["value"].clone()
    }

    /// Runs a Chrome DevTools Protocol command (chromedriver's `goog/cdp/execute`), for what
    /// WebDriver has no command for: network and CPU emulation, heap usage.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        self.driver(
            "goog/cdp/execute",
            serde_json::json!({ "cmd": cmd, "params": params }),
        )
        .await
    }

    /// A slow line from here on (Chromium's own emulation): every request answered `latency`
    /// later, as on a busy municipal network, so a person acts before the answer comes.
    pub async fn slow_line(&self, latency: Duration) {
        self.cdp("Network.enable", serde_json::json!({})).await;
        self.cdp(
            "Network.emulateNetworkConditions",
            serde_json::json!({
                "offline": false,
                "latency": latency.as_millis() as u64,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            }),
        )
        .await;
    }

    /// Opens a URL.
    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// Makes the finders search only the widget in the host element matching `host` (CSS), on
    /// a page with several widgets; `None` searches the whole page again.
    pub fn within(&self, host: Option<&str>) {
        *self.scope.lock().unwrap() = host.map(str::to_owned);
    }

    /// Waits for the element `FIND` finds for `kind` and its words.
    pub async fn find(&self, kind: &str, a: &str, b: serde_json::Value) -> Element {
        let scope = self.scope.lock().unwrap().clone();
        let args = vec![
            serde_json::json!(kind),
            serde_json::json!(a),
            b,
            serde_json::json!(scope),
        ];
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let found = self.client.execute(FIND, args.clone()).await;
            if let Ok(serde_json::Value::Object(mut m)) = found
                && let Some(serde_json::Value::String(id)) = m.remove(ELEMENT_KEY)
            {
                let el = Element::from_element_id(self.client.clone(), ElementRef::from(id));
                if self.engine != Engine::WebKit {
                    return el;
                }
                // WebKitWebDriver does not scroll an element inside a shadow root into view
                // before it clicks or types (it acts at a point off the screen, and nothing
                // happens): a person scrolls to it first, and so does the test.
                let scrolled = self
                    .client
                    .execute(
                        "arguments[0].scrollIntoView({ block: 'center' }); return true;",
                        vec![serde_json::to_value(&el).unwrap()],
                    )
                    .await;
                match scrolled {
                    Ok(_) => return el,
                    // The pre-rendered widget's text is found as soon as it shows, and the
                    // app replaces it when it takes over: what was read is still there, in
                    // the app's own element, so it is looked for again.
                    Err(fantoccini::error::CmdError::Standard(e))
                        if e.error == fantoccini::error::ErrorStatus::StaleElementReference => {}
                    Err(e) => panic!("scrolling to {kind} {a:?}: {e}"),
                }
            }
            if tokio::time::Instant::now() > deadline {
                // What the widget says instead: its alerts and field errors.
                let said = self
                    .js("const w = document.querySelector('#tilmelding, [data-tilmelding]'); \
                         const r = (w && w.shadowRoot) || document; \
                         return [...r.querySelectorAll('[role=alert], .tlm-error')].map(e => e.textContent.trim()).join(' | ')")
                    .await;
                panic!("no {kind} {a:?} {args:?} within {WAIT:?}; the widget says: {said}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for an element matching a CSS selector, in the page or the widget.
    pub async fn wait_css(&self, css: &str) -> Element {
        self.find("css", css, serde_json::Value::Null).await
    }

    /// Waits for visible text anywhere in the page or the widget.
    pub async fn wait_text(&self, text: &str) -> Element {
        self.find("text", text, serde_json::Value::Null).await
    }

    /// Waits for a heading (any level) whose text is `name`.
    pub async fn heading(&self, name: &str) -> Element {
        self.find("heading", name, serde_json::Value::Null).await
    }

    /// Waits for a button by its accessible name (its text or aria-label).
    pub async fn button(&self, name: &str) -> Element {
        self.find("button", name, serde_json::Value::Null).await
    }

    /// Waits for a link by its text.
    pub async fn link(&self, name: &str) -> Element {
        self.find("link", name, serde_json::Value::Null).await
    }

    /// Waits for an alert (role=alert) and returns its text.
    pub async fn alert_text(&self) -> String {
        self.find("alert", "", serde_json::Value::Null)
            .await
            .text()
            .await
            .unwrap()
    }

    /// The input labelled `label`: by `<label for>`, by a wrapping label, or by aria-label.
    /// `nth` picks among several inputs with the same label (attendee rows), 1-based.
    pub async fn field_nth(&self, label: &str, nth: usize) -> Element {
        self.find("field", label, serde_json::json!(nth)).await
    }

    /// The input labelled `label` inside the group (fieldset) whose legend is `group`.
    pub async fn field_in(&self, group: &str, label: &str) -> Element {
        self.find("field_in", group, serde_json::json!(label)).await
    }

    /// Types into the field labelled `label` inside group `group`.
    pub async fn fill_in(&self, group: &str, label: &str, text: &str) {
        self.field_in(group, label)
            .await
            .send_keys(text)
            .await
            .unwrap();
    }

    /// Picks a municipality in the combobox (found by its role, in any language) as a keyboard
    /// user does: type, arrow down, Enter.
    pub async fn pick_municipality(&self, typed: &str) {
        let input = self.wait_css(APP_PICKER).await;
        input.clear().await.unwrap();
        input.send_keys(typed).await.unwrap();
        self.wait_css("[role=listbox]:not([hidden]) > [role=option]")
            .await;
        let down: char = fantoccini::key::Key::Down.into();
        let enter: char = fantoccini::key::Key::Enter.into();
        self.keys(&format!("{down}{enter}")).await;
    }

    /// Pastes text into the field labelled `label`, as Ctrl+V does: focus, then one insertion
    /// of the whole block (typing it would turn its tabs into focus moves).
    pub async fn paste_into(&self, label: &str, text: &str) {
        self.field(label).await.click().await.unwrap();
        self.client
            .execute(
                "document.execCommand('insertText', false, arguments[0]);",
                vec![serde_json::json!(text)],
            )
            .await
            .unwrap();
    }

    /// Opens the page and picks Randers, a member of the shipped network.
    pub async fn open_member_form(&self, url: &str) {
        self.open(url).await;
        self.pick_municipality("rand").await;
        self.wait_text("Randers Kommune er medlem af netværket.")
            .await;
    }

    /// Fills in the contact person.
    pub async fn fill_contact(&self) {
        self.fill_in("Kontaktperson", "Navn", "Kim Kontakt").await;
        self.fill_in("Kontaktperson", "E-mail", "kim@randers.dk")
            .await;
    }

    /// Fills in attendee row `n` (1-based).
    pub async fn fill_attendee(&self, n: usize, name: &str, email: &str, title: &str) {
        let group = format!("Deltager {n}");
        self.fill_in(&group, "Navn", name).await;
        self.fill_in(&group, "E-mail", email).await;
        self.fill_in(&group, "Stilling", title).await;
    }

    /// Registers Anna Andersen from the member form on screen, with the contact person, and
    /// waits for the confirmation.
    pub async fn register_one(&self) {
        self.fill_contact().await;
        self.fill_attendee(1, "Anna Andersen", "anna@randers.dk", "Konsulent")
            .await;
        self.accept_privacy().await;
        self.activate(self.button("Send tilmelding").await).await;
        self.heading("Tak for tilmeldingen").await;
    }

    /// Ticks the privacy acknowledgement.
    pub async fn accept_privacy(&self) {
        let tick = self
            .field("Jeg har læst, hvordan oplysningerne behandles")
            .await;
        self.activate(tick).await;
    }

    /// Clicks a button, link or checkbox. In WebKit it is focused and pressed with the
    /// keyboard instead (Enter, or Space on a checkbox or radio button), as a keyboard user does: WebKitWebDriver
    /// clicks an element inside a shadow root at a point worked out before its own scrolling,
    /// which misses the element now and then (seen in about one run in three).
    pub async fn activate(&self, el: Element) {
        if self.engine != Engine::WebKit {
            el.click().await.unwrap();
            return;
        }
        let checkbox = self
            .client
            .execute(
                "arguments[0].focus(); return ['checkbox', 'radio'].includes(arguments[0].type);",
                vec![serde_json::to_value(&el).unwrap()],
            )
            .await
            .unwrap();
        // Space ticks a checkbox or picks a radio button; Enter would submit their form.
        if checkbox == true {
            self.keys(" ").await;
        } else {
            self.press(fantoccini::key::Key::Enter).await;
        }
    }

    /// Runs axe-core (from npm, installed by `make test`) on the page for the WCAG 2.1 A and AA
    /// rules and returns one line per violation: rule, impact, help and the elements.
    pub async fn axe(&self) -> Vec<String> {
        self.axe_of("document").await
    }

    /// [`Browser::axe`] on one part of the page, `context` being axe's (a CSS selector in
    /// quotes, or `document`): the widget on a host page whose own markup is not ours to
    /// judge.
    pub async fn axe_of(&self, context: &str) -> Vec<String> {
        let path = root().join(".tools/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (make test installs axe-core)", path.display()));
        // Injected through WebDriver, which the page's CSP does not govern.
        self.client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .unwrap();
        let found = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(CONTEXT, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                      .then(r => done(r.violations.map(v =>
                          `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', ')}`)))
                      .catch(e => done(['axe failed: ' + e]));"#
                    .replace("CONTEXT", context)
                    .as_str(),
                vec![],
            )
            .await
            .unwrap();
        serde_json::from_value(found).unwrap()
    }

    /// The URLs the page has downloaded so far (its resource timing).
    pub async fn requested(&self) -> Vec<String> {
        serde_json::from_value(
            self.js("return performance.getEntriesByType('resource').map(e => e.name)")
                .await,
        )
        .unwrap()
    }

    /// Checks what the page has downloaded so far: for each of `fetched`, a URL ending with
    /// it; no URL containing any of `never`.
    pub async fn assert_downloaded(&self, fetched: &[&str], never: &[&str]) {
        let requests = self.requested().await;
        for f in fetched {
            assert!(
                requests.iter().any(|r| r.ends_with(f)),
                "{f} was not downloaded: {requests:?}"
            );
        }
        for n in never {
            assert!(
                !requests.iter().any(|r| r.contains(n)),
                "{n} was downloaded: {requests:?}"
            );
        }
    }

    /// Presses keys on whatever has focus, as a keyboard user does.
    ///
    /// As key actions, not "send keys to an element": chromedriver refocuses the element it
    /// sends keys to unless it is `document.activeElement`, which inside a shadow root is the
    /// host, never the input. Each call would blur and refocus it, which no person does.
    pub async fn keys(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        use fantoccini::key::Key;
        let modifiers = [Key::Shift, Key::Control, Key::Alt, Key::Meta].map(char::from);
        let mut actions = KeyActions::new("keyboard".into());
        // As send-keys does: a modifier stays down for the rest of the sequence.
        let mut held = Vec::new();
        for value in keys.chars() {
            actions = actions.then(KeyAction::Down { value });
            if modifiers.contains(&value) {
                held.push(value);
            } else {
                actions = actions.then(KeyAction::Up { value });
            }
        }
        for value in held.into_iter().rev() {
            actions = actions.then(KeyAction::Up { value });
        }
        self.client.perform_actions(actions).await.unwrap();
    }

    /// Presses one special key on whatever has focus.
    pub async fn press(&self, key: fantoccini::key::Key) {
        let c: char = key.into();
        self.keys(&c.to_string()).await;
    }

    /// Waits until the element with `id` has focus: a move the app makes on the frame after a
    /// render, which an engine may run late (WebKit under load).
    pub async fn wait_focus(&self, id: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let now = self.focused_id().await;
            if now == id {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "focus is on #{now}, not #{id}, after {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The id of the focused element (empty if it has none).
    pub async fn focused_id(&self) -> String {
        self.js(&format!("return {ACTIVE}.id"))
            .await
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// Presses Tab until the element with `id` has focus; fails after `max` presses.
    pub async fn tab_to(&self, id: &str, max: usize) {
        for _ in 0..max {
            if self.focused_id().await == id {
                return;
            }
            self.press(fantoccini::key::Key::Tab).await;
        }
        assert_eq!(self.focused_id().await, id, "Tab never reached #{id}");
    }

    /// Counts rows in the server's database.
    pub fn count(db: &Path, sql: &str) -> i64 {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// The first input labelled `label`.
    pub async fn field(&self, label: &str) -> Element {
        self.field_nth(label, 1).await
    }

    /// Opens the organiser page of `server_url` and types `token` into its sign-in form (the
    /// caller presses "Log ind", so it can time or vary that).
    pub async fn organiser_sign_in_form(&self, server_url: &str, token: &str) {
        self.open(&format!("{server_url}/organiser/")).await;
        self.field("Arrangørnøgle")
            .await
            .send_keys(token)
            .await
            .unwrap();
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, vec![]).await.unwrap()
    }
}

/// Registers `body` for the shipped meeting on the server at `url` through the API, and
/// returns the receipt (from a task of its own too, which cannot borrow a [`Server`]).
pub async fn register_at(url: &str, body: &serde_json::Value) -> serde_json::Value {
    let url = format!("{url}/api/meetings/knub-2021-05-17/registrations");
    let r = reqwest::Client::new().post(url).json(body).send().await;
    let r = r.unwrap();
    assert_eq!(r.status().as_u16(), 201, "registering {body}");
    r.json().await.unwrap()
}

/// The key of an element reference in WebDriver's JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A widget server and a host server on two origins; the host's demo page embeds the widget
/// (the API allows the host's origin).
pub async fn two_origins() -> (Server, Server) {
    let (widget, _, host) = embedded(None, "").await;
    (widget, host)
}

/// [`two_origins`] with the widget's files and API reached through a proxy with `faults`, and
/// `attrs` on the snippet's host element.
pub async fn two_origins_through(
    faults: proxy::Faults,
    attrs: &str,
) -> (Server, proxy::Proxy, Server) {
    let (widget, proxy, host) = embedded(Some(faults), attrs).await;
    (widget, proxy.unwrap(), host)
}

async fn embedded(
    faults: Option<proxy::Faults>,
    attrs: &str,
) -> (Server, Option<proxy::Proxy>, Server) {
    let host_port = free_port();
    let widget = Server::with(ServerOptions {
        env: vec![(
            "TILMELDING_ALLOWED_ORIGINS",
            format!("http://127.0.0.1:{host_port}"),
        )],
        ..Default::default()
    })
    .await;
    let proxy = match faults {
        Some(f) => Some(proxy::Proxy::start(&widget.url, f).await),
        None => None,
    };
    let served = proxy.as_ref().map_or(&widget.url, |p| &p.url).clone();
    let host = Server::with(ServerOptions {
        env: vec![
            ("TILMELDING_DEMO_WIDGET", served),
            ("TILMELDING_DEMO_ATTRS", attrs.to_owned()),
        ],
        port: host_port,
        ..Default::default()
    })
    .await;
    (widget, proxy, host)
}

/// A copy of the shipped meetings with the example meeting's file text changed by `edit`
/// (`None` deletes the file), and a server serving it.
pub async fn server_with_meeting(
    edit: impl FnOnce(String) -> Option<String>,
) -> (Server, tempfile::TempDir) {
    let meetings = meetings_copy();
    let file = meetings.path().join("knub-2021-05-17.json");
    match edit(std::fs::read_to_string(&file).unwrap()) {
        Some(text) => std::fs::write(&file, text).unwrap(),
        None => std::fs::remove_file(&file).unwrap(),
    }
    let server = Server::with(ServerOptions {
        meetings: meetings.path().into(),
        ..Default::default()
    })
    .await;
    (server, meetings)
}

/// The registration deadline the tests' meetings have. The shipped meeting took place in 2021,
/// so it is closed now; the tests register for it as for a meeting that takes late sign-ups
/// (a deadline far after its start, which the meeting file allows), so that each test is about
/// what it tests, not about today's date. Tests of closing set their own deadline.
pub const LATE_DEADLINE: &str = "2099-12-31T12:00";

/// Copies the shipped meetings folder into `dir`, each meeting with [`LATE_DEADLINE`] (the
/// file's text kept as it is but for that line, so that tests can edit it as text).
fn copy_meetings(dir: &Path) {
    let src = root().join("meetings");
    std::fs::create_dir_all(dir.join("members")).unwrap();
    for sub in ["", "members"] {
        for e in std::fs::read_dir(src.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if !p.is_file() {
                continue;
            }
            let mut text = std::fs::read_to_string(&p).unwrap();
            if sub.is_empty() && !text.contains("\"deadline\"") {
                text = text.replacen(
                    "\"registration\": {",
                    &format!("\"registration\": {{\n    \"deadline\": \"{LATE_DEADLINE}\","),
                    1,
                );
            }
            // Written beside and renamed, so a server of another test reading the shared
            // folder never sees half a file.
            let to = dir.join(sub).join(p.file_name().unwrap());
            let part = to.with_extension(format!("part{}", std::process::id()));
            std::fs::write(&part, text).unwrap();
            std::fs::rename(&part, &to).unwrap();
        }
    }
}

/// The shipped meetings as the tests use them (see [`LATE_DEADLINE`]), in a folder the test
/// servers share.
pub fn open_meetings() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = root().join("target/tmp/e2e-meetings");
        copy_meetings(&dir);
        dir
    })
    .clone()
}

/// A copy of the shipped meetings folder in a temp dir (see [`LATE_DEADLINE`]), for tests
/// that change meeting data.
pub fn meetings_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_meetings(dir.path());
    dir
}
