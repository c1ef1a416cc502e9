//! What every lab's parameters answer, so that the code labs share (validation, action logs,
//! forks and their menu, the app's kit) asks the lab instead of matching on [`Lab`].
//!
//! Each lab implements [`LabScenario`] beside its scenario type; [`Lab::as_lab`] and
//! [`Lab::as_lab_mut`] are the only places that list the variants.
//!
//! [`Lab`]: crate::scenario::Lab
//! [`Lab::as_lab`]: crate::scenario::Lab::as_lab
//! [`Lab::as_lab_mut`]: crate::scenario::Lab::as_lab_mut

use crate::fork::{Change, ChangeKind};
use crate::scenario::{Action, ScenarioError};
use sim::{LinkParams, SimDuration};

/// A lab's own menu of alternatives for a fork: what [`ChangeKind::Variant`] means in this lab
/// ("Another call semantics"), so a new lab offers its own kind of change without a new
/// variant of [`ChangeKind`] or [`Change`]. The chosen key comes back as
/// [`Change::Variant`], which the lab applies in [`LabScenario::apply`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VariantMenu {
    /// The fork menu's entry (`Another call semantics`).
    pub label: &'static str,
    /// The value field's label (`Semantics in the fork`).
    pub value_label: &'static str,
    /// What the choice is about, in lowercase, for descriptions and messages (`semantics`).
    pub what: &'static str,
    /// The alternatives: (stable key, name), in menu order.
    pub choices: &'static [(&'static str, &'static str)],
    /// The key of the scenario's own choice.
    pub current: &'static str,
}

impl VariantMenu {
    /// The name of the choice whose key is `key`.
    pub fn name_of(&self, key: &str) -> Option<&'static str> {
        self.choices
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, name)| *name)
    }
}

/// A lab's parameters, as the rest of the project sees them.
pub trait LabScenario {
    /// The route of the lab's page (`network` for `#/lab/network`).
    fn route(&self) -> &'static str;

    /// Adds every problem with these parameters to `problem` (field, sentence); `seed` and
    /// `duration` are the scenario's.
    fn add_problems(&self, seed: u64, duration: SimDuration, problem: &mut dyn FnMut(&str, String));

    /// The action log (empty for a lab that records none).
    fn actions(&self) -> &[Action] {
        &[]
    }

    /// The action log to append to, for a lab that records actions (faults, updates).
    fn actions_mut(&mut self) -> Option<&mut Vec<Action>> {
        None
    }

    /// The parameters of every link, for a lab on the kernel's shared network.
    fn link(&self) -> Option<&LinkParams> {
        None
    }

    /// The link parameters to change, for a lab on the shared network.
    fn link_mut(&mut self) -> Option<&mut LinkParams> {
        None
    }

    /// How many nodes the network has (what a crash or a split can name); 0 without one.
    fn network_nodes(&self) -> u32 {
        0
    }

    /// The kinds of change a fork of this run offers, in menu order.
    fn fork_menu(&self) -> Vec<ChangeKind>;

    /// A value to start from for one of this lab's own kinds of change (protocol, sync mode,
    /// rounds, policy…), differing from the scenario's; `None` for a kind it does not own.
    fn suggest(&self, kind: ChangeKind) -> Option<String> {
        let _ = kind;
        None
    }

    /// The change one of this lab's own kinds makes with `value`, or what to fix; `None` for a
    /// kind it does not own.
    fn lab_change(&self, kind: ChangeKind, value: &str) -> Option<Result<Change, String>> {
        let _ = (kind, value);
        None
    }

    /// The lab's own menu of alternatives, if it offers [`ChangeKind::Variant`] in its
    /// [`LabScenario::fork_menu`]; `None` (the default) for a lab without one.
    fn variant_menu(&self) -> Option<VariantMenu> {
        None
    }

    /// Applies one of this lab's own changes (protocol, sync mode, policy…) to its parameters,
    /// or says why it cannot; `None` for a change that is not about this lab.
    fn apply(&mut self, change: &Change) -> Option<Result<(), ScenarioError>> {
        let _ = change;
        None
    }
}
