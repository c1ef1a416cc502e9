//! The CRDT lab's explainer: what each type does under concurrency and why its merge
//! converges, and what the run on screen shows — who agrees, how fast each sync mode got
//! there and at what cost, and what the naive twin got wrong with the same updates.

use crate::kit::format;
use scenario::CrdtRun;
use scenario::crdt_lab::{CrdtType, ValueKind};

/// The name of distinct state `n`: A, B, … Z, AA, AB …
pub fn state_name(n: u32) -> String {
    let mut n = n as usize;
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// What the type does when updates are concurrent, and why its merge converges.
pub fn semantics(t: CrdtType) -> [&'static str; 2] {
    match t {
        CrdtType::GCounter => [
            "A G-Counter keeps one count per replica; each replica only raises its own entry, and the value is the sum. Every increment counts, concurrent or not.",
            "Merging takes the larger count entry by entry. The maximum is commutative, associative and idempotent, so replicas agree however often and in whatever order states arrive, and a merge never loses an increment.",
        ],
        CrdtType::PnCounter => [
            "A PN-Counter is two G-Counters, one for increments and one for decrements; the value is their difference. Every addition and subtraction counts.",
            "Each half merges by entry-wise maximum, a join, so the pair converges like a G-Counter does.",
        ],
        CrdtType::LwwRegister => [
            "A last-writer-wins register keeps one value and the timestamp of its write; of concurrent writes, the one with the larger timestamp wins (ties: the larger replica id). Concurrent writes are silently lost, and a slow clock can make an older write win.",
            "Merging keeps the value with the larger (timestamp, replica) pair: a maximum, so commutative, associative and idempotent. Timestamps come from a hybrid logical clock, so a write made after seeing another always wins over it.",
        ],
        CrdtType::MvRegister => [
            "A multi-value register keeps every value written concurrently, each tagged with a dot (replica, sequence). A later write that has seen them replaces them all: concurrency is shown, not hidden.",
            "Merging keeps the values the other side has not seen superseded, using version vectors; this is a join on (dots, causal context), so it converges.",
        ],
        CrdtType::GSet => [
            "A grow-only set: elements can be added, never removed.",
            "Merging is set union: commutative, associative and idempotent.",
        ],
        CrdtType::TwoPSet => [
            "A two-phase set keeps an added set and a removed set (tombstones). A replica may remove only an element it holds; removal then wins over any add, and an element once removed can never come back.",
            "Both sets only grow and merge by union, so the pair converges; the price is tombstones that are never collected.",
        ],
        CrdtType::OrSet => [
            "An observed-remove set tags each add with a unique dot; a remove deletes only the dots its replica has seen. A concurrent add has a dot the remove never saw, so it survives: add wins.",
            "State = dots present plus a causal context of every dot ever seen; merging keeps a dot if both sides have it or one side has it and the other never saw it. That is a join, so replicas converge without tombstones per element.",
        ],
        CrdtType::LwwMap => [
            "A map whose every key is a last-writer-wins register; removing a key writes a timestamped tombstone, so a concurrent later put brings the key back.",
            "Merging is per key: keep the larger (timestamp, replica) entry, a join per key, so the map converges.",
        ],
        CrdtType::Text => [
            "A YATA sequence: every character has a unique id and remembers its neighbours when it was typed (its origins). Concurrent insertions at the same place are ordered by those origins, then by replica id, identically everywhere. Deleted characters stay as tombstones.",
            "Integrating a character depends only on its origins and on characters already integrated, never on arrival order, so every replica builds the same sequence from the same set of insertions and deletions.",
        ],
        CrdtType::NaiveCounter => [
            "Not a CRDT: each replica holds a number and ships it; a replica receiving a number simply takes it. The last message received wins.",
            "Taking the other's value is neither commutative nor inflationary: which value survives depends on message order, and increments made concurrently overwrite each other and are lost.",
        ],
        CrdtType::NaiveRegister => [
            "Not a CRDT: a register replicated by shipping its value, the last message received winning.",
            "Without timestamps or version vectors there is no agreed order: replicas can end holding different values, or agree on one that was not the last written.",
        ],
    }
}

/// What a sync mode costs and buys.
pub fn mode_note(mode: &crdt::SyncMode) -> &'static str {
    match mode {
        crdt::SyncMode::State { .. } => {
            "State-based sync ships the whole state every round: robust to any loss and duplication, but the bytes grow with the state."
        }
        crdt::SyncMode::Op { .. } => {
            "Op-based sync floods each operation once and delivers it in causal order (vector clocks; early operations wait in a buffer); a periodic digest repairs what was lost."
        }
        crdt::SyncMode::Delta { .. } => {
            "Delta-state sync ships only what changed since the peer last acknowledged, falling back to the whole state when it has discarded the deltas the peer lacks."
        }
    }
}

