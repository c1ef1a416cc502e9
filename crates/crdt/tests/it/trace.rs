//! Replays the real editing trace of the automerge paper through [`Text`]: 259,778 single-
//! character edits typed by one author, ending in a 104,852-character LaTeX file.

use crdt::{CvRdt, DeltaRdt, ReplicaId, Text, TextDelta};
use std::io::Read;

/// The trace, from the editing-traces repository (Joseph Gentle and contributors; CC BY 4.0),
/// shipped in `crates/crdt/data/editing-traces/`.
const AUTOMERGE_PAPER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/editing-traces/automerge-paper.json.gz"
);

/// The concurrent traces: agents edit their own copies, which merge from time to time.
const CLOWNSCHOOL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/editing-traces/clownschool.json.gz"
);
const FRIENDSFOREVER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/editing-traces/friendsforever.json.gz"
);

/// One edit: at char offset `pos`, delete `del` chars, then insert `ins`.
struct Patch {
    pos: usize,
    del: usize,
    ins: String,
}

struct Trace {
    start: String,
    end: String,
    patches: Vec<Patch>,
    txns: Vec<Txn>,
}

/// A transaction of a concurrent trace: an agent's patches, made on the document as of
/// `parents` (indices of earlier transactions).
struct Txn {
    agent: u32,
    parents: Vec<usize>,
    patches: Vec<Patch>,
}

fn patch(p: &serde_json::Value) -> Patch {
    Patch {
        pos: p[0].as_u64().expect("pos") as usize,
        del: p[1].as_u64().expect("del") as usize,
        ins: p[2].as_str().expect("ins").to_string(),
    }
}

fn load(path: &str) -> Trace {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("open {path}: {e}"));
    let mut json = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut json)
        .unwrap_or_else(|e| panic!("gunzip {path}: {e}"));
    let v: serde_json::Value = serde_json::from_str(&json).expect("the trace is JSON");
    let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    let mut patches = Vec::new();
    let mut txns = Vec::new();
    for txn in v["txns"].as_array().expect("txns is an array") {
        let mine: Vec<Patch> = txn["patches"]
            .as_array()
            .expect("patches is an array")
            .iter()
            .map(patch)
            .collect();
        patches.extend(mine.iter().map(|p| Patch {
            pos: p.pos,
            del: p.del,
            ins: p.ins.clone(),
        }));
        txns.push(Txn {
            agent: txn["agent"].as_u64().unwrap_or(0) as u32,
            parents: txn["parents"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter_map(|p| p.as_u64())
                        .map(|p| p as usize)
                        .collect()
                })
                .unwrap_or_default(),
            patches: mine,
        });
    }
    Trace {
        start: text("startContent"),
        end: text("endContent"),
        patches,
        txns,
    }
}

/// Replays the first `n` patches into a fresh text at one replica.
fn replay(trace: &Trace, n: usize) -> Text {
    let me = ReplicaId(0);
    let mut text = Text::from_str_at(me, &trace.start);
    for p in &trace.patches[..n] {
        if p.del > 0 {
            text.delete(p.pos, p.del);
        }
        if !p.ins.is_empty() {
            text.insert_str(me, p.pos, &p.ins);
        }
    }
    text
}

/// The same prefix replayed on a `Vec<char>`, the reference.
fn replay_plain(trace: &Trace, n: usize) -> String {
    let mut chars: Vec<char> = trace.start.chars().collect();
    for p in &trace.patches[..n] {
        chars.drain(p.pos..p.pos + p.del);
        chars.splice(p.pos..p.pos, p.ins.chars());
    }
    chars.into_iter().collect()
}

#[test]
fn automerge_paper_prefix_matches_a_plain_replay() {
    let trace = load(AUTOMERGE_PAPER);
    assert_eq!(trace.patches.len(), 259_778);
    let n = 40_000;
    let text = replay(&trace, n);
    assert_eq!(text.to_string(), replay_plain(&trace, n));
}

/// The whole trace (about 8 s in a debug build, a quarter of a second in release; the
/// benchmark `examples/text_trace.rs` checks the same end content).
#[test]
fn automerge_paper_full_trace_gives_its_end_content() {
    let trace = load(AUTOMERGE_PAPER);
    let text = replay(&trace, trace.patches.len());
    assert_eq!(text.len(), 104_852);
    assert_eq!(text.to_string(), trace.end);
}

/// Replays a concurrent trace with one replica per agent. Before each transaction its agent's
/// replica catches up to exactly the transaction's parents, by merging the deltas of the
/// transactions in their history it has not seen (in trace order, which is causal); then it
/// applies the patches. At the end all replicas merge.
fn replay_concurrent(trace: &Trace) -> Vec<Text> {
    let agents = trace.txns.iter().map(|t| t.agent + 1).max().unwrap_or(1) as usize;
    let mut replicas: Vec<Text> = vec![Text::new(); agents];
    let mut seen: Vec<Vec<bool>> = vec![vec![false; trace.txns.len()]; agents];
    let mut deltas: Vec<TextDelta> = Vec::with_capacity(trace.txns.len());
    for (i, txn) in trace.txns.iter().enumerate() {
        let a = txn.agent as usize;
        // The parents' history this agent lacks: a depth-first walk that stops at what it
        // has seen (an agent's seen set is always closed under history).
        let mut missing = Vec::new();
        let mut stack: Vec<usize> = txn.parents.clone();
        while let Some(t) = stack.pop() {
            if !seen[a][t] {
                seen[a][t] = true;
                missing.push(t);
                stack.extend(trace.txns[t].parents.iter().copied());
            }
        }
        missing.sort_unstable();
        for t in missing {
            replicas[a].merge_delta(&deltas[t]);
        }
        let mut delta = TextDelta::default();
        for p in &txn.patches {
            if p.del > 0 {
                Text::join_deltas(&mut delta, &replicas[a].delete(p.pos, p.del));
            }
            if !p.ins.is_empty() {
                let d = replicas[a].insert_str(ReplicaId(txn.agent), p.pos, &p.ins);
                Text::join_deltas(&mut delta, &d);
            }
        }
        seen[a][i] = true;
        deltas.push(delta);
    }
    let mut all = Text::new();
    for r in &replicas {
        all.merge(r);
    }
    for r in &mut replicas {
        r.merge(&all);
    }
    replicas
}

#[test]
fn clownschool_agents_merge_to_its_end_content() {
    let trace = load(CLOWNSCHOOL);
    let replicas = replay_concurrent(&trace);
    assert_eq!(replicas.len(), 3);
    for r in &replicas {
        assert_eq!(r.to_string(), trace.end);
    }
}

#[test]
fn friendsforever_agents_merge_to_its_end_content() {
    let trace = load(FRIENDSFOREVER);
    let replicas = replay_concurrent(&trace);
    assert_eq!(replicas.len(), 2);
    for r in &replicas {
        assert_eq!(r.to_string(), trace.end);
    }
}
