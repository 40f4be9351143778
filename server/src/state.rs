//! The running server's shared state: the store, the meetings it serves, the limits.

use crate::clock::Clock;
use crate::config::{Config, MailConfig};
use crate::limit;
use crate::service::applications::DecisionMail;
use crate::service::catalogue::Catalogue;
use crate::service::{meetings, submission};
use crate::store::Store;
use std::sync::Arc;
use tilmelding_domain::meeting::MeetingError;
use tilmelding_domain::{Limits, Meeting};

/// Shared state of the running server.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Stores submissions (in groups where the store wants them; see [`submission::Submissions`]).
    pub submissions: submission::Submissions,
    /// The meetings, as kept in the store and kept fresh (see [`Catalogue`]).
    pub meetings: Catalogue,
    /// Meeting files that could not be loaded at start, by name, and why.
    pub unreadable: Arc<Vec<(String, MeetingError)>>,
    pub organiser_token: Option<Arc<str>>,
    /// Who may sign in by mail; empty without mail (see [`Config::organisers`]).
    pub organisers: Arc<crate::config::Organisers>,
    /// Sign-in links asked for per client address ([`SIGN_INS_PER_15_MINUTES`]).
    pub sign_ins: limit::RateLimiter,
    pub limits: Limits,
    pub limiter: limit::RateLimiter,
    /// Wrong organiser tokens per client address (10 a minute, then every organiser request
    /// from that address is refused until the minute is over).
    pub wrong_tokens: limit::RateLimiter,
    /// Wrong manage links per client address, limited the same way.
    pub wrong_links: limit::RateLimiter,
    /// CSP reports per client address ([`CSP_REPORTS_PER_MINUTE`]), and those logged in all
    /// ([`CSP_REPORTS_LOGGED_PER_MINUTE`]; the rest are counted, see [`CspReports`]).
    pub csp_reports: CspReports,
    /// Mails each client address causes in an hour (see [`Config::mail_limit`]).
    pub mails_caused: limit::RateLimiter,
    /// Mails from public actions one address gets in an hour, before the rest are held back
    /// (see [`Config::recipient_mail_limit`], whose 0, no limit, is `u32::MAX` here).
    pub recipient_mail_limit: u32,
    pub trust_proxy: bool,
    /// Where e-mail goes; none: no mail is written or sent.
    pub mail: Option<MailConfig>,
    /// The server's address for manage links (see [`Config::base_url`]).
    pub base_url: Arc<str>,
    pub clock: Clock,
    /// Seconds between an organiser page's fetches (see [`Config::organiser_refresh`]).
    pub organiser_refresh: u32,
}

impl AppState {
    /// The page a meeting's manage links open: the meeting file's `registration.page_url`
    /// (where the widget is embedded), or this server's standalone manage page (`/manage/`,
    /// which starts the manage bundle's downloads and not the registration's).
    pub fn manage_page(&self, meeting: &Meeting) -> String {
        match &meeting.registration.page_url {
            Some(url) => url.split('#').next().unwrap_or(url).to_owned(),
            None => format!("{}/manage/?meeting={}", self.base_url, meeting.id),
        }
    }

    /// The kept meetings' dates by id, of one network or of all: an approval makes a member
    /// for the membership year of the meeting applied with, and the member list counts the
    /// registrations for a network's meetings to come.
    pub fn meeting_days(
        &self,
        network: Option<&str>,
    ) -> std::collections::HashMap<String, tilmelding_domain::calendar::Date> {
        let all = self.meetings.all();
        all.values()
            .filter(|e| network.is_none_or(|n| e.meeting.network.id == n))
            .map(|e| (e.meeting.id.clone(), e.meeting.date))
            .collect()
    }

    /// What the mails of a decision on an application need; none without mail.
    pub fn decision_mail(&self) -> Option<DecisionMail> {
        let mail = self.mail.as_ref()?;
        Some(DecisionMail {
            from: mail.from_address(),
            meetings: self
                .meetings
                .published()
                .into_iter()
                .map(|m| {
                    let page = self.manage_page(&m);
                    (m.id.clone(), (m, page))
                })
                .collect(),
        })
    }
}

/// Sign-in links one client address may ask for in 15 minutes: a person asks once or twice;
/// past this, 429, so no one can walk the list of addresses or fill an organiser's inbox.
pub const SIGN_INS_PER_15_MINUTES: u32 = 10;

/// CSP reports one client address may send in a minute: a page that breaks the policy sends a
/// few; past this, they are refused (429) and not logged.
pub const CSP_REPORTS_PER_MINUTE: u32 = 30;

/// CSP reports logged in a minute, from all clients together: enough to see what a policy
/// blocks; the rest are counted, and the count is logged with the next one, so no flood of
/// reports fills the disk.
pub const CSP_REPORTS_LOGGED_PER_MINUTE: u32 = 60;

/// The limits on browsers' CSP reports.
#[derive(Clone)]
pub struct CspReports {
    pub per_client: limit::RateLimiter,
    pub logged: limit::RateLimiter,
    /// Reports taken but not logged since the last one logged.
    pub unlogged: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Default for CspReports {
    fn default() -> Self {
        CspReports {
            per_client: limit::RateLimiter::new(CSP_REPORTS_PER_MINUTE),
            logged: limit::RateLimiter::new(CSP_REPORTS_LOGGED_PER_MINUTE),
            unlogged: Default::default(),
        }
    }
}

/// Opens the store, loads meetings and builds the state.
pub async fn state(config: &Config) -> Result<AppState, String> {
    let location = config.store();
    let store = Store::open(&location)
        .await
        .map_err(|e| format!("{location}: {}", e.full()))?;
    let loaded = meetings::load(&config.meetings, &store, config.clock.now()).await?;
    Ok(AppState {
        submissions: submission::Submissions::start(store.clone()),
        store,
        meetings: loaded.meetings,
        unreadable: Arc::new(loaded.unreadable),
        organiser_token: config.organiser_token.as_deref().map(Arc::from),
        organisers: Arc::new(match &config.mail {
            Some(_) => config.organisers.clone(),
            None => Default::default(),
        }),
        sign_ins: limit::RateLimiter::per(
            std::time::Duration::from_secs(15 * 60),
            SIGN_INS_PER_15_MINUTES,
        ),
        limits: Limits::default(),
        limiter: limit::RateLimiter::new(config.rate_limit),
        wrong_tokens: limit::RateLimiter::new(config.wrong_guesses),
        wrong_links: limit::RateLimiter::new(config.wrong_guesses),
        csp_reports: CspReports::default(),
        mails_caused: limit::RateLimiter::per(
            std::time::Duration::from_secs(3600),
            config.mail_limit,
        ),
        trust_proxy: config.trust_proxy,
        mail: config.mail.clone(),
        base_url: config.base_url(config.addr).into(),
        clock: config.clock.clone(),
        organiser_refresh: config.organiser_refresh,
        recipient_mail_limit: match config.recipient_mail_limit {
            0 => u32::MAX,
            n => n,
        },
    })
}
