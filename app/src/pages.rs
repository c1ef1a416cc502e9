//! One component per page, one page per route (see [`crate::router::Route`]).

mod about;
mod crdt_lab;
mod edge_lab;
mod energy_lab;
mod home;
mod network_lab;
mod not_found;

pub use about::AboutPage;
pub use crdt_lab::CrdtLabPage;
pub use edge_lab::EdgeLabPage;
pub use energy_lab::EnergyLabPage;
pub use home::HomePage;
pub use network_lab::NetworkLabPage;
pub use not_found::NotFoundPage;
