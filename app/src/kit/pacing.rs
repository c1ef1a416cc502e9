//! How far the simulation should advance per animation frame, and whether it keeps up.
//!
//! The speed is a factor of real time chosen on a logarithmic slider (0.01× to 100×). Each frame
//! asks the [`Pacer`] for a target simulated time (`now + wall time elapsed × speed`); the driver
//! then runs events towards it within a time budget ([`crate::kit::driver`]). If it cannot reach
//! the target, the run is *behind*: the page says so instead of pretending, and the pacer starts
//! the next frame from where the run really is (no debt piles up).

/// Slider positions: 100 per decade from 0.01× (0) to 100× (400).
pub const SLIDER_MAX: u32 = 400;
/// Slowest speed, at slider position 0.
pub const MIN_SPEED: f64 = 0.01;
/// Fastest speed, at [`SLIDER_MAX`].
pub const MAX_SPEED: f64 = 100.0;
/// The default: slow enough to watch 10 ms messages cross a link (one takes 0.2 s of wall time).
pub const DEFAULT_SPEED: f64 = scenario::lab_run::DEFAULT_SPEED;
/// Labelled stops under the slider: `(position, label)`.
pub const STOPS: [(u32, &str); 5] = [
    (0, "0.01×"),
    (100, "0.1×"),
    (200, "1×"),
    (300, "10×"),
    (400, "100×"),
];
/// Longest wall-clock gap one frame may account for (a background tab resumes gently).
pub const MAX_FRAME_MS: f64 = 100.0;

/// The speed factor at a slider position, rounded to two significant digits.
pub fn speed_at(position: u32) -> f64 {
    let position = position.min(SLIDER_MAX);
    let raw = MIN_SPEED * 10f64.powf(position as f64 / 100.0);
    round_significant(raw, 2)
}

/// The slider position closest to a speed factor (clamped to the slider's range).
pub fn position_of(speed: f64) -> u32 {
    if !(speed.is_finite() && speed > 0.0) {
        return 0;
    }
    let position = (100.0 * (speed / MIN_SPEED).log10()).round();
    position.clamp(0.0, SLIDER_MAX as f64) as u32
}

fn round_significant(value: f64, digits: i32) -> f64 {
    if value == 0.0 {
        return 0.0;
    }
    let magnitude = value.abs().log10().floor() as i32;
    let factor = 10f64.powi(digits - 1 - magnitude);
    (value * factor).round() / factor
}

/// Turns wall-clock frames into simulated-time targets and tracks whether the run keeps up.
#[derive(Clone, Debug, Default)]
pub struct Pacer {
    last_wall_ms: Option<f64>,
    /// Wall milliseconds between the last two frames.
    last_elapsed_ms: f64,
    /// Simulated ns and wall ms since the run fell behind (for the "running behind" message).
    behind_totals: (f64, f64),
    behind_frames: u32,
}

impl Pacer {
    /// Forgets the last frame time (after a pause, so the pause is not "caught up").
    pub fn pause(&mut self) {
        self.last_wall_ms = None;
        self.behind_frames = 0;
        self.behind_totals = (0.0, 0.0);
    }

    /// The simulated time this frame should reach, given the wall clock (ms), the run's time and
    /// end (ns) and the speed factor. The first frame after a pause advances nothing.
    pub fn target(&mut self, wall_ms: f64, sim_now_ns: u64, end_ns: u64, speed: f64) -> u64 {
        let elapsed = match self.last_wall_ms {
            Some(last) => (wall_ms - last).clamp(0.0, MAX_FRAME_MS),
            None => 0.0,
        };
        self.last_wall_ms = Some(wall_ms);
        self.last_elapsed_ms = elapsed;
        let advance_ns = (elapsed * speed * 1e6).round();
        let advance_ns = if advance_ns.is_finite() {
            advance_ns.max(0.0) as u64
        } else {
            0
        };
        sim_now_ns.saturating_add(advance_ns).min(end_ns)
    }

