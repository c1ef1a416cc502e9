//! Where the nodes are: a synthetic tiered layout, or the Melbourne CBD base stations and users
//! of the EUA dataset, with positions in metres for drawing and nearest-base-station attachment.

use crate::tier::Tier;
use serde::{Deserialize, Serialize};

/// The EUA dataset's Melbourne CBD base stations (Optus sites), shipped with the crate.
pub const EUA_SITES_CSV: &str = include_str!("../data/eua/site-optus-melbCBD.csv");
/// The EUA dataset's 816 generated Melbourne CBD users.
pub const EUA_USERS_CSV: &str = include_str!("../data/eua/users-melbcbd-generated.csv");
/// The EUA dataset's licence (MIT).
pub const EUA_LICENSE: &str = include_str!("../data/eua/LICENSE");
/// How to credit the EUA dataset wherever it is shown.
pub const EUA_ATTRIBUTION: &str = "Base stations and users: EUA dataset (Phu Lai et al., \
    github.com/PhuLai/eua-dataset), MIT licence, Copyright (c) 2018 Swin Edge.";

/// Base stations in the Melbourne CBD file.
pub const MELBOURNE_BASE_STATIONS: u32 = 125;
/// Users in the Melbourne CBD file.
pub const MELBOURNE_USERS: u32 = 816;

/// Which layout a run uses.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum TopologyPreset {
    /// Edge servers in a row, fogs above them, one cloud on top, devices shared round-robin
    /// between edges.
    Synthetic {
        /// Edge servers (one per access point).
        edges: u32,
        /// Fog nodes; edges are split between them in contiguous groups.
        fogs: u32,
        /// User devices.
        devices: u32,
    },
    /// The Melbourne CBD: 125 base stations, each with an edge server, and the first `users`
    /// of the 816 users, each attached to its nearest base station; the base stations are
    /// grouped by k-means into `fogs` regions, each with a fog node at its centroid.
    MelbourneCbd {
        /// How many of the 816 users take part.
        users: u32,
        /// Fog regions.
        fogs: u32,
    },
}

/// A position for drawing: metres east and north of the layout's origin, and for the city map
/// the latitude and longitude too.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Position {
    /// Metres east.
    pub x_m: f64,
    /// Metres north.
    pub y_m: f64,
    /// Degrees north, for the city map.
    pub lat: Option<f64>,
    /// Degrees east, for the city map.
    pub lon: Option<f64>,
}

/// One node of a layout.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    /// Its tier.
    pub tier: Tier,
    /// Where it is drawn.
    pub position: Position,
    /// A label (the base station's name in the city).
    pub label: String,
}

/// The nodes of a run before any simulation: servers and devices with positions and wiring.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Every node by id: the cloud (id 0), then fogs, then edges, then devices.
    pub sites: Vec<Site>,
    /// Fog index of each edge (edge `i` is node `1 + fogs + i`).
    pub edge_fog: Vec<u32>,
    /// Edge index each device starts attached to (its nearest base station).
    pub device_edge: Vec<u32>,
    /// Fog nodes.
    pub fogs: u32,
    /// Edge servers.
    pub edges: u32,
    /// Devices.
    pub devices: u32,
}

/// Most edge servers in a synthetic layout.
pub const MAX_EDGES: u32 = 1_000;
/// Most fog nodes.
pub const MAX_FOGS: u32 = 100;
/// Most devices.
pub const MAX_DEVICES: u32 = 20_000;