/// The paragraphs describing the run so far.
pub fn explain(run: &CrdtRun) -> Vec<String> {
    let params = run.params();
    let groups = run.state_groups();
    let values = run.values();
    let report = run.report();
    let mut out = Vec::new();
    let updates = params
        .actions
        .iter()
        .filter(|a| {
            a.at <= run.now() && matches!(a.kind, scenario::scenario::ActionKind::Update { .. })
        })
        .count();
    // Who agrees.
    if groups.count <= 1 {
        let value = values.first().cloned().unwrap_or_default();
        out.push(if updates == 0 {
            format!(
                "No update yet: all {} replicas hold the initial value {value}. Select a replica and act on it, or press Play.",
                format::count(u64::from(params.replicas))
            )
        } else {
            format!(
                "All {} replicas hold the same state: {value}.",
                format::count(u64::from(params.replicas))
            )
        });
    } else {
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups.count as usize];
        for (i, &g) in groups.group_of.iter().enumerate() {
            members[g as usize].push(i);
        }
        let shown: Vec<String> = members
            .iter()
            .enumerate()
            .take(4)
            .map(|(g, m)| {
                format!(
                    "{} ({} replica{}) holds {}",
                    state_name(g as u32),
                    m.len(),
                    if m.len() == 1 { "" } else { "s" },
                    values[m[0]]
                )
            })
            .collect();
        out.push(format!(
            "The replicas disagree: {} distinct states. {}{}.",
            groups.count,
            shown.join("; "),
            if groups.count > 4 { "; …" } else { "" }
        ));
    }
    // Convergence and cost, per mode.
    if updates > 0 {
        let names = ["state-based", "op-based", "delta-state"];
        let parts: Vec<String> = (0..3)
            .map(|i| {
                let when = match report.convergence_by_mode[i] {
                    Some(d) => format!("converged {} after the last update", format::time_ns(d.0)),
                    None => "has not converged yet".to_owned(),
                };
                format!(
                    "{} {when}, sending {}",
                    names[i],
                    format::bytes(report.bytes_by_mode[i])
                )
            })
            .collect();
        out.push(format!(
            "On the same updates and faults: {}.",
            parts.join("; ")
        ));
    }
    out.push(mode_note(&params.sync).to_owned());
    // The naive twin.
    if let Some(naive) = run.naive_values()
        && updates > 0
    {
        let mut distinct = naive.clone();
        distinct.sort();
        distinct.dedup();
        let crdt_value = (groups.count == 1).then(|| values[0].clone());
        let sample: Vec<String> = distinct.iter().take(5).cloned().collect();
        let what = match params.data_type.value_kind() {
            ValueKind::Counter => "counter",
            _ => "register",
        };
        out.push(match (&crdt_value, distinct.as_slice()) {
            (Some(v), [only]) if only == v => format!(
                "A naive {what} fed the same updates also ends at {v} in this run: without concurrent updates, “last message wins” can look fine. Make two replicas update at the same moment (or split the network) and run again."
            ),
            (Some(v), _) => format!(
                "A naive {what} fed the same updates ends holding {} where the {} holds {v}: {}",
                sample.join(", "),
                params.data_type.name(),
                if what == "counter" {
                    "concurrent increments overwrote each other and were lost."
                } else {
                    "the order messages happened to arrive in decided the value."
                }
            ),
            (None, _) => format!(
                "A naive {what} fed the same updates holds {} right now.",
                sample.join(", ")
            ),
        });
    }
    if params.data_type.is_naive() && updates > 0 {
        out.push(switch_from_naive(params.data_type).to_owned());
    }
    let totals = run.totals();
    if totals.buffered_ops > 0 {
        out.push(format!(
            "{} operations wait for causal delivery: they arrived before operations they depend on.",
            format::count(totals.buffered_ops)
        ));
    }
    let replicas = u64::from(params.replicas.max(1));
    let per_replica = (totals.metadata_bytes + totals.sync_metadata_bytes) / replicas;
    let elements = totals.elements / replicas;
    out.push(
        if let Some(per_element) = per_replica.checked_div(elements) {
            format!(
                "Each replica keeps about {} of metadata beside its value, {} per element.",
                format::bytes(per_replica),
                format::bytes(per_element)
            )
        } else {
            format!(
                "Each replica keeps about {} of metadata beside its value.",
                format::bytes(per_replica)
            )
        },
    );
    out
}

