//! Random values for tokens (jti, credential keys, antiforgery tokens), from one RNG that a
//! scenario `seed` makes reproducible, and [`seeded_rng`], the one way the crate makes an RNG
//! from a scenario seed (the fault plan draws its probabilities from another stream of it).

use parking_lot::Mutex;
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use uuid::Uuid;

/// An RNG for one `stream` of a scenario seed: reproducible when `seed` is given (the same
/// seed and stream, the same sequence; streams of one seed differ), from the OS otherwise.
pub(crate) fn seeded_rng(seed: Option<u64>, stream: u64) -> StdRng {
    match seed {
        Some(seed) => StdRng::seed_from_u64(seed ^ stream),
        None => StdRng::from_os_rng(),
    }
}

/// The stream of the token ids (the scenario seed itself, for tokens stay as seeded before).
const TOKEN_STREAM: u64 = 0;

/// The program's one source of token randomness.
#[derive(Debug)]
pub(crate) struct Randomness {
    rng: Mutex<StdRng>,
}

impl Randomness {
    /// Seeded when `seed` is given (same seed, same sequence), from the OS otherwise.
    pub(crate) fn new(seed: Option<u64>) -> Randomness {
        Randomness { rng: Mutex::new(seeded_rng(seed, TOKEN_STREAM)) }
    }

    /// Starts the sequence again, as [`Randomness::new`] would (a reset).
    pub(crate) fn reseed(&self, seed: Option<u64>) {
        *self.rng.lock() = seeded_rng(seed, TOKEN_STREAM);
    }

    /// Fills `buffer` with random bytes.
    pub(crate) fn fill(&self, buffer: &mut [u8]) {
        self.rng.lock().fill_bytes(buffer);
    }

    /// A random (version 4) UUID.
    pub(crate) fn uuid(&self) -> Uuid {
        let mut bytes = [0; 16];
        self.fill(&mut bytes);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let (a, b) = (Randomness::new(Some(7)), Randomness::new(Some(7)));
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.uuid(), b.uuid());
        assert_ne!(Randomness::new(None).uuid(), Randomness::new(None).uuid());
        assert_eq!(a.uuid().get_version_num(), 4);
    }
}
