//! Node states as pixels, for runs too large to draw node by node with canvas calls: every node
//! is a small square written straight into an RGBA buffer (one `putImageData` per frame instead of
//! thousands of path operations). Filled squares know the latest update, pale ones an older one,
//! outlined ones nothing; crashed nodes get a cross (or turn solid red when too small for one);
//! during a split each node sits on a halo of its group's shade.

use crate::kit::layout::Point;
use crate::kit::palette::{Palette, Rgb};
use crate::kit::scene::{Knowledge, NodeLook};

/// An RGBA image, row by row, 4 bytes a pixel, transparent where nothing is drawn.
#[derive(Clone, Debug, Default)]
pub struct Raster {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height × 4` bytes.
    pub pixels: Vec<u8>,
}

impl Raster {
    /// Resizes (if needed) and clears to transparent.
    pub fn reset(&mut self, width: u32, height: u32) {
        self.width = width;
        self.height = height;
        let len = width as usize * height as usize * 4;
        self.pixels.clear();
        self.pixels.resize(len, 0);
    }

    /// The colour at `(x, y)` (`None` outside or transparent).
    pub fn at(&self, x: u32, y: u32) -> Option<(Rgb, u8)> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let i = (y as usize * self.width as usize + x as usize) * 4;
        let p = &self.pixels[i..i + 4];
        (p[3] > 0).then_some((Rgb(p[0], p[1], p[2]), p[3]))
    }

    fn put(&mut self, x: i64, y: i64, c: Rgb, alpha: u8) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return;
        }
        let i = (y as usize * self.width as usize + x as usize) * 4;
        self.pixels[i..i + 4].copy_from_slice(&[c.0, c.1, c.2, alpha]);
    }

    fn square(&mut self, x0: i64, y0: i64, size: i64, c: Rgb, alpha: u8) {
        for y in y0..y0 + size {
            for x in x0..x0 + size {
                self.put(x, y, c, alpha);
            }
        }
    }

    fn outline(&mut self, x0: i64, y0: i64, size: i64, c: Rgb) {
        for d in 0..size {
            self.put(x0 + d, y0, c, 255);
            self.put(x0 + d, y0 + size - 1, c, 255);
            self.put(x0, y0 + d, c, 255);
            self.put(x0 + size - 1, y0 + d, c, 255);
        }
    }

    fn cross(&mut self, x0: i64, y0: i64, size: i64, c: Rgb) {
        for d in 0..size {
            self.put(x0 + d, y0 + d, c, 255);
            self.put(x0 + size - 1 - d, y0 + d, c, 255);
        }
    }
}

/// Side of a node's square in pixels for a disc radius: at least 2.
pub fn square_size(radius: f64) -> i64 {
    ((radius * 1.8).round() as i64).max(2)
}

/// Paints every node (positions in pixels of this raster) with its look.
pub fn paint_nodes(
    raster: &mut Raster,
    points_px: &[Point],
    looks: &[NodeLook],
    size: i64,
    palette: &Palette,
) {
    let half = size / 2;
    for (p, look) in points_px.iter().zip(looks) {
        let x0 = p.0.round() as i64 - half;
        let y0 = p.1.round() as i64 - half;
        if let Some(group) = look.group {
            raster.square(x0 - 1, y0 - 1, size + 2, palette.group(group), 150);
        }
        if !look.up {
            if size >= 5 {
                raster.square(x0, y0, size, palette.background, 255);
                raster.cross(x0, y0, size, palette.crashed);
            } else {
                raster.square(x0, y0, size, palette.crashed, 255);
            }
            continue;
        }
        match look.knowledge {
            Knowledge::Latest => raster.square(x0, y0, size, palette.latest, 255),
            Knowledge::Older => raster.square(x0, y0, size, palette.older, 255),
            Knowledge::Unaware if size >= 4 => {
                raster.square(x0, y0, size, palette.background, 255);
                raster.outline(x0, y0, size, palette.unaware);
            }
            Knowledge::Unaware => raster.square(x0, y0, size, palette.unaware, 110),
            Knowledge::State(n) => raster.square(x0, y0, size, palette.state(n), 255),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::palette::Theme;

    fn look(knowledge: Knowledge, up: bool, group: Option<u32>) -> NodeLook {
        NodeLook {
            knowledge,
            up,
            group,
        }
    }

    #[test]
    fn each_state_has_its_own_mark() {
        let palette = Palette::of(Theme::Light);
        let mut r = Raster::default();
        r.reset(40, 10);
        let points = [(3.0, 4.0), (13.0, 4.0), (23.0, 4.0), (33.0, 4.0)];
        let looks = [
            look(Knowledge::Latest, true, None),
            look(Knowledge::Older, true, None),
            look(Knowledge::Unaware, true, None),
            look(Knowledge::Latest, false, None),
        ];
        paint_nodes(&mut r, &points, &looks, 6, &palette);
        // Filled: centre and corner share the fill colour.
        assert_eq!(r.at(3, 4).map(|c| c.0), Some(palette.latest));
        assert_eq!(r.at(0, 1).map(|c| c.0), Some(palette.latest));
        assert_eq!(r.at(13, 4).map(|c| c.0), Some(palette.older));
        // Hollow: outline in the unaware colour, inside the background.
        assert_eq!(r.at(20, 1).map(|c| c.0), Some(palette.unaware));
        assert_eq!(r.at(22, 3).map(|c| c.0), Some(palette.background));
        // Crossed: the diagonal is red, off-diagonal is background.
        assert_eq!(r.at(30, 1).map(|c| c.0), Some(palette.crashed));
        assert_eq!(r.at(31, 2).map(|c| c.0), Some(palette.crashed));
        assert_eq!(r.at(32, 1).map(|c| c.0), Some(palette.background));
        // Nothing between nodes.
        assert_eq!(r.at(8, 4), None);
    }

    #[test]
    fn split_groups_get_a_halo_and_tiny_nodes_still_show() {
        let palette = Palette::of(Theme::Dark);
        let mut r = Raster::default();
        r.reset(20, 20);
        paint_nodes(
            &mut r,
            &[(5.0, 5.0), (15.0, 15.0)],
            &[
                look(Knowledge::Unaware, true, Some(1)),
                look(Knowledge::Unaware, false, None),
            ],
            2,
            &palette,
        );
        assert_eq!(r.at(3, 3).map(|c| c.0), Some(palette.group(1)));
        assert_eq!(r.at(4, 4).map(|c| c.0), Some(palette.unaware));
        assert_eq!(r.at(14, 14).map(|c| c.0), Some(palette.crashed));
    }

    #[test]
    fn nodes_at_the_edge_are_clipped_not_wrapped() {
        let palette = Palette::of(Theme::Light);
        let mut r = Raster::default();
        r.reset(10, 10);
        paint_nodes(
            &mut r,
            &[(0.0, 0.0), (10.0, 9.0)],
            &[look(Knowledge::Latest, true, None); 2],
            4,
            &palette,
        );
        assert_eq!(r.at(0, 0).map(|c| c.0), Some(palette.latest));
        assert_eq!(r.at(0, 1).map(|c| c.0), Some(palette.latest));
        assert_eq!(r.pixels.len(), 400);
    }

    #[test]
    fn square_sizes() {
        assert_eq!(square_size(0.5), 2);
        assert_eq!(square_size(3.0), 5);
    }
}
