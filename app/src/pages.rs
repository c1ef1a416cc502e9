//! One component per page (see [`crate::router::Route`]); lab pages are drawn by
//! [`crate::labs::LabShell`] from the table of labs.

mod about;
mod home;
mod not_found;

pub use about::AboutPage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
