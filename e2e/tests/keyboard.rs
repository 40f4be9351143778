//! The whole flow with the keyboard alone: Tab, Shift+Tab, arrow keys, Enter and Space (and
//! typing into fields), with visible focus, ending with the calendar file downloaded.

use tilmelding_e2e::{Browser, Server, flows};

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_flow_works_with_the_keyboard_alone() {
    let b = Browser::start().await;
    flows::keyboard_only(&b, &Server::start().await).await;
}
