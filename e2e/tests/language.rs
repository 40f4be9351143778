//! Danish by default, English by configuration or by the visible switch; dates and times per
//! language; `lang` attributes so screen readers pronounce each text right.

use tilmelding_e2e::{Browser, Server, ServerOptions, WIDGET};

#[tokio::test(flavor = "multi_thread")]
async fn the_switch_turns_the_interface_english_and_keeps_meeting_data_marked_danish() {
    let server = Server::start().await;
    let b = Browser::start().await;
    b.open(&server.url).await;
    b.wait_text("mandag den 17. maj 2021 kl. 9.15–15.00").await;
    b.button("English").await.click().await.unwrap();

    b.heading("Registration").await;
    b.heading("Programme").await;
    b.wait_text("Monday 17 May 2021, 9:15–15:00").await;
    b.wait_text("Talk by Landsbyggefonden").await;
    assert_eq!(
        b.js(&format!("return {WIDGET}.querySelector('.tlm-root').lang"))
            .await,
        "en"
    );
    // The meeting's own text stays Danish, and says so.
    assert_eq!(
        b.js(&format!("return {WIDGET}.getElementById('tlm-title').lang"))
            .await,
        "da"
    );
    // The switch back is named in Danish, in Danish.
    let back = b.button("Dansk").await;
    assert_eq!(back.attr("lang").await.unwrap().as_deref(), Some("da"));

    b.pick_municipality("rand").await;
    b.wait_text("Randers Municipality is a member of the network.")
        .await;
    b.button("Send registration").await.click().await.unwrap();
    b.wait_text("There are 6 errors in the registration").await;
    b.wait_text("Enter the contact person's name.").await;
    b.wait_text("Confirm that you have read how the data is processed.")
        .await;
    // Field labels are English too, and the form fills as usual.
    b.fill_in("Contact person", "Name", "Kim Kontakt").await;
    b.fill_in("Contact person", "E-mail", "kim@randers.dk")
        .await;
    b.fill_in("Attendee 1", "Name", "Anna Andersen").await;
    b.fill_in("Attendee 1", "E-mail", "anna@randers.dk").await;
    b.fill_in("Attendee 1", "Job title", "Consultant").await;
    b.field("I have read how the data is processed")
        .await
        .click()
        .await
        .unwrap();
    let violations = b.axe().await;
    assert!(violations.is_empty(), "{violations:#?}");
    b.button("Send registration").await.click().await.unwrap();
    b.heading("Thank you for registering").await;
    b.wait_text("1 attendee is registered for Monday 17 May 2021.")
        .await;
    b.link("Calendar file (.ics) for Anna Andersen").await;

    // And back: everything follows at once.
    b.button("Dansk").await.click().await.unwrap();
    b.heading("Tak for tilmeldingen").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn data_lang_en_starts_in_english() {
    let server = Server::with(ServerOptions {
        env: vec![("TILMELDING_DEMO_ATTRS", r#"data-lang="en""#.into())],
        ..Default::default()
    })
    .await;
    let b = Browser::start().await;
    b.open(&format!("{}/demo/?neutral", server.url)).await;
    b.heading("Registration").await;
    b.field("Municipality").await;
    b.button("Dansk").await;
}
