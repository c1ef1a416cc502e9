//! A run's configuration ([`EdgeConfig`], plain data for scenarios and links) and the static
//! plan derived from it ([`Plan`]: node ids, tiers, regions, routes), which every node reads.

use crate::layout::{Layout, TopologyPreset};
use crate::policy::Policy;
use crate::serverless::ServerlessConfig;
use crate::tier::{Links, ServerSpec, Tier};
use crate::workload::{AppSpec, Task};
use serde::{Deserialize, Serialize};
use sim::{NodeId, SimConfig, SimDuration, SimRng, Topology};

/// The machines of every tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierSpecs {
    /// User devices.
    pub device: ServerSpec,
    /// Edge servers.
    pub edge: ServerSpec,
    /// Fog nodes.
    pub fog: ServerSpec,
    /// The cloud.
    pub cloud: ServerSpec,
}

impl Default for TierSpecs {
    fn default() -> Self {
        TierSpecs {
            device: ServerSpec::phone(),
            edge: ServerSpec::edge(),
            fog: ServerSpec::fog(),
            cloud: ServerSpec::cloud(),
        }
    }
}

impl TierSpecs {
    /// The machine of `tier`.
    pub fn get(&self, tier: Tier) -> &ServerSpec {
        match tier {
            Tier::Device => &self.device,
            Tier::Edge => &self.edge,
            Tier::Fog => &self.fog,
            Tier::Cloud => &self.cloud,
        }
    }
}

/// Everything that defines an edge–cloud run apart from its seed and duration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EdgeConfig {
    /// Where the nodes are.
    pub topology: TopologyPreset,
    /// The machines of each tier.
    pub tiers: TierSpecs,
    /// The link classes.
    pub links: Links,
    /// The applications devices run.
    pub apps: Vec<AppSpec>,
    /// How edge orchestrators place tasks.
    pub policy: Policy,
    /// Tasks a server's queue holds beyond its cores; one more is dropped ("queue full").
    /// Default 100: an assumption (EdgeCloudSim has no queue bound; a task fails there when no
    /// VM has capacity).
    pub queue_capacity: u32,
    /// How often servers report their load (and fogs relay the digest). Default 1 s: an
    /// assumption of the order of EdgeCloudSim's `vm_load_check_interval` (0.1 s) and
    /// Kubernetes' metrics resolution (15 s), chosen so the orchestrator's view is visibly stale.
    pub report_interval: SimDuration,
    /// Mean time a device stays at one base station before moving to one of the 4 nearest
    /// (exponential dwell times); `None`: devices do not move.
    pub mobility_dwell: Option<SimDuration>,
    /// Serverless execution on every server; `None`: tasks run directly on cores.
    pub serverless: Option<ServerlessConfig>,
}

/// Base stations a moving device may go to: the 4 nearest to where it is.
pub const MOBILITY_NEIGHBOURS: usize = 4;
/// Most applications in one run.
pub const MAX_APPS: usize = 16;
/// Largest queue capacity.
pub const MAX_QUEUE: u32 = 1_000_000;

impl Default for EdgeConfig {
    fn default() -> Self {
        EdgeConfig {
            topology: TopologyPreset::Synthetic {
                edges: 4,
                fogs: 1,
                devices: 40,
            },
            tiers: TierSpecs::default(),
            links: Links::edge_cloud_sim(),
            apps: AppSpec::edge_cloud_sim_mix(),
            policy: Policy::NearestEdge,
            queue_capacity: 100,
            report_interval: SimDuration::from_secs(1),
            mobility_dwell: None,
            serverless: None,
        }
    }
}

