//! The sections of a meeting's page, each a component over the overview the page polls.

pub mod applications;
pub mod attendees;
pub mod held_mails;
pub mod join_link;
pub mod meeting_editor;
pub mod messages;
pub mod municipalities;
pub mod preview;
pub mod totals;
pub mod unreadable;
