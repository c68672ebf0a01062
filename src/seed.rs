//! Random-number generators from a scenario `seed`: one stream per consumer, so that what one
//! draws does not shift another's sequence (adding a fault does not change the tokens). A leaf:
//! the token ids ([`crate::tokens`]) and the fault plan ([`crate::control`]) both draw from here.

use rand::SeedableRng;
use rand::rngs::StdRng;

/// The token ids' stream: the scenario seed itself, so a seed keeps giving the tokens it gave.
pub(crate) const TOKEN_STREAM: u64 = 0;

/// The fault plan's stream ("faults" in ASCII).
pub(crate) const FAULT_STREAM: u64 = 0x6661_756c_7473;

/// An RNG for one `stream` of a scenario seed: reproducible when `seed` is given (the same
/// seed and stream, the same sequence), from the OS otherwise.
pub(crate) fn seeded_rng(seed: Option<u64>, stream: u64) -> StdRng {
    match seed {
        Some(seed) => StdRng::seed_from_u64(seed ^ stream),
        None => StdRng::from_os_rng(),
    }
}

#[cfg(test)]
mod tests {
    use rand::RngCore;

    use super::*;

    #[test]
    fn a_seed_gives_one_sequence_per_stream() {
        let first = |stream| seeded_rng(Some(7), stream).next_u64();
        assert_eq!(first(TOKEN_STREAM), first(TOKEN_STREAM));
        assert_ne!(first(TOKEN_STREAM), first(FAULT_STREAM));
        assert_eq!(first(TOKEN_STREAM), StdRng::seed_from_u64(7).next_u64(), "the seed itself");
    }
}
