//! The parameters of a run of remote calls, their defaults with sources, and their limits.

use serde::{Deserialize, Serialize};
use sim::SimDuration;

/// What a client does about a call whose reply does not come, and what the server does about a
/// request it has seen before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Semantics {
    /// At-most-once (also "maybe" semantics when nothing is filtered): the client sends each
    /// call once and never retries; when the timeout expires it reports the outcome as unknown,
    /// since it cannot tell a lost request (never executed) from a lost reply (executed). The
    /// server filters repeated copies of a request (the network may duplicate one) by call id,
    /// so no call runs twice.
    AtMostOnce,
    /// At-least-once: on each timeout the client waits a backoff and sends the request again,
    /// up to the maximum attempts; the server executes every request it receives, so a call
    /// whose reply was lost runs again.
    AtLeastOnce,
    /// Exactly-once by deduplication: the client retries as in at-least-once; the server keeps
    /// a reply cache keyed by (client, call id) and answers a retried request with the cached
    /// reply without executing it again (Birrell & Nelson 1984, §3.1). Exactly-once holds only
    /// as long as the cache does: a volatile cache lost in a crash turns it into at-least-once.
    ExactlyOnce,
}

impl Semantics {
    /// Every semantics, in the order the lab teaches them.
    pub const ALL: [Semantics; 3] = [
        Semantics::AtMostOnce,
        Semantics::AtLeastOnce,
        Semantics::ExactlyOnce,
    ];

    /// A stable key for menus and links (`at-most-once`).
    pub const fn key(self) -> &'static str {
        match self {
            Semantics::AtMostOnce => "at-most-once",
            Semantics::AtLeastOnce => "at-least-once",
            Semantics::ExactlyOnce => "exactly-once",
        }
    }

    /// A name for tables and menus.
    pub const fn name(self) -> &'static str {
        match self {
            Semantics::AtMostOnce => "at-most-once",
            Semantics::AtLeastOnce => "at-least-once",
            Semantics::ExactlyOnce => "exactly-once by deduplication",
        }
    }

    /// The semantics whose [`Semantics::key`] is `key`.
    pub fn from_key(key: &str) -> Option<Semantics> {
        Semantics::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Whether a client sends a call again after a timeout.
    pub const fn retries(self) -> bool {
        !matches!(self, Semantics::AtMostOnce)
    }

    /// Whether the server filters requests of calls it has already seen.
    pub const fn deduplicates(self) -> bool {
        !matches!(self, Semantics::AtLeastOnce)
    }
}

/// Whether the server's table of calls it has executed (the reply cache) survives a crash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CacheDurability {
    /// Kept in memory only: a crash empties it (the server restarts with its balance, which is
    /// on disk, but without the cache), so retries of calls executed before the crash run again.
    Volatile,
    /// Written to disk with the deposit, atomically: it survives a crash with the balance.
    Durable,
}

/// Default clients: 4, enough to interleave calls at the server and few enough to follow each
/// one in the space-time diagram.
pub const DEFAULT_CLIENTS: u32 = 4;
/// Default call rate per client: 5 calls per second (an illustrative open-loop workload: about
/// 20 calls a second in all, so a 10 s run makes about 200 calls, enough for a loss of 10 % to
/// show its effects several times over).
pub const DEFAULT_CALL_RATE: f64 = 5.0;
/// Default processing time of one deposit at the server: 5 ms (illustrative: a small
/// transactional write). With 10 ms links ([`sim::DEFAULT_LATENCY`]) a call's round trip is
/// 2 × 10 + 5 = 25 ms when nothing is lost.
pub const DEFAULT_PROCESSING: SimDuration = SimDuration::from_millis(5);
/// Default timeout of one attempt: 100 ms. RFC 6298 (§2.2) sets the first retransmission
/// timeout after one measured round trip R to SRTT + 4·RTTVAR = R + 4·R/2 = 3R; with the
/// default round trip of 25 ms that is 75 ms, rounded up to 100 ms to leave room for waiting in
/// the server's queue. (RFC 6298's 1 s floor is meant for TCP over the open Internet, not for a
/// 10 ms link.)
pub const DEFAULT_TIMEOUT: SimDuration = SimDuration::from_millis(100);
/// Default most attempts per call, the first included: 5, the most gRPC allows (gRFC A6,
/// "gRPC Retry Design": `maxAttempts` values greater than 5 are treated as 5).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;
/// Default backoff base: 50 ms, two default round trips. Before retry `k` (k = 1, 2, …) the
/// client sleeps a uniform random time in `[0, min(cap, base · 2^(k−1))]`: exponential backoff
/// with full jitter (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015),
/// as gRFC A6 does (`random(0, min(initialBackoff · multiplier^(n−1), maxBackoff))`).
pub const DEFAULT_BACKOFF_BASE: SimDuration = SimDuration::from_millis(50);
/// Default backoff cap: 1 s (gRFC A6's example retry policy caps its backoff at 1 s).
pub const DEFAULT_BACKOFF_CAP: SimDuration = SimDuration::from_secs(1);

