//! A network's members per year and organisers who sign in as themselves: membership asked on
//! the meeting's date at the year's edges, a renewal and its undoing, an approval into the
//! membership year of the meeting applied with, a year that starts on another day, an end that
//! moves later registrations to wait, member files imported once, sign-in links (once, expiry,
//! an unknown address, the limits), sessions, and every record taking the signed-in person.
//! On both stores (see `common`).

mod common;
use common::{TOKEN, TestServer, dead_mail, meetings, offset_to, registration, repo};
use serde_json::{Value, json};
use tilmelding_server::clock::Clock;
use tilmelding_server::config::Organisers;

const NEW_YEARS_EVE: &str = "knub-2026-12-31";
const NEW_YEARS_DAY: &str = "knub-2027-01-01";

/// A municipality that is no member of the shipped network.
const BILLUND: u16 = 530;
/// One that is, from the shipped member file, without an end (Randers).
const RANDERS: u16 = 730;

/// A server on 3 December 2026 at noon, with mail waiting in the outbox, Kirsten Holm on the
/// organiser list, and two published meetings: on New Year's Eve and on New Year's Day.
async fn server() -> TestServer {
    let s = TestServer::configured(meetings(|_| {}), None, Some(TOKEN), |c| {
        dead_mail(c);
        c.clock = Clock::offset_by(offset_to("2026-12-03T12:00"));
        c.organisers = Organisers::parse("Kirsten Holm <kh@kl.dk>, ab@kl.dk").unwrap();
    })
    .await;
    for (id, date) in [(NEW_YEARS_EVE, "2026-12-31"), (NEW_YEARS_DAY, "2027-01-01")] {
        let text = std::fs::read_to_string(repo().join("meetings/knub-2021-05-17.json")).unwrap();
        let mut doc: Value = serde_json::from_str(&text).unwrap();
        doc["id"] = json!(id);
        doc["date"] = json!(date);
        doc["registration"]
            .as_object_mut()
            .unwrap()
            .remove("deadline");
        assert_eq!(call(&s, TOKEN, "POST", "/meetings", Some(doc)).await.0, 201);
        let publish = format!("/meetings/{id}/publish");
        assert_eq!(
            call(&s, TOKEN, "POST", &publish, Some(json!({}))).await.0,
            200
        );
    }
    s
}

