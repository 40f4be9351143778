//! The reminder before a meeting: written at its time (by the server's clock, moved instead of
//! waited for) to every registered attendee, once, with the link to the meeting once it is set.
//! On both stores (see `common`).

mod common;
use common::{TOKEN, TestServer, dead_mail, meeting_in_2099, meetings, offset_to, registration};
use serde_json::json;

#[tokio::test]
async fn the_reminder_reaches_every_registered_attendee_once_at_its_time() {
    let s = TestServer::configured(meetings(meeting_in_2099), None, Some(TOKEN), |c| {
        dead_mail(c);
        c.clock = tilmelding_server::clock::Clock::offset_by(offset_to("2099-05-30T12:00"));
    })
    .await;
    assert_eq!(s.register(&registration(730, "r", 2)).await.0, 201);
    let mut waiting = registration(530, "w", 1);
    waiting["apply_for_membership"] = json!(true);
    assert_eq!(s.register(&waiting).await.0, 201);
    let reminders =
        |s: &TestServer| s.count("SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Påmindelse:%'");
    assert_eq!(reminders(&s), 0, "not yet");
    let db = s.db.clone();
    // Started again 23 hours before the meeting: the reminder is due.
    let dir = s.stop().await;
    let again = |dir, at: &'static str| {
        let db = db.clone();
        TestServer::configured(dir, Some(db), Some(TOKEN), move |c| {
            dead_mail(c);
            c.clock = tilmelding_server::clock::Clock::offset_by(offset_to(at));
        })
    };
    let s = again(dir, "2099-05-31T10:15").await;
    let start = std::time::Instant::now();
    while reminders(&s) < 2 {
        assert!(start.elapsed().as_secs() < 10, "no reminders");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Påmindelse:%' \
             AND recipient IN ('r0@kommune.dk', 'r1@kommune.dk') \
             AND body_text LIKE '%Linket til mødet sendes, så snart arrangøren har det.%'"
        ),
        2,
        "the registered ones, not the one waiting for membership"
    );
    // Started again an hour later: once is enough.
    let dir = s.stop().await;
    let s = again(dir, "2099-05-31T11:15").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(reminders(&s), 2);
}
