//! Random values for tokens (jti, credential keys, antiforgery tokens), from one RNG that a
//! scenario `seed` makes reproducible ([`crate::seed`]).

use parking_lot::Mutex;
use rand_core::RngCore;
use uuid::Uuid;

use crate::seed::{SeededRng, TOKEN_STREAM, seeded_rng};

/// The program's one source of randomness.
#[derive(Debug)]
pub(crate) struct Randomness {
    rng: Mutex<SeededRng>,
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
