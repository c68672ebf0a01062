//! The legacy API's opaque tokens, shaped as seed 001 shows them.
//!
//! OWIN protects its tickets with DPAPI (`CryptProtectData`) and sends the blob base64url
//! encoded. Seed 001's two tokens decode to complete blobs of 406 bytes, laid out as below
//! (every integer little-endian `u32`); the mock writes the same layout, with the same sizes,
//! and random bytes only where the real blob has key material or ciphertext:
//!
//! | field | seed 001 | the mock |
//! | --- | --- | --- |
//! | version | 1 | 1 |
//! | provider GUID | `df9d8cd0-1501-11d1-8c7a-00c04fc297eb` (DPAPI's) | the same |
//! | master-key version | 1 | 1 |
//! | master-key GUID | one per machine | [`MASTER_KEY_ID`], one for every token |
//! | flags | 0 | 0 |
//! | description | length 2, the empty UTF-16 string | the same |
//! | cipher | `0x6610` (`CALG_AES_256`), 256-bit key | the same |
//! | salt | 32 bytes | 32 random bytes |
//! | HMAC key | 0 bytes | 0 bytes |
//! | hash | `0x800e` (`CALG_SHA_512`), 512 bits | the same |
//! | HMAC2 key | 32 bytes | 32 random bytes |
//! | data | 192 bytes (AES blocks) | [`DATA_BYTES`] random bytes |
//! | signature | 64 bytes (an HMAC-SHA-512) | 64 random bytes |
//!
//! Nothing follows the signature. Clients treat the token as opaque; the mock recognizes its
//! tokens by looking them up, never by decrypting them.

use crate::tokens::Randomness;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// DPAPI's provider GUID (`df9d8cd0-1501-11d1-8c7a-00c04fc297eb`) as the blob stores it.
const PROVIDER_ID: [u8; 16] =
    [0xd0, 0x8c, 0x9d, 0xdf, 0x01, 0x15, 0xd1, 0x11, 0x8c, 0x7a, 0x00, 0xc0, 0x4f, 0xc2, 0x97, 0xeb];
/// The mock's master-key GUID: a real server protects every ticket with its machine's current
/// master key, so all tokens of one server share it (as seed 001's two tokens do).
const MASTER_KEY_ID: [u8; 16] =
    [0x3b, 0x6e, 0x1f, 0x52, 0x9a, 0x04, 0x4c, 0x4d, 0xa1, 0x7e, 0x5d, 0x20, 0xc8, 0x93, 0x0f, 0x61];
/// `CALG_AES_256` and its key length in bits.
const CIPHER: (u32, u32) = (0x6610, 256);
/// `CALG_SHA_512` and its length in bits.
const HASH: (u32, u32) = (0x800e, 512);
/// The salt and the HMAC2 key: 32 bytes each.
const KEY_BYTES: usize = 32;
/// The encrypted ticket: twelve AES blocks, as in seed 001.
const DATA_BYTES: usize = 192;
/// The HMAC-SHA-512 signature.
const SIGNATURE_BYTES: usize = 64;

