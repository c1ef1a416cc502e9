//! Serverless execution: each application is a function whose instances start cold, stay warm
//! for a keep-alive window after their last task, then scale to zero; an autoscaler may start
//! instances ahead of demand.
//!
//! What keeping instances warm costs is capacity, not power: a warm idle instance holds memory
//! (bounded by the server's `memory_mb`, so fewer functions fit on a host and more hosts must be
//! powered), but the memory of a powered server draws its background power whether or not a
//! function holds it, so a warm idle instance adds no energy here. When memory is full of
//! instances, a new one evicts the oldest idle instance, or the task waits.

use serde::{Deserialize, Serialize};
use sim::SimDuration;

/// What an instance is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Runtime {
    /// A container (Docker/Firecracker-style function sandbox).
    Container,
    /// A WebAssembly isolate (Cloudflare Workers / Fastly Compute-style).
    WasmIsolate,
}

impl Runtime {
    /// Every runtime.
    pub const ALL: [Runtime; 2] = [Runtime::Container, Runtime::WasmIsolate];

    /// Typical cold start. Container: 250 ms, the order of the median cold-start latency
    /// measured for AWS Lambda by Wang et al., "Peeking Behind the Curtains of Serverless
    /// Platforms", USENIX ATC 2018 (a few hundred ms; approximate). Isolate: 5 ms, Cloudflare's
    /// figure for Workers V8 isolates ("Cloud Computing without Containers", Cloudflare blog,
    /// 2018: "under 5 milliseconds"). That post measures V8 isolates running JavaScript; we
    /// assume a WebAssembly module in such an isolate starts about as fast (an assumption, not
    /// a WebAssembly measurement).
    pub fn cold_start(self) -> SimDuration {
        match self {
            Runtime::Container => SimDuration::from_millis(250),
            Runtime::WasmIsolate => SimDuration::from_millis(5),
        }
    }

    /// Memory per instance. Container: 128 MB, AWS Lambda's smallest (and long the default)
    /// memory size. Isolate: 3 MB, Cloudflare's figure for a Workers V8 isolate's overhead
    /// running JavaScript (same blog post; approximate), assumed for a WebAssembly isolate.
    pub fn memory_mb(self) -> u32 {
        match self {
            Runtime::Container => 128,
            Runtime::WasmIsolate => 3,
        }
    }

    /// A short name.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Container => "container",
            Runtime::WasmIsolate => "WebAssembly isolate",
        }
    }
}

/// How instances are started ahead of demand (scale-down is always the keep-alive window).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Autoscaler {
    /// Only on demand: a task that finds no free warm instance starts one (a cold start).
    OnDemand,
    /// Reactive threshold: when a task arrives and the busy share of a function's instance
    /// slots reaches `utilisation`, one more instance is started in the background.
    Threshold {
        /// Busy share of slots that triggers a new instance, in (0, 1].
        utilisation: f64,
    },
    /// Target utilisation (Knative's KPA rule): every [`AUTOSCALE_TICK`], start instances up
    /// to `ceil(busy slots / (concurrency × target))`.
    TargetUtilisation {
        /// Wanted busy share of slots, in (0, 1]. Knative's default
        /// `container-concurrency-target-percentage` is 70 %.
        target: f64,
    },
}

/// How often the target-utilisation autoscaler acts: 2 s, Knative's autoscaler tick interval
/// (`tick-interval`, default 2 s).
pub const AUTOSCALE_TICK: SimDuration = SimDuration::from_secs(2);

/// The serverless configuration of every server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerlessConfig {
    /// What instances are.
    pub runtime: Runtime,
    /// Time from starting an instance to it serving tasks (default: the runtime's).
    pub cold_start: SimDuration,
    /// How long an instance stays warm after its last task before it is removed (scale to zero).
    /// Default 10 min: OpenWhisk's fixed keep-alive, as reported by Shahrad et al., "Serverless
    /// in the Wild", USENIX ATC 2020.
    pub keep_alive: SimDuration,
    /// Tasks one instance serves at once. Default 1, as AWS Lambda.
    pub concurrency: u32,
    /// Memory one instance holds, MB (default: the runtime's).
    pub instance_memory_mb: u32,
    /// How instances are started ahead of demand.
    pub autoscaler: Autoscaler,
}

impl ServerlessConfig {
    /// Defaults for a runtime: its cold start and memory, 10 min keep-alive, concurrency 1, on
    /// demand.
    pub fn new(runtime: Runtime) -> ServerlessConfig {
        ServerlessConfig {
            runtime,
            cold_start: runtime.cold_start(),
            keep_alive: SimDuration::from_secs(600),
            concurrency: 1,
            instance_memory_mb: runtime.memory_mb(),
            autoscaler: Autoscaler::OnDemand,
        }
    }