impl EdgeConfig {
    /// Every problem with the configuration: `(field, sentence)` pairs, in field order.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        self.topology.problems(&mut out);
        for t in Tier::ALL {
            self.tiers
                .get(t)
                .problems(&format!("tiers.{}", t.name()), t != Tier::Device, &mut out);
        }
        self.links.problems(&mut out);
        if self.apps.is_empty() || self.apps.len() > MAX_APPS {
            out.push((
                "apps".into(),
                format!(
                    "there must be between 1 and {MAX_APPS} applications, but there are {}",
                    self.apps.len()
                ),
            ));
        }
        for (i, a) in self.apps.iter().enumerate() {
            a.problems(&format!("apps[{i}]"), &mut out);
        }
        if !self.apps.is_empty() && self.apps.iter().all(|a| a.share_percent == 0) {
            out.push((
                "apps".into(),
                "at least one application needs a share above 0 %".into(),
            ));
        }
        if self.queue_capacity > MAX_QUEUE {
            out.push((
                "queue_capacity".into(),
                format!(
                    "must be at most {MAX_QUEUE}, but it is {}",
                    self.queue_capacity
                ),
            ));
        }
        let (lo, hi) = (SimDuration::from_millis(10), SimDuration::from_secs(600));
        if self.report_interval < lo || self.report_interval > hi {
            out.push((
                "report_interval".into(),
                format!(
                    "must be between {lo} and {hi}, but it is {}",
                    self.report_interval
                ),
            ));
        }
        if let Some(d) = self.mobility_dwell
            && (d < SimDuration::from_secs(1) || d > SimDuration::from_secs(3_600))
        {
            out.push((
                "mobility_dwell".into(),
                format!("must be between 1 s and 1 h, but it is {d}"),
            ));
        }
        if let Some(s) = &self.serverless {
            s.problems(&mut out);
            for t in [Tier::Edge, Tier::Fog, Tier::Cloud] {
                let m = self.tiers.get(t).memory_mb;
                if s.instance_memory_mb > m {
                    out.push((
                        format!("tiers.{}.memory_mb", t.name()),
                        format!(
                            "{m} MB cannot hold one {} MB serverless instance",
                            s.instance_memory_mb
                        ),
                    ));
                }
            }
        }
        out
    }

    /// The number of nodes the run will have.
    pub fn node_count(&self) -> u32 {
        match self.topology {
            TopologyPreset::Synthetic {
                edges,
                fogs,
                devices,
            } => 1 + fogs + edges + devices,
            TopologyPreset::MelbourneCbd { users, fogs } => {
                1 + fogs + crate::layout::MELBOURNE_BASE_STATIONS + users
            }
        }
    }
}

/// What a node id stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// The cloud.
    Cloud,
    /// Fog `i`.
    Fog(u32),
    /// Edge `i`.
    Edge(u32),
    /// Device `i`.
    Device(u32),
}

/// The static, shared description of a run that nodes read (never write).
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Positions and wiring.
    pub layout: Layout,
    /// Machines per tier.
    pub tiers: TierSpecs,
    /// Link classes.
    pub links: Links,
    /// Applications.
    pub apps: Vec<AppSpec>,
    /// The placement policy.
    pub policy: Policy,
    /// Queue capacity of every server.
    pub queue_capacity: u32,
    /// Load report interval.
    pub report_interval: SimDuration,
    /// Mean dwell time of moving devices.
    pub mobility_dwell: Option<SimDuration>,
    /// Serverless configuration.
    pub serverless: Option<ServerlessConfig>,
    /// Application of each device.
    pub device_app: Vec<u16>,
    /// Where a device attached to edge `e` may move.
    pub move_targets: Vec<Vec<u32>>,
    /// Edges of each fog region, ascending.
    pub region_edges: Vec<Vec<u32>>,
    /// Position of each edge in its region's list.
    pub region_pos: Vec<u32>,
    /// Network energy per bit per link traversal, J (from the energy ledger's configuration).
    pub joules_per_bit: f64,
}

impl Plan {
    /// Builds the plan: the layout, each device's application (drawn by share from the seed),
    /// regions and mobility targets.
    pub fn new(config: &EdgeConfig, seed: u64, joules_per_bit: f64) -> Result<Plan, String> {
        let layout = config.topology.layout()?;
        let mut rng = SimRng::for_stream(seed, u64::MAX - 1);
        let total: u64 = config.apps.iter().map(|a| u64::from(a.share_percent)).sum();
        let device_app = (0..layout.devices)
            .map(|_| {
                let mut x = rng.below(total.max(1));
                for (i, a) in config.apps.iter().enumerate() {
                    if x < u64::from(a.share_percent) {
                        return i as u16;
                    }
                    x -= u64::from(a.share_percent);
                }
                0
            })
            .collect();
        let mut region_edges = vec![Vec::new(); layout.fogs as usize];
        let mut region_pos = vec![0; layout.edges as usize];
        for e in 0..layout.edges {
            let f = layout.edge_fog[e as usize] as usize;
            region_pos[e as usize] = region_edges[f].len() as u32;
            region_edges[f].push(e);
        }
        let move_targets = if config.mobility_dwell.is_some() {
            (0..layout.edges)
                .map(|e| layout.neighbour_edges(e, MOBILITY_NEIGHBOURS))
                .collect()
        } else {
            vec![Vec::new(); layout.edges as usize]
        };
        Ok(Plan {
            layout,
            tiers: config.tiers.clone(),
            links: config.links.clone(),
            apps: config.apps.clone(),
            policy: config.policy,
            queue_capacity: config.queue_capacity,
            report_interval: config.report_interval,
            mobility_dwell: config.mobility_dwell,
            serverless: config.serverless.clone(),
            device_app,
            move_targets,
            region_edges,
            region_pos,
            joules_per_bit,
        })
    }

