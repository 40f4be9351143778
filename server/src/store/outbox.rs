//! The outbox's rows: e-mails written in the same transaction as what they tell about, and
//! kept until the mail worker has handed them to the mail server.

use tilmelding_domain::ics::Method;

/// One e-mail, as the outbox keeps it until it is sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A calendar invitation: its method (`REQUEST`, `CANCEL`) and the file.
    pub calendar: Option<(Method, String)>,
}

/// A mail claimed from the outbox for sending.
#[derive(Clone, Debug)]
pub struct Queued {
    pub id: i64,
    /// The claim it was taken under (when the claim runs out): only the holder of this claim
    /// records what became of the mail, so a claim that ran out and was taken by another
    /// worker is never overwritten by the first.
    pub claim: i64,
    pub mail: Mail,
    /// Failed attempts so far.
    pub attempts: i64,
}

/// A failed attempt at sending a mail, as recorded.
pub struct Failed<'a> {
    pub id: i64,
    /// The claim the attempt was made under (see [`Queued::claim`]).
    pub claim: i64,
    /// Failed attempts, this one included.
    pub attempts: i64,
    /// When to try again (Unix seconds).
    pub next: i64,
    pub error: &'a str,
    /// No more attempts.
    pub give_up: bool,
}

/// A claimed row, from its columns as stored.
pub(super) fn queued(
    id: i64,
    claim: i64,
    head: [String; 4],
    calendar: Option<String>,
    stored_method: Option<String>,
    attempts: i64,
) -> Queued {
    let [to, subject, text, html] = head;
    Queued {
        id,
        claim,
        attempts,
        mail: Mail {
            to,
            subject,
            text,
            html,
            calendar: stored_method
                .as_deref()
                .and_then(Method::from_name)
                .zip(calendar),
        },
    }
}