    /// Records how the frame went: whether the target was reached, and the simulated ns
    /// advanced since the previous frame (which [`Pacer::target`] timed).
    pub fn record(&mut self, reached: bool, advanced_ns: u64) {
        let wall_elapsed_ms = self.last_elapsed_ms;
        if reached {
            self.behind_frames = 0;
            self.behind_totals = (0.0, 0.0);
            return;
        }
        self.behind_frames = self.behind_frames.saturating_add(1);
        self.behind_totals.0 += advanced_ns as f64;
        self.behind_totals.1 += wall_elapsed_ms;
    }

    /// Whether the run has failed to keep up for a few frames in a row (one slow frame, e.g.
    /// while the page builds a big run, is not worth a message).
    pub fn is_behind(&self) -> bool {
        self.behind_frames >= 3
    }

    /// The speed factor actually achieved while behind (simulated time per wall time).
    pub fn achieved_speed(&self) -> Option<f64> {
        let (ns, ms) = self.behind_totals;
        (ms > 0.0).then(|| ns / ms / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slider_spans_four_decades_with_round_values() {
        assert_eq!(speed_at(0), 0.01);
        assert_eq!(speed_at(100), 0.1);
        assert_eq!(speed_at(200), 1.0);
        assert_eq!(speed_at(300), 10.0);
        assert_eq!(speed_at(400), 100.0);
        assert_eq!(speed_at(10_000), 100.0, "positions past the end clamp");
        assert_eq!(speed_at(position_of(DEFAULT_SPEED)), DEFAULT_SPEED);
    }

    #[test]
    fn positions_round_trip_and_increase() {
        for position in 0..=SLIDER_MAX {
            // Rounding to two digits merges neighbouring positions, never reorders them.
            let speed = speed_at(position);
            assert_eq!(speed_at(position_of(speed)), speed, "{position}");
            if position > 0 {
                assert!(speed_at(position) >= speed_at(position - 1));
            }
        }
        assert_eq!(position_of(0.0), 0);
        assert_eq!(position_of(f64::NAN), 0);
        assert_eq!(position_of(1e9), SLIDER_MAX);
    }

    #[test]
    fn stops_match_their_labels() {
        for (position, label) in STOPS {
            assert_eq!(crate::kit::format::speed(speed_at(position)), label);
        }
    }

    #[test]
    fn pacer_advances_by_wall_time_times_speed() {
        let mut pacer = Pacer::default();
        assert_eq!(pacer.target(1_000.0, 0, u64::MAX, 1.0), 0, "first frame");
        // 16 ms of wall time at 0.05× is 0.8 ms of simulated time.
        assert_eq!(pacer.target(1_016.0, 0, u64::MAX, 0.05), 800_000);
        // Capped at the end of the run.
        assert_eq!(pacer.target(1_032.0, 0, 500_000, 1.0), 500_000);
    }

    #[test]
    fn pacer_caps_long_gaps_and_forgets_pauses() {
        let mut pacer = Pacer::default();
        pacer.target(0.0, 0, u64::MAX, 1.0);
        assert_eq!(
            pacer.target(60_000.0, 0, u64::MAX, 1.0),
            (MAX_FRAME_MS * 1e6) as u64,
            "a minute in a background tab counts as one long frame"
        );
        pacer.pause();
        assert_eq!(pacer.target(90_000.0, 7, u64::MAX, 1.0), 7);
    }

    #[test]
    fn behind_only_after_several_frames_and_reports_the_real_speed() {
        let mut pacer = Pacer::default();
        pacer.target(0.0, 0, u64::MAX, 1.0);
        let frame = |pacer: &mut Pacer, wall: f64| {
            pacer.target(wall, 0, u64::MAX, 1.0);
            pacer.record(false, 1_000_000);
        };
        frame(&mut pacer, 64.0);
        assert!(!pacer.is_behind());
        frame(&mut pacer, 128.0);
        frame(&mut pacer, 192.0);
        assert!(pacer.is_behind());
        // 1 ms simulated per 64 ms of wall time (slow frames count as they were).
        let achieved = pacer.achieved_speed().expect("a rate");
        assert!((achieved - 1.0 / 64.0).abs() < 1e-9, "{achieved}");
        pacer.record(true, 0);
        assert!(!pacer.is_behind());
    }
}
