//! Links and files made before a change keep opening after it.
//!
//! `old_links/` holds share links of every preset of every lab (and a link to a moment) and a
//! scenario file of each lab's default, all made on main on 2026-12-03, before the lab kit
//! restructured the code. They were made by encoding the presets of that day; they are kept
//! byte for byte and must never be regenerated: a failure here means old links broke.

use scenario::Scenario;

const LINKS: &str = include_str!("old_links/links.tsv");

/// The scenario files, by the route of the lab they belong to.
const FILES: [(&str, &str); 4] = [
    ("network", include_str!("old_links/network.json")),
    ("crdt", include_str!("old_links/crdt.json")),
    ("edge", include_str!("old_links/edge.json")),
    ("energy", include_str!("old_links/energy.json")),
];

#[test]
fn every_old_share_link_opens_in_its_lab() {
    let mut opened = 0;
    for line in LINKS.lines().filter(|l| !l.trim().is_empty()) {
        let mut cols = line.split('\t');
        let (Some(lab), Some(name), Some(fragment)) = (cols.next(), cols.next(), cols.next())
        else {
            panic!("malformed fixture line: {line:?}");
        };
        let link = Scenario::from_fragment(fragment)
            .unwrap_or_else(|e| panic!("{lab} / {name}: the old link no longer opens: {e}"));
        assert_eq!(
            link.scenario.lab.route(),
            lab,
            "{name}: opens in another lab"
        );
        assert_eq!(
            scenario::link::lab_hint(fragment),
            Some(lab),
            "{name}: the lab hint"
        );
        // What it opens re-encodes to a link that opens to the same scenario.
        let again = link.scenario.to_fragment(None).expect("encodes");
        let reopened = Scenario::from_fragment(&again).expect("re-encoded link opens");
        assert_eq!(reopened.scenario, link.scenario, "{name}: round trip");
        opened += 1;
    }
    assert!(opened >= 20, "only {opened} old links were checked");
}

#[test]
fn old_link_to_a_moment_keeps_its_moment() {
    let line = LINKS
        .lines()
        .find(|l| l.contains("at half time"))
        .expect("the fixture has a link to a moment");
    let fragment = line.rsplit('\t').next().unwrap();
    let link = Scenario::from_fragment(fragment).expect("opens");
    let at = link.at.expect("the link names a moment");
    assert_eq!(at.as_nanos(), link.scenario.duration.as_nanos() / 2);
}

#[test]
fn every_old_scenario_file_opens_in_its_lab() {
    for (lab, text) in FILES {
        let scenario =
            Scenario::from_json(text).unwrap_or_else(|e| panic!("{lab}.json no longer opens: {e}"));
        assert_eq!(scenario.lab.route(), lab);
        // The file and the default link of that day describe the same run.
        let back = Scenario::from_json(&scenario.to_json()).expect("round trip");
        assert_eq!(back, scenario, "{lab}.json round trip");
    }
}
