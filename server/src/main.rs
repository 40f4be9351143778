//! `tilmelding-server`: run the reference backend, or do organiser tasks from the shell.
//!
//! ```text
//! tilmelding-server                  serve (configuration from the environment, see docs/operators.md)
//! tilmelding-server applications     list pending membership applications
//! tilmelding-server approve ID       approve one; its pending registrations become registered
//! tilmelding-server decline ID REASON   decline one, with a reason; its pending registrations
//!                                    are declined
//! tilmelding-server retention --days N   delete the data of meetings over more than N days ago
//! tilmelding-server prerender DIR    write each meeting's programme as HTML beside its file,
//!                                    for a static host (the reference server renders its own)
//! tilmelding-server export-meetings DIR   write every published meeting as a meeting file
//!                                    (`<id>.json`), for hosting the JSON elsewhere
//! tilmelding-server token            print a new organiser token (256 random bits), for
//!                                    TILMELDING_ORGANISER_TOKEN
//! ```

use std::process::ExitCode;
use tilmelding_server::service::applications::{self, Decided, Decision};
use tilmelding_server::service::{editing, meetings};
use tilmelding_server::{AppState, Config};

fn main() -> ExitCode {
    // Log lines to standard error, filtered by `RUST_LOG` (default: info).
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Before the configuration is read: the one being made may be what it lacks.
    if args == ["token"] {
        println!("{}", tilmelding_server::config::new_token());
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => serve(config),
        ["applications"] => with_state(&config, async |state| {
            let apps = applications::pending(&state.store)
                .await
                .map_err(|e| e.to_string())?;
            if apps.is_empty() {
                println!("Ingen ansøgninger venter.");
            }
            for a in apps {
                println!(
                    "{}\t{}\t{} ({})\t{} <{}>\t{}\t{} tilmeldinger venter",
                    a.id,
                    a.network,
                    a.municipality,
                    a.municipality_code,
                    a.contact_name,
                    a.contact_email,
                    a.created_at,
                    a.pending_registrations
                );
            }
            Ok(())
        }),
        ["approve", id] => decide(&config, id, Decision::Approve),
        ["decline", id, reason] => decide(
            &config,
            id,
            Decision::Decline {
                reason: tilmelding_domain::catalogue::plain_text(reason),
            },
        ),
        ["retention", "--days", days] => {
            let Ok(days) = days.parse::<u32>() else {
                return fail(&format!("{days} is not a number of days"));
            };
            let deleted = runtime().and_then(|rt| {
                rt.block_on(async {
                    let state = tilmelding_server::state(&config).await?;
                    meetings::retention(&state.store, days, state.clock.now())
                        .await
                        .map_err(|e| e.to_string())
                })
            });
            match deleted {
                Ok(done) => {
                    if done == meetings::Deleted::default() {
                        println!("Intet at slette.");
                    }
                    for (meeting, n) in done.meetings {
                        println!("{meeting}: {n} tilmeldinger slettet.");
                    }
                    if done.applications > 0 {
                        println!("{} afgjorte ansøgninger slettet.", done.applications);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        ["export-meetings", dir] => with_state(&config, async |state| {
            let dir = std::path::Path::new(dir);
            for file in editing::export(&state.store, dir).await? {
                println!("{}", file.display());
            }
            Ok(())
        }),
        ["prerender", dir] => {
            match meetings::prerender(std::path::Path::new(dir), config.clock.now()) {
                Ok(files) => {
                    for f in files {
                        println!("{}", f.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        _ => fail(
            "usage: tilmelding-server [serve | applications | approve ID | decline ID REASON | retention --days N | prerender DIR | export-meetings DIR | token]",
        ),
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("tilmelding-server: {msg}");
    ExitCode::FAILURE
}

/// Approves or declines an application from the shell, recorded as done by the command line
/// (and the user running it).
fn decide(config: &Config, id: &str, decision: Decision) -> ExitCode {
    let by = format!(
        "kommandolinje ({})",
        std::env::var("USER").unwrap_or_else(|_| "?".into())
    );
    with_state(config, async |state| {
        let id: i64 = id
            .parse()
            .map_err(|_| format!("{id} is not an application id"))?;
        if decision
            == (Decision::Decline {
                reason: String::new(),
            })
        {
            return Err("a decline needs a reason".into());
        }
        let approve = decision == Decision::Approve;
        let (store, now, mail) = (&state.store, state.clock.now(), state.decision_mail());
        let days = state.meeting_days(None);
        let decided = applications::decide(store, (id, decision), (&by, now), days, mail)
            .await
            .map_err(|e| e.to_string())?;
        match (decided, approve) {
            (Some(Decided::Now(n, member)), true) => {
                println!("Ansøgning {id} godkendt; {n} tilmeldinger bekræftet.");
                if let Some((from, until)) = member {
                    println!("Kommunen er medlem fra {from} til og med {until}.");
                }
            }
            (Some(Decided::Now(n, _)), false) => {
                println!("Ansøgning {id} afvist; {n} tilmeldinger afvist.");
            }
            (Some(Decided::Already), _) => println!("Ansøgning {id} var allerede afgjort sådan."),
            (Some(Decided::Otherwise), _) => {
                return Err(format!(
                    "application {id} was already decided the other way"
                ));
            }
            (None, _) => return Err(format!("no application with id {id}")),
        }
        Ok(())
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Runtime::new().map_err(|e| e.to_string())
}

/// Runs a command against the server's state: its store, and the meetings it knows (a
/// decision's mails describe them).
fn with_state(config: &Config, f: impl AsyncFnOnce(&AppState) -> Result<(), String>) -> ExitCode {
    let done = runtime().and_then(|rt| {
        rt.block_on(async {
            let state = tilmelding_server::state(config).await?;
            f(&state).await
        })
    });
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn serve(config: Config) -> ExitCode {
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(&e),
    };
    let result = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        if !config.dist.join("index.html").exists() {
            tracing::warn!(
                "{} has no index.html; run `make run` to build the app",
                config.dist.display()
            );
        }
        // Tests read this line to learn the port when they ask for port 0.
        println!("tilmelding: listening on http://{addr}/");
        println!("tilmelding: storing in {}", config.store());
        match &config.mail {
            Some(m) => println!("tilmelding: sending mail from {} through {}", m.from, m.url.rsplit('@').next().unwrap_or(&m.url)),
            None => println!("tilmelding: no mail is sent (set TILMELDING_SMTP_URL and TILMELDING_MAIL_FROM to send receipts and invitations)"),
        }
        println!("tilmelding: demo host page (the widget embedded in a KL-style article) on http://{addr}/demo/");
        tilmelding_server::serve(config, listener, shutdown_signal()).await
    });
    match result {
        Ok(()) => {
            println!("tilmelding: stopped");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish requests in flight, then exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