/// Most clients a run may have (call ids carry the client in 12 bits; see [`crate::CallId`]).
pub const MAX_CLIENTS: u32 = 1_000;
/// Highest call rate per client, calls per second.
pub const MAX_CALL_RATE: f64 = 1_000.0;
/// Most attempts per call a run may ask for (twice gRPC's cap, to let a learner see why it
/// caps them).
pub const MAX_ATTEMPTS: u32 = 10;
/// Shortest timeout: 1 ms.
pub const MIN_TIMEOUT: SimDuration = SimDuration::from_millis(1);
/// Longest timeout, backoff cap and processing time: one minute.
pub const MAX_DELAY: SimDuration = SimDuration::from_secs(60);
/// Most requests the server's queue holds; beyond it requests are dropped (a bounded queue,
/// as every real server has; the defaults never come near it).
pub const QUEUE_CAPACITY: usize = 10_000;

/// The parameters of a run of remote calls (the network's are the kernel's `LinkParams`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RpcConfig {
    /// Clients, nodes 1 to `clients` ([`DEFAULT_CLIENTS`]).
    pub clients: u32,
    /// Mean calls per second of each client, Poisson arrivals ([`DEFAULT_CALL_RATE`]).
    pub call_rate: f64,
    /// What clients and the server promise ([`Semantics`]).
    pub semantics: Semantics,
    /// How long a client waits for the reply to one attempt ([`DEFAULT_TIMEOUT`]).
    pub timeout: SimDuration,
    /// Most attempts per call, the first included ([`DEFAULT_MAX_ATTEMPTS`]); at-most-once
    /// makes one whatever this says.
    pub max_attempts: u32,
    /// Backoff base ([`DEFAULT_BACKOFF_BASE`]).
    pub backoff_base: SimDuration,
    /// Backoff cap ([`DEFAULT_BACKOFF_CAP`]).
    pub backoff_cap: SimDuration,
    /// The server's processing time per executed request ([`DEFAULT_PROCESSING`]); the server
    /// executes one request at a time, in arrival order.
    pub processing: SimDuration,
    /// Whether the reply cache survives a server crash.
    pub reply_cache: CacheDurability,
}

impl Default for RpcConfig {
    fn default() -> Self {
        RpcConfig {
            clients: DEFAULT_CLIENTS,
            call_rate: DEFAULT_CALL_RATE,
            semantics: Semantics::AtLeastOnce,
            timeout: DEFAULT_TIMEOUT,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            backoff_base: DEFAULT_BACKOFF_BASE,
            backoff_cap: DEFAULT_BACKOFF_CAP,
            processing: DEFAULT_PROCESSING,
            reply_cache: CacheDurability::Durable,
        }
    }
}

