//! The core flows in the engines KL's users have besides Chromium: Firefox ESR (Gecko) and
//! WebKitGTK (WebKit, Safari's engine). The same steps as the Chromium tests
//! (`tilmelding_e2e::flows`), with axe in each: a member's registration, a non-member's
//! application, the manage link with one cancellation, and the keyboard alone; the organiser
//! page typed at a person's speed; a meeting made, published, moved and cancelled on it; and the
//! network's members kept on it by an organiser signed in with a link by mail.

use tilmelding_e2e::{Browser, Engine, Server, flows, meetings, members, organiser};

macro_rules! in_engines {
    ($($flow:ident),*) => {
        mod firefox {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $flow() {
                    let b = Browser::start_in(Engine::Firefox).await;
                    flows::$flow(&b, &Server::start().await).await;
                }
            )*
        }
        mod webkit {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $flow() {
                    let b = Browser::start_in(Engine::WebKit).await;
                    flows::$flow(&b, &Server::start().await).await;
                }
            )*
        }
    };
}

in_engines!(
    member_registers,
    non_member_applies,
    manage_cancels_one,
    keyboard_only,
    municipality_changed_at_once,
    member_fills_the_form_at_once
);

/// The organiser page at a person's speed (`tilmelding_e2e::organiser`): each flow starts its
/// own server and mail server.
macro_rules! organiser_in_engines {
    ($($flow:ident),*) => {
        mod organiser_firefox {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $flow() {
                    organiser::$flow(&Browser::start_in(Engine::Firefox).await).await;
                }
            )*
        }
        mod organiser_webkit {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $flow() {
                    organiser::$flow(&Browser::start_in(Engine::WebKit).await).await;
                }
            )*
        }
    };
}

organiser_in_engines!(
    decline_with_a_reason,
    write_preview_and_send_a_message,
    type_confirm_and_save_the_join_link,
    search_while_the_list_refreshes
);

/// A meeting's life on the organiser page (`tilmelding_e2e::meetings`), with its own server and
/// mail server.
#[tokio::test(flavor = "multi_thread")]
async fn a_meeting_is_made_published_moved_and_cancelled_in_firefox() {
    meetings::copy_change_publish_move_and_cancel(&Browser::start_in(Engine::Firefox).await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_meeting_is_made_published_moved_and_cancelled_in_webkit() {
    meetings::copy_change_publish_move_and_cancel(&Browser::start_in(Engine::WebKit).await).await;
}

/// The network's members on the organiser page (`tilmelding_e2e::members`), with its own server
/// and mail server.
#[tokio::test(flavor = "multi_thread")]
async fn members_are_renewed_ended_and_added_in_firefox() {
    members::renew_end_add_and_register(&Browser::start_in(Engine::Firefox).await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn members_are_renewed_ended_and_added_in_webkit() {
    members::renew_end_add_and_register(&Browser::start_in(Engine::WebKit).await).await;
}
