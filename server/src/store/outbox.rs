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

/// What caused a list of mails, which decides whether the per-address cap applies.
#[derive(Clone, Copy, Debug)]
pub enum Cause {
    /// The organisation: an organiser's decision, message or join link, or the reminder. Never
    /// held back: it is the organisation writing to the people registered.
    Organisation,
    /// Anyone on the public page: a registration or a change through a manage link. An address
    /// gets at most this many such mails an hour; past that, a mail is held back and the
    /// organiser page lists it, so no one can aim the organisation's sender at a person.
    Public { per_hour: u32 },
}

impl Cause {
    /// The `public` column and the cap, as the statements bind them.
    pub(super) fn columns(self) -> (i32, i64) {
        match self {
            Cause::Organisation => (0, 0),
            Cause::Public { per_hour } => (1, i64::from(per_hour)),
        }
    }
}

/// A mail held back by the per-address cap, as the organiser page lists it.
pub use tilmelding_domain::organiser::HeldMail;

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
