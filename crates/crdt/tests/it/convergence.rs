//! Seeded convergence fuzzers, in the manner of diamond-types' and yrs' fuzzers: 3–8 replicas
//! act concurrently while their messages are delivered in random order, duplicated, lost and
//! cut by partitions; after the partition heals and everything lost is repaired, all replicas
//! must be equal. Every failure names the seed; `schedule(seed)` replays it exactly.
//!
//! The naive counterpart runs in the same harness and is shown to lose updates and diverge.

use crdt::{
    CausalDelivery, CausalMsg, CvRdt, GCounter, GSet, LwwMap, LwwRegister, MvRegister,
    NaiveCounter, NaiveRegister, OrSet, PnCounter, ReplicaId, Replicated, Text, TwoPSet,
};
use sim::{LocalTime, SimRng};

/// How replicas tell each other about updates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sync {
    /// Every so often a replica sends its whole state to a random peer.
    State,
    /// Each action's delta goes to every peer; lost deltas are repaired by a full state.
    Delta,
    /// Each action's operations go to every peer through causal delivery; lost ones are
    /// re-sent from the issuer's log.
    Op,
}

enum Payload<C: Replicated> {
    State(C),
    Delta(C::Delta),
    Op(CausalMsg<C::Op>),
}

struct Envelope<C: Replicated> {
    from: usize,
    to: usize,
    payload: Payload<C>,
}

struct Replica<C: Replicated> {
    id: ReplicaId,
    state: C,
    causal: CausalDelivery<C::Op>,
}

/// What a schedule did, for the assertions.
pub struct Outcome<C: Replicated> {
    /// The replicas' final states.
    pub states: Vec<C>,
    /// Every action, with who did it.
    pub actions: Vec<(ReplicaId, C::Action)>,
    /// How many messages were lost, duplicated or cut by a partition.
    pub lost: usize,
    /// How many were duplicated.
    pub duplicated: usize,
}

impl<C: Replicated> Outcome<C> {
    /// `Err` naming the first replica that differs from replica 0.
    pub fn converged(&self) -> Result<(), String> {
        for (i, s) in self.states.iter().enumerate().skip(1) {
            if *s != self.states[0] {
                return Err(format!(
                    "replica r{i} differs from r0:\n  r0: {:?}\n  r{i}: {:?}",
                    self.states[0], s
                ));
            }
        }
        Ok(())
    }
}

fn deliver<C: Replicated>(replicas: &mut [Replica<C>], env: Envelope<C>) {
    let r = &mut replicas[env.to];
    match env.payload {
        Payload::State(s) => r.state.merge(&s),
        Payload::Delta(d) => r.state.merge_delta(&d),
        Payload::Op(m) => {
            let state = &mut r.state;
            r.causal.receive(m, |op| state.apply(op));
        }
    }
}

fn clone_payload<C: Replicated>(p: &Payload<C>) -> Payload<C> {
    match p {
        Payload::State(s) => Payload::State(s.clone()),
        Payload::Delta(d) => Payload::Delta(d.clone()),
        Payload::Op(m) => Payload::Op(m.clone()),
    }
}