    /// Nodes in the run.
    pub fn node_count(&self) -> u32 {
        self.layout.sites.len() as u32
    }
    /// The cloud's id.
    pub fn cloud(&self) -> NodeId {
        NodeId(0)
    }
    /// Fog `f`'s id.
    pub fn fog_node(&self, f: u32) -> NodeId {
        NodeId(self.layout.fog_node(f))
    }
    /// Edge `e`'s id.
    pub fn edge_node(&self, e: u32) -> NodeId {
        NodeId(self.layout.edge_node(e))
    }
    /// Device `d`'s id.
    pub fn device_node(&self, d: u32) -> NodeId {
        NodeId(self.layout.device_node(d))
    }
    /// What node `id` is.
    pub fn kind(&self, id: NodeId) -> NodeKind {
        let f = self.layout.fogs;
        let e = self.layout.edges;
        match id.0 {
            0 => NodeKind::Cloud,
            i if i <= f => NodeKind::Fog(i - 1),
            i if i <= f + e => NodeKind::Edge(i - 1 - f),
            i => NodeKind::Device(i - 1 - f - e),
        }
    }
    /// The tier of node `id`.
    pub fn tier(&self, id: NodeId) -> Tier {
        match self.kind(id) {
            NodeKind::Cloud => Tier::Cloud,
            NodeKind::Fog(_) => Tier::Fog,
            NodeKind::Edge(_) => Tier::Edge,
            NodeKind::Device(_) => Tier::Device,
        }
    }
    /// The machine of `tier`.
    pub fn spec(&self, tier: Tier) -> &ServerSpec {
        self.tiers.get(tier)
    }

    /// The orchestrator of edge `e` has slots: itself, the other edges of its region, its
    /// fog, the cloud.
    pub fn slot_count(&self, e: u32) -> usize {
        let f = self.layout.edge_fog[e as usize] as usize;
        self.region_edges[f].len() + 2
    }
    /// The server in slot `slot` of edge `e`'s orchestrator.
    pub fn slot_server(&self, e: u32, slot: usize) -> NodeId {
        let f = self.layout.edge_fog[e as usize];
        let region = &self.region_edges[f as usize];
        let n = region.len() + 2;
        if slot == 0 {
            self.edge_node(e)
        } else if slot == n - 1 {
            self.cloud()
        } else if slot == n - 2 {
            self.fog_node(f)
        } else {
            let me = self.region_pos[e as usize] as usize;
            let pos = if slot <= me { slot - 1 } else { slot };
            self.edge_node(region[pos])
        }
    }
    /// The slot of `server` in edge `e`'s orchestrator, if it is a candidate.
    pub fn slot_of(&self, e: u32, server: NodeId) -> Option<usize> {
        let f = self.layout.edge_fog[e as usize];
        let n = self.region_edges[f as usize].len() + 2;
        match self.kind(server) {
            NodeKind::Cloud => Some(n - 1),
            NodeKind::Fog(g) if g == f => Some(n - 2),
            NodeKind::Edge(o) if o == e => Some(0),
            NodeKind::Edge(o) if self.layout.edge_fog[o as usize] == f => {
                let me = self.region_pos[e as usize];
                let pos = self.region_pos[o as usize];
                Some(if pos < me { pos + 1 } else { pos } as usize)
            }
            _ => None,
        }
    }

    /// The next node on the way from `at` to `to`: the cloud talks to everyone directly over
    /// its WAN links; an edge reaches its fog directly and the other edges of its region
    /// through the fog; a fog reaches its edges directly; devices and their base station talk
    /// over the access link.
    pub fn next_hop(&self, at: NodeId, to: NodeId) -> NodeId {
        match (self.kind(at), self.kind(to)) {
            (NodeKind::Edge(e), NodeKind::Edge(_)) => {
                self.fog_node(self.layout.edge_fog[e as usize])
            }
            _ => to,
        }
    }

