//! Organisers sign in as themselves: an address on the server's list asks for a link, the link
//! comes by mail, works once and for [`LINK_SECONDS`], and makes a session of at most a working
//! day ([`SESSION_SECONDS`]). Whoever acts with a session is recorded by name and address; the
//! shared token stays for scripts and is recorded as "token". Only hashes of links and sessions
//! are kept, as of manage links.

use crate::config::Organisers;
use crate::store::{self, Cause, Mail, Store, Tx, Work};
use base64::Engine;
use sha2::{Digest, Sha256};
use tilmelding_domain::Lang;
use tilmelding_domain::organiser::{Organiser, OrganiserSession};

/// A sign-in link works this long.
pub const LINK_SECONDS: i64 = 15 * 60;
/// A session lasts a working day at most.
pub const SESSION_SECONDS: i64 = 10 * 3600;
/// Links one address is sent in [`LINK_SECONDS`]: enough to ask again, too few to flood it.
pub const LINKS_PER_ADDRESS: i64 = 3;

/// How the shared token is recorded.
pub const TOKEN: &str = "token";

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// The mail with the link, in the language the page was in.
fn link_mail(to: &Organiser, url: &str, lang: Lang) -> Mail {
    let (subject, text) = match lang {
        Lang::Da => (
            "Dit link til arrangørsiden",
            format!(
                "Hej {}\n\nLog ind på arrangørsiden med dette link. Det virker én gang og i 15 minutter:\n\n{url}\n\nHar du ikke bedt om det, kan du se bort fra denne mail.\n",
                to.name
            ),
        ),
        Lang::En => (
            "Your link to the organiser page",
            format!(
                "Hello {}\n\nSign in to the organiser page with this link. It works once and for 15 minutes:\n\n{url}\n\nIf you did not ask for it, you can ignore this mail.\n",
                to.name
            ),
        ),
    };
    Mail {
        to: to.email.clone().unwrap_or_default(),
        subject: subject.to_owned(),
        html: String::new(),
        text,
        calendar: None,
    }
}

/// Sends a sign-in link to `email` if it is an organiser's and it has not had its share of
/// links; otherwise nothing, and the caller answers the same either way. `page`: the organiser
/// page's address.
pub async fn ask(
    store: &Store,
    organisers: &Organisers,
    email: &str,
    (page, lang): (&str, Lang),
    now: i64,
) -> store::Result<()> {
    let Some(organiser) = organisers.find(email) else {
        return Ok(());
    };
    struct Asking {
        organiser: Organiser,
        page: String,
        lang: Lang,
        now: i64,
    }
    impl Work for Asking {
        type Output = ();
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<()> {
            let email = self.organiser.email.as_deref().unwrap_or_default();
            tx.forget_sign_ins(self.now).await?;
            let sent = tx
                .sign_in_links_since(email, self.now - LINK_SECONDS)
                .await?;
            if sent >= LINKS_PER_ADDRESS {
                return Ok(());
            }
            let secret = crate::config::new_token();
            tx.add_sign_in_link(&hash(&secret), email, self.now, self.now + LINK_SECONDS)
                .await?;
            let url = format!("{}#sign-in={secret}", self.page);
            let mail = link_mail(&self.organiser, &url, self.lang);
            // Not a meeting's mail: no meeting's retention or held-back list concerns it.
            tx.enqueue("", &[mail], self.now, Cause::Organisation).await
        }
    }
    store
        .run(Asking {
            organiser: organiser.clone(),
            page: page.to_owned(),
            lang,
            now,
        })
        .await
}

/// Takes a sign-in link's token: a session for its organiser, if the link is unused, not
/// expired, and its address still on the list.
pub async fn take(
    store: &Store,
    organisers: &Organisers,
    link: &str,
    now: i64,
) -> store::Result<Option<OrganiserSession>> {
    struct Taking {
        organisers: Organisers,
        link: String,
        now: i64,
    }
    impl Work for Taking {
        type Output = Option<OrganiserSession>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Option<OrganiserSession>> {
            let Some(email) = tx.use_sign_in_link(&hash(&self.link), self.now).await? else {
                return Ok(None);
            };
            let Some(organiser) = self.organisers.find(&email) else {
                return Ok(None);
            };
            let session = crate::config::new_token();
            let expires_at = self.now + SESSION_SECONDS;
            tx.add_session(&hash(&session), &organiser.name, &email, expires_at)
                .await?;
            Ok(Some(OrganiserSession {
                session,
                organiser: organiser.clone(),
                expires_at,
            }))
        }
    }
    store
        .run(Taking {
            organisers: organisers.clone(),
            link: link.to_owned(),
            now,
        })
        .await
}

/// The organiser a session is, while it lasts.
pub async fn who(store: &Store, session: &str, now: i64) -> store::Result<Option<Organiser>> {
    struct Who(Vec<u8>, i64);
    impl Work for Who {
        type Output = Option<Organiser>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Option<Organiser>> {
            Ok(tx
                .session(&self.0, self.1)
                .await?
                .map(|(name, email)| Organiser {
                    name,
                    email: Some(email),
                }))
        }
    }
    store.run(Who(hash(session), now)).await
}

/// Ends a session (signing out).
pub async fn end(store: &Store, session: &str) -> store::Result<()> {
    struct Ending(Vec<u8>);
    impl Work for Ending {
        type Output = ();
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<()> {
            tx.end_session(&self.0).await
        }
    }
    store.run(Ending(hash(session))).await
}

/// Whoever uses the shared token.
pub fn token_holder() -> Organiser {
    Organiser {
        name: TOKEN.to_owned(),
        email: None,
    }
}

/// A link's token as the page reads it from the address: URL-safe base64 of 32 bytes.
pub fn well_formed(link: &str) -> bool {
    B64.decode(link).is_ok_and(|b| b.len() == 32)
}