/// Runs one random schedule of `sync` for type `C`, derived entirely from `seed`.
pub fn schedule<C: Replicated>(seed: u64, sync: Sync) -> Outcome<C> {
    let mut rng = SimRng::new(seed);
    let n = 3 + rng.below(6) as usize;
    let steps = 80 + rng.below(120) as usize;
    let loss = rng.unit_f64() * 0.3;
    let duplicate = rng.unit_f64() * 0.3;
    let mut replicas: Vec<Replica<C>> = (0..n)
        .map(|i| Replica {
            id: ReplicaId(i as u32),
            state: C::default(),
            causal: CausalDelivery::new(),
        })
        .collect();
    let mut bag: Vec<Envelope<C>> = Vec::new();
    let mut actions = Vec::new();
    let (mut lost, mut duplicated) = (0, 0);
    // `side[i]` is replica i's side of the current partition, if there is one.
    let mut side: Option<Vec<bool>> = None;

    for step in 0..steps {
        let roll = rng.unit_f64();
        if roll < 0.35 {
            // A user acts on a random replica.
            let i = rng.below(n as u64) as usize;
            let action = replicas[i].state.random_action(&mut rng);
            let r = &mut replicas[i];
            let now = LocalTime(step as i64 * 1_000_000 + rng.below(5_000_000) as i64);
            match sync {
                Sync::State => {
                    r.state.act(r.id, now, &action);
                }
                Sync::Delta => {
                    let delta = r.state.act(r.id, now, &action);
                    for to in (0..n).filter(|&to| to != i) {
                        bag.push(Envelope {
                            from: i,
                            to,
                            payload: Payload::Delta(delta.clone()),
                        });
                    }
                }
                Sync::Op => {
                    for op in r.state.act_op(r.id, now, &action) {
                        let msg = r.causal.issue(r.id, op);
                        for to in (0..n).filter(|&to| to != i) {
                            bag.push(Envelope {
                                from: i,
                                to,
                                payload: Payload::Op(msg.clone()),
                            });
                        }
                    }
                }
            }
            actions.push((replicas[i].id, action));
        } else if roll < 0.45 && sync == Sync::State {
            // Anti-entropy: a replica sends its state to a random peer.
            let from = rng.below(n as u64) as usize;
            let to = (from + 1 + rng.below(n as u64 - 1) as usize) % n;
            bag.push(Envelope {
                from,
                to,
                payload: Payload::State(replicas[from].state.clone()),
            });
        } else if roll < 0.48 {
            // Partition into two random sides, or heal.
            side = match side {
                Some(_) => None,
                None => Some((0..n).map(|_| rng.chance(0.5)).collect()),
            };
        } else if let Some(k) = rng.index(bag.len()) {
            // Deliver a random message (reordering), perhaps a copy of it (duplication),
            // or lose it.
            let env = bag.swap_remove(k);
            if rng.chance(duplicate) {
                duplicated += 1;
                bag.push(Envelope {
                    from: env.from,
                    to: env.to,
                    payload: clone_payload(&env.payload),
                });
            }
            let cut = side.as_ref().is_some_and(|s| s[env.from] != s[env.to]);
            if cut || rng.chance(loss) {
                lost += 1;
            } else {
                deliver(&mut replicas, env);
            }
        }
    }

    // Heal, deliver what is still in flight (in random order), then repair what was lost.
    while let Some(k) = rng.index(bag.len()) {
        let env = bag.swap_remove(k);
        deliver(&mut replicas, env);
    }
    repair(&mut replicas, sync);
    Outcome {
        states: replicas.into_iter().map(|r| r.state).collect(),
        actions,
        lost,
        duplicated,
    }
}

