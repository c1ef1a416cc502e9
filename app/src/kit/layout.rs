//! Where each node is drawn: a deterministic layout per topology, in unit space (`[0, 1]²`).
//!
//! Grids are grids, lines are rows (snaking when long), rings and complete graphs are circles,
//! a star has node 0 in the middle, trees are layered from the root. Random graphs get a spring
//! layout when small enough to compute one quickly (≤ [`SPRING_MAX_NODES`]) and otherwise a
//! sunflower spread in breadth-first order from node 0, so a broadcast from node 0 shows as a
//! wave moving outwards.

use scenario::scenario::TopologyKind;
use sim::{NodeId, Topology};
use std::f64::consts::{PI, TAU};

/// A point in unit space.
pub type Point = (f64, f64);

/// Largest random graph laid out with springs (the cost grows with the square of the nodes).
pub const SPRING_MAX_NODES: u32 = 300;
/// Spring-layout iterations.
pub const SPRING_ITERATIONS: u32 = 300;
/// Longest line drawn as one row; longer lines snake back and forth.
pub const LINE_ROW_MAX: u32 = 16;

/// The position of every node (index = node id), each coordinate in `[0, 1]`, centred.
pub fn layout(kind: &TopologyKind, node_count: u32, topology: &Topology) -> Vec<Point> {
    let n = node_count.min(topology.node_count());
    let raw = match kind {
        TopologyKind::Grid => grid(n, TopologyKind::grid_width(n)),
        TopologyKind::Line => line(n),
        TopologyKind::Ring | TopologyKind::Complete => circle(n, 0),
        TopologyKind::Star => {
            let mut points = vec![(0.0, 0.0)];
            points.extend(circle(n.saturating_sub(1), 0));
            points.truncate(n as usize);
            points
        }
        TopologyKind::Tree { .. } => layered(topology, n),
        TopologyKind::Random { .. } if n <= SPRING_MAX_NODES => {
            let start = sunflower(topology, n);
            spring(topology, start, SPRING_ITERATIONS)
        }
        TopologyKind::Random { .. } => sunflower(topology, n),
    };
    normalise(raw)
}

fn grid(n: u32, width: u32) -> Vec<Point> {
    (0..n)
        .map(|i| ((i % width) as f64, (i / width) as f64))
        .collect()
}

fn line(n: u32) -> Vec<Point> {
    if n <= LINE_ROW_MAX {
        return (0..n).map(|i| (i as f64, 0.0)).collect();
    }
    // Wider than tall: about twice as many columns as rows.
    let columns = ((2.0 * n as f64).sqrt().ceil() as u32).max(1);
    (0..n)
        .map(|i| {
            let row = i / columns;
            let column = i % columns;
            let x = if row.is_multiple_of(2) {
                column
            } else {
                columns - 1 - column
            };
            (x as f64, row as f64)
        })
        .collect()
}

/// `n` points on a circle, the first at the top, clockwise.
fn circle(n: u32, offset: u32) -> Vec<Point> {
    (0..n)
        .map(|i| {
            let angle = TAU * (i + offset) as f64 / n.max(1) as f64 - PI / 2.0;
            (angle.cos(), angle.sin())
        })
        .collect()
}

/// Layers by hop distance from node 0, in id order within a layer.
fn layered(topology: &Topology, n: u32) -> Vec<Point> {
    let depth = topology.hop_distances(NodeId(0));
    let deepest = depth
        .iter()
        .copied()
        .filter(|&d| d != u32::MAX)
        .max()
        .unwrap_or(0);
    // Unreachable nodes go in one extra layer at the bottom.
    let layer_of = |d: u32| if d == u32::MAX { deepest + 1 } else { d };
    let layers = deepest as usize + 2;
    let mut sizes = vec![0u32; layers];
    for &d in depth.iter().take(n as usize) {
        sizes[layer_of(d) as usize] += 1;
    }
    let widest = sizes.iter().copied().max().unwrap_or(1).max(1) as f64;
    let mut seen = vec![0u32; layers];
    depth
        .iter()
        .take(n as usize)
        .map(|&d| {
            let layer = layer_of(d) as usize;
            let index = seen[layer];
            seen[layer] += 1;
            // Spread each layer over the full width, so the tree's shape shows.
            let x = (index as f64 + 0.5) / sizes[layer] as f64 * widest;
            (x, layer as f64 * (widest / (deepest as f64 + 1.0)).max(1.0))
        })
        .collect()
}

/// Nodes in breadth-first order from node 0 on a sunflower (Vogel's spiral): even density,
/// hop distance from node 0 growing outwards.
fn sunflower(topology: &Topology, n: u32) -> Vec<Point> {
    let golden = PI * (3.0 - 5f64.sqrt());
    let mut points = vec![(0.0, 0.0); n as usize];
    for (rank, node) in bfs_order(topology, n).into_iter().enumerate() {
        let r = ((rank as f64 + 0.5) / n as f64).sqrt();
        let angle = rank as f64 * golden;
        points[node as usize] = (r * angle.cos(), r * angle.sin());
    }
    points
}

