//! A load generator: many registrations posted concurrently to a backend, each outcome kept.
//! Used by the load-and-crash tests and by `make bench`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tilmelding_domain::MUNICIPALITIES;

/// What happened to one submission.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// 2xx: the server promised it is stored; the receipt's reference.
    Acked(String),
    /// Any other status.
    Refused(u16),
    /// No answer (connection refused or reset, timeout).
    Failed,
}

/// One submission with `attendees` attendees from the `i`-th municipality in turn (all 98),
/// unique e-mails per `(run, i)`, and an idempotency key; non-members apply for membership.
pub fn registration(run: &str, i: usize, attendees: usize) -> serde_json::Value {
    let m = &MUNICIPALITIES[i % MUNICIPALITIES.len()];
    let list: Vec<_> = (0..attendees)
        .map(|a| {
            serde_json::json!({
                "name": format!("Deltager {i}-{a}"),
                "email": format!("{run}-{i}-{a}@kommune{}.dk", m.code),
                "title": "Konsulent"
            })
        })
        .collect();
    serde_json::json!({
        "municipality_code": m.code,
        "contact": { "name": "Kontakt", "email": format!("kontakt-{run}-{i}@kommune{}.dk", m.code) },
        "attendees": list,
        "privacy_accepted": true,
        "apply_for_membership": true,
        "idempotency_key": format!("load-{run}-{i:012}"),
    })
}

/// Posts every body in `bodies` to `url` with `concurrency` requests in flight, and returns
/// each outcome with its latency, in the order of `bodies`.
pub async fn post_all(
    url: String,
    bodies: Arc<Vec<serde_json::Value>>,
    concurrency: usize,
    acked: Arc<AtomicUsize>,
) -> Vec<(Outcome, Duration)> {
    let jobs = (0..bodies.len()).map(|i| (i, 0)).collect();
    post_to(vec![url], bodies, jobs, concurrency, acked).await
}

/// Posts `bodies[b]` to `urls[u]` for each job `(b, u)` (a body may go to several servers, as a
/// client that retries through a load balancer does), with `concurrency` requests in flight.
/// Returns each job's outcome with its latency, in the order of `jobs`.
pub async fn post_to(
    urls: Vec<String>,
    bodies: Arc<Vec<serde_json::Value>>,
    jobs: Vec<(usize, usize)>,
    concurrency: usize,
    acked: Arc<AtomicUsize>,
) -> Vec<(Outcome, Duration)> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let (urls, jobs) = (Arc::new(urls), Arc::new(jobs));
    let next = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (http, urls, jobs, bodies, next, acked) = (
                http.clone(),
                urls.clone(),
                jobs.clone(),
                bodies.clone(),
                next.clone(),
                acked.clone(),
            );
            tokio::spawn(async move {
                let mut done = Vec::new();
                loop {
                    let j = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(b, u)) = jobs.get(j) else { break };
                    let start = Instant::now();
                    let outcome = match http.post(&urls[u]).json(&bodies[b]).send().await {
                        Ok(r) if r.status().is_success() => {
                            // Read the body: the ack is the whole answer, not the status line.
                            match r.json::<serde_json::Value>().await {
                                Ok(receipt) => {
                                    acked.fetch_add(1, Ordering::Relaxed);
                                    let reference = receipt["reference"].as_str().unwrap_or("");
                                    Outcome::Acked(reference.to_owned())
                                }
                                Err(_) => Outcome::Failed,
                            }
                        }
                        Ok(r) => Outcome::Refused(r.status().as_u16()),
                        Err(_) => Outcome::Failed,
                    };
                    done.push((j, outcome, start.elapsed()));
                }
                done
            })
        })
        .collect();
    let mut all = Vec::with_capacity(jobs.len());
    for w in workers {
        all.extend(w.await.unwrap());
    }
    all.sort_by_key(|(j, _, _)| *j);
    all.into_iter().map(|(_, o, d)| (o, d)).collect()
}