/// Anti-entropy after the heal: what each sync mode does to recover lost messages.
fn repair<C: Replicated>(replicas: &mut [Replica<C>], sync: Sync) {
    let n = replicas.len();
    match sync {
        // Everyone to r0, then r0 to everyone.
        Sync::State | Sync::Delta => {
            for i in 1..n {
                let s = replicas[i].state.state_as_delta();
                replicas[0].state.merge_delta(&s);
            }
            let all = replicas[0].state.state_as_delta();
            for r in replicas.iter_mut().skip(1) {
                r.state.merge_delta(&all);
            }
        }
        // Each replica re-sends what its peer has not delivered, from its log: two rounds
        // reach everyone, since the first round gathers everything at every replica's peers.
        Sync::Op => {
            for _round in 0..2 {
                for from in 0..n {
                    for to in (0..n).filter(|&to| to != from) {
                        let missing: Vec<CausalMsg<C::Op>> = replicas[from]
                            .causal
                            .missing_for(replicas[to].causal.delivered())
                            .cloned()
                            .collect();
                        for m in missing {
                            deliver(
                                replicas,
                                Envelope {
                                    from,
                                    to,
                                    payload: Payload::Op(m),
                                },
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Seeds per type and mode in a normal test run.
const SEEDS: u64 = 60;

fn converges<C: Replicated>(sync: Sync) {
    for seed in 0..SEEDS {
        let outcome = schedule::<C>(seed, sync);
        if let Err(e) = outcome.converged() {
            panic!(
                "{} with {sync:?} sync did not converge; replay with schedule::<{}>({seed}, Sync::{sync:?}) (seed {seed}):\n{e}",
                C::NAME,
                std::any::type_name::<C>()
            );
        }
    }
}

macro_rules! convergence {
    ($module:ident, $ty:ty) => {
        mod $module {
            use super::*;
            #[test]
            fn converges_by_state() {
                converges::<$ty>(Sync::State);
            }
            #[test]
            fn converges_by_delta() {
                converges::<$ty>(Sync::Delta);
            }
            #[test]
            fn converges_by_op() {
                converges::<$ty>(Sync::Op);
            }
        }
    };
}

convergence!(g_counter, GCounter);
convergence!(pn_counter, PnCounter);
convergence!(lww_register, LwwRegister<u32>);
convergence!(mv_register, MvRegister<u32>);
convergence!(g_set, GSet<String>);
convergence!(two_p_set, TwoPSet<u32>);
convergence!(or_set, OrSet<String>);
convergence!(lww_map, LwwMap<char, u32>);
convergence!(text, Text);

/// Counters also keep every increment: the converged value is the sum of all actions.
#[test]
fn counters_count_every_increment_in_every_mode() {
    for sync in [Sync::State, Sync::Delta, Sync::Op] {
        for seed in 0..SEEDS {
            let g = schedule::<GCounter>(seed, sync);
            let sum: u64 = g.actions.iter().map(|(_, by)| by).sum();
            assert_eq!(g.states[0].value(), sum, "G-Counter, {sync:?}, seed {seed}");
            let pn = schedule::<PnCounter>(seed, sync);
            let sum: i64 = pn.actions.iter().map(|(_, by)| by).sum();
            assert_eq!(
                pn.states[0].value(),
                sum,
                "PN-Counter, {sync:?}, seed {seed}"
            );
        }
    }
}

/// The schedules really do lose, duplicate and cut messages (so convergence is earned).
#[test]
fn text_schedules_exercise_loss_duplication_and_partitions() {
    let (mut lost, mut duplicated) = (0, 0);
    for seed in 0..SEEDS {
        let o = schedule::<Text>(seed, Sync::Op);
        lost += o.lost;
        duplicated += o.duplicated;
    }
    assert!(
        lost > 100 && duplicated > 100,
        "lost {lost}, duplicated {duplicated}"
    );
}

/// The naive counter, in the same harness: with state sync it loses increments (the value
/// is below the number of increments) in most runs, and with "value is now v" messages the
/// replicas end up disagreeing.
#[test]
fn naive_counter_loses_updates_and_diverges() {
    let mut lost_updates = 0;
    let mut diverged = 0;
    for seed in 0..SEEDS {
        let o = schedule::<NaiveCounter>(seed, Sync::State);
        let sum: i64 = o.actions.iter().map(|(_, by)| by).sum();
        if o.states.iter().any(|s| s.value() != sum) {
            lost_updates += 1;
        }
        let o = schedule::<NaiveCounter>(seed, Sync::Op);
        if o.converged().is_err() {
            diverged += 1;
        }
    }
    assert!(
        lost_updates > SEEDS * 9 / 10,
        "naive counter lost updates in only {lost_updates} of {SEEDS} runs"
    );
    assert!(
        diverged > SEEDS / 2,
        "naive counter diverged in only {diverged} of {SEEDS} runs"
    );
}

/// The naive register: replicas that receive the same writes in different orders keep
/// different values for ever.
#[test]
fn naive_register_diverges() {
    let diverged = (0..SEEDS)
        .filter(|&seed| {
            schedule::<NaiveRegister<u32>>(seed, Sync::Op)
                .converged()
                .is_err()
        })
        .count() as u64;
    assert!(
        diverged > SEEDS / 2,
        "naive register diverged in only {diverged} of {SEEDS} runs"
    );
}

/// And its merge breaks the laws the real types keep: it is not commutative.
#[test]
fn naive_merge_is_not_commutative() {
    let (a, b) = (NaiveRegister::new(1u32), NaiveRegister::new(2u32));
    let mut ab = a.clone();
    ab.merge(&b);
    let mut ba = b.clone();
    ba.merge(&a);
    assert_ne!(ab, ba);
}

/// Many more seeds for every type and mode, for a soak:
/// `FUZZ_SEEDS=20000 cargo test -p crdt --release --test it -- --ignored many_seeds`.
#[test]
#[ignore]
fn converges_for_many_seeds() {
    let seeds: u64 = std::env::var("FUZZ_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000);
    fn check<C: Replicated>(seeds: u64) {
        for sync in [Sync::State, Sync::Delta, Sync::Op] {
            for seed in 0..seeds {
                if let Err(e) = schedule::<C>(seed, sync).converged() {
                    panic!("{} {sync:?} seed {seed}: {e}", C::NAME);
                }
            }
        }
    }
    check::<GCounter>(seeds);
    check::<PnCounter>(seeds);
    check::<LwwRegister<u32>>(seeds);
    check::<MvRegister<u32>>(seeds);
    check::<GSet<String>>(seeds);
    check::<TwoPSet<u32>>(seeds);
    check::<OrSet<String>>(seeds);
    check::<LwwMap<char, u32>>(seeds);
    check::<Text>(seeds);
}