/// Mean Earth radius, m (IUGG), for the local equirectangular projection.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl TopologyPreset {
    /// Every problem with the counts.
    pub fn problems(&self, out: &mut Vec<(String, String)>) {
        let mut bad = |f: &str, m: String| out.push((format!("topology.{f}"), m));
        match *self {
            TopologyPreset::Synthetic {
                edges,
                fogs,
                devices,
            } => {
                if !(1..=MAX_EDGES).contains(&edges) {
                    bad(
                        "edges",
                        format!("must be between 1 and {MAX_EDGES}, but it is {edges}"),
                    );
                }
                if !(1..=MAX_FOGS).contains(&fogs) || fogs > edges.max(1) {
                    bad(
                        "fogs",
                        format!(
                            "must be between 1 and the number of edges ({edges}) and at most {MAX_FOGS}, but it is {fogs}"
                        ),
                    );
                }
                if devices > MAX_DEVICES {
                    bad(
                        "devices",
                        format!("must be at most {MAX_DEVICES}, but it is {devices}"),
                    );
                }
            }
            TopologyPreset::MelbourneCbd { users, fogs } => {
                if users > MELBOURNE_USERS {
                    bad(
                        "users",
                        format!(
                            "the Melbourne CBD dataset has {MELBOURNE_USERS} users, but {users} were asked for"
                        ),
                    );
                }
                if !(1..=MAX_FOGS.min(MELBOURNE_BASE_STATIONS)).contains(&fogs) {
                    bad(
                        "fogs",
                        format!("must be between 1 and {MAX_FOGS}, but it is {fogs}"),
                    );
                }
            }
        }
    }

    /// Builds the layout (call after [`TopologyPreset::problems`] found nothing).
    pub fn layout(&self) -> Result<Layout, String> {
        match *self {
            TopologyPreset::Synthetic {
                edges,
                fogs,
                devices,
            } => Ok(synthetic(edges, fogs.max(1), devices)),
            TopologyPreset::MelbourneCbd { users, fogs } => melbourne(users, fogs.max(1)),
        }
    }
}

/// The synthetic layout: edges 200 m apart in a row, fogs above the middle of their group,
/// the cloud on top, devices in a small ring around their edge.
fn synthetic(edges: u32, fogs: u32, devices: u32) -> Layout {
    const SPACING_M: f64 = 200.0;
    let mut sites = Vec::with_capacity((1 + fogs + edges + devices) as usize);
    let width = f64::from(edges.saturating_sub(1)) * SPACING_M;
    sites.push(Site {
        tier: Tier::Cloud,
        position: at(width / 2.0, 1_200.0),
        label: "cloud".into(),
    });
    let edge_fog: Vec<u32> = (0..edges)
        .map(|e| (u64::from(e) * u64::from(fogs) / u64::from(edges)) as u32)
        .collect();
    for f in 0..fogs {
        let members: Vec<u32> = (0..edges).filter(|&e| edge_fog[e as usize] == f).collect();
        let mid = members.iter().map(|&e| f64::from(e)).sum::<f64>() / members.len().max(1) as f64;
        sites.push(Site {
            tier: Tier::Fog,
            position: at(mid * SPACING_M, 700.0),
            label: format!("fog {f}"),
        });
    }
    for e in 0..edges {
        sites.push(Site {
            tier: Tier::Edge,
            position: at(f64::from(e) * SPACING_M, 300.0),
            label: format!("edge {e}"),
        });
    }
    let mut device_edge = Vec::with_capacity(devices as usize);
    let per_edge = devices.div_ceil(edges.max(1)).max(1);
    for d in 0..devices {
        let e = d % edges.max(1);
        let k = d / edges.max(1);
        let angle = core::f64::consts::PI * (0.15 + 0.7 * f64::from(k) / f64::from(per_edge));
        sites.push(Site {
            tier: Tier::Device,
            position: at(
                f64::from(e) * SPACING_M + 70.0 * libm::cos(angle),
                300.0 - 70.0 - 50.0 * libm::sin(angle),
            ),
            label: format!("device {d}"),
        });
        device_edge.push(e);
    }
    Layout {
        sites,
        edge_fog,
        device_edge,
        fogs,
        edges,
        devices,
    }
}

fn at(x_m: f64, y_m: f64) -> Position {
    Position {
        x_m,
        y_m,
        lat: None,
        lon: None,
    }
}

/// A base station of the EUA file.
#[derive(Clone, Debug, PartialEq)]
pub struct BaseStation {
    /// `SITE_ID`.
    pub site_id: String,
    /// `LATITUDE`.
    pub lat: f64,
    /// `LONGITUDE`.
    pub lon: f64,
    /// `NAME`.
    pub name: String,
}

/// Parses the EUA base-station file: `SITE_ID,LATITUDE,LONGITUDE,NAME,` then six more columns
/// (names may contain commas, so the name is what lies between).
pub fn parse_base_stations(csv: &str) -> Result<Vec<BaseStation>, String> {
    let mut out = Vec::new();
    for (i, line) in csv.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 10 {
            return Err(format!(
                "base stations line {}: expected 10 columns, found {}",
                i + 1,
                f.len()
            ));
        }
        let num = |s: &str, what: &str| {
            s.trim()
                .parse::<f64>()
                .map_err(|_| format!("base stations line {}: {what} {s:?} is not a number", i + 1))
        };
        out.push(BaseStation {
            site_id: f[0].to_string(),
            lat: num(f[1], "latitude")?,
            lon: num(f[2], "longitude")?,
            name: f[3..f.len() - 6].join(","),
        });
    }
    Ok(out)
}