fn ms(d: SimDuration) -> String {
    let text = format!("{:.3}", d.as_millis_f64());
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl RpcConfig {
    /// Every problem with these parameters: (field, sentence saying what to change). Empty
    /// when the configuration can run.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut problem = |field: &str, message: String| out.push((field.to_owned(), message));
        if self.clients == 0 || self.clients > MAX_CLIENTS {
            problem(
                "clients",
                format!(
                    "must be between 1 and {MAX_CLIENTS}, but it is {}",
                    self.clients
                ),
            );
        }
        if !(self.call_rate.is_finite() && self.call_rate > 0.0 && self.call_rate <= MAX_CALL_RATE)
        {
            problem(
                "call_rate",
                format!(
                    "must be above 0 and at most {MAX_CALL_RATE} calls per second per client, \
                     but it is {}",
                    self.call_rate
                ),
            );
        }
        if self.timeout < MIN_TIMEOUT || self.timeout > MAX_DELAY {
            problem(
                "timeout",
                format!(
                    "must be between {} ms and {} ms, but it is {} ms",
                    ms(MIN_TIMEOUT),
                    ms(MAX_DELAY),
                    ms(self.timeout)
                ),
            );
        }
        if self.max_attempts == 0 || self.max_attempts > MAX_ATTEMPTS {
            problem(
                "max_attempts",
                format!(
                    "must be between 1 and {MAX_ATTEMPTS} attempts (the first included), but it \
                     is {}",
                    self.max_attempts
                ),
            );
        }
        if self.backoff_cap > MAX_DELAY {
            problem(
                "backoff_cap",
                format!(
                    "must be at most {} ms, but it is {} ms",
                    ms(MAX_DELAY),
                    ms(self.backoff_cap)
                ),
            );
        }
        if self.backoff_base > self.backoff_cap {
            problem(
                "backoff_base",
                format!(
                    "must be at most the backoff cap ({} ms), but it is {} ms",
                    ms(self.backoff_cap),
                    ms(self.backoff_base)
                ),
            );
        }
        if self.processing > MAX_DELAY {
            problem(
                "processing",
                format!(
                    "must be at most {} ms, but it is {} ms",
                    ms(MAX_DELAY),
                    ms(self.processing)
                ),
            );
        }
        out
    }

    /// The longest a client sleeps before retry `k` (1 for the first retry): `min(cap,
    /// base · 2^(k−1))`.
    pub fn backoff_ceiling(&self, retry: u32) -> SimDuration {
        let doubled = self
            .backoff_base
            .0
            .saturating_mul(1u64 << retry.saturating_sub(1).min(62));
        SimDuration(doubled.min(self.backoff_cap.0))
    }

    /// Attempts a call makes at most under these semantics (1 for at-most-once).
    pub fn attempts(&self) -> u32 {
        if self.semantics.retries() {
            self.max_attempts.max(1)
        } else {
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_keys_round_trip() {
        assert!(RpcConfig::default().problems().is_empty());
        for s in Semantics::ALL {
            assert_eq!(Semantics::from_key(s.key()), Some(s));
        }
        assert_eq!(Semantics::from_key("twice"), None);
    }

    #[test]
    fn absurd_values_are_listed_each_with_its_field() {
        let c = RpcConfig {
            clients: 0,
            call_rate: f64::NAN,
            timeout: SimDuration::ZERO,
            max_attempts: 99,
            backoff_base: SimDuration::from_secs(2),
            backoff_cap: SimDuration::from_secs(1),
            processing: SimDuration::from_secs(3_600),
            ..RpcConfig::default()
        };
        let fields: Vec<String> = c.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "clients",
                "call_rate",
                "timeout",
                "max_attempts",
                "backoff_base",
                "processing"
            ]
        );
        let (_, m) = &c.problems()[3];
        assert!(m.contains("between 1 and 10") && m.contains("99"), "{m}");
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let c = RpcConfig::default();
        assert_eq!(c.backoff_ceiling(1), SimDuration::from_millis(50));
        assert_eq!(c.backoff_ceiling(2), SimDuration::from_millis(100));
        assert_eq!(c.backoff_ceiling(5), SimDuration::from_millis(800));
        assert_eq!(c.backoff_ceiling(6), SimDuration::from_secs(1));
        assert_eq!(c.backoff_ceiling(200), SimDuration::from_secs(1));
    }
}
