//! Components shared by every page.

mod site_header;
mod theme_toggle;

pub use site_header::SiteHeader;
pub use theme_toggle::{ThemeChoice, ThemeToggle};
