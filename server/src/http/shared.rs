//! What the API's resources share: the municipality a path names, whether a meeting still
//! takes registrations, the manage link and the mails a request causes, and the mail cap they
//! are charged against. It imports none of the resources.

use super::error::{ApiError, ApiResult};
use super::middleware;
use crate::service::MailContext;
use crate::state::AppState;
use crate::store::Cause;
use axum::http::StatusCode;
use tilmelding_domain::messages::Refusal;
use tilmelding_domain::{Meeting, Municipality};

/// The municipality a path names.
pub(super) fn municipality(code: &str) -> ApiResult<&'static Municipality> {
    code.parse()
        .ok()
        .and_then(Municipality::by_code)
        .ok_or_else(|| ApiError::not_found(Refusal::UnknownMunicipality))
}

/// Registering, and changing through a manage link, end at the meeting's deadline (409).
pub(super) fn still_open(meeting: &Meeting, now: i64) -> ApiResult<()> {
    if meeting.registration_open(now) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::CONFLICT,
            Refusal::RegistrationClosed,
        ))
    }
}

/// A submission's private link: the meeting's page (`registration.page_url`) or this server's
/// standalone page, with the token in the fragment, which browsers never send to a server
/// (no log, no `Referer` holds it).
pub(super) fn manage_url(state: &AppState, meeting: &Meeting, token: &str) -> String {
    crate::service::manage::link(&state.manage_page(meeting), token)
}

/// What the mails of a submission or change need, when mail is configured.
pub(super) fn mail_context(state: &AppState, meeting: &Meeting, url: &str) -> Option<MailContext> {
    state.mail.as_ref().map(|m| MailContext {
        meeting: meeting.clone(),
        from: m.from_address(),
        manage_url: url.to_owned(),
        cause: Cause::Public {
            per_hour: state.recipient_mail_limit,
        },
    })
}

/// Counts the mails a request will cause against its client's hourly cap, with mail
/// configured, until the request is refused: the count is given back unless [`MailCharge::keep`]
/// is called, so a refused request (an unknown link, a conflict, a non-member) costs its client
/// nothing. Over the cap: the 429 to answer with (and nothing is counted).
pub(super) fn charge_mails(
    state: &AppState,
    client: std::net::IpAddr,
    mails: usize,
) -> Result<MailCharge, Box<axum::response::Response>> {
    if state.mail.is_none() {
        return Ok(MailCharge(None));
    }
    let (mails, at) = (
        u32::try_from(mails).unwrap_or(u32::MAX),
        std::time::Instant::now(),
    );
    state
        .mails_caused
        .take(client, mails, at)
        .map_err(|wait| Box::new(middleware::too_many(Refusal::MailLimit(wait), wait)))?;
    Ok(MailCharge(Some(Charged {
        limiter: state.mails_caused.clone(),
        client,
        mails,
        at,
    })))
}

/// Mails counted against a client's cap for a request in progress (see [`charge_mails`]).
pub(super) struct MailCharge(Option<Charged>);

struct Charged {
    limiter: crate::limit::RateLimiter,
    client: std::net::IpAddr,
    mails: u32,
    at: std::time::Instant,
}

impl MailCharge {
    /// The request succeeded: its mails count.
    pub(super) fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for MailCharge {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.limiter.give_back(c.client, c.mails, c.at);
        }
    }
}
