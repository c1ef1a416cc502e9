//! The remote-calls lab's editor form: every field as typed, read from a scenario and built
//! into one with every problem at its field.

use crate::kit::editor::LabForm;
use crate::kit::form::{
    FieldProblem, TimeUnit, parse_f64, parse_percent, parse_run_duration, parse_time_within,
    parse_u32, parse_u64,
};
use crate::kit::format::{count, trim};
use scenario::Scenario;
use scenario::labs::rpc::{
    CacheDurability, MAX_ATTEMPTS, MAX_CALL_RATE, MAX_CLIENTS, MAX_DELAY, MIN_TIMEOUT, Semantics,
    default_rpc_scenario, rpc_of,
};
use scenario::scenario::Lab;
use sim::{LatencyModel, SimDuration};

/// The fields as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct RpcForm {
    /// Clients.
    pub clients: String,
    /// Calls per second per client.
    pub call_rate: String,
    /// The call semantics.
    pub semantics: Semantics,
    /// Whether the reply cache survives a crash.
    pub reply_cache: CacheDurability,
    /// Timeout per attempt, ms.
    pub timeout_ms: String,
    /// Most attempts per call.
    pub max_attempts: String,
    /// Backoff base, ms.
    pub backoff_base_ms: String,
    /// Backoff cap, ms.
    pub backoff_cap_ms: String,
    /// Processing time, ms.
    pub processing_ms: String,
    /// One-way latency of every link, ms (constant).
    pub latency_ms: String,
    /// Message loss on every link, %.
    pub loss_percent: String,
    /// The seed.
    pub seed: String,
    /// The duration, s.
    pub duration_s: String,
}

/// The value, or `None` with its problem added at `field`.
fn take<T>(problems: &mut Vec<FieldProblem>, field: &str, r: Result<T, String>) -> Option<T> {
    r.map_err(|message| {
        problems.push(FieldProblem {
            field: field.to_owned(),
            message,
        })
    })
    .ok()
}

fn ms(d: SimDuration) -> String {
    trim(d.0 as f64 / 1e6, 3)
}

/// The cache menu: (key, label).
pub const CACHE_CHOICES: [(&str, &str); 2] = [
    ("durable", "Durable (on disk with the balance)"),
    ("volatile", "Volatile (lost in a crash)"),
];

impl RpcForm {
    /// The cache menu's key of the form's choice.
    pub fn cache_key(&self) -> &'static str {
        match self.reply_cache {
            CacheDurability::Durable => "durable",
            CacheDurability::Volatile => "volatile",
        }
    }

    /// The limits shown under a field.
    pub fn hint(key: &str) -> String {
        match key {
            "clients" => format!("1 – {}", count(u64::from(MAX_CLIENTS))),
            "call_rate" => format!(
                "calls per second per client, above 0, at most {}",
                trim(MAX_CALL_RATE, 0)
            ),
            "timeout" => format!(
                "{} – {} ms",
                ms(MIN_TIMEOUT),
                count(MAX_DELAY.0 / 1_000_000)
            ),
            "max_attempts" => format!("1 – {MAX_ATTEMPTS}; at-most-once makes one"),
            _ => String::new(),
        }
    }
}

impl LabForm for RpcForm {
    const PREFIX: &'static str = "rpc";

    fn from_scenario(scenario: &Scenario) -> RpcForm {
        let fallback = default_rpc_scenario();
        let (scenario, r) = match rpc_of(scenario) {
            Some(r) => (scenario, r),
            None => match rpc_of(&fallback) {
                Some(r) => (&fallback, r),
                None => unreachable!("the default remote-calls scenario is one"),
            },
        };
        let latency = match r.link.latency {
            LatencyModel::Constant(d) => ms(d),
            // Only constant latencies are typed here; others show their minimum.
            ref other => ms(other.min_delay()),
        };
        RpcForm {
            clients: r.clients.to_string(),
            call_rate: trim(r.call_rate, 3),
            semantics: r.semantics,
            reply_cache: r.reply_cache,
            timeout_ms: ms(r.timeout),
            max_attempts: r.max_attempts.to_string(),
            backoff_base_ms: ms(r.backoff_base),
            backoff_cap_ms: ms(r.backoff_cap),
            processing_ms: ms(r.processing),
            latency_ms: latency,
            loss_percent: trim(r.link.loss * 100.0, 3),
            seed: scenario.seed.to_string(),
            duration_s: trim(scenario.duration.0 as f64 / 1e9, 3),
        }
    }

