pub mod app;
pub mod programme;
