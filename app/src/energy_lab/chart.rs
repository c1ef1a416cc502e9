//! What a line chart shows, as plain data: axes, lines (each with a dash pattern as well as a
//! colour, so lines are told apart without colour), and an optional "you are here" mark.
//! `plot` draws it; tests check the data.

/// How a line is drawn, besides its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    /// A continuous line.
    Solid,
    /// Long dashes.
    Dashed,
    /// Short dots.
    Dotted,
}

impl Dash {
    /// The CSS class of its legend sample.
    pub fn class(self) -> &'static str {
        match self {
            Dash::Solid => "line-solid",
            Dash::Dashed => "line-dashed",
            Dash::Dotted => "line-dotted",
        }
    }
}

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Its name in the legend.
    pub name: String,
    /// Its points, in x order.
    pub points: Vec<(f64, f64)>,
    /// Its colour: an index into the palette's series colours.
    pub colour: usize,
    /// Its dash pattern.
    pub dash: Dash,
}

/// A chart: axes with descriptions and ranges, lines, and marks.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// The x axis's description, with its unit.
    pub x_desc: String,
    /// The y axis's description, with its unit.
    pub y_desc: String,
    /// The x range.
    pub x: (f64, f64),
    /// The y range.
    pub y: (f64, f64),
    /// The lines.
    pub lines: Vec<Line>,
    /// A vertical mark at this x (the current frequency, the current slot).
    pub mark_x: Option<f64>,
    /// A point to mark (drawn as a ring).
    pub mark_point: Option<(f64, f64)>,
}

impl Chart {
    /// A chart over the lines' own extent: x from the smallest to the largest x, y from
    /// `y_floor` (or lower, if a line goes lower) to a round number above the largest y.
    pub fn fit(x_desc: &str, y_desc: &str, lines: Vec<Line>, y_floor: f64) -> Chart {
        let xs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
        let ys = lines.iter().flat_map(|l| l.points.iter().map(|p| p.1));
        let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
        let (y0, y1) = ys.fold((y_floor, f64::NEG_INFINITY), |(a, b), y| {
            (a.min(y), b.max(y))
        });
        let x = if x0.is_finite() && x1 > x0 {
            (x0, x1)
        } else {
            (0.0, 1.0)
        };
        let top = round_up(y1);
        let y = if top > y0 { (y0, top) } else { (y0, y0 + 1.0) };
        Chart {
            x_desc: x_desc.to_owned(),
            y_desc: y_desc.to_owned(),
            x,
            y,
            lines,
            mark_x: None,
            mark_point: None,
        }
    }
}

/// The smallest of 1, 2, 2.5, 5 × 10ⁿ that is ≥ `v` (0 for `v` ≤ 0).
pub fn round_up(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 0.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&c| c >= v * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_numbers_above() {
        assert_eq!(round_up(117.0), 200.0);
        assert_eq!(round_up(135.0), 200.0);
        assert_eq!(round_up(0.23), 0.25);
        assert_eq!(round_up(4.0), 5.0);
        assert_eq!(round_up(5.0), 5.0);
        assert_eq!(round_up(0.0), 0.0);
        assert_eq!(round_up(f64::NAN), 0.0);
    }

    #[test]
    fn fit_spans_the_lines() {
        let l = Line {
            name: "a".into(),
            points: vec![(0.0, 86.0), (1.0, 117.0)],
            colour: 0,
            dash: Dash::Solid,
        };
        let c = Chart::fit("x", "y", vec![l], 0.0);
        assert_eq!(c.x, (0.0, 1.0));
        assert_eq!(c.y, (0.0, 200.0));
        let empty = Chart::fit("x", "y", vec![], 0.0);
        assert_eq!(empty.x, (0.0, 1.0));
        assert_eq!(empty.y, (0.0, 1.0));
    }
}
