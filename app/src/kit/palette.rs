//! The live view's colours for the light and dark themes. Every state also has a second cue
//! besides colour (filled or hollow, a cross for crashed nodes), so the view reads without colour.

/// The page's colour theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on light surfaces.
    Light,
    /// Light text on dark surfaces.
    Dark,
}

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
    /// `rgba(r, g, b, alpha)`.
    pub fn css_alpha(self, alpha: f64) -> String {
        format!("rgba({}, {}, {}, {alpha})", self.0, self.1, self.2)
    }
}

/// Colours of one theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// The canvas background.
    pub background: Rgb,
    /// Text drawn on the canvas.
    pub text: Rgb,
    /// Links.
    pub link: Rgb,
    /// Nodes that know the latest update (filled).
    pub latest: Rgb,
    /// Nodes that know an older update but not the latest (filled, paler).
    pub older: Rgb,
    /// Outline of nodes that know nothing yet (hollow).
    pub unaware: Rgb,
    /// Crashed nodes' cross.
    pub crashed: Rgb,
    /// Messages in flight.
    pub message: Rgb,
    /// The selected node's ring.
    pub selection: Rgb,
    /// Shades of partition groups.
    pub groups: [Rgb; 4],
    /// Fills of distinct replica states in the CRDT lab (state A, B, C …), each at least 3:1
    /// against the background.
    pub states: [Rgb; 6],
}

impl Palette {
    /// The palette of a theme.
    pub const fn of(theme: Theme) -> Palette {
        match theme {
            Theme::Light => Palette {
                background: Rgb(0xff, 0xff, 0xff),
                text: Rgb(0x1b, 0x1e, 0x25),
                link: Rgb(0x9a, 0xa1, 0xae),
                latest: Rgb(0x1f, 0x4f, 0xbf),
                older: Rgb(0x93, 0xac, 0xe6),
                unaware: Rgb(0x51, 0x58, 0x67),
                crashed: Rgb(0xb3, 0x26, 0x1e),
                message: Rgb(0xc2, 0x41, 0x0c),
                selection: Rgb(0x0f, 0x76, 0x6e),
                groups: [
                    Rgb(0x0e, 0xa5, 0xe9),
                    Rgb(0xf5, 0x9e, 0x0b),
                    Rgb(0x10, 0xb9, 0x81),
                    Rgb(0xa8, 0x55, 0xf7),
                ],
                states: [
                    Rgb(0x1f, 0x4f, 0xbf),
                    Rgb(0xb4, 0x53, 0x09),
                    Rgb(0x04, 0x78, 0x57),
                    Rgb(0x7e, 0x22, 0xce),
                    Rgb(0xbe, 0x18, 0x5d),
                    Rgb(0x0e, 0x74, 0x90),
                ],
            },
            Theme::Dark => Palette {
                background: Rgb(0x1b, 0x1e, 0x26),
                text: Rgb(0xe6, 0xe8, 0xee),
                link: Rgb(0x5d, 0x64, 0x75),
                latest: Rgb(0x8f, 0xb0, 0xff),
                older: Rgb(0x4a, 0x5f, 0x93),
                unaware: Rgb(0xa3, 0xa9, 0xb7),
                crashed: Rgb(0xff, 0x8a, 0x80),
                message: Rgb(0xfb, 0xbf, 0x24),
                selection: Rgb(0x5e, 0xea, 0xd4),
                groups: [
                    Rgb(0x38, 0xbd, 0xf8),
                    Rgb(0xfb, 0xbf, 0x24),
                    Rgb(0x34, 0xd3, 0x99),
                    Rgb(0xc0, 0x84, 0xfc),
                ],
                states: [
                    Rgb(0x8f, 0xb0, 0xff),
                    Rgb(0xfb, 0x92, 0x3c),
                    Rgb(0x4a, 0xde, 0x80),
                    Rgb(0xd8, 0xb4, 0xfe),
                    Rgb(0xf4, 0x72, 0xb6),
                    Rgb(0x22, 0xd3, 0xee),
                ],
            },
        }
    }

    /// The fill of distinct state `state` (cycling past six; the state's letter tells them
    /// apart).
    pub fn state(&self, state: u32) -> Rgb {
        self.states[state as usize % self.states.len()]
    }

    /// Whichever of the text and background colours reads better on `fill`.
    pub fn label_on(&self, fill: Rgb) -> Rgb {
        if contrast(self.text, fill) >= contrast(self.background, fill) {
            self.text
        } else {
            self.background
        }
    }

    /// The shade of partition group `group`.
    pub fn group(&self, group: u32) -> Rgb {
        self.groups[group as usize % self.groups.len()]
    }
}

/// WCAG relative luminance of a colour.
pub fn luminance(c: Rgb) -> f64 {
    let channel = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
}

/// WCAG contrast ratio between two colours (1 to 21).
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_forms() {
        assert_eq!(Rgb(0x1f, 0x4f, 0xbf).css(), "#1f4fbf");
        assert_eq!(Rgb(1, 2, 3).css_alpha(0.5), "rgba(1, 2, 3, 0.5)");
    }

    #[test]
    fn marks_stand_out_from_the_background_in_both_themes() {
        for theme in [Theme::Light, Theme::Dark] {
            let p = Palette::of(theme);
            // Non-text graphics need 3:1 (WCAG 1.4.11).
            for (name, colour) in [
                ("latest", p.latest),
                ("unaware", p.unaware),
                ("crashed", p.crashed),
                ("message", p.message),
                ("selection", p.selection),
            ] {
                let ratio = contrast(colour, p.background);
                assert!(ratio >= 3.0, "{theme:?} {name}: {ratio:.2}");
            }
            assert!(contrast(p.text, p.background) >= 4.5, "{theme:?} text");
            for (i, &fill) in p.states.iter().enumerate() {
                let ratio = contrast(fill, p.background);
                assert!(ratio >= 3.0, "{theme:?} state {i}: {ratio:.2}");
                assert!(
                    contrast(p.label_on(fill), fill) >= 3.0,
                    "{theme:?} label on state {i}"
                );
            }
        }
    }
}
