//! Share links as the page sees them: turning the current scenario into a URL, and a URL
//! fragment into the scenario to open (or the sentence that explains why it cannot be opened).

use scenario::Scenario;
use scenario::scenario::OpenedLink;
use sim::SimTime;

/// Whether a URL fragment (with or without `#`) is a share link rather than a page route.
pub fn is_share_fragment(hash: &str) -> bool {
    hash.strip_prefix('#').unwrap_or(hash).starts_with("s=")
}

/// The page URL without its fragment (`https://host/sub/#/lab` → `https://host/sub/`).
pub fn without_fragment(href: &str) -> &str {
    href.split_once('#').map_or(href, |(base, _)| base)
}

/// The full share URL: the page URL with `#` and the scenario's fragment.
pub fn share_url(href: &str, fragment: &str) -> String {
    format!("{}#{fragment}", without_fragment(href))
}

/// What the lab opens for a fragment.
#[derive(Clone, Debug, PartialEq)]
pub enum Opening {
    /// A valid link: its scenario and the moment to pause at, if any.
    Link(OpenedLink),
    /// A broken link: the default scenario, and the sentence saying what was wrong.
    Broken {
        /// The scenario loaded instead.
        fallback: Scenario,
        /// Why the link could not be opened, for a person.
        reason: String,
    },
}

/// Opens a share-link fragment, falling back to the default scenario when it is broken.
pub fn open(fragment: &str) -> Opening {
    match Scenario::from_fragment(fragment) {
        Ok(link) => Opening::Link(link),
        Err(e) => Opening::Broken {
            fallback: scenario::default_scenario(),
            reason: e.to_string(),
        },
    }
}

/// The share fragment of a scenario, optionally pinned to a moment.
pub fn fragment(scenario: &Scenario, at: Option<SimTime>) -> Result<String, String> {
    scenario.to_fragment(at).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_told_apart_from_routes() {
        assert!(is_share_fragment("#s=1.abc"));
        assert!(is_share_fragment("s=1.abc&t=5"));
        assert!(!is_share_fragment("#/lab/network"));
        assert!(!is_share_fragment(""));
    }

    #[test]
    fn urls_replace_the_fragment() {
        assert_eq!(
            share_url("http://h/sub/#/lab/network", "s=1.x"),
            "http://h/sub/#s=1.x"
        );
        assert_eq!(share_url("http://h/sub/", "s=1.x"), "http://h/sub/#s=1.x");
        assert_eq!(
            share_url("http://h/?q=1#s=1.old", "s=1.x"),
            "http://h/?q=1#s=1.x"
        );
    }

    #[test]
    fn a_shared_scenario_opens_with_its_moment() {
        let scenario = scenario::default_scenario();
        let text = fragment(&scenario, Some(SimTime::from_millis(42))).expect("a link");
        match open(&format!("#{text}")) {
            Opening::Link(link) => {
                assert_eq!(link.scenario, scenario);
                assert_eq!(link.at, Some(SimTime::from_millis(42)));
            }
            other => panic!("expected a link, got {other:?}"),
        }
    }

    #[test]
    fn broken_links_fall_back_to_the_default_with_a_sentence() {
        let good = fragment(&scenario::default_scenario(), None).expect("a link");
        let truncated = &good[..good.len() / 2];
        let tampered = good.replace('A', "B").replace('a', "b");
        for broken in [
            truncated,
            "s=1.",
            "s=1.!!!!",
            "s=9.AAAA",
            "s=1.AAAAAAAAAAAAAAAAAAAAAA",
            tampered.as_str(),
            "s=1.eNrtwTEBAAAAwqD1T20JT6AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD4GAbcAAE",
        ] {
            match open(broken) {
                Opening::Broken { fallback, reason } => {
                    assert_eq!(fallback, scenario::default_scenario());
                    assert!(
                        reason.len() > 10 && reason.ends_with('.'),
                        "{broken}: {reason}"
                    );
                }
                Opening::Link(_) => panic!("{broken} opened"),
            }
        }
    }
}
