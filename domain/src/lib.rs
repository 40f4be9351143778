//! The rules of tilmelding, shared by the browser app and the reference server so the two can
//! never disagree: the meeting data model, the 98 municipalities, Danish text handling,
//! validation of registrations and its messages, spreadsheet paste parsing and calendar files.
//! Every JSON shape is defined once here, by serde derives, for the app and the server alike.
//!
//! This crate has no web dependency on purpose: everything here is unit-tested natively with
//! `cargo test -p tilmelding-domain`.

pub mod calendar;
pub mod catalogue;
pub mod field;
pub mod ics;
pub mod list_text;
pub mod mail_text;
pub mod manage;
pub mod meeting;
pub mod members;
pub mod messages;
pub mod municipality;
pub mod organiser;
pub mod paste;
pub mod registration;
pub mod text;
pub mod wire;
pub mod words;

pub use calendar::{Date, LocalDateTime, Time};
pub use field::{AttendeeField, FieldPath};
pub use meeting::Meeting;
pub use messages::Lang;
pub use municipality::{MUNICIPALITIES, Municipality};
pub use registration::{Attendee, Contact, FieldError, Limits, Registration};