/// Every node once: breadth-first from node 0, then any node not reached, in id order.
fn bfs_order(topology: &Topology, n: u32) -> Vec<u32> {
    let depth = topology.hop_distances(NodeId(0));
    let mut order: Vec<u32> = (0..n).collect();
    // Stable sort by depth keeps id order within a layer: deterministic.
    order.sort_by_key(|&i| depth.get(i as usize).copied().unwrap_or(u32::MAX));
    order
}

/// Fruchterman–Reingold: neighbours attract, everyone repels, the step size cools to zero.
fn spring(topology: &Topology, mut points: Vec<Point>, iterations: u32) -> Vec<Point> {
    let n = points.len();
    if n < 3 {
        return points;
    }
    // The start is a sunflower of radius 1: area π.
    let k = (PI / n as f64).sqrt();
    let mut shift = vec![(0.0, 0.0); n];
    for iteration in 0..iterations {
        let temperature = 0.1 * (1.0 - iteration as f64 / iterations as f64);
        shift.iter_mut().for_each(|s| *s = (0.0, 0.0));
        for a in 0..n {
            for b in a + 1..n {
                let dx = points[a].0 - points[b].0;
                let dy = points[a].1 - points[b].1;
                let d2 = (dx * dx + dy * dy).max(1e-9);
                let push = k * k / d2;
                shift[a].0 += dx * push;
                shift[a].1 += dy * push;
                shift[b].0 -= dx * push;
                shift[b].1 -= dy * push;
            }
        }
        for (a, b) in topology.links() {
            let (a, b) = (a.index(), b.index());
            if a >= n || b >= n {
                continue;
            }
            let dx = points[a].0 - points[b].0;
            let dy = points[a].1 - points[b].1;
            let d = (dx * dx + dy * dy).sqrt();
            let pull = d / k;
            shift[a].0 -= dx * pull;
            shift[a].1 -= dy * pull;
            shift[b].0 += dx * pull;
            shift[b].1 += dy * pull;
        }
        // Gravity towards the middle keeps leaves (one link, all repulsion) from drifting
        // far out and squeezing everyone else into a corner of the view.
        let (cx, cy) = centroid(&points);
        for (point, s) in points.iter().zip(shift.iter_mut()) {
            let (dx, dy) = (point.0 - cx, point.1 - cy);
            let d = (dx * dx + dy * dy).sqrt();
            s.0 -= dx * d * GRAVITY / k;
            s.1 -= dy * d * GRAVITY / k;
        }
        for (point, s) in points.iter_mut().zip(&shift) {
            let length = (s.0 * s.0 + s.1 * s.1).sqrt();
            if length > 0.0 {
                let step = length.min(temperature);
                point.0 += s.0 / length * step;
                point.1 += s.1 / length * step;
            }
        }
    }
    points
}

/// Strength of the pull towards the middle in the spring layout.
const GRAVITY: f64 = 0.6;

fn centroid(points: &[Point]) -> Point {
    let n = points.len().max(1) as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
    (sx / n, sy / n)
}

/// Scales and centres points into `[0, 1]²`, keeping their aspect ratio.
fn normalise(points: Vec<Point>) -> Vec<Point> {
    if points.is_empty() {
        return points;
    }
    let (mut min_x, mut min_y) = (f64::INFINITY, f64::INFINITY);
    let (mut max_x, mut max_y) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for &(x, y) in &points {
        min_x = min_x.min(x);
        min_y = min_y.min(y);
        max_x = max_x.max(x);
        max_y = max_y.max(y);
    }
    let span = (max_x - min_x).max(max_y - min_y);
    if !(span.is_finite() && span > 0.0) {
        return points.iter().map(|_| (0.5, 0.5)).collect();
    }
    let pad_x = (1.0 - (max_x - min_x) / span) / 2.0;
    let pad_y = (1.0 - (max_y - min_y) / span) / 2.0;
    points
        .into_iter()
        .map(|(x, y)| (pad_x + (x - min_x) / span, pad_y + (y - min_y) / span))
        .collect()
}

/// The bounding box of points: `(min_x, min_y, max_x, max_y)`; the unit square if empty.
pub fn bounds(points: &[Point]) -> (f64, f64, f64, f64) {
    if points.is_empty() {
        return (0.0, 0.0, 1.0, 1.0);
    }
    points.iter().fold(
        (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), &(x, y)| (a.min(x), b.min(y), c.max(x), d.max(y)),
    )
}

