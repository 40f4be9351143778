//! The rules of tilmelding, shared by the browser app and the reference server so the two can
//! never disagree: the meeting data model, the 98 municipalities, Danish text handling,
//! validation of registrations, spreadsheet paste parsing and calendar files.
//!
//! This crate has no web dependency on purpose: everything here is unit-tested natively with
//! `cargo test -p tilmelding-domain`.

pub mod calendar;
pub mod ics;
pub mod json;
pub mod meeting;
pub mod municipality;
pub mod paste;
pub mod registration;
pub mod text;
pub mod wire;

pub use calendar::{Date, LocalDateTime, Time};
pub use meeting::Meeting;
pub use municipality::{MUNICIPALITIES, Municipality};
pub use registration::{Attendee, Contact, FieldError, Limits, Registration};
