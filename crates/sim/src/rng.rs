//! The run's seeded, portable random numbers.
//!
//! Every random draw in a run comes from a [`SimRng`] derived from the scenario's seed:
//! `Xoshiro256PlusPlus` gives the same stream on every target, and the transcendental functions
//! used for sampling come from `libm`, so native and WASM runs agree bit for bit.

use rand_core::{Rng, SeedableRng, TryRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

/// A seeded portable PRNG with the sampling helpers the models need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimRng(Xoshiro256PlusPlus);

/// SplitMix64's finaliser: spreads nearby seeds (0, 1, 2 …) into unrelated 64-bit values.
pub(crate) const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Slices up to this length are sampled without allocating.
const SMALL: usize = 256;

impl SimRng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> SimRng {
        SimRng(Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// An independent stream for one purpose (`stream`) of the run with seed `seed`, such as one
    /// node's draws: changing what one node draws never shifts another node's numbers.
    pub fn for_stream(seed: u64, stream: u64) -> SimRng {
        SimRng::new(mix64(
            seed ^ mix64(stream.wrapping_add(0x9e37_79b9_7f4a_7c15)),
        ))
    }

    /// A uniformly random `u64`.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A uniform float in `[0, 1)` with 53 random bits.
    pub fn unit_f64(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `true` with probability `p` (`p <= 0` never, `p >= 1` always, without drawing).
    pub fn chance(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            false
        } else if p >= 1.0 {
            true
        } else {
            self.unit_f64() < p
        }
    }

    /// A uniform integer in `0..n` (unbiased, Lemire's method); `0` when `n == 0`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        loop {
            let m = (self.0.next_u64() as u128) * (n as u128);
            let low = m as u64;
            // The threshold is below `n`, so the division is needed only when `low < n`.
            if low >= n || low >= n.wrapping_neg() % n {
                return (m >> 64) as u64;
            }
        }
    }

    /// A uniform index into a slice of length `len`; `None` when empty.
    pub fn index(&mut self, len: usize) -> Option<usize> {
        (len > 0).then(|| self.below(len as u64) as usize)
    }

    /// A standard normal deviate (Box–Muller with `libm`, so identical on every target).
    pub fn standard_normal(&mut self) -> f64 {
        // 1 - u is in (0, 1], so ln never sees zero.
        let u1 = 1.0 - self.unit_f64();
        let u2 = self.unit_f64();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(core::f64::consts::TAU * u2)
    }

    /// An exponential deviate with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * libm::log(1.0 - self.unit_f64())
    }

    /// Picks `k` distinct elements of `items` uniformly (partial Fisher–Yates on a copy of the
    /// indices); all of them, in random order, when `k >= items.len()`.
    pub fn sample<T: Copy>(&mut self, items: &[T], k: usize, out: &mut Vec<T>) {
        out.clear();
        let n = items.len();
        let k = k.min(n);
        if k == 0 {
            return;
        }
        if k * 4 < n {
            // Sparse: rejection on a small set of chosen indices keeps this O(k²) but allocation-free.
            let mut chosen: [usize; 16] = [0; 16];
            if k <= chosen.len() {
                let mut m = 0;
                while m < k {
                    let i = self.below(n as u64) as usize;
                    if !chosen[..m].contains(&i) {
                        chosen[m] = i;
                        m += 1;
                    }
                }
                out.extend(chosen[..k].iter().map(|&i| items[i]));
                return;
            }
        }
        if n <= 32 {
            // Partial Fisher–Yates on a stack copy of the indices: no allocation per call.
            self.shuffle_prefix::<T, 32>(items, k, out);
            return;
        }
        if n <= SMALL {
            self.shuffle_prefix::<T, SMALL>(items, k, out);
            return;
        }
        let mut idx: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = i + self.below((n - i) as u64) as usize;
            idx.swap(i, j);
            out.push(items[idx[i]]);
        }
    }
}

impl SimRng {
    /// The first `k` picks of a Fisher–Yates shuffle of `items` (at most `S` of them), using a
    /// stack array of `S` indices.
    #[inline]
    fn shuffle_prefix<T: Copy, const S: usize>(&mut self, items: &[T], k: usize, out: &mut Vec<T>) {
        let n = items.len();
        let mut idx = [0u16; S];
        for (i, slot) in idx[..n].iter_mut().enumerate() {
            *slot = i as u16;
        }
        for i in 0..k {
            let j = i + self.below((n - i) as u64) as usize;
            idx.swap(i, j);
            out.push(items[idx[i] as usize]);
        }
    }
}

impl TryRng for SimRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.0.next_u32())
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.0.next_u64())
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.0.fill_bytes(dst);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_streams_differ() {
        let mut a = SimRng::for_stream(7, 1);
        let mut b = SimRng::for_stream(7, 1);
        let mut c = SimRng::for_stream(7, 2);
        let xa: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut r = SimRng::new(1);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            let x = r.below(7);
            assert!(x < 7);
            seen[x as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn sample_picks_distinct_elements() {
        let mut r = SimRng::new(3);
        let items: Vec<u32> = (0..100).collect();
        let mut out = Vec::new();
        for k in [0, 1, 3, 16, 17, 50, 100, 200] {
            r.sample(&items, k, &mut out);
            assert_eq!(out.len(), k.min(100));
            let mut s = out.clone();
            s.sort();
            s.dedup();
            assert_eq!(s.len(), out.len(), "k={k}");
        }
    }

    #[test]
    fn normal_has_roughly_zero_mean_and_unit_variance() {
        let mut r = SimRng::new(11);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| r.standard_normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "var {var}");
    }
}
