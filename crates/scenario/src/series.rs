//! Curves sampled at a fixed interval of simulated time, in bounded memory: past
//! [`MAX_SAMPLES`] every other sample is dropped and the interval doubles, so a run of any
//! length keeps at most that many points and they stay evenly spaced.

use sim::{SimDuration, SimTime};

/// Most samples a series keeps.
pub const MAX_SAMPLES: usize = 2_000;

/// Something with a time, sampled into a [`Series`].
pub trait Timed {
    /// When it was taken.
    fn time(&self) -> SimTime;
}

/// Samples taken every `interval` of simulated time, starting at zero.
#[derive(Clone, Debug)]
pub struct Series<S> {
    interval: SimDuration,
    next: SimTime,
    samples: Vec<S>,
}

impl<S: Timed + Clone> Series<S> {
    /// An empty series sampled every `interval` (at least 1 ns).
    pub fn new(interval: SimDuration) -> Series<S> {
        Series {
            interval: SimDuration(interval.0.max(1)),
            next: SimTime::ZERO,
            samples: Vec::new(),
        }
    }
    /// When the next sample is due.
    pub fn next_due(&self) -> SimTime {
        self.next
    }
    /// The samples, in time order.
    pub fn samples(&self) -> &[S] {
        &self.samples
    }
    /// Records the sample due at [`Series::next_due`] and moves on by one interval (thinning
    /// the series when it is full).
    pub fn push(&mut self, sample: S) {
        self.samples.push(sample);
        self.next += self.interval;
        if self.samples.len() >= MAX_SAMPLES {
            let kept: Vec<S> = self.samples.iter().step_by(2).cloned().collect();
            self.samples = kept;
            self.interval = SimDuration(self.interval.0 * 2);
            self.next = self.samples.last().map_or(SimTime::ZERO, Timed::time) + self.interval;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct At(SimTime);
    impl Timed for At {
        fn time(&self) -> SimTime {
            self.0
        }
    }

    #[test]
    fn a_full_series_thins_out_and_stays_evenly_spaced() {
        let mut s = Series::new(SimDuration(10));
        for _ in 0..(MAX_SAMPLES * 3) {
            let t = s.next_due();
            s.push(At(t));
        }
        assert!(s.samples().len() < MAX_SAMPLES);
        let gaps: Vec<u64> = s
            .samples()
            .windows(2)
            .map(|w| w[1].0.0 - w[0].0.0)
            .collect();
        assert!(gaps.windows(2).all(|g| g[0] == g[1]), "{gaps:?}");
        assert_eq!(s.next_due().0 - s.samples().last().unwrap().0.0, gaps[0]);
    }
}
