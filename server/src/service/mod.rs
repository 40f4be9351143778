//! The server's rules, one module per use case, each written once over the store's statements
//! ([`crate::store::Tx`]) and run on either database as a [`crate::store::Work`]. Handlers call
//! these; these call the store and the mail composer ([`crate::letters`]); the store only
//! runs statements.

pub mod applications;
pub mod catalogue;
pub mod editing;
pub mod join;
pub mod manage;
pub mod meetings;
pub mod members;
pub mod messages;
pub mod organiser;
pub mod outbox;
pub mod reminders;
pub mod sign_in;
pub mod submission;

use crate::letters::Letters;
use crate::store::Cause;
use tilmelding_domain::{Lang, Meeting};

/// What the e-mails of a submission or change need; `None` where no mail is configured.
#[derive(Clone)]
pub struct MailContext {
    pub meeting: Meeting,
    /// The sender's address (also the invitations' organiser).
    pub from: String,
    /// The link the mails give: the one just made, or the one the change came through.
    pub manage_url: String,
    /// Who causes the mails: the public, whose mails to one address are capped, or the
    /// organisation.
    pub cause: Cause,
}

/// A mail to each registered attendee of the context's meeting, written by `write` from their
/// letters (in their submission's language, with the meeting's link once set): the link, the
/// reminder, the organiser's messages.
pub async fn to_everyone_registered<T: crate::store::Tx>(
    tx: &mut T,
    ctx: &MailContext,
    now: i64,
    write: impl Fn(&Letters, &crate::letters::Person) -> crate::store::Mail,
) -> crate::store::Result<Vec<crate::store::Mail>> {
    let id = ctx.meeting.id.as_str();
    let join = tx.join_url(id).await?;
    Ok(tx
        .attending(id)
        .await?
        .iter()
        .map(|(attendee, sequence, lang)| {
            let letters = ctx
                .letters(*lang, "", 0, false, now)
                .with_join(join.as_deref());
            write(&letters, &crate::letters::Person::of(attendee, *sequence))
        })
        .collect())
}

impl MailContext {
    /// For the mails to everyone registered for `meeting` ([`to_everyone_registered`]): the
    /// link, the reminder, messages. They carry no submission's manage link.
    pub fn to_registered(meeting: &Meeting, from: String) -> MailContext {
        MailContext {
            meeting: meeting.clone(),
            from,
            manage_url: String::new(),
            cause: Cause::Organisation,
        }
    }

    /// The letters of one submission (`pending`: its municipality's membership is waiting).
    pub fn letters<'a>(
        &'a self,
        lang: Lang,
        reference: &'a str,
        code: u16,
        pending: bool,
        now: i64,
    ) -> Letters<'a> {
        Letters {
            meeting: &self.meeting,
            lang,
            from: &self.from,
            manage_url: &self.manage_url,
            reference,
            municipality: tilmelding_domain::Municipality::by_code(code).map_or("", |m| m.name),
            pending,
            now,
            join_url: None,
        }
    }
}
