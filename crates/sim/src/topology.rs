//! Who knows whom: undirected graphs stored compactly (CSR), with builders for the usual shapes.
//!
//! A topology gives each node its sorted list of neighbours ([`crate::Ctx::neighbours`]). A node
//! may still send to any node id; links not in the topology use the default link parameters.

use crate::error::ConfigError;
use crate::id::NodeId;
use crate::rng::SimRng;
use serde::{Deserialize, Serialize};

/// The most nodes a run may have.
pub const MAX_NODES: u32 = 1_000_000;
/// The most undirected links a topology may have (each stored in both directions).
pub const MAX_LINKS: u64 = 10_000_000;

/// An undirected graph over nodes `0..node_count` in compressed sparse row form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topology {
    /// `offsets[i]..offsets[i + 1]` indexes node `i`'s neighbours in `targets`.
    offsets: Vec<u32>,
    /// Neighbour ids, sorted per node, no duplicates, no self-loops.
    targets: Vec<NodeId>,
}

fn check_nodes(n: u32) -> Result<(), ConfigError> {
    if n == 0 {
        return Err(ConfigError::InvalidTopology {
            reason: "a run needs at least one node".into(),
        });
    }
    if n > MAX_NODES {
        return Err(ConfigError::LimitExceeded {
            what: "nodes",
            requested: n as u64,
            limit: MAX_NODES as u64,
        });
    }
    Ok(())
}

fn check_links(links: u64) -> Result<(), ConfigError> {
    if links > MAX_LINKS {
        return Err(ConfigError::LimitExceeded {
            what: "links",
            requested: links,
            limit: MAX_LINKS,
        });
    }
    Ok(())
}

impl Topology {
    /// Whether [`Topology::complete`] accepts `n` nodes, without building the graph.
    pub fn check_complete(n: u32) -> Result<(), ConfigError> {
        check_nodes(n)?;
        check_links(n as u64 * (n as u64 - 1) / 2)
    }

    /// Whether a line, ring or star of `n` nodes can be built (at most `n` links).
    pub fn check_sparse(n: u32) -> Result<(), ConfigError> {
        check_nodes(n)
    }

    /// Whether [`Topology::tree`] accepts `n` nodes with branching factor `k`, without building.
    pub fn check_tree(n: u32, k: u32) -> Result<(), ConfigError> {
        check_nodes(n)?;
        if k == 0 {
            return Err(ConfigError::InvalidTopology {
                reason: "a tree needs a branching factor of at least 1".into(),
            });
        }
        Ok(())
    }

    /// Whether [`Topology::random`] accepts these parameters, without building the graph;
    /// returns the number of links it would aim for.
    pub fn check_random(n: u32, mean_degree: f64) -> Result<u64, ConfigError> {
        check_nodes(n)?;
        if !(mean_degree.is_finite() && mean_degree >= 0.0) {
            return Err(ConfigError::InvalidTopology {
                reason: format!("mean degree must be a non-negative number, got {mean_degree}"),
            });
        }
        let max_edges = n as u64 * (n as u64 - 1) / 2;
        let target = ((n as f64 * mean_degree / 2.0) as u64)
            .clamp((n - 1) as u64, max_edges.max((n - 1) as u64));
        check_links(target)?;
        Ok(target)
    }