    /// Every problem with the numbers.
    pub fn problems(&self, out: &mut Vec<(String, String)>) {
        let mut bad = |f: &str, m: String| out.push((format!("serverless.{f}"), m));
        let max = SimDuration::from_secs(600);
        if self.cold_start > max {
            bad(
                "cold_start",
                format!("must be at most {max}, but it is {}", self.cold_start),
            );
        }
        let max_keep = SimDuration::from_secs(3_600);
        if self.keep_alive > max_keep {
            bad(
                "keep_alive",
                format!("must be at most {max_keep}, but it is {}", self.keep_alive),
            );
        }
        if !(1..=1_000).contains(&self.concurrency) {
            bad(
                "concurrency",
                format!("must be between 1 and 1000, but it is {}", self.concurrency),
            );
        }
        if !(1..=1_000_000).contains(&self.instance_memory_mb) {
            bad(
                "instance_memory_mb",
                format!(
                    "must be between 1 and 1,000,000 MB, but it is {}",
                    self.instance_memory_mb
                ),
            );
        }
        match self.autoscaler {
            Autoscaler::Threshold { utilisation: u }
            | Autoscaler::TargetUtilisation { target: u }
                if !(u.is_finite() && u > 0.0 && u <= 1.0) =>
            {
                bad(
                    "autoscaler",
                    format!("its utilisation must be above 0 and at most 1, but it is {u}"),
                )
            }
            _ => {}
        }
    }
}

/// One instance of a function on a server.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Instance {
    /// Its id on this server.
    pub id: u32,
    /// Local time (ns) from which it serves tasks.
    pub ready_ns: i64,
    /// Tasks it serves now (or waits to serve while starting).
    pub active: u32,
    /// Bumped whenever it becomes idle, so a stale keep-alive timer does nothing.
    pub idle_generation: u32,
}

/// The instances of every function on one server.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FunctionPool {
    /// Instances per application index.
    pub instances: Vec<Vec<Instance>>,
    next_id: u32,
    /// Instances started so far (on demand or ahead of demand).
    pub started: u64,
}

/// Where a task will run in a pool.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slot {
    /// The instance.
    pub instance: u32,
    /// Local time (ns) at which it can start executing.
    pub ready_ns: i64,
    /// Whether it waits for an instance that is starting (a cold start on its path).
    pub cold: bool,
}

impl FunctionPool {
    /// An empty pool for `apps` functions.
    pub fn new(apps: usize) -> FunctionPool {
        FunctionPool {
            instances: vec![Vec::new(); apps],
            next_id: 0,
            started: 0,
        }
    }

    /// Instances alive.
    pub fn count(&self) -> usize {
        self.instances.iter().map(Vec::len).sum()
    }

    /// Instances alive that serve nothing (warm idle, or starting ahead of demand).
    pub fn idle(&self) -> usize {
        self.instances
            .iter()
            .flatten()
            .filter(|i| i.active == 0)
            .count()
    }

    fn memory_used(&self, config: &ServerlessConfig) -> u64 {
        self.count() as u64 * u64::from(config.instance_memory_mb)
    }

    /// Starts a new instance of `app` at local time `now_ns` if memory allows, evicting an idle
    /// instance of another function if needed. Returns its id.
    fn start(
        &mut self,
        app: usize,
        now_ns: i64,
        config: &ServerlessConfig,
        memory_mb: u32,
    ) -> Option<u32> {
        if self.memory_used(config) + u64::from(config.instance_memory_mb) > u64::from(memory_mb) {
            // Evict the oldest idle instance of any function (lowest id: deterministic).
            let victim = self
                .instances
                .iter()
                .enumerate()
                .flat_map(|(a, v)| v.iter().map(move |i| (a, *i)))
                .filter(|(_, i)| i.active == 0)
                .min_by_key(|(_, i)| i.id)?;
            self.instances[victim.0].retain(|i| i.id != victim.1.id);
        }
        let id = self.next_id;
        self.next_id += 1;
        self.started += 1;
        self.instances[app].push(Instance {
            id,
            ready_ns: now_ns.saturating_add(config.cold_start.0 as i64),
            active: 0,
            idle_generation: 0,
        });
        Some(id)
    }