/// The smallest distance between two points (brute force; for tests and small graphs).
pub fn min_distance(points: &[Point]) -> f64 {
    let mut best = f64::INFINITY;
    for (i, a) in points.iter().enumerate() {
        for b in &points[i + 1..] {
            best = best.min(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt());
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laid_out(kind: TopologyKind, n: u32) -> Vec<Point> {
        let topology = kind.build(n, 7).expect("a topology");
        layout(&kind, n, &topology)
    }

    const KINDS: [TopologyKind; 7] = [
        TopologyKind::Grid,
        TopologyKind::Line,
        TopologyKind::Ring,
        TopologyKind::Complete,
        TopologyKind::Star,
        TopologyKind::Tree { branching: 2 },
        TopologyKind::Random { mean_degree: 4.0 },
    ];

    #[test]
    fn every_node_gets_a_distinct_point_inside_the_unit_square() {
        for kind in KINDS {
            for n in [1, 2, 3, 7, 25, 64, 301] {
                let points = laid_out(kind, n);
                assert_eq!(points.len(), n as usize, "{kind:?} {n}");
                for &(x, y) in &points {
                    assert!(
                        (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y),
                        "{kind:?} {n}: ({x}, {y})"
                    );
                }
                if n > 1 {
                    assert!(
                        min_distance(&points) > 1e-4,
                        "{kind:?} {n}: overlapping nodes"
                    );
                }
            }
        }
    }

    #[test]
    fn layouts_are_deterministic() {
        for kind in KINDS {
            assert_eq!(laid_out(kind, 120), laid_out(kind, 120), "{kind:?}");
        }
    }

    #[test]
    fn a_grid_is_a_grid() {
        let points = laid_out(TopologyKind::Grid, 25);
        // Node 6 is one step right and one down from node 0.
        let step = points[1].0 - points[0].0;
        assert!(step > 0.0);
        assert!((points[5].1 - points[0].1 - step).abs() < 1e-12);
        assert!((points[6].0 - points[0].0 - step).abs() < 1e-12);
        assert_eq!(points[4].1, points[0].1, "a row shares its y");
    }

    #[test]
    fn a_long_line_snakes_and_neighbours_stay_adjacent() {
        let points = laid_out(TopologyKind::Line, 25);
        let (_, min_y, _, max_y) = bounds(&points);
        assert!(max_y > min_y, "more than one row");
        let step = min_distance(&points);
        for pair in points.windows(2) {
            let d = ((pair[0].0 - pair[1].0).powi(2) + (pair[0].1 - pair[1].1).powi(2)).sqrt();
            assert!(
                (d - step).abs() < 1e-9,
                "consecutive nodes are one step apart"
            );
        }
        let short = laid_out(TopologyKind::Line, 10);
        assert!(
            short.iter().all(|p| p.1 == short[0].1),
            "a short line is one row"
        );
    }

    #[test]
    fn a_star_has_its_hub_in_the_middle() {
        let points = laid_out(TopologyKind::Star, 9);
        assert!((points[0].0 - 0.5).abs() < 1e-9 && (points[0].1 - 0.5).abs() < 1e-9);
    }

    #[test]
    fn a_tree_is_layered_from_the_root() {
        let points = laid_out(TopologyKind::Tree { branching: 2 }, 7);
        assert!(points[0].1 < points[1].1, "root above its children");
        assert_eq!(points[1].1, points[2].1, "siblings share a layer");
        assert!(points[3].1 > points[1].1);
    }

    #[test]
    fn spring_layout_pulls_neighbours_closer_than_strangers() {
        let kind = TopologyKind::Random { mean_degree: 3.0 };
        let topology = kind.build(60, 3).expect("a topology");
        let points = layout(&kind, 60, &topology);
        let distance = |a: usize, b: usize| {
            ((points[a].0 - points[b].0).powi(2) + (points[a].1 - points[b].1).powi(2)).sqrt()
        };
        let linked: Vec<f64> = topology
            .links()
            .map(|(a, b)| distance(a.index(), b.index()))
            .collect();
        let mean_linked = linked.iter().sum::<f64>() / linked.len() as f64;
        let mut all = 0.0;
        let mut pairs = 0.0;
        for a in 0..60 {
            for b in a + 1..60 {
                all += distance(a, b);
                pairs += 1.0;
            }
        }
        assert!(
            mean_linked < 0.7 * all / pairs,
            "{mean_linked} vs {}",
            all / pairs
        );
    }

    #[test]
    fn spring_layout_keeps_leaves_near_the_others() {
        let points = laid_out(TopologyKind::Random { mean_degree: 6.0 }, 200);
        let (cx, cy) = centroid(&points);
        let mut radii: Vec<f64> = points
            .iter()
            .map(|p| ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt())
            .collect();
        radii.sort_by(f64::total_cmp);
        let median = radii[radii.len() / 2];
        let max = radii[radii.len() - 1];
        assert!(
            max < 2.6 * median,
            "max radius {max:.3} vs median {median:.3}"
        );
    }

    #[test]
    fn big_random_graphs_spread_outwards_from_node_0() {
        let points = laid_out(TopologyKind::Random { mean_degree: 6.0 }, 2_000);
        let centre = |p: Point| ((p.0 - 0.5).powi(2) + (p.1 - 0.5).powi(2)).sqrt();
        assert!(centre(points[0]) < 0.05, "node 0 near the centre");
    }
}
