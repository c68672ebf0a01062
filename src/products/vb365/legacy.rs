//! The legacy API (v1-v5, OWIN): opaque tokens shaped as seed 001 shows them (its RFC 1123
//! dates are [`crate::dates::rfc1123`]).

use crate::tokens::Randomness;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The DPAPI blob header every OWIN-protected ticket starts with (seed 001).
const DPAPI_HEADER: &str = "AQAAANCMnd8BFdERjHoAwE_Cl-sBAAAA";
/// Random bytes after the header: seed 001's tokens are about 600 characters long.
const BLOB_BYTES: usize = 420;

/// An opaque token shaped like an OWIN DPAPI-protected ticket.
pub(super) fn opaque_token(random: &Randomness) -> String {
    let mut blob = [0; BLOB_BYTES];
    random.fill(&mut blob);
    let mut token = String::with_capacity(DPAPI_HEADER.len() + BLOB_BYTES * 4 / 3 + 1);
    token.push_str(DPAPI_HEADER);
    URL_SAFE_NO_PAD.encode_string(blob, &mut token);
    token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_tokens_look_like_dpapi_blobs() {
        let token = opaque_token(&Randomness::new(Some(1)));
        assert!(token.starts_with("AQAAANCMnd8BFdERjHoAwE_Cl-sBAAAA"));
        assert_eq!(token.len(), 32 + 560);
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }
}