/// Parses the EUA users file: `Latitude,Longitude`.
pub fn parse_users(csv: &str) -> Result<Vec<(f64, f64)>, String> {
    let mut out = Vec::new();
    for (i, line) in csv.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let mut f = line.split(',');
        let mut num = |what: &str| {
            let s = f.next().unwrap_or("");
            s.trim()
                .parse::<f64>()
                .map_err(|_| format!("users line {}: {what} {s:?} is not a number", i + 1))
        };
        out.push((num("latitude")?, num("longitude")?));
    }
    Ok(out)
}

/// A local equirectangular projection around `(lat0, lon0)`: metres east and north. Over a
/// city centre (a few km) its error is far below the dataset's 10 m site precision.
pub fn project(lat: f64, lon: f64, lat0: f64, lon0: f64) -> (f64, f64) {
    let rad = core::f64::consts::PI / 180.0;
    let x = (lon - lon0) * rad * libm::cos(lat0 * rad) * EARTH_RADIUS_M;
    let y = (lat - lat0) * rad * EARTH_RADIUS_M;
    (x, y)
}

fn nearest(points: &[(f64, f64)], p: (f64, f64)) -> usize {
    let mut best = 0;
    let mut best_d = f64::INFINITY;
    for (i, q) in points.iter().enumerate() {
        let d = (q.0 - p.0) * (q.0 - p.0) + (q.1 - p.1) * (q.1 - p.1);
        if d < best_d {
            best_d = d;
            best = i;
        }
    }
    best
}

/// Groups points into `k` regions by k-means (Lloyd's algorithm, 20 rounds) started from
/// points spread evenly in west-to-east order, so the result is deterministic. Returns each
/// point's region and the regions' centroids.
pub fn regions(points: &[(f64, f64)], k: usize) -> (Vec<u32>, Vec<(f64, f64)>) {
    let k = k.clamp(1, points.len().max(1));
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[a].0.total_cmp(&points[b].0).then(a.cmp(&b)));
    let mut centres: Vec<(f64, f64)> = (0..k)
        .map(|i| points[order[(2 * i + 1) * points.len() / (2 * k)]])
        .collect();
    let mut assign = vec![0u32; points.len()];
    for _ in 0..20 {
        for (i, p) in points.iter().enumerate() {
            assign[i] = nearest(&centres, *p) as u32;
        }
        for (c, centre) in centres.iter_mut().enumerate() {
            let members: Vec<&(f64, f64)> = points
                .iter()
                .zip(&assign)
                .filter(|(_, a)| **a as usize == c)
                .map(|(p, _)| p)
                .collect();
            if !members.is_empty() {
                let n = members.len() as f64;
                *centre = (
                    members.iter().map(|p| p.0).sum::<f64>() / n,
                    members.iter().map(|p| p.1).sum::<f64>() / n,
                );
            }
        }
    }
    (assign, centres)
}

/// The Melbourne CBD layout from the shipped EUA files.
fn melbourne(users: u32, fogs: u32) -> Result<Layout, String> {
    let stations = parse_base_stations(EUA_SITES_CSV)?;
    let all_users = parse_users(EUA_USERS_CSV)?;
    let n = stations.len() as f64;
    let lat0 = stations.iter().map(|s| s.lat).sum::<f64>() / n;
    let lon0 = stations.iter().map(|s| s.lon).sum::<f64>() / n;
    let xy: Vec<(f64, f64)> = stations
        .iter()
        .map(|s| project(s.lat, s.lon, lat0, lon0))
        .collect();
    let (edge_fog, centres) = regions(&xy, fogs as usize);
    let max_y = xy.iter().map(|p| p.1).fold(f64::MIN, f64::max);
    let mut sites = Vec::new();
    sites.push(Site {
        tier: Tier::Cloud,
        position: at(0.0, max_y + 600.0),
        label: "cloud".into(),
    });
    for (f, c) in centres.iter().enumerate() {
        sites.push(Site {
            tier: Tier::Fog,
            position: at(c.0, c.1),
            label: format!("fog {f}"),
        });
    }
    for (s, p) in stations.iter().zip(&xy) {
        sites.push(Site {
            tier: Tier::Edge,
            position: Position {
                x_m: p.0,
                y_m: p.1,
                lat: Some(s.lat),
                lon: Some(s.lon),
            },
            label: s.name.clone(),
        });
    }
    let mut device_edge = Vec::new();
    for (i, &(lat, lon)) in all_users.iter().take(users as usize).enumerate() {
        let p = project(lat, lon, lat0, lon0);
        device_edge.push(nearest(&xy, p) as u32);
        sites.push(Site {
            tier: Tier::Device,
            position: Position {
                x_m: p.0,
                y_m: p.1,
                lat: Some(lat),
                lon: Some(lon),
            },
            label: format!("user {i}"),
        });
    }
    Ok(Layout {
        sites,
        edge_fog,
        device_edge,
        fogs: centres.len() as u32,
        edges: stations.len() as u32,
        devices: users.min(all_users.len() as u32),
    })
}

