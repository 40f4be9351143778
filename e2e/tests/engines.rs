//! The core flows in the engines KL's users have besides Chromium: Firefox ESR (Gecko) and
//! WebKitGTK (WebKit, Safari's engine). The same steps as the Chromium tests
//! (`tilmelding_e2e::flows`), with axe in each: a member's registration, a non-member's
//! application, the manage link with one cancellation, and the keyboard alone.

use tilmelding_e2e::{Browser, Engine, Server, flows};

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
    keyboard_only
);
