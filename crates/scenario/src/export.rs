//! A lab's curves as CSV files (time in milliseconds, one row per sample).

use crate::broadcast_run::Sample;
use crate::crdt_run::CrdtSample;

fn ms(t: sim::SimTime) -> String {
    let text = format!("{:.6}", t.as_millis_f64());
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// The network lab's curves, one row per sample.
pub fn broadcast_csv(samples: &[Sample]) -> String {
    let mut out = String::from("time_ms,informed_fraction,messages_sent,messages_dropped\n");
    for s in samples {
        out.push_str(&format!(
            "{},{},{},{}\n",
            ms(s.time),
            s.informed_fraction,
            s.messages_sent,
            s.messages_dropped
        ));
    }
    out
}

/// The CRDT lab's curves, one row per sample (an empty field: the type has no naive twin).
pub fn crdt_csv(samples: &[CrdtSample]) -> String {
    let mut out = String::from(
        "time_ms,distinct_states,distinct_state_sync,distinct_op_sync,distinct_delta_sync,bytes_state_sync,bytes_op_sync,bytes_delta_sync,metadata_bytes_per_replica,buffered_ops,naive_distinct_states\n",
    );
    for s in samples {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            ms(s.time),
            s.distinct_states,
            s.distinct_by_mode[0],
            s.distinct_by_mode[1],
            s.distinct_by_mode[2],
            s.bytes_by_mode[0],
            s.bytes_by_mode[1],
            s.bytes_by_mode[2],
            s.metadata_bytes_per_replica,
            s.buffered_ops,
            s.naive_distinct.map_or(String::new(), |d| d.to_string())
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crdt_lab::default_crdt_scenario;
    use crate::scenario::broadcast_presets;
    use crate::{BroadcastRun, CrdtRun};

    #[test]
    fn csv_has_a_header_and_one_row_per_sample() {
        let mut b = BroadcastRun::new(&broadcast_presets()[0].scenario).expect("valid");
        b.run_to_end();
        let csv = broadcast_csv(b.samples());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), b.samples().len() + 1);
        assert!(lines.iter().all(|l| l.split(',').count() == 4));
        assert!(
            lines.last().unwrap().starts_with("1000,"),
            "{}",
            lines.last().unwrap()
        );

        let mut c = CrdtRun::new(&default_crdt_scenario()).expect("valid");
        c.run_to_end();
        let csv = crdt_csv(c.samples());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), c.samples().len() + 1);
        assert!(
            lines.iter().all(|l| l.split(',').count() == 11),
            "{}",
            lines[1]
        );
    }
}