/// An opaque token shaped like an OWIN DPAPI-protected ticket: a structurally complete blob of
/// seed 001's layout and length (406 bytes, 542 base64url characters).
pub(crate) fn opaque_token(random: &Randomness) -> String {
    let mut blob = Vec::with_capacity(406);
    let u32_le = |blob: &mut Vec<u8>, value: u32| blob.extend_from_slice(&value.to_le_bytes());
    let random_field = |blob: &mut Vec<u8>, length: usize| {
        let mut bytes = vec![0; length];
        random.fill(&mut bytes);
        blob.extend_from_slice(&(length as u32).to_le_bytes());
        blob.extend_from_slice(&bytes);
    };
    u32_le(&mut blob, 1);
    blob.extend_from_slice(&PROVIDER_ID);
    u32_le(&mut blob, 1);
    blob.extend_from_slice(&MASTER_KEY_ID);
    u32_le(&mut blob, 0); // flags
    u32_le(&mut blob, 2); // the description: an empty UTF-16 string, its terminator only
    blob.extend_from_slice(&[0, 0]);
    u32_le(&mut blob, CIPHER.0);
    u32_le(&mut blob, CIPHER.1);
    random_field(&mut blob, KEY_BYTES); // salt
    u32_le(&mut blob, 0); // no HMAC key
    u32_le(&mut blob, HASH.0);
    u32_le(&mut blob, HASH.1);
    random_field(&mut blob, KEY_BYTES); // HMAC2 key
    random_field(&mut blob, DATA_BYTES);
    random_field(&mut blob, SIGNATURE_BYTES);
    URL_SAFE_NO_PAD.encode(blob)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of a DPAPI blob this module cares about.
    #[derive(Debug, PartialEq, Eq)]
    struct Blob {
        master_key: [u8; 16],
        cipher: (u32, u32),
        salt: usize,
        hmac_key: usize,
        hash: (u32, u32),
        hmac2_key: usize,
        data: usize,
        signature: usize,
    }

    /// A cursor over a blob's bytes.
    struct Reader<'a> {
        bytes: &'a [u8],
        at: usize,
    }

    impl Reader<'_> {
        fn take(&mut self, n: usize) -> Result<&[u8], String> {
            let field =
                self.bytes.get(self.at..self.at + n).ok_or(format!("truncated at byte {}", self.at))?;
            self.at += n;
            Ok(field)
        }

        fn u32(&mut self) -> Result<u32, String> {
            Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "4 bytes")?))
        }

        fn guid(&mut self) -> Result<[u8; 16], String> {
            Ok(self.take(16)?.try_into().map_err(|_| "16 bytes")?)
        }

        /// A length-prefixed byte string; its length.
        fn sized(&mut self) -> Result<usize, String> {
            let length = self.u32()? as usize;
            self.take(length)?;
            Ok(length)
        }
    }

    /// A small DPAPI blob parser: every length-prefixed field must fit, and nothing may follow
    /// the signature.
    fn parse(token: &str) -> Result<Blob, String> {
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|e| format!("not base64url: {e}"))?;
        let mut blob = Reader { bytes: &bytes, at: 0 };
        let header = (blob.u32()?, blob.guid()?, blob.u32()?);
        if header != (1, PROVIDER_ID, 1) {
            return Err("not a DPAPI blob header".to_owned());
        }
        let master_key = blob.guid()?;
        let (flags, description) = (blob.u32()?, blob.sized()?);
        if (flags, description) != (0, 2) {
            return Err(format!("flags {flags}, a description of {description} bytes"));
        }
        let parsed = Blob {
            master_key,
            cipher: (blob.u32()?, blob.u32()?),
            salt: blob.sized()?,
            hmac_key: blob.sized()?,
            hash: (blob.u32()?, blob.u32()?),
            hmac2_key: blob.sized()?,
            data: blob.sized()?,
            signature: blob.sized()?,
        };
        match bytes.len() - blob.at {
            0 => Ok(parsed),
            extra => Err(format!("{extra} bytes after the signature")),
        }
    }

    /// Seed 001's layout, as decoded from its two tokens (the seed documents' decoded facts).
    fn seed_layout(master_key: [u8; 16]) -> Blob {
        Blob {
            master_key,
            cipher: (0x6610, 256),
            salt: 32,
            hmac_key: 0,
            hash: (0x800e, 512),
            hmac2_key: 32,
            data: 192,
            signature: 64,
        }
    }

    #[test]
    fn opaque_tokens_are_complete_dpapi_blobs_of_seed_001s_layout() {
        let random = Randomness::new(Some(1));
        let (first, second) = (opaque_token(&random), opaque_token(&random));

        assert_eq!(parse(&first), Ok(seed_layout(MASTER_KEY_ID)));
        assert_eq!(parse(&second), Ok(seed_layout(MASTER_KEY_ID)));
        assert_eq!(first.len(), 542, "seed 001's tokens are 542 characters");
        assert!(first.starts_with("AQAAANCMnd8BFdERjHoAwE_Cl-sBAAAA"), "seed 001's first 24 bytes");
        assert_ne!(first, second);
    }

    #[test]
    fn the_parser_refuses_what_is_not_a_complete_blob() {
        let token = opaque_token(&Randomness::new(Some(2)));
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).expect("base64url");
        bytes.push(0);
        assert_eq!(parse(&URL_SAFE_NO_PAD.encode(&bytes)), Err("1 bytes after the signature".to_owned()));
        bytes.truncate(300);
        assert!(parse(&URL_SAFE_NO_PAD.encode(&bytes)).is_err());
    }

    /// With `VEEAM_AUTH_MOCK_SEEDS` naming the folder of the seed documents (which are not
    /// part of the repository; `tests/official/run.sh` sets it in CI), seed 001's own tokens
    /// parse with the same parser into the same layout: the facts above are the seed's.
    /// Without it the test has nothing to read and says so.
    #[test]
    fn seed_001s_tokens_parse_into_the_same_layout_when_the_seed_is_at_hand() {
        let Some(seeds) = std::env::var_os("VEEAM_AUTH_MOCK_SEEDS").map(std::path::PathBuf::from) else {
            eprintln!("skipped: VEEAM_AUTH_MOCK_SEEDS is not set");
            return;
        };
        let Some(text) = std::fs::read_dir(&seeds)
            .ok()
            .into_iter()
            .flatten()
            .flatten()
            .find(|entry| entry.file_name().to_string_lossy().starts_with("001_"))
            .and_then(|entry| std::fs::read_to_string(entry.path()).ok())
        else {
            panic!("VEEAM_AUTH_MOCK_SEEDS is set, but no seed 001 is under {}", seeds.display());
        };
        let tokens: Vec<&str> = text
            .split('"')
            .filter(|part| part.starts_with("AQAAANCMnd8BFdERjHoAwE") && part.len() > 100)
            .collect();
        assert_eq!(tokens.len(), 2, "seed 001 shows an access and a refresh token");
        for token in tokens {
            let blob = parse(token).expect("seed 001's token is a complete blob");
            assert_eq!(blob, seed_layout(blob.master_key));
            assert_eq!(token.len(), opaque_token(&Randomness::new(None)).len());
        }
    }
}