    /// Estimated network seconds (input out, result back, links otherwise idle) and the number
    /// of links crossed each way, from edge `e` to slot `slot`, for `task`. The access link
    /// (device ↔ its base station) is left out: every candidate pays it alike.
    pub fn path_estimate(&self, e: u32, slot: usize, task: &Task) -> (f64, u32) {
        let n = self.slot_count(e);
        let up = task.upload_bytes + crate::node::HEADER_BYTES;
        let down = task.download_bytes + crate::node::HEADER_BYTES;
        let (link, hops) = if slot == 0 {
            return (0.0, 0);
        } else if slot == n - 1 {
            (&self.links.wan, 1)
        } else if slot == n - 2 {
            (&self.links.man, 1)
        } else {
            (&self.links.man, 2)
        };
        let per = link.transfer_secs(up) + link.transfer_secs(down);
        (per * f64::from(hops), hops)
    }

    /// Network energy of placing `task` from edge `e` on slot `slot`, joules: exactly what the
    /// energy ledger charges for it beyond the access link. The input message crosses each of
    /// the `hops` links out once and the result crosses each once on its way back, so
    /// `(input bytes + result bytes) × 8 × joules per bit × hops` (each direction counted once).
    pub fn network_joules(&self, e: u32, slot: usize, task: &Task) -> f64 {
        let (_, hops) = self.path_estimate(e, slot, task);
        let bytes = f64::from(task.upload_bytes)
            + f64::from(task.download_bytes)
            + 2.0 * f64::from(crate::node::HEADER_BYTES);
        bytes * 8.0 * self.joules_per_bit * f64::from(hops)
    }

    /// The kernel configuration: wired links (cloud–fog and cloud–edge WAN, fog–edge MAN,
    /// device–base station access, which is also the default link every moving device uses).
    pub fn sim_config(&self, seed: u64) -> Result<SimConfig, sim::ConfigError> {
        let l = &self.layout;
        let mut edges = Vec::new();
        for f in 0..l.fogs {
            edges.push((self.cloud(), self.fog_node(f)));
        }
        for e in 0..l.edges {
            edges.push((self.cloud(), self.edge_node(e)));
            edges.push((self.fog_node(l.edge_fog[e as usize]), self.edge_node(e)));
        }
        for d in 0..l.devices {
            edges.push((
                self.edge_node(l.device_edge[d as usize]),
                self.device_node(d),
            ));
        }
        let topology = Topology::from_edges(self.node_count(), &edges)?;
        let mut config =
            SimConfig::new(seed, topology).with_default_link(self.links.access.params());
        for f in 0..l.fogs {
            config = config.with_link(self.cloud(), self.fog_node(f), self.links.wan.params());
        }
        for e in 0..l.edges {
            config = config
                .with_link(self.cloud(), self.edge_node(e), self.links.wan.params())
                .with_link(
                    self.fog_node(l.edge_fog[e as usize]),
                    self.edge_node(e),
                    self.links.man.params(),
                );
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_and_servers_agree() {
        let cfg = EdgeConfig {
            topology: TopologyPreset::Synthetic {
                edges: 7,
                fogs: 2,
                devices: 3,
            },
            ..EdgeConfig::default()
        };
        let p = Plan::new(&cfg, 1, 0.0).unwrap();
        for e in 0..7 {
            for s in 0..p.slot_count(e) {
                assert_eq!(
                    p.slot_of(e, p.slot_server(e, s)),
                    Some(s),
                    "edge {e} slot {s}"
                );
            }
            assert_eq!(p.slot_server(e, 0), p.edge_node(e));
        }
        assert_eq!(p.kind(p.device_node(2)), NodeKind::Device(2));
        assert!(cfg.problems().is_empty());
    }

    #[test]
    fn every_problem_is_listed() {
        let mut cfg = EdgeConfig::default();
        cfg.apps.clear();
        cfg.queue_capacity = MAX_QUEUE + 1;
        cfg.report_interval = SimDuration::ZERO;
        let p = cfg.problems();
        assert_eq!(p.len(), 3, "{p:?}");
    }
}
