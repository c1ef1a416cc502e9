//! Replays the real editing trace of the automerge paper through [`Text`]: 259,778 single-
//! character edits typed by one author, ending in a 104,852-character LaTeX file.

use crdt::{ReplicaId, Text};
use std::io::Read;

/// The trace, from Martin Kleppmann's editing-traces repository (shipped in the workspace).
const AUTOMERGE_PAPER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/editing-traces/automerge-paper.json.gz"
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
    for txn in v["txns"].as_array().expect("txns is an array") {
        for p in txn["patches"].as_array().expect("patches is an array") {
            patches.push(Patch {
                pos: p[0].as_u64().expect("pos") as usize,
                del: p[1].as_u64().expect("del") as usize,
                ins: p[2].as_str().expect("ins").to_string(),
            });
        }
    }
    Trace {
        start: text("startContent"),
        end: text("endContent"),
        patches,
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

/// The full trace takes a few seconds in a debug build, so it runs with `--ignored` (or in
/// release: `cargo test -p crdt --release -- --ignored`).
#[test]
#[ignore]
fn automerge_paper_full_trace_gives_its_end_content() {
    let trace = load(AUTOMERGE_PAPER);
    let text = replay(&trace, trace.patches.len());
    assert_eq!(text.len(), 104_852);
    assert_eq!(text.to_string(), trace.end);
}