    /// A graph from an explicit list of undirected edges. Duplicate edges are merged; self-loops
    /// and unknown node ids are errors.
    pub fn from_edges(
        node_count: u32,
        edges: &[(NodeId, NodeId)],
    ) -> Result<Topology, ConfigError> {
        check_nodes(node_count)?;
        check_links(edges.len() as u64)?;
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(edges.len() * 2);
        for &(a, b) in edges {
            for x in [a, b] {
                if x.0 >= node_count {
                    return Err(ConfigError::UnknownNode {
                        node: x,
                        node_count,
                    });
                }
            }
            if a == b {
                return Err(ConfigError::InvalidTopology {
                    reason: format!("self-loop on {a}"),
                });
            }
            pairs.push((a.0, b.0));
            pairs.push((b.0, a.0));
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut offsets = vec![0u32; node_count as usize + 1];
        for &(a, _) in &pairs {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..node_count as usize {
            offsets[i + 1] += offsets[i];
        }
        let targets = pairs.into_iter().map(|(_, b)| NodeId(b)).collect();
        Ok(Topology { offsets, targets })
    }

    /// Every node linked to every other. Limited to 4,000 nodes (8 million links).
    pub fn complete(n: u32) -> Result<Topology, ConfigError> {
        Topology::check_complete(n)?;
        let mut offsets = Vec::with_capacity(n as usize + 1);
        let mut targets = Vec::with_capacity(n as usize * (n as usize - 1));
        offsets.push(0);
        for i in 0..n {
            targets.extend((0..n).filter(|&j| j != i).map(NodeId));
            offsets.push(targets.len() as u32);
        }
        Ok(Topology { offsets, targets })
    }

    /// `0 — 1 — 2 — … — n-1`.
    pub fn line(n: u32) -> Result<Topology, ConfigError> {
        check_nodes(n)?;
        let edges: Vec<_> = (1..n).map(|i| (NodeId(i - 1), NodeId(i))).collect();
        Topology::from_edges(n, &edges)
    }

    /// A line closed into a cycle (a line for `n < 3`).
    pub fn ring(n: u32) -> Result<Topology, ConfigError> {
        check_nodes(n)?;
        let mut edges: Vec<_> = (1..n).map(|i| (NodeId(i - 1), NodeId(i))).collect();
        if n >= 3 {
            edges.push((NodeId(n - 1), NodeId(0)));
        }
        Topology::from_edges(n, &edges)
    }

    /// Node 0 linked to every other node.
    pub fn star(n: u32) -> Result<Topology, ConfigError> {
        check_nodes(n)?;
        let edges: Vec<_> = (1..n).map(|i| (NodeId(0), NodeId(i))).collect();
        Topology::from_edges(n, &edges)
    }

    /// A `width × height` grid with 4-neighbourhoods; node `x + y·width`.
    pub fn grid(width: u32, height: u32) -> Result<Topology, ConfigError> {
        if width == 0 || height == 0 {
            return Err(ConfigError::InvalidTopology {
                reason: "a grid needs width and height of at least 1".into(),
            });
        }
        let n64 = width as u64 * height as u64;
        if n64 > MAX_NODES as u64 {
            return Err(ConfigError::LimitExceeded {
                what: "nodes",
                requested: n64,
                limit: MAX_NODES as u64,
            });
        }
        let n = n64 as u32;
        let mut edges = Vec::with_capacity(n as usize * 2);
        for y in 0..height {
            for x in 0..width {
                let i = x + y * width;
                if x + 1 < width {
                    edges.push((NodeId(i), NodeId(i + 1)));
                }
                if y + 1 < height {
                    edges.push((NodeId(i), NodeId(i + width)));
                }
            }
        }
        Topology::from_edges(n, &edges)
    }

    /// A complete `k`-ary tree in breadth-first order: node `i`'s parent is `(i - 1) / k`.
    pub fn tree(n: u32, k: u32) -> Result<Topology, ConfigError> {
        Topology::check_tree(n, k)?;
        let edges: Vec<_> = (1..n).map(|i| (NodeId((i - 1) / k), NodeId(i))).collect();
        Topology::from_edges(n, &edges)
    }

    /// A connected random graph with about `mean_degree` neighbours per node, from `seed`:
    /// a random recursive tree (each node `i > 0` links to a uniformly chosen earlier node),
    /// which makes it connected, plus uniformly random extra edges up to `n · mean_degree / 2`.
    pub fn random(n: u32, mean_degree: f64, seed: u64) -> Result<Topology, ConfigError> {
        let target = Topology::check_random(n, mean_degree)?;
        let mut rng = SimRng::for_stream(seed, u64::MAX - 1);
        let mut edges = Vec::with_capacity(target as usize);
        for i in 1..n {
            edges.push((NodeId(rng.below(i as u64) as u32), NodeId(i)));
        }
        let mut seen: std::collections::BTreeSet<(u32, u32)> = edges
            .iter()
            .map(|&(a, b)| (a.0.min(b.0), a.0.max(b.0)))
            .collect();
        // Rejection sampling; bounded attempts so a near-complete request cannot spin.
        let mut attempts = 0u64;
        while (seen.len() as u64) < target && attempts < target * 20 + 100 {
            attempts += 1;
            let a = rng.below(n as u64) as u32;
            let b = rng.below(n as u64) as u32;
            if a != b && seen.insert((a.min(b), a.max(b))) {
                edges.push((NodeId(a), NodeId(b)));
            }
        }
        Topology::from_edges(n, &edges)
    }

    /// How many nodes.
    pub fn node_count(&self) -> u32 {
        (self.offsets.len() - 1) as u32
    }

    /// How many undirected links.
    pub fn link_count(&self) -> u64 {
        self.targets.len() as u64 / 2
    }

    /// A node's neighbours, sorted by id. Empty for an unknown node.
    pub fn neighbours(&self, node: NodeId) -> &[NodeId] {
        let i = node.index();
        if i + 1 >= self.offsets.len() {
            return &[];
        }
        &self.targets[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// Whether `a` and `b` are linked.
    pub fn are_neighbours(&self, a: NodeId, b: NodeId) -> bool {
        self.neighbours(a).binary_search(&b).is_ok()
    }

    /// Every undirected link once, as `(smaller, larger)`, in id order.
    pub fn links(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        (0..self.node_count()).flat_map(move |a| {
            self.neighbours(NodeId(a))
                .iter()
                .filter(move |b| b.0 > a)
                .map(move |&b| (NodeId(a), b))
        })
    }

    /// Breadth-first hop distances from `root` (`u32::MAX` for unreachable nodes).
    pub fn hop_distances(&self, root: NodeId) -> Vec<u32> {
        let n = self.node_count() as usize;
        let mut dist = vec![u32::MAX; n];
        if root.index() >= n {
            return dist;
        }
        let mut queue = std::collections::VecDeque::new();
        dist[root.index()] = 0;
        queue.push_back(root);
        while let Some(u) = queue.pop_front() {
            for &v in self.neighbours(u) {
                if dist[v.index()] == u32::MAX {
                    dist[v.index()] = dist[u.index()] + 1;
                    queue.push_back(v);
                }
            }
        }
        dist
    }

    /// A breadth-first spanning tree from `root`: each node's parent (`None` for the root and for
    /// nodes not reachable from it). Ties go to the smallest id, so the tree is deterministic.
    pub fn bfs_parents(&self, root: NodeId) -> Vec<Option<NodeId>> {
        let n = self.node_count() as usize;
        let mut parent = vec![None; n];
        let mut seen = vec![false; n];
        if root.index() >= n {
            return parent;
        }
        let mut queue = std::collections::VecDeque::new();
        seen[root.index()] = true;
        queue.push_back(root);
        while let Some(u) = queue.pop_front() {
            for &v in self.neighbours(u) {
                if !seen[v.index()] {
                    seen[v.index()] = true;
                    parent[v.index()] = Some(u);
                    queue.push_back(v);
                }
            }
        }
        parent
    }

    /// Whether every node can reach every other.
    pub fn is_connected(&self) -> bool {
        self.hop_distances(NodeId(0)).iter().all(|&d| d != u32::MAX)
    }

    /// Bytes of memory held by the adjacency arrays.
    pub fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * 4 + self.targets.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn degrees(t: &Topology) -> Vec<usize> {
        (0..t.node_count())
            .map(|i| t.neighbours(NodeId(i)).len())
            .collect()
    }

    #[test]
    fn shapes_have_the_expected_degrees() {
        assert_eq!(degrees(&Topology::line(4).unwrap()), vec![1, 2, 2, 1]);
        assert_eq!(degrees(&Topology::ring(4).unwrap()), vec![2, 2, 2, 2]);
        assert_eq!(degrees(&Topology::star(4).unwrap()), vec![3, 1, 1, 1]);
        assert_eq!(degrees(&Topology::complete(5).unwrap()), vec![4; 5]);
        assert_eq!(
            degrees(&Topology::grid(3, 2).unwrap()),
            vec![2, 3, 2, 2, 3, 2]
        );
        assert_eq!(
            degrees(&Topology::tree(7, 2).unwrap()),
            vec![2, 3, 3, 1, 1, 1, 1]
        );
        assert_eq!(Topology::line(1).unwrap().link_count(), 0);
        assert_eq!(Topology::ring(2).unwrap().link_count(), 1);
    }

    #[test]
    fn random_graph_is_connected_seeded_and_near_the_degree() {
        let a = Topology::random(500, 6.0, 42).unwrap();
        let b = Topology::random(500, 6.0, 42).unwrap();
        let c = Topology::random(500, 6.0, 43).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.is_connected());
        assert_eq!(a.link_count(), 1500);
    }

    #[test]
    fn every_shape_is_connected_and_symmetric() {
        for t in [
            Topology::line(10).unwrap(),
            Topology::ring(10).unwrap(),
            Topology::star(10).unwrap(),
            Topology::grid(4, 5).unwrap(),
            Topology::tree(30, 3).unwrap(),
            Topology::complete(6).unwrap(),
        ] {
            assert!(t.is_connected());
            for (a, b) in t.links() {
                assert!(t.are_neighbours(a, b) && t.are_neighbours(b, a));
            }
        }
    }

    #[test]
    fn bad_parameters_are_errors_not_panics() {
        assert!(Topology::line(0).is_err());
        assert!(Topology::tree(5, 0).is_err());
        assert!(Topology::grid(0, 3).is_err());
        assert!(Topology::complete(100_000).is_err());
        assert!(Topology::line(MAX_NODES + 1).is_err());
        assert!(Topology::from_edges(3, &[(NodeId(0), NodeId(3))]).is_err());
        assert!(Topology::from_edges(3, &[(NodeId(1), NodeId(1))]).is_err());
        assert!(Topology::random(10, f64::NAN, 1).is_err());
    }

    #[test]
    fn bfs_tree_spans_a_connected_graph() {
        let t = Topology::grid(5, 5).unwrap();
        let p = t.bfs_parents(NodeId(12));
        assert_eq!(p.iter().filter(|x| x.is_none()).count(), 1);
        let d = t.hop_distances(NodeId(0));
        assert_eq!(d[24], 8);
    }
}
