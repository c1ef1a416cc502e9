//! Scenarios as JSON files: exported for keeping, editing by hand or attaching to an exercise,
//! and imported back with every problem reported (malformed JSON with its line and column,
//! unknown fields, values out of range), never a panic.

use crate::scenario::{Scenario, ScenarioError};
use core::fmt;

/// Largest scenario file accepted: 1 MiB (a scenario with the most actions allowed is far
/// smaller).
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Why a scenario file could not be imported.
#[derive(Debug)]
pub enum ImportError {
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// The text is not JSON, or not a scenario's JSON.
    Malformed {
        /// What the parser said, with line and column.
        message: String,
    },
    /// The scenario parsed but cannot run.
    Invalid(ScenarioError),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::TooLarge { bytes } => write!(
                f,
                "The file has {bytes} bytes; a scenario file has at most {MAX_FILE_BYTES}."
            ),
            ImportError::Malformed { message } => {
                write!(f, "This is not a Continuum scenario file: {message}.")
            }
            ImportError::Invalid(e) => {
                write!(f, "This file describes a scenario that cannot run: {e}.")
            }
        }
    }
}

impl std::error::Error for ImportError {}

impl Scenario {
    /// The scenario as pretty-printed JSON (field names as in the Rust types; durations and
    /// times in nanoseconds).
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a scenario file: size first, then the JSON, then the scenario's own validation.
    pub fn from_json(text: &str) -> Result<Scenario, ImportError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(ImportError::TooLarge { bytes: text.len() });
        }
        let scenario: Scenario =
            serde_json::from_str(text).map_err(|e| ImportError::Malformed {
                message: e.to_string(),
            })?;
        scenario.validate().map_err(ImportError::Invalid)?;
        Ok(scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crdt_lab::crdt_presets;
    use crate::scenario::broadcast_presets;

    #[test]
    fn every_preset_round_trips_through_json() {
        for p in broadcast_presets().into_iter().chain(crdt_presets()) {
            let json = p.scenario.to_json();
            let back = Scenario::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert_eq!(back, p.scenario, "{}", p.name);
        }
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let e = Scenario::from_json("{\"seed\": 1,")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("not a Continuum scenario file") && e.contains("line 1"),
            "{e}"
        );
        let e = Scenario::from_json("[1, 2, 3]").unwrap_err().to_string();
        assert!(e.contains("not a Continuum scenario file"), "{e}");
        let json = crdt_presets()[0]
            .scenario
            .to_json()
            .replace("\"replicas\": 5", "\"replicas\": 0");
        let e = Scenario::from_json(&json).unwrap_err().to_string();
        assert!(e.contains("cannot run") && e.contains("nodes"), "{e}");
        let huge = " ".repeat(MAX_FILE_BYTES + 1);
        assert!(matches!(
            Scenario::from_json(&huge),
            Err(ImportError::TooLarge { .. })
        ));
    }
}