    fn build(&self, base: &Scenario) -> Result<Scenario, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let clients = take(
            &mut problems,
            "clients",
            parse_u32(&self.clients, "The number of clients"),
        );
        let rate = take(
            &mut problems,
            "call_rate",
            parse_f64(&self.call_rate, "The call rate"),
        );
        let delay = |text: &str, what: &str| {
            parse_time_within(text, what, TimeUnit::Ms, SimDuration::ZERO, MAX_DELAY)
        };
        let timeout = take(
            &mut problems,
            "timeout",
            delay(&self.timeout_ms, "The timeout"),
        );
        let attempts = take(
            &mut problems,
            "max_attempts",
            parse_u32(&self.max_attempts, "The most attempts"),
        );
        let base_backoff = take(
            &mut problems,
            "backoff_base",
            delay(&self.backoff_base_ms, "The backoff base"),
        );
        let cap = take(
            &mut problems,
            "backoff_cap",
            delay(&self.backoff_cap_ms, "The backoff cap"),
        );
        let processing = take(
            &mut problems,
            "processing",
            crate::kit::form::parse_ms(&self.processing_ms, "The processing time"),
        );
        let latency = take(
            &mut problems,
            "latency",
            crate::kit::form::parse_ms(&self.latency_ms, "The latency"),
        );
        let loss = take(
            &mut problems,
            "loss",
            parse_percent(&self.loss_percent, "The loss"),
        );
        let seed = take(&mut problems, "seed", parse_u64(&self.seed, "The seed"));
        let duration = take(
            &mut problems,
            "duration",
            parse_run_duration(&self.duration_s, TimeUnit::S),
        );
        // Fields that do not parse keep the base scenario's values, so the scenario's own
        // checks still run on the others: every problem shows at once.
        let mut scenario = match rpc_of(base) {
            Some(_) => base.clone(),
            None => default_rpc_scenario(),
        };
        if let Some(seed) = seed {
            scenario.seed = seed;
        }
        if let Some(duration) = duration {
            scenario.duration = duration;
        }
        if let Lab::Rpc(r) = &mut scenario.lab {
            r.semantics = self.semantics;
            r.reply_cache = self.reply_cache;
            if let Some(v) = clients {
                r.clients = v;
            }
            if let Some(v) = rate {
                r.call_rate = v;
            }
            if let Some(v) = timeout {
                r.timeout = v;
            }
            if let Some(v) = attempts {
                r.max_attempts = v;
            }
            if let Some(v) = base_backoff {
                r.backoff_base = v;
            }
            if let Some(v) = cap {
                r.backoff_cap = v;
            }
            if let Some(v) = processing {
                r.processing = v;
            }
            // A latency model other than a constant one (from a link) is kept while its
            // minimum, which the field shows, is left as it is.
            if let Some(v) = latency
                && v != r.link.latency.min_delay()
            {
                r.link.latency = LatencyModel::Constant(v);
            }
            if let Some(v) = loss {
                r.link.loss = v / 100.0;
            }
        }
        match scenario.validate() {
            Ok(()) if problems.is_empty() => Ok(scenario),
            Ok(()) => Err(problems),
            Err(e) => {
                // A field that did not parse has said what is wrong with it already.
                for p in Self::problems_at_fields(&e) {
                    if !problems.iter().any(|q| q.field == p.field) {
                        problems.push(p);
                    }
                }
                problems.sort_by_key(|p| field_order(&p.field));
                Err(problems)
            }
        }
    }

    fn field_name(key: &str) -> String {
        match key {
            "clients" => "Clients",
            "call_rate" => "Calls per second",
            "semantics" => "Semantics",
            "timeout" => "Timeout",
            "max_attempts" => "Most attempts",
            "backoff_base" => "Backoff base",
            "backoff_cap" => "Backoff cap",
            "processing" => "Processing time",
            "reply_cache" => "Reply cache",
            "latency" => "Latency",
            "loss" => "Loss",
            "seed" => "Seed",
            "duration" => "Duration",
            k if k.starts_with("actions") => "Faults",
            _ => "Scenario",
        }
        .to_owned()
    }
}

/// Field keys in the editor's order, for the problem list.
const FIELD_ORDER: [&str; 13] = [
    "clients",
    "call_rate",
    "semantics",
    "timeout",
    "max_attempts",
    "backoff_base",
    "backoff_cap",
    "processing",
    "reply_cache",
    "latency",
    "loss",
    "seed",
    "duration",
];

fn field_order(key: &str) -> usize {
    FIELD_ORDER
        .iter()
        .position(|k| *k == key)
        .unwrap_or(FIELD_ORDER.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scenario_round_trips_through_the_form() {
        let s = default_rpc_scenario();
        let form = RpcForm::from_scenario(&s);
        assert_eq!(form.build(&s), Ok(s));
    }

    #[test]
    fn every_bad_field_is_reported_at_once_in_the_editors_order() {
        let s = default_rpc_scenario();
        let mut form = RpcForm::from_scenario(&s);
        form.clients = "0".into();
        form.timeout_ms = "soon".into();
        form.loss_percent = "140".into();
        let problems = form.build(&s).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["clients", "timeout", "loss"], "{problems:?}");
        assert!(
            problems[0].message.contains("1,000"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn semantics_and_cache_are_taken_from_the_menus() {
        let s = default_rpc_scenario();
        let mut form = RpcForm::from_scenario(&s);
        form.semantics = Semantics::AtMostOnce;
        form.reply_cache = CacheDurability::Volatile;
        let built = form.build(&s).unwrap();
        let r = rpc_of(&built).unwrap();
        assert_eq!(
            (r.semantics, r.reply_cache),
            (Semantics::AtMostOnce, CacheDurability::Volatile)
        );
    }
}
