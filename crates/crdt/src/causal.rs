//! Causal delivery for op-based types: vector-clock stamped messages, a buffer for messages
//! that arrive before what they depend on, de-duplication, and a log to repair losses.

use crate::clock::{Dot, ReplicaId, VClock};
use crate::traits::DOT_BYTES;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An operation stamped for causal delivery: who issued it, and the issuer's delivered
/// vector at that moment, its own entry counting this operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CausalMsg<Op> {
    /// The issuing replica.
    pub origin: ReplicaId,
    /// Everything delivered at the issuer before this operation, plus the operation itself
    /// (`deps[origin]` is its sequence number).
    pub deps: VClock,
    /// The operation.
    pub op: Op,
}

impl<Op> CausalMsg<Op> {
    /// The operation's name: its issuer and sequence number there.
    pub fn dot(&self) -> Dot {
        Dot::new(self.origin, self.deps.get(self.origin))
    }
}

/// What happened to a received message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Receipt {
    /// Delivered, together with this many buffered messages it unblocked (in causal order).
    Delivered {
        /// Buffered messages delivered after it.
        unblocked: usize,
    },
    /// Buffered: something it depends on has not arrived yet.
    Buffered,
    /// Already delivered or already buffered: dropped.
    Duplicate,
}

/// The causal-delivery layer of one replica (Birman, Schiper and Stephenson's causal
/// broadcast, 1991): an operation is handed to the data type only after every operation its
/// issuer had seen, exactly once.
///
/// Concurrent operations may be delivered in different orders at different replicas; an
/// op-based CRDT is correct exactly when such operations commute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CausalDelivery<Op> {
    delivered: VClock,
    buffer: BTreeMap<Dot, CausalMsg<Op>>,
    log: Vec<CausalMsg<Op>>,
}

impl<Op> Default for CausalDelivery<Op> {
    fn default() -> Self {
        CausalDelivery {
            delivered: VClock::new(),
            buffer: BTreeMap::new(),
            log: Vec::new(),
        }
    }
}

impl<Op: Clone> CausalDelivery<Op> {
    /// Nothing delivered yet.
    pub fn new() -> Self {
        CausalDelivery::default()
    }
    /// Stamps a local operation by `replica` (which the caller applies locally at once) and
    /// returns the message to broadcast.
    pub fn issue(&mut self, replica: ReplicaId, op: Op) -> CausalMsg<Op> {
        self.delivered.increment(replica);
        let msg = CausalMsg {
            origin: replica,
            deps: self.delivered.clone(),
            op,
        };
        self.log.push(msg.clone());
        msg
    }
    /// Takes in a message from the network, handing every operation that becomes deliverable
    /// to `deliver` in causal order.
    pub fn receive(&mut self, msg: CausalMsg<Op>, mut deliver: impl FnMut(&Op)) -> Receipt {
        let dot = msg.dot();
        if self.delivered.contains(dot) || self.buffer.contains_key(&dot) {
            return Receipt::Duplicate;
        }
        if !self.deliverable(&msg) {
            self.buffer.insert(dot, msg);
            return Receipt::Buffered;
        }
        self.deliver(msg, &mut deliver);
        let mut unblocked = 0;
        // Each delivery may unblock others; rescan until a pass delivers nothing.
        loop {
            let ready: Vec<Dot> = self
                .buffer
                .iter()
                .filter(|(_, m)| self.deliverable(m))
                .map(|(&d, _)| d)
                .collect();
            if ready.is_empty() {
                break;
            }
            for d in ready {
                // A message stays deliverable once it is: its dependencies only get delivered.
                if let Some(m) = self.buffer.remove(&d) {
                    self.deliver(m, &mut deliver);
                    unblocked += 1;
                }
            }
        }
        Receipt::Delivered { unblocked }
    }
    /// Next from its issuer, and everything else it depends on already delivered.
    fn deliverable(&self, msg: &CausalMsg<Op>) -> bool {
        msg.deps.iter().all(|(r, n)| {
            let have = self.delivered.get(r);
            if r == msg.origin {
                n == have + 1
            } else {
                n <= have
            }
        })
    }
    fn deliver(&mut self, msg: CausalMsg<Op>, deliver: &mut impl FnMut(&Op)) {
        self.delivered.observe(msg.origin, msg.deps.get(msg.origin));
        deliver(&msg.op);
        self.log.push(msg);
    }
    /// Everything delivered here, per issuer.
    pub fn delivered(&self) -> &VClock {
        &self.delivered
    }
    /// How many messages wait for their dependencies.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }
    /// The messages waiting for their dependencies.
    pub fn buffer(&self) -> impl Iterator<Item = &CausalMsg<Op>> + '_ {
        self.buffer.values()
    }
    /// Delivered messages a peer whose delivered vector is `peer` has not delivered, in an
    /// order it can deliver them (this replica's delivery order), to repair lost messages.
    pub fn missing_for<'a>(
        &'a self,
        peer: &'a VClock,
    ) -> impl Iterator<Item = &'a CausalMsg<Op>> + 'a {
        self.log.iter().filter(move |m| !peer.contains(m.dot()))
    }
    /// The delivered messages kept to repair peers, in delivery order.
    pub fn log(&self) -> impl Iterator<Item = &CausalMsg<Op>> + '_ {
        self.log.iter()
    }
    /// How many delivered messages are logged for repair.
    pub fn logged(&self) -> usize {
        self.log.len()
    }
    /// Bytes of causal-delivery bookkeeping: the delivered vector, and a vector per
    /// buffered message.
    pub fn metadata_bytes(&self) -> usize {
        self.delivered.len() * DOT_BYTES
            + self
                .buffer
                .values()
                .map(|m| m.deps.len() * DOT_BYTES)
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn early_messages_wait_for_their_dependencies() {
        let (a, b) = (ReplicaId(0), ReplicaId(1));
        let mut at_a = CausalDelivery::new();
        let m1 = at_a.issue(a, "first");
        let m2 = at_a.issue(a, "second");
        let mut at_b = CausalDelivery::new();
        let mut seen = Vec::new();
        assert_eq!(
            at_b.receive(m2.clone(), |op| seen.push(*op)),
            Receipt::Buffered
        );
        assert_eq!(at_b.buffered(), 1);
        assert_eq!(
            at_b.receive(m1.clone(), |op| seen.push(*op)),
            Receipt::Delivered { unblocked: 1 }
        );
        assert_eq!(at_b.receive(m2, |op| seen.push(*op)), Receipt::Duplicate);
        assert_eq!(seen, ["first", "second"]);
        let reply = at_b.issue(b, "reply");
        let mut at_c = CausalDelivery::new();
        let mut seen_c = Vec::new();
        assert_eq!(
            at_c.receive(reply, |op| seen_c.push(*op)),
            Receipt::Buffered
        );
        let repair: Vec<_> = at_b.missing_for(at_c.delivered()).cloned().collect();
        assert_eq!(repair.len(), 3);
        for m in repair {
            at_c.receive(m, |op| seen_c.push(*op));
        }
        assert_eq!(seen_c, ["first", "second", "reply"]);
        let _ = m1;
    }
}