/// An organiser request with `bearer` (the token, or a session).
async fn call(
    s: &TestServer,
    bearer: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut r = s
        .http
        .request(method, s.api(&format!("/organiser{path}")))
        .bearer_auth(bearer);
    if let Some(body) = body {
        r = r.json(&body);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn set(s: &TestServer, code: u16, body: Value) -> (u16, Value) {
    call(
        s,
        TOKEN,
        "PUT",
        &format!("/networks/knub/members/{code}"),
        Some(body),
    )
    .await
}

async fn members(s: &TestServer, year: i32) -> Value {
    let (status, list) = call(
        s,
        TOKEN,
        "GET",
        &format!("/networks/knub/members?year={year}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    list
}

/// The codes of a year's members.
fn codes(list: &Value) -> Vec<u64> {
    list["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["municipality_code"].as_u64().unwrap())
        .collect()
}

/// Whether the widget's check says the municipality is a member for the meeting.
async fn member_for(s: &TestServer, meeting: &str, code: u16) -> bool {
    let url = s.api(&format!("/meetings/{meeting}/membership/{code}"));
    let answer: Value = s.http.get(url).send().await.unwrap().json().await.unwrap();
    answer["member"].as_bool().unwrap()
}

async fn register_for(s: &TestServer, meeting: &str, body: &Value) -> (u16, Value) {
    let url = s.api(&format!("/meetings/{meeting}/registrations"));
    let r = s.http.post(url).json(body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn membership_is_asked_on_the_meetings_date_at_the_years_edges() {
    let s = server().await;
    // Vejle is a member for 2026 only.
    let year =
        json!({"valid_from": "2026-01-01", "valid_until": "2026-12-31", "note": "Faktura betalt"});
    let (status, made) = set(&s, BILLUND, year).await;
    assert_eq!(status, 200, "{made}");
    assert_eq!(made["member"]["became"], "added");
    assert!(member_for(&s, NEW_YEARS_EVE, BILLUND).await);
    assert!(!member_for(&s, NEW_YEARS_DAY, BILLUND).await);
    assert_eq!(
        register_for(&s, NEW_YEARS_EVE, &registration(BILLUND, "a", 1))
            .await
            .0,
        201
    );
    let (status, refused) = register_for(&s, NEW_YEARS_DAY, &registration(BILLUND, "b", 1)).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (422, Some("not_a_member"))
    );
    // Randers, a member from the member file without an end, ends with 2026.
    let end = json!({"valid_from": "2026-12-31", "valid_until": "2026-12-31"});
    let (status, ended) = set(&s, RANDERS, end).await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(
        ended["member"]["became"], "imported",
        "it keeps how it began"
    );
    assert_eq!(ended["member"]["valid_from"], Value::Null);
    assert!(member_for(&s, NEW_YEARS_EVE, RANDERS).await);
    assert!(!member_for(&s, NEW_YEARS_DAY, RANDERS).await);
    let (y2026, y2027) = (members(&s, 2026).await, members(&s, 2027).await);
    assert!(
        codes(&y2026).contains(&u64::from(RANDERS)) && codes(&y2026).contains(&u64::from(BILLUND))
    );
    assert!(
        !codes(&y2027).contains(&u64::from(RANDERS))
            && !codes(&y2027).contains(&u64::from(BILLUND))
    );
    assert_eq!(
        (y2027["from"].as_str(), y2027["until"].as_str()),
        (Some("2027-01-01"), Some("2027-12-31"))
    );
    // Without a year: this one (the server's clock says 2026).
    let (_, this) = call(&s, TOKEN, "GET", "/networks/knub/members", None).await;
    assert_eq!(this["year"], 2026);
    // Refusals, with nothing kept.
    let kept = s.count("SELECT COUNT(*) FROM memberships");
    let backwards = json!({"valid_from": "2027-02-01", "valid_until": "2027-01-01"});
    assert_eq!(
        set(&s, BILLUND, backwards).await.1["error"],
        "invalid_membership"
    );
    assert_eq!(
        set(&s, 999, json!({"valid_from": "2027-01-01"})).await.0,
        404
    );
    // A note is counted as sent, control characters and all.
    let long = json!({"valid_from": "2027-01-01", "note": format!("{}\u{7}", "x".repeat(1000))});
    assert_eq!(
        set(&s, BILLUND, long).await.1["error"],
        "invalid_membership"
    );
    let unknown = call(&s, TOKEN, "GET", "/networks/nope/members", None).await;
    assert_eq!(
        (unknown.0, unknown.1["error"].as_str()),
        (404, Some("unknown_network"))
    );
    let early = call(&s, TOKEN, "GET", "/networks/knub/members?year=1999", None).await;
    assert_eq!(early.1["error"], "invalid_year");
    assert_eq!(s.count("SELECT COUNT(*) FROM memberships"), kept);
}

#[tokio::test]
async fn a_renewal_extends_what_ends_with_the_year_and_may_be_undone_for_a_day() {
    let s = server().await;
    for code in [BILLUND, 575] {
        let year = json!({"valid_from": "2026-01-01", "valid_until": "2026-12-31"});
        assert_eq!(set(&s, code, year).await.0, 200);
    }
    // One that has 2027 already is not extended into it twice.
    let y2027 = json!({"valid_from": "2027-01-01", "valid_until": "2027-12-31"});
    assert_eq!(
        set(
            &s,
            540,
            json!({"valid_from": "2026-01-01", "valid_until": "2026-12-31"})
        )
        .await
        .0,
        200
    );
    assert_eq!(set(&s, 540, y2027).await.0, 200);
    // Counted before, by the same rule: what ends with 2026 and has no 2027 yet.
    assert_eq!(members(&s, 2027).await["renewable"], 2);
    let renew = json!({"from_year": 2026, "to_year": 2027});
    let (status, renewal) = call(
        &s,
        TOKEN,
        "POST",
        "/networks/knub/members/renew",
        Some(renew.clone()),
    )
    .await;
    assert_eq!(status, 201, "{renewal}");
    assert_eq!(renewal["renewed"], 2);
    assert_eq!(renewal["by"], "token");
    assert!(member_for(&s, NEW_YEARS_DAY, BILLUND).await);
    let list = members(&s, 2027).await;
    assert_eq!(list["renewal"]["id"], renewal["id"], "it may be undone");
    let billund = list["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["municipality_code"] == BILLUND)
        .unwrap();
    assert_eq!(
        (
            billund["valid_from"].as_str(),
            billund["valid_until"].as_str()
        ),
        (Some("2026-01-01"), Some("2027-12-31"))
    );
    // Undone: each ends with 2026 again.
    let undo = format!("/networks/knub/members/renewals/{}/undo", renewal["id"]);
    let (status, undone) = call(&s, TOKEN, "POST", &undo, None).await;
    assert_eq!(
        (status, undone["undone"].as_u64()),
        (200, Some(2)),
        "{undone}"
    );
    assert!(!member_for(&s, NEW_YEARS_DAY, BILLUND).await);
    assert_eq!(
        call(&s, TOKEN, "POST", &undo, None).await.1["error"],
        "renewal_not_undoable"
    );
    // A day later a renewal stays.
    let (_, again) = call(
        &s,
        TOKEN,
        "POST",
        "/networks/knub/members/renew",
        Some(renew),
    )
    .await;
    s.clock.advance(86_401);
    let undo = format!("/networks/knub/members/renewals/{}/undo", again["id"]);
    assert_eq!(call(&s, TOKEN, "POST", &undo, None).await.0, 409);
    assert!(member_for(&s, NEW_YEARS_DAY, BILLUND).await);
    assert_eq!(members(&s, 2027).await["renewal"], Value::Null);
    let backwards = json!({"from_year": 2027, "to_year": 2026});
    let refused = call(
        &s,
        TOKEN,
        "POST",
        "/networks/knub/members/renew",
        Some(backwards),
    )
    .await;
    assert_eq!(refused.1["error"], "invalid_renewal");
    let history = &members(&s, 2027).await["history"];
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions[..3], ["renewed", "renewal_undone", "renewed"]);
}

#[tokio::test]
async fn an_approval_makes_a_member_for_the_membership_year_of_the_meeting_applied_with() {
    let s = server().await;
    let mut applying = registration(BILLUND, "v", 2);
    applying["apply_for_membership"] = json!(true);
    assert_eq!(register_for(&s, NEW_YEARS_DAY, &applying).await.0, 201);
    let (_, waiting) = call(&s, TOKEN, "GET", "/applications", None).await;
    let id = waiting[0]["id"].as_i64().unwrap();
    let (status, approved) = call(
        &s,
        TOKEN,
        "POST",
        &format!("/applications/{id}/approve"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(
        (
            approved["member_from"].as_str(),
            approved["member_until"].as_str()
        ),
        (Some("2027-01-01"), Some("2027-12-31"))
    );
    assert_eq!(approved["registrations_confirmed"], 2);
    assert!(member_for(&s, NEW_YEARS_DAY, BILLUND).await);
    assert!(
        !member_for(&s, NEW_YEARS_EVE, BILLUND).await,
        "not a member before the year"
    );
    let billund = members(&s, 2027).await["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["municipality_code"] == BILLUND)
        .cloned()
        .unwrap();
    assert_eq!(
        (billund["became"].as_str(), billund["by"].as_str()),
        (Some("approved"), Some("token"))
    );
}

#[tokio::test]
async fn a_network_may_start_its_membership_year_on_another_day() {
    let s = server().await;
    let starts = call(
        &s,
        TOKEN,
        "PUT",
        "/networks/knub/membership-year",
        Some(json!({"starts": "09-01"})),
    )
    .await;
    assert_eq!(starts.0, 200, "{}", starts.1);
    let bad = call(
        &s,
        TOKEN,
        "PUT",
        "/networks/knub/membership-year",
        Some(json!({"starts": "02-29"})),
    )
    .await;
    assert_eq!(bad.1["error"], "invalid_year");
    let list = members(&s, 2026).await;
    assert_eq!(
        (
            list["from"].as_str(),
            list["until"].as_str(),
            list["year_starts"].as_str()
        ),
        (Some("2026-09-01"), Some("2027-08-31"), Some("09-01"))
    );
    let mut applying = registration(BILLUND, "v", 1);
    applying["apply_for_membership"] = json!(true);
    assert_eq!(register_for(&s, NEW_YEARS_DAY, &applying).await.0, 201);
    let (_, waiting) = call(&s, TOKEN, "GET", "/applications", None).await;
    let id = waiting[0]["id"].as_i64().unwrap();
    let (_, approved) = call(
        &s,
        TOKEN,
        "POST",
        &format!("/applications/{id}/approve"),
        None,
    )
    .await;
    assert_eq!(
        (
            approved["member_from"].as_str(),
            approved["member_until"].as_str()
        ),
        (Some("2026-09-01"), Some("2027-08-31"))
    );
    assert!(
        member_for(&s, NEW_YEARS_EVE, BILLUND).await,
        "31 December is in the same year now"
    );
}

#[tokio::test]
async fn an_end_may_move_the_registrations_after_it_to_wait_for_a_decision() {
    let s = server().await;
    assert_eq!(
        register_for(&s, NEW_YEARS_DAY, &registration(RANDERS, "r", 3))
            .await
            .0,
        201
    );
    assert_eq!(
        register_for(&s, NEW_YEARS_EVE, &registration(RANDERS, "e", 1))
            .await
            .0,
        201
    );
    let list = members(&s, 2026).await;
    let randers = list["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["municipality_code"] == RANDERS)
        .unwrap();
    let upcoming: Vec<(&str, u64)> = randers["upcoming"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["meeting_id"].as_str().unwrap(),
                u["registered"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        upcoming,
        [(NEW_YEARS_EVE, 1), (NEW_YEARS_DAY, 3)],
        "shown before the choice"
    );
    let end = json!({"valid_from": "2026-12-31", "valid_until": "2026-12-31", "registrations": "wait", "note": "Udtrådt"});
    let (status, ended) = set(&s, RANDERS, end).await;
    assert_eq!(
        (status, ended["waiting"].as_u64()),
        (200, Some(3)),
        "{ended}"
    );
    let standing = |meeting: &str| {
        s.text(&format!("SELECT MIN(status) FROM registrations WHERE meeting_id = '{meeting}' AND municipality_code = {RANDERS}"))
    };
    assert_eq!(standing(NEW_YEARS_DAY), "pending_membership");
    assert_eq!(
        standing(NEW_YEARS_EVE),
        "registered",
        "the meeting before the end keeps them"
    );
    let (_, waiting) = call(&s, TOKEN, "GET", "/applications", None).await;
    assert_eq!(waiting[0]["municipality_code"], RANDERS);
    assert_eq!(waiting[0]["pending_registrations"], 3);
    // Kept, the choice leaves them registered.
    let s = server().await;
    assert_eq!(
        register_for(&s, NEW_YEARS_DAY, &registration(RANDERS, "r", 2))
            .await
            .0,
        201
    );
    let end =
        json!({"valid_from": "2026-12-31", "valid_until": "2026-12-31", "registrations": "keep"});
    assert_eq!(set(&s, RANDERS, end).await.1["waiting"], 0);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM registrations WHERE status = 'registered'"),
        2
    );
}

#[tokio::test]
async fn member_files_are_imported_once_and_the_organisers_changes_stay() {
    let dir = meetings(|_| {});
    std::fs::write(
        dir.path().join("members/other.json"),
        json!({"network": "andet", "members": [101], "since": "2024-03-01"}).to_string(),
    )
    .unwrap();
    let s = TestServer::with(dir, None, Some(TOKEN)).await;
    let (_, other) = call(&s, TOKEN, "GET", "/networks/andet/members?year=2024", None).await;
    assert_eq!(other["members"][0]["valid_from"], "2024-03-01", "{other}");
    assert_eq!(other["members"][0]["became"], "imported");
    let end = json!({"valid_from": "2026-12-31", "valid_until": "2026-12-31"});
    assert_eq!(set(&s, RANDERS, end).await.0, 200);
    let imported = s.count("SELECT COUNT(*) FROM membership_history WHERE what = 'imported'");
    let db = s.db.clone();
    let dir = s.stop().await;
    let s = TestServer::with(dir, Some(db), Some(TOKEN)).await;
    assert!(
        !codes(&members(&s, 2027).await).contains(&u64::from(RANDERS)),
        "not imported again"
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM membership_history WHERE what = 'imported'"),
        imported
    );
}

/// The sign-in link in the latest mail to `to`.
fn link_in_mail(s: &TestServer, to: &str) -> String {
    let body = s.text(&format!(
        "SELECT body_text FROM outbox WHERE recipient = '{to}' ORDER BY id DESC LIMIT 1"
    ));
    let start = body.find("#sign-in=").unwrap() + "#sign-in=".len();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

async fn ask(s: &TestServer, email: &str) -> u16 {
    let r = s
        .http
        .post(s.api("/organiser/sign-in"))
        .json(&json!({"email": email}));
    r.send().await.unwrap().status().as_u16()
}

async fn take(s: &TestServer, link: &str) -> (u16, Value) {
    let r = s
        .http
        .post(s.api("/organiser/sessions"))
        .json(&json!({"link": link}));
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_sign_in_link_works_once_and_for_fifteen_minutes_and_says_nothing_of_other_addresses() {
    let s = server().await;
    let (_, options) = call(&s, "", "GET", "/sign-in", None).await;
    assert_eq!(options["by_mail"], true);
    assert_eq!(ask(&s, "KH@kl.dk").await, 202);
    let mails = |to: &str| {
        s.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE recipient = '{to}'"
        ))
    };
    assert_eq!(mails("kh@kl.dk"), 1);
    let link = link_in_mail(&s, "kh@kl.dk");
    assert!(
        s.text("SELECT body_text FROM outbox WHERE recipient = 'kh@kl.dk'")
            .contains("/organiser/#sign-in=")
    );
    let (status, session) = take(&s, &link).await;
    assert_eq!(status, 201, "{session}");
    assert_eq!(
        session["organiser"],
        json!({"name": "Kirsten Holm", "email": "kh@kl.dk"})
    );
    let bearer = session["session"].as_str().unwrap().to_owned();
    let (status, me) = call(&s, &bearer, "GET", "/me", None).await;
    assert_eq!((status, me["name"].as_str()), (200, Some("Kirsten Holm")));
    // Once.
    let (status, again) = take(&s, &link).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (401, Some("sign_in_link_invalid"))
    );
    // For 15 minutes.
    assert_eq!(ask(&s, "kh@kl.dk").await, 202);
    let late = link_in_mail(&s, "kh@kl.dk");
    s.clock.advance(15 * 60 + 1);
    assert_eq!(take(&s, &late).await.0, 401);
    // An address not on the list: the same answer, and no mail.
    let before = s.count("SELECT COUNT(*) FROM outbox");
    assert_eq!(ask(&s, "nogen@kl.dk").await, 202);
    assert_eq!(s.count("SELECT COUNT(*) FROM outbox"), before);
    // At most 3 links to one address in 15 minutes.
    for _ in 0..4 {
        assert_eq!(ask(&s, "ab@kl.dk").await, 202);
    }
    assert_eq!(mails("ab@kl.dk"), 3);
    // One client asks 10 times in 15 minutes (7 so far), then waits.
    for _ in 0..3 {
        assert_eq!(ask(&s, "x@kl.dk").await, 202);
    }
    assert_eq!(ask(&s, "x@kl.dk").await, 429);
    // The session lasts a working day, and ends when signed out.
    assert_eq!(call(&s, &bearer, "GET", "/me", None).await.0, 200);
    s.clock.advance(10 * 3600);
    assert_eq!(call(&s, &bearer, "GET", "/me", None).await.0, 401);
    let s = server().await;
    assert_eq!(ask(&s, "kh@kl.dk").await, 202);
    let (_, session) = take(&s, &link_in_mail(&s, "kh@kl.dk")).await;
    let bearer = session["session"].as_str().unwrap();
    assert_eq!(call(&s, bearer, "DELETE", "/session", None).await.0, 204);
    assert_eq!(call(&s, bearer, "GET", "/me", None).await.0, 401);
    // The shared token stays, recorded as "token".
    assert_eq!(
        call(&s, TOKEN, "GET", "/me", None).await.1,
        json!({"name": "token", "email": null})
    );
}

#[tokio::test]
async fn an_organiser_taken_off_the_list_is_signed_out_at_once() {
    let s = server().await;
    assert_eq!(ask(&s, "kh@kl.dk").await, 202);
    let (_, session) = take(&s, &link_in_mail(&s, "kh@kl.dk")).await;
    let bearer = session["session"].as_str().unwrap().to_owned();
    let db = s.db.clone();
    let dir = s.stop().await;
    let s = TestServer::configured(dir, Some(db), Some(TOKEN), |c| {
        dead_mail(c);
        c.organisers = Organisers::parse("ab@kl.dk").unwrap();
    })
    .await;
    assert_eq!(call(&s, &bearer, "GET", "/me", None).await.0, 401);
}

#[tokio::test]
async fn without_mail_the_token_is_the_only_sign_in() {
    let s = TestServer::configured(meetings(|_| {}), None, Some(TOKEN), |c| {
        c.organisers = Organisers::parse("kh@kl.dk").unwrap();
    })
    .await;
    assert_eq!(
        call(&s, "", "GET", "/sign-in", None).await.1["by_mail"],
        false
    );
    assert_eq!(ask(&s, "kh@kl.dk").await, 404);
    assert_eq!(call(&s, TOKEN, "GET", "/me", None).await.0, 200);
}

#[tokio::test]
async fn every_record_takes_the_signed_in_organiser_never_the_request() {
    let s = server().await;
    assert_eq!(ask(&s, "kh@kl.dk").await, 202);
    let (_, session) = take(&s, &link_in_mail(&s, "kh@kl.dk")).await;
    let kirsten = session["session"].as_str().unwrap().to_owned();
    const WHO: &str = "Kirsten Holm <kh@kl.dk>";
    // A decision, whatever name the body gives.
    let mut applying = registration(BILLUND, "v", 1);
    applying["apply_for_membership"] = json!(true);
    assert_eq!(register_for(&s, NEW_YEARS_DAY, &applying).await.0, 201);
    let (_, waiting) = call(&s, &kirsten, "GET", "/applications", None).await;
    let id = waiting[0]["id"].as_i64().unwrap();
    let approve = format!("/applications/{id}/approve");
    assert_eq!(
        call(
            &s,
            &kirsten,
            "POST",
            &approve,
            Some(json!({"by": "Nogen Andet"}))
        )
        .await
        .0,
        200
    );
    assert_eq!(s.text("SELECT decided_by FROM applications"), WHO);
    // A message.
    let message = json!({"subject": "Program", "body": "Vi starter kl. 9."});
    let path = format!("/meetings/{NEW_YEARS_DAY}/messages");
    let (status, sent) = call(&s, &kirsten, "POST", &path, Some(message)).await;
    assert_eq!(
        (status, sent["sent_by"].as_str()),
        (201, Some(WHO)),
        "{sent}"
    );
    // The join link, and a meeting's edit, in the meeting's history.
    let link = json!({"url": "https://teams.example.dk/møde"});
    let path = format!("/meetings/{NEW_YEARS_DAY}/join-link");
    assert_eq!(
        call(
            &s,
            &kirsten,
            "PUT",
            &path,
            Some(json!({"url": "https://teams.example.dk/m"}))
        )
        .await
        .0,
        200,
        "{link}"
    );
    let copy = json!({"copy_from": NEW_YEARS_DAY, "date": "2027-03-01"});
    let r = s
        .http
        .post(s.api("/organiser/meetings"))
        .bearer_auth(&kirsten)
        .header("X-Organiser-Name", "Nogen%20Andet")
        .json(&copy)
        .send()
        .await
        .unwrap();
    let made: Value = r.json().await.unwrap();
    assert_eq!(made["history"][0]["by"], WHO, "{made}");
    let (_, record) = call(
        &s,
        &kirsten,
        "GET",
        &format!("/meetings/{NEW_YEARS_DAY}"),
        None,
    )
    .await;
    assert_eq!(record["history"][0]["action"], "join_link_set");
    assert_eq!(record["history"][0]["by"], WHO);
    // A member added, and the history of members.
    let (_, added) = call(
        &s,
        &kirsten,
        "PUT",
        "/networks/knub/members/540",
        Some(json!({"valid_from": "2027-01-01"})),
    )
    .await;
    assert_eq!(added["member"]["by"], WHO);
    let history = members(&s, 2027).await["history"].clone();
    assert_eq!(
        (history[0]["action"].as_str(), history[0]["by"].as_str()),
        (Some("added"), Some(WHO))
    );
    assert_eq!(
        (history[1]["action"].as_str(), history[1]["by"].as_str()),
        (Some("approved"), Some(WHO))
    );
}

#[tokio::test]
async fn the_members_of_a_year_download_as_a_sheet_for_danish_excel() {
    let s = server().await;
    let note =
        json!({"valid_from": "2026-01-01", "valid_until": "2026-12-31", "note": "=bestyrelsen"});
    assert_eq!(set(&s, BILLUND, note).await.0, 200);
    let r = s
        .http
        .get(s.api("/organiser/networks/knub/members.csv?year=2026"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("medlemmer-knub-2026.csv"),
        "{disposition}"
    );
    let bytes = r.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for Excel"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("Kode;Kommune;Medlem fra;Medlem til;Sådan;Af;Note")
    );
    assert!(
        text.contains("530;Billund;2026-01-01;2026-12-31;Tilføjet;token;'=bestyrelsen"),
        "{text}"
    );
    assert!(text.contains("730;Randers;;;Importeret;;"), "{text}");
}
