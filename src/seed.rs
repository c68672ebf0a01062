//! Random-number generators from a scenario `seed`: one stream per consumer, so that what one
//! draws does not shift another's sequence (adding a fault does not change the tokens). A leaf:
//! the token ids ([`crate::tokens`]) and the fault plan ([`crate::control`]) both draw from here.
//!
//! The generator is PCG (`Pcg64Mcg`, from the rand project's `rand_pcg`): small to build, and
//! portable, so a seed gives the same sequence on every platform. It is not a cryptographic
//! generator, which a mock's token ids and fault draws do not need (tokens are signed with the
//! test key whatever their ids). Unseeded, it starts from OS randomness (ring's `SystemRandom`).

use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;
use ring::rand::{SecureRandom, SystemRandom};

/// The generator every stream uses.
pub(crate) type SeededRng = Pcg64Mcg;

/// The token ids' stream: the scenario seed itself, so a seed keeps giving the tokens it gave.
pub(crate) const TOKEN_STREAM: u64 = 0;

/// The fault plan's stream ("faults" in ASCII).
pub(crate) const FAULT_STREAM: u64 = 0x6661_756c_7473;

/// An RNG for one `stream` of a scenario seed: reproducible when `seed` is given (the same
/// seed and stream, the same sequence), from the OS otherwise.
pub(crate) fn seeded_rng(seed: Option<u64>, stream: u64) -> SeededRng {
    match seed {
        Some(seed) => SeededRng::seed_from_u64(seed ^ stream),
        None => SeededRng::from_seed(os_seed()),
    }
}

/// A seed from the OS, through ring (which the mock has for signing anyway, so no second
/// `getrandom` is built). Panics if the OS has no randomness to give, as `from_os_rng` does.
fn os_seed() -> <SeededRng as SeedableRng>::Seed {
    let mut seed = <SeededRng as SeedableRng>::Seed::default();
    SystemRandom::new().fill(&mut seed).expect("the OS gives random bytes");
    seed
}

/// `true` with probability `p` (clamped to 0..=1), drawn as rand's `Bernoulli` draws it: one
/// `u64` below `p` scaled to 2^64; `p` = 1 is always true and draws nothing.
pub(crate) fn chance(rng: &mut impl RngCore, p: f64) -> bool {
    let p = p.clamp(0.0, 1.0);
    if p >= 1.0 {
        return true;
    }
    // 2^64 as a float; `p * SCALE` is below it, so the cast does not saturate (NaN gives 0).
    const SCALE: f64 = 2.0 * (1u64 << 63) as f64;
    rng.next_u64() < (p * SCALE) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_one_sequence_per_stream() {
        let first = |stream| seeded_rng(Some(7), stream).next_u64();
        assert_eq!(first(TOKEN_STREAM), first(TOKEN_STREAM));
        assert_ne!(first(TOKEN_STREAM), first(FAULT_STREAM));
        assert_eq!(first(TOKEN_STREAM), SeededRng::seed_from_u64(7).next_u64(), "the seed itself");
    }

    #[test]
    fn without_a_seed_two_generators_differ() {
        assert_ne!(seeded_rng(None, TOKEN_STREAM).next_u64(), seeded_rng(None, TOKEN_STREAM).next_u64());
    }

    #[test]
    fn chance_follows_its_probability() {
        let mut rng = seeded_rng(Some(1), FAULT_STREAM);
        assert!((0..100).all(|_| chance(&mut rng, 1.0)));
        assert!((0..100).all(|_| !chance(&mut rng, 0.0)));
        let hits = (0..10_000).filter(|_| chance(&mut rng, 0.25)).count();
        assert!((2_200..2_800).contains(&hits), "{hits}");
    }
}