impl Layout {
    /// The node id of fog `f`.
    pub fn fog_node(&self, f: u32) -> u32 {
        1 + f
    }
    /// The node id of edge `e`.
    pub fn edge_node(&self, e: u32) -> u32 {
        1 + self.fogs + e
    }
    /// The node id of device `d`.
    pub fn device_node(&self, d: u32) -> u32 {
        1 + self.fogs + self.edges + d
    }
    /// The `k` edges nearest edge `e` (not itself), nearest first: where its users may move.
    pub fn neighbour_edges(&self, e: u32, k: usize) -> Vec<u32> {
        let me = self.sites[self.edge_node(e) as usize].position;
        let mut others: Vec<(f64, u32)> = (0..self.edges)
            .filter(|&o| o != e)
            .map(|o| {
                let p = self.sites[self.edge_node(o) as usize].position;
                let d = (p.x_m - me.x_m) * (p.x_m - me.x_m) + (p.y_m - me.y_m) * (p.y_m - me.y_m);
                (d, o)
            })
            .collect();
        others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        others.into_iter().take(k).map(|(_, o)| o).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_eua_files_have_125_base_stations_and_816_users() {
        let s = parse_base_stations(EUA_SITES_CSV).unwrap();
        assert_eq!(s.len(), MELBOURNE_BASE_STATIONS as usize);
        assert_eq!(s[0].site_id, "10003026");
        assert!((s[0].lat + 37.81517).abs() < 1e-9);
        assert!(s[0].name.starts_with("Spring and Flinders"));
        assert_eq!(parse_users(EUA_USERS_CSV).unwrap().len(), 816);
        assert!(EUA_LICENSE.starts_with("MIT License"));
    }

    #[test]
    fn melbourne_users_attach_to_their_nearest_base_station_within_the_cbd() {
        let l = TopologyPreset::MelbourneCbd {
            users: 816,
            fogs: 5,
        }
        .layout()
        .unwrap();
        assert_eq!(l.sites.len(), 1 + 5 + 125 + 816);
        for (d, &e) in l.device_edge.iter().enumerate() {
            let u = l.sites[l.device_node(d as u32) as usize].position;
            let b = l.sites[l.edge_node(e) as usize].position;
            let dist = libm::hypot(u.x_m - b.x_m, u.y_m - b.y_m);
            // The CBD is about 2 km across; users are within a few hundred metres of a site.
            assert!(dist < 1_000.0, "user {d} is {dist} m from its base station");
        }
        // Every region has at least one base station.
        for f in 0..5 {
            assert!(l.edge_fog.contains(&f));
        }
    }

    #[test]
    fn projection_is_metres() {
        // 0.01° of latitude is about 1.11 km.
        let (_, y) = project(-37.80, 144.96, -37.81, 144.96);
        assert!((y - 1_111.9).abs() < 1.0, "{y}");
    }

    #[test]
    fn synthetic_counts_and_bad_counts() {
        let l = TopologyPreset::Synthetic {
            edges: 4,
            fogs: 2,
            devices: 10,
        }
        .layout()
        .unwrap();
        assert_eq!(l.sites.len(), 1 + 2 + 4 + 10);
        assert_eq!(l.edge_fog, vec![0, 0, 1, 1]);
        let mut out = Vec::new();
        TopologyPreset::Synthetic {
            edges: 0,
            fogs: 5,
            devices: 1_000_000,
        }
        .problems(&mut out);
        assert_eq!(out.len(), 3, "{out:?}");
    }
}
