pub mod app;
pub mod confirmation;
pub mod form;
pub mod manage;
pub mod picker;
pub mod programme;
pub mod public;
pub mod registration;
