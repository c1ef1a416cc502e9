//! A hash router: `#/`, `#/about`, `#/lab/network`, `#/lab/energy`.
//!
//! Routes live in the URL fragment so the site works from any sub-path of any static host and
//! survives reloads without server rewrites; the browser's `hashchange` event drives navigation.

use leptos::prelude::*;

/// A page of the site, as named by the URL fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `#/` (also an empty fragment): the home page.
    Home,
    /// `#/about`: what Continuum is and how it is built.
    About,
    /// `#/lab/network`: the network & broadcast lab.
    NetworkLab,
    /// `#/lab/crdt`: the CRDT convergence lab.
    CrdtLab,
    /// `#/lab/energy`: the energy & sustainability lab.
    EnergyLab,
    /// The edge–cloud continuum lab.
    EdgeLab,
    /// `#s=<version>.<payload>[&t=<ns>]`: a share link (the fragment, without `#`), opened in
    /// the lab its scenario names.
    Shared(String),
    /// Any other fragment, kept so the page can say what was not found.
    NotFound(String),
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`); a trailing `/` is ignored.
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.strip_prefix('#').unwrap_or(hash);
        if path.starts_with("s=") {
            return Route::Shared(path.to_owned());
        }
        let trimmed = path.trim_end_matches('/');
        match trimmed {
            "" => Route::Home,
            "/about" => Route::About,
            "/lab/network" => Route::NetworkLab,
            "/lab/crdt" => Route::CrdtLab,
            "/lab/energy" => Route::EnergyLab,
            "/lab/edge" => Route::EdgeLab,
            _ => Route::NotFound(path.to_owned()),
        }
    }

    /// The link to this route, relative to the current page (`#/about`).
    pub fn href(&self) -> String {
        match self {
            Route::Home => "#/".to_owned(),
            Route::About => "#/about".to_owned(),
            Route::NetworkLab => "#/lab/network".to_owned(),
            Route::CrdtLab => "#/lab/crdt".to_owned(),
            Route::EnergyLab => "#/lab/energy".to_owned(),
            Route::EdgeLab => "#/lab/edge".to_owned(),
            Route::Shared(fragment) => format!("#{fragment}"),
            Route::NotFound(path) => format!("#{path}"),
        }
    }

    /// The document title shown in the tab and read by screen readers on navigation.
    pub fn document_title(&self) -> String {
        match self {
            Route::Home => "Continuum".to_owned(),
            Route::About => "About · Continuum".to_owned(),
            Route::NetworkLab => "Network & broadcast lab · Continuum".to_owned(),
            Route::CrdtLab => "CRDT convergence lab · Continuum".to_owned(),
            Route::EnergyLab => "Energy & sustainability lab · Continuum".to_owned(),
            Route::EdgeLab => "Edge–cloud continuum lab · Continuum".to_owned(),
            Route::Shared(fragment) => match shared_lab(fragment) {
                Route::CrdtLab => "CRDT convergence lab · Continuum".to_owned(),
                Route::EnergyLab => "Energy & sustainability lab · Continuum".to_owned(),
                Route::EdgeLab => "Edge–cloud continuum lab · Continuum".to_owned(),
                _ => "Network & broadcast lab · Continuum".to_owned(),
            },
            Route::NotFound(_) => "Page not found · Continuum".to_owned(),
        }
    }
}

/// The lab page a share link opens in: the lab its scenario names. A link that cannot be
/// opened goes to the network lab, which explains what is wrong with it.
pub fn shared_lab(fragment: &str) -> Route {
    let route = match scenario::Scenario::from_fragment(fragment) {
        Ok(link) => Some(link.scenario.lab.route()),
        // A broken link opens in the lab it names, which explains what is wrong with it.
        Err(_) => scenario::link::lab_hint(fragment),
    };
    match route {
        Some("crdt") => Route::CrdtLab,
        Some("energy") => Route::EnergyLab,
        Some("edge") => Route::EdgeLab,
        _ => Route::NetworkLab,
    }
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

    #[test]
    fn empty_and_root_fragments_are_home() {
        for hash in ["", "#", "#/", "/"] {
            assert_eq!(Route::from_hash(hash), Route::Home, "{hash:?}");
        }
    }

    #[test]
    fn known_routes_parse_with_or_without_trailing_slash() {
        assert_eq!(Route::from_hash("#/about"), Route::About);
        assert_eq!(Route::from_hash("#/about/"), Route::About);
        assert_eq!(Route::from_hash("#/lab/network"), Route::NetworkLab);
        assert_eq!(Route::from_hash("#/lab/crdt/"), Route::CrdtLab);
        assert_eq!(Route::from_hash("#/lab/energy"), Route::EnergyLab);
    }

    #[test]
    fn share_links_open_in_their_lab() {
        let crdt = scenario::crdt_lab::default_crdt_scenario()
            .to_fragment(None)
            .expect("encodes");
        assert_eq!(shared_lab(&crdt), Route::CrdtLab);
        let network = scenario::default_scenario()
            .to_fragment(None)
            .expect("encodes");
        assert_eq!(shared_lab(&network), Route::NetworkLab);
        assert_eq!(shared_lab("s=1.broken"), Route::NetworkLab);
        assert_eq!(shared_lab("s=1.broken&lab=crdt"), Route::CrdtLab);
        assert_eq!(shared_lab("s=1.broken&lab=energy"), Route::EnergyLab);
        assert_eq!(shared_lab("s=1.broken&lab=nowhere"), Route::NetworkLab);
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
        assert_eq!(
            Route::from_hash("#s=1.abc&t=5"),
            Route::Shared("s=1.abc&t=5".to_owned())
        );
        assert_eq!(Route::from_hash("s=1."), Route::Shared("s=1.".to_owned()));
    }

    #[test]
    fn energy_links_name_the_energy_lab() {
        let energy = scenario::energy_lab::default_energy_scenario()
            .to_fragment(None)
            .unwrap();
        assert_eq!(shared_lab(&energy), Route::EnergyLab);
        let route = Route::from_hash(&format!("#{energy}"));
        assert!(route.document_title().starts_with("Energy"));
        let network = scenario::default_scenario().to_fragment(None).unwrap();
        assert_eq!(shared_lab(&network), Route::NetworkLab);
    }

    #[test]
    fn href_round_trips() {
        for route in [
            Route::Home,
            Route::About,
            Route::NetworkLab,
            Route::CrdtLab,
            Route::EnergyLab,
            Route::Shared("s=1.x".into()),
            Route::NotFound("/x".into()),
        ] {
            assert_eq!(Route::from_hash(&route.href()), route);
        }
    }
}