    /// Finds a place for one task of `app` at local time `now_ns`: a warm instance with a free
    /// slot, else a starting one with a free slot, else a new instance (cold start). `None` when
    /// memory is full of busy instances.
    pub fn place(
        &mut self,
        app: usize,
        now_ns: i64,
        config: &ServerlessConfig,
        memory_mb: u32,
    ) -> Option<Slot> {
        let free = |i: &&mut Instance| i.active < config.concurrency;
        let list = &mut self.instances[app];
        // Prefer the instance ready soonest (warm ones first), then the lowest id.
        let best = list
            .iter_mut()
            .filter(free)
            .min_by_key(|i| (i.ready_ns.max(now_ns), i.id));
        if let Some(i) = best {
            i.active += 1;
            return Some(Slot {
                instance: i.id,
                ready_ns: i.ready_ns.max(now_ns),
                cold: i.ready_ns > now_ns,
            });
        }
        let id = self.start(app, now_ns, config, memory_mb)?;
        let i = self.instances[app].iter_mut().find(|i| i.id == id)?;
        i.active = 1;
        Some(Slot {
            instance: id,
            ready_ns: i.ready_ns,
            cold: i.ready_ns > now_ns,
        })
    }

    /// A task on `instance` of `app` finished; returns the idle generation to arm a keep-alive
    /// timer with, if the instance became idle.
    pub fn release(&mut self, app: usize, instance: u32) -> Option<u32> {
        let i = self.instances[app].iter_mut().find(|i| i.id == instance)?;
        i.active = i.active.saturating_sub(1);
        if i.active == 0 {
            i.idle_generation += 1;
            Some(i.idle_generation)
        } else {
            None
        }
    }

    /// The keep-alive window of an idle instance ended: remove it if it is still idle since
    /// then. Returns whether it was removed.
    pub fn expire(&mut self, app: usize, instance: u32, generation: u32) -> bool {
        let list = &mut self.instances[app];
        let before = list.len();
        list.retain(|i| !(i.id == instance && i.active == 0 && i.idle_generation == generation));
        list.len() < before
    }

    /// Busy share of `app`'s slots, or `None` without instances.
    pub fn utilisation(&self, app: usize, config: &ServerlessConfig) -> Option<f64> {
        let list = &self.instances[app];
        if list.is_empty() {
            return None;
        }
        let busy: u32 = list.iter().map(|i| i.active).sum();
        Some(f64::from(busy) / (list.len() as f64 * f64::from(config.concurrency)))
    }

    /// Starts one instance of `app` ahead of demand; returns its id and idle generation.
    pub fn prewarm(
        &mut self,
        app: usize,
        now_ns: i64,
        config: &ServerlessConfig,
        memory_mb: u32,
    ) -> Option<(u32, u32)> {
        let id = self.start(app, now_ns, config, memory_mb)?;
        let i = self.instances[app].iter_mut().find(|i| i.id == id)?;
        i.idle_generation = 1;
        Some((id, 1))
    }

    /// How many instances `app` should have under target utilisation `target`.
    pub fn desired(&self, app: usize, config: &ServerlessConfig, target: f64) -> usize {
        let busy: u32 = self.instances[app].iter().map(|i| i.active).sum();
        let per = f64::from(config.concurrency) * target;
        libm::ceil(f64::from(busy) / per) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cold_instance_serves_later_tasks_warm_and_expires_after_keep_alive() {
        let c = ServerlessConfig::new(Runtime::Container);
        let mut p = FunctionPool::new(1);
        let s = p.place(0, 0, &c, 1_000).unwrap();
        assert!(s.cold);
        assert_eq!(s.ready_ns, 250_000_000);
        let g = p.release(0, s.instance).unwrap();
        let warm = p.place(0, 300_000_000, &c, 1_000).unwrap();
        assert!(!warm.cold);
        assert_eq!(warm.instance, s.instance);
        // The stale keep-alive of the first idle period does nothing.
        assert!(!p.expire(0, s.instance, g));
        let g2 = p.release(0, s.instance).unwrap();
        assert!(p.expire(0, s.instance, g2));
        assert_eq!(p.count(), 0);
    }

    #[test]
    fn memory_bounds_instances_and_idle_ones_are_evicted() {
        let c = ServerlessConfig::new(Runtime::Container); // 128 MB each
        let mut p = FunctionPool::new(2);
        let a = p.place(0, 0, &c, 256).unwrap();
        let _b = p.place(0, 0, &c, 256).unwrap();
        assert!(
            p.place(1, 0, &c, 256).is_none(),
            "memory full of busy instances"
        );
        p.release(0, a.instance);
        let d = p.place(1, 0, &c, 256).unwrap();
        assert!(d.cold);
        assert_eq!(p.count(), 2);
    }
}