/// What to switch to from a naive type, and what that CRDT keeps.
pub fn switch_from_naive(data_type: CrdtType) -> &'static str {
    match data_type.value_kind() {
        ValueKind::Counter => {
            "Switch the type to a PN-Counter (or a G-Counter, if it only grows) and run the same updates: the CRDT keeps every increment and converges."
        }
        _ => {
            "Switch the type to an MV-Register and run the same updates: it keeps every value written concurrently and converges. An LWW-Register converges too, but keeps only the write with the latest timestamp: concurrent writes are lost, by design."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::crdt_lab::crdt_presets;

    /// The suggestion after a naive register names the type that keeps concurrent writes; the
    /// crdt crate's registers behave as the sentence says.
    #[test]
    fn the_switch_suggestion_keeps_what_it_says_it_keeps() {
        use crdt::{CvRdt, LwwRegister, MvRegister, ReplicaId};
        let (a, b) = (ReplicaId(1), ReplicaId(2));
        let (mut lww_a, mut lww_b) = (LwwRegister::new(), LwwRegister::new());
        lww_a.set(a, 1u32);
        lww_b.set(b, 2u32);
        lww_a.merge(&lww_b);
        let (mut mv_a, mut mv_b) = (MvRegister::new(), MvRegister::new());
        mv_a.set(a, 1u32);
        mv_b.set(b, 2u32);
        mv_a.merge(&mv_b);
        assert_eq!(mv_a.values(), vec![&1, &2], "the MV-Register keeps both");
        assert!(lww_a.value().is_some(), "the LWW-Register keeps one");
        let text = switch_from_naive(CrdtType::NaiveRegister);
        assert!(text.contains("Switch the type to an MV-Register"), "{text}");
        assert!(text.contains("concurrent writes are lost"), "{text}");
        let counter = switch_from_naive(CrdtType::NaiveCounter);
        assert!(
            counter.contains("PN-Counter") && !counter.contains("Register"),
            "{counter}"
        );
    }

    #[test]
    fn state_names_count_like_spreadsheet_columns() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 701, 702].map(state_name).to_vec();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
    }

    fn finished(name: &str) -> CrdtRun {
        let p = crdt_presets()
            .into_iter()
            .find(|p| p.name == name)
            .expect("preset");
        let mut run = CrdtRun::new(&p.scenario).expect("valid");
        run.run_to_end();
        run
    }

    #[test]
    fn the_partition_run_is_explained_with_the_naive_twin_losing_increments() {
        let text = explain(&finished("Partition, then heal")).join("\n");
        assert!(
            text.contains("All 8 replicas hold the same state"),
            "{text}"
        );
        assert!(text.contains("state-based converged"), "{text}");
        assert!(text.contains("were lost"), "{text}");
    }

    #[test]
    fn a_run_in_progress_names_the_disagreeing_states() {
        let p = crdt_presets()
            .into_iter()
            .find(|p| p.name == "Partition, then heal")
            .expect("preset");
        let mut run = CrdtRun::new(&p.scenario).expect("valid");
        run.advance(sim::RunBudget {
            until: sim::SimTime::from_millis(2_900),
            max_events: u64::MAX,
        });
        let text = explain(&run).join("\n");
        assert!(
            text.contains("The replicas disagree: 2 distinct states"),
            "{text}"
        );
        assert!(text.contains("A (4 replicas)"), "{text}");
    }

    #[test]
    fn every_type_has_notes() {
        for t in CrdtType::ALL {
            for note in semantics(t) {
                assert!(note.len() > 40, "{t:?}");
            }
        }
    }
}
