//! The laws of a join, checked by name for every state-based type: merge is commutative,
//! associative and idempotent, and never loses an update (`a ≤ a ⊔ b`).
//!
//! States come from random *histories* of three replicas that act and merge each other's
//! states, so they share some updates and differ in others, as real replicas do. proptest
//! prints the failing history, which replays the case exactly.

use crate::lattice::Lattice;
use crdt::{
    CmRdt, CvRdt, GCounter, GSet, LwwMap, LwwRegister, MvRegister, OrSet, PnCounter, ReplicaId,
    Replicated, Text, TwoPSet,
};
use proptest::prelude::*;
use sim::{LocalTime, SimRng};

/// One step of a history: replica `actor` first merges the state of replica `merge_from`
/// (if it is another of the three), then performs a random action drawn from `seed`.
pub type Step = (usize, Option<usize>, u64);

pub fn history() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        (0..3usize, prop::option::of(0..3usize), any::<u64>()),
        0..24,
    )
}

/// Runs a history; returns the three replicas' states.
pub fn replay<C: Replicated>(steps: &[Step]) -> [C; 3] {
    let mut replicas: [C; 3] = Default::default();
    for (i, &(actor, merge_from, seed)) in steps.iter().enumerate() {
        if let Some(from) = merge_from.filter(|&f| f != actor) {
            let other = replicas[from].clone();
            replicas[actor].merge(&other);
        }
        let mut rng = SimRng::new(seed);
        let action = replicas[actor].random_action(&mut rng);
        // Distinct, growing clock readings so hybrid stamps are exercised too.
        let now = LocalTime(i as i64 * 1_000);
        replicas[actor].act(ReplicaId(actor as u32), now, &action);
    }
    replicas
}

fn joined<C: CvRdt + Clone>(a: &C, b: &C) -> C {
    let mut x = a.clone();
    x.merge(b);
    x
}

macro_rules! laws {
    ($module:ident, $ty:ty) => {
        mod $module {
            use super::*;

            proptest! {
                #[test]
                fn prop_merge_is_commutative(h in history()) {
                    let [a, b, _] = replay::<$ty>(&h);
                    prop_assert_eq!(joined(&a, &b), joined(&b, &a));
                }

                #[test]
                fn prop_merge_is_associative(h in history()) {
                    let [a, b, c] = replay::<$ty>(&h);
                    prop_assert_eq!(joined(&joined(&a, &b), &c), joined(&a, &joined(&b, &c)));
                }

                #[test]
                fn prop_merge_is_idempotent(h in history()) {
                    let [a, b, _] = replay::<$ty>(&h);
                    prop_assert_eq!(joined(&a, &a), a.clone());
                    let ab = joined(&a, &b);
                    prop_assert_eq!(joined(&ab, &b), ab);
                }

                #[test]
                fn prop_merge_never_loses_an_update(h in history()) {
                    let [a, b, _] = replay::<$ty>(&h);
                    let ab = joined(&a, &b);
                    prop_assert!(a.leq(&ab), "a ≰ a ⊔ b: {:?} vs {:?}", a, ab);
                    prop_assert!(b.leq(&ab), "b ≰ a ⊔ b: {:?} vs {:?}", b, ab);
                }

                #[test]
                fn prop_delta_merge_equals_state_merge(h in history(), seed in any::<u64>()) {
                    // The delta of an action, joined into another replica, has the same effect as
                    // the actor's whole new state when that replica had seen the actor's old state.
                    let [a, b, _] = replay::<$ty>(&h);
                    let mut b = joined(&b, &a);
                    let mut a = a;
                    let action = a.random_action(&mut SimRng::new(seed));
                    let delta = a.act(ReplicaId(0), LocalTime(1 << 40), &action);
                    let mut by_state = b.clone();
                    by_state.merge(&a);
                    crdt::DeltaRdt::merge_delta(&mut b, &delta);
                    prop_assert_eq!(b, by_state);
                }

                #[test]
                fn prop_concurrent_ops_commute(h in history(), s1 in any::<u64>(), s2 in any::<u64>()) {
                    // Two replicas that share a state each act; applying both operation
                    // sequences in either order ends in the same state.
                    let [base, _, _] = replay::<$ty>(&h);
                    let (mut x, mut y) = (base.clone(), base.clone());
                    let a1 = x.random_action(&mut SimRng::new(s1));
                    let a2 = y.random_action(&mut SimRng::new(s2));
                    let ops1 = x.act_op(ReplicaId(7), LocalTime(1 << 40), &a1);
                    let ops2 = y.act_op(ReplicaId(8), LocalTime(1 << 40), &a2);
                    for op in &ops2 { x.apply(op); }
                    for op in &ops1 { y.apply(op); }
                    prop_assert_eq!(x, y);
                }
            }
        }
    };
}

laws!(g_counter, GCounter);
laws!(pn_counter, PnCounter);
laws!(lww_register, LwwRegister<u32>);
laws!(mv_register, MvRegister<u32>);
laws!(g_set, GSet<u32>);
laws!(two_p_set, TwoPSet<u32>);
laws!(or_set, OrSet<u32>);
laws!(lww_map, LwwMap<u32, u32>);
laws!(text, Text);
