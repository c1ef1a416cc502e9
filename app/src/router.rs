//! A hash router: `#/`, `#/about`, `#/lab/<route>` for every lab in [`crate::labs`], and share
//! links `#s=…`.
//!
//! Routes live in the URL fragment so the site works from any sub-path of any static host and
//! survives reloads without server rewrites; the browser's `hashchange` event drives navigation.

use crate::labs::{self, LabPage};
use leptos::prelude::*;

/// A page of the site, as named by the URL fragment.
#[derive(Clone)]
pub enum Route {
    /// `#/` (also an empty fragment): the home page.
    Home,
    /// `#/about`: what Continuum is and how it is built.
    About,
    /// `#/lab/<route>`: a lab's page.
    Lab(&'static LabPage),
    /// `#s=<version>.<payload>[&t=<ns>]`: a share link (the fragment, without `#`), opened in
    /// `lab`, the lab its scenario names (found once, when the route is parsed).
    Shared {
        /// The fragment, without `#`.
        fragment: String,
        /// The lab it opens in (see [`shared_lab`]).
        lab: &'static LabPage,
    },
    /// Any other fragment, kept so the page can say what was not found.
    NotFound(String),
}

impl PartialEq for Route {
    fn eq(&self, other: &Route) -> bool {
        match (self, other) {
            (Route::Home, Route::Home) | (Route::About, Route::About) => true,
            (Route::Lab(a), Route::Lab(b)) => a.info.route == b.info.route,
            (Route::Shared { fragment: a, .. }, Route::Shared { fragment: b, .. })
            | (Route::NotFound(a), Route::NotFound(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Route {}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Route::Home => write!(f, "Home"),
            Route::About => write!(f, "About"),
            Route::Lab(page) => write!(f, "Lab({})", page.info.route),
            Route::Shared { fragment, lab } => {
                write!(f, "Shared({fragment:?} in {})", lab.info.route)
            }
            Route::NotFound(path) => write!(f, "NotFound({path:?})"),
        }
    }
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`); a trailing `/` is ignored.
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.strip_prefix('#').unwrap_or(hash);
        if path.starts_with("s=") {
            return Route::Shared {
                fragment: path.to_owned(),
                lab: shared_lab(path),
            };
        }
        let trimmed = path.trim_end_matches('/');
        match trimmed {
            "" => Route::Home,
            "/about" => Route::About,
            _ => match trimmed.strip_prefix("/lab/").and_then(labs::page) {
                Some(page) => Route::Lab(page),
                None => Route::NotFound(path.to_owned()),
            },
        }
    }

    /// The link to this route, relative to the current page (`#/about`).
    pub fn href(&self) -> String {
        match self {
            Route::Home => "#/".to_owned(),
            Route::About => "#/about".to_owned(),
            Route::Lab(page) => format!("#/lab/{}", page.info.route),
            Route::Shared { fragment, .. } => format!("#{fragment}"),
            Route::NotFound(path) => format!("#{path}"),
        }
    }

    /// The lab this route shows, if any: a lab's page, or the lab a share link opens in.
    pub fn lab_page(&self) -> Option<&'static LabPage> {
        match self {
            Route::Lab(page) | Route::Shared { lab: page, .. } => Some(page),
            _ => None,
        }
    }

    /// The document title shown in the tab and read by screen readers on navigation.
    pub fn document_title(&self) -> String {
        match self {
            Route::Home => "Continuum".to_owned(),
            Route::About => "About · Continuum".to_owned(),
            Route::Lab(_) | Route::Shared { .. } => match self.lab_page() {
                Some(page) => format!("{} lab · Continuum", page.info.title),
                None => "Continuum".to_owned(),
            },
            Route::NotFound(_) => "Page not found · Continuum".to_owned(),
        }
    }
}

/// The lab page a share link opens in: the lab its scenario names. A broken link opens in the
/// lab its `&lab=` hint names, which explains what is wrong with it; a link with neither opens
/// in the first lab.
pub fn shared_lab(fragment: &str) -> &'static LabPage {
    let route = match scenario::Scenario::from_fragment(fragment) {
        Ok(link) => Some(link.scenario.lab.route()),
        Err(_) => scenario::link::lab_hint(fragment),
    };
    route.and_then(labs::page).unwrap_or(&labs::pages()[0])
}

/// The current route, updated on every `hashchange` of the window.
pub fn use_hash_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::from_hash(&current_hash()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::from_hash(&current_hash()));
    });
    on_cleanup(move || listener.remove());
    route
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route_of(fragment: &str) -> &'static str {
        shared_lab(fragment).info.route
    }

    /// The page of the lab whose route is `route` (`"crdt"`).
    fn lab(route: &str) -> Route {
        Route::Lab(labs::page(route).unwrap_or_else(|| panic!("no lab has the route {route:?}")))
    }

    fn shared(fragment: &str) -> Route {
        Route::Shared {
            fragment: fragment.to_owned(),
            lab: shared_lab(fragment),
        }
    }

    #[test]
    fn empty_and_root_fragments_are_home() {
        for hash in ["", "#", "#/", "/"] {
            assert_eq!(Route::from_hash(hash), Route::Home, "{hash:?}");
        }
    }

    #[test]
    fn every_lab_has_a_route_with_or_without_trailing_slash() {
        assert_eq!(Route::from_hash("#/about"), Route::About);
        assert_eq!(Route::from_hash("#/about/"), Route::About);
        for page in labs::pages() {
            let route = page.info.route;
            assert_eq!(Route::from_hash(&format!("#/lab/{route}")), lab(route));
            assert_eq!(Route::from_hash(&format!("#/lab/{route}/")), lab(route));
        }
        assert_eq!(
            Route::from_hash("#/lab/nowhere"),
            Route::NotFound("/lab/nowhere".to_owned())
        );
    }

    #[test]
    fn share_links_open_in_their_lab() {
        let crdt = scenario::crdt_lab::default_crdt_scenario()
            .to_fragment(None)
            .expect("encodes");
        assert_eq!(route_of(&crdt), "crdt");
        let network = scenario::default_scenario()
            .to_fragment(None)
            .expect("encodes");
        assert_eq!(route_of(&network), "network");
        assert_eq!(route_of("s=1.broken"), "network");
        assert_eq!(route_of("s=1.broken&lab=crdt"), "crdt");
        assert_eq!(route_of("s=1.broken&lab=energy"), "energy");
        assert_eq!(route_of("s=1.broken&lab=edge"), "edge");
        assert_eq!(route_of("s=1.broken&lab=nowhere"), "network");
    }

    #[test]
    fn unknown_fragments_are_kept_for_the_not_found_page() {
        assert_eq!(
            Route::from_hash("#/nope"),
            Route::NotFound("/nope".to_owned())
        );
        assert_eq!(
            Route::from_hash("#/About"),
            Route::NotFound("/About".to_owned())
        );
    }

    #[test]
    fn share_links_are_routed_with_their_fragment() {
        assert_eq!(Route::from_hash("#s=1.abc&t=5"), shared("s=1.abc&t=5"));
        assert_eq!(Route::from_hash("s=1."), shared("s=1."));
    }

    #[test]
    fn a_link_is_titled_by_its_lab() {
        let energy = scenario::energy_lab::default_energy_scenario()
            .to_fragment(None)
            .unwrap();
        assert_eq!(route_of(&energy), "energy");
        let route = Route::from_hash(&format!("#{energy}"));
        assert_eq!(
            route.document_title(),
            "Energy & sustainability lab · Continuum"
        );
        assert_eq!(
            lab("edge").document_title(),
            "Edge–cloud continuum lab · Continuum"
        );
    }

    #[test]
    fn href_round_trips() {
        let mut routes = vec![
            Route::Home,
            Route::About,
            shared("s=1.x"),
            Route::NotFound("/x".into()),
        ];
        routes.extend(labs::pages().iter().map(Route::Lab));
        for route in routes {
            assert_eq!(Route::from_hash(&route.href()), route);
        }
    }
}
