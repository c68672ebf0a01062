//! The fixed RSA-2048 test key every token is signed with, and JWT signing with ring.
//!
//! The key ships in `fixtures/` so that no key is generated per test or per start, and tokens
//! from two runs verify against the same public key. The `kid` is the SHA-1 thumbprint of the
//! fixture certificate in 40 upper-case hex digits, which is how the real product names its key.
//! Signing uses ring because it costs about 0.5 ms per RS256 signature even in a debug build,
//! where the pure-Rust `rsa` crate takes about 30 ms (users run the mock in debug `cargo test`).

use std::fmt;
use std::sync::{Arc, LazyLock};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RSA_PKCS1_SHA512, RsaEncoding, RsaKeyPair};
use serde::Serialize;

/// The public half of the signing key (SPKI PEM), for verifying the mock's tokens.
///
/// ```
/// // With jsonwebtoken: DecodingKey::from_rsa_pem(PUBLIC_KEY_PEM.as_bytes())
/// assert!(veeam_auth_mock::keys::PUBLIC_KEY_PEM.starts_with("-----BEGIN PUBLIC KEY-----"));
/// ```
pub const PUBLIC_KEY_PEM: &str = include_str!("../../fixtures/signing-key.pub.pem");

/// The self-signed certificate of the signing key; its SHA-1 thumbprint is the JWT `kid`.
pub const CERTIFICATE_PEM: &str = include_str!("../../fixtures/signing-cert.pem");

const PRIVATE_KEY_PEM: &str = include_str!("../../fixtures/signing-key.pem");

/// The JWS algorithms the products use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum JwtAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (VB365).
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-512 (VBAzure).
    RS512,
}

impl JwtAlgorithm {
    fn name(self) -> &'static str {
        match self {
            JwtAlgorithm::RS256 => "RS256",
            JwtAlgorithm::RS512 => "RS512",
        }
    }

    fn encoding(self) -> &'static dyn RsaEncoding {
        match self {
            JwtAlgorithm::RS256 => &RSA_PKCS1_SHA256,
            JwtAlgorithm::RS512 => &RSA_PKCS1_SHA512,
        }
    }
}

/// Signing failed; with a valid fixture key this does not happen.
#[derive(Debug)]
pub(crate) struct SigningFailed;

impl std::fmt::Display for SigningFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("signing a token failed")
    }
}

impl std::error::Error for SigningFailed {}

/// An RSA key that signs JWTs, with its `kid`.
pub struct SigningKey {
    pair: RsaKeyPair,
    kid: String,
    random: SystemRandom,
    /// The encoded header (`{"alg","kid","typ"}` in that order) per algorithm.
    header_rs256: String,
    header_rs512: String,
}

/// The DER inside a PEM's first block: the base64 between its `-----BEGIN` and `-----END`
/// lines. Enough for the fixture files (no headers inside the block); the `pem` crate would
/// only add build time.
fn pem_contents(pem: &str) -> Result<Vec<u8>, String> {
    let mut lines = pem.lines().map(str::trim).skip_while(|line| !line.starts_with("-----BEGIN "));
    if lines.next().is_none() {
        return Err("no PEM block".to_owned());
    }
    let body: String = lines.take_while(|line| !line.starts_with("-----END ")).collect();
    base64::engine::general_purpose::STANDARD.decode(body).map_err(|e| e.to_string())
}

static TEST_KEY: LazyLock<Arc<SigningKey>> = LazyLock::new(|| {
    // The fixture is fixed and covered by tests; failing here means the files were damaged.
    #[allow(clippy::expect_used)]
    Arc::new(SigningKey::from_pem(PRIVATE_KEY_PEM, CERTIFICATE_PEM).expect("fixture key is valid"))
});

impl SigningKey {
    /// The shared test key from `fixtures/` (parsed once per process).
    pub fn test_key() -> Arc<SigningKey> {
        Arc::clone(&TEST_KEY)
    }

    /// Builds a key from a PKCS#8 private key and the certificate that names it.
    fn from_pem(key_pem: &str, cert_pem: &str) -> Result<SigningKey, String> {
        let key = pem_contents(key_pem)?;
        let pair = RsaKeyPair::from_pkcs8(&key).map_err(|e| e.to_string())?;
        let cert = pem_contents(cert_pem)?;
        let thumbprint = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &cert);
        let kid: String = thumbprint.as_ref().iter().map(|b| format!("{b:02X}")).collect();
        let header = |alg: JwtAlgorithm| {
            // Written by hand: the product orders the keys alg, kid, typ.
            let json = format!(r#"{{"alg":"{}","kid":"{kid}","typ":"JWT"}}"#, alg.name());
            URL_SAFE_NO_PAD.encode(json)
        };
        Ok(SigningKey {
            header_rs256: header(JwtAlgorithm::RS256),
            header_rs512: header(JwtAlgorithm::RS512),
            pair,
            kid,
            random: SystemRandom::new(),
        })
    }

    /// The key id: the certificate's SHA-1 thumbprint, 40 upper-case hex digits.
    ///
    /// ```
    /// let kid = veeam_auth_mock::keys::SigningKey::test_key().kid().to_owned();
    /// assert_eq!(kid.len(), 40);
    /// ```
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Signs `claims` (serialized in their declared field order) as a compact JWS.
    pub(crate) fn sign<C: Serialize>(&self, alg: JwtAlgorithm, claims: &C) -> Result<String, SigningFailed> {
        let payload = serde_json::to_vec(claims).map_err(|_| SigningFailed)?;
        let header = match alg {
            JwtAlgorithm::RS256 => &self.header_rs256,
            JwtAlgorithm::RS512 => &self.header_rs512,
        };
        let signature_len = self.pair.public().modulus_len();
        let mut token =
            String::with_capacity(header.len() + payload.len() * 4 / 3 + signature_len * 4 / 3 + 8);
        token.push_str(header);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(&payload, &mut token);
        let mut signature = vec![0; signature_len];
        self.pair
            .sign(alg.encoding(), &self.random, token.as_bytes(), &mut signature)
            .map_err(|_| SigningFailed)?;
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(&signature, &mut token);
        Ok(token)
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey").field("kid", &self.kid).field("private_key", &"[redacted]").finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kid_is_the_certificate_sha1_thumbprint_in_upper_case_hex() {
        let kid = SigningKey::test_key().kid().to_owned();
        // `openssl x509 -in fixtures/signing-cert.pem -noout -fingerprint -sha1`
        assert_eq!(kid, "BBC1E28EA38F90EA006F0925D280AC6FC362ECC7");
    }

    #[test]
    fn a_text_without_a_pem_block_or_with_bad_base64_is_refused() {
        assert!(pem_contents("no block here").is_err());
        assert!(pem_contents("-----BEGIN KEY-----\n!!!\n-----END KEY-----\n").is_err());
        assert_eq!(pem_contents("-----BEGIN KEY-----\nAAEC\n-----END KEY-----\n"), Ok(vec![0, 1, 2]));
    }

    #[test]
    fn the_header_keys_come_in_the_products_order() {
        let token =
            SigningKey::test_key().sign(JwtAlgorithm::RS256, &serde_json::json!({"a": 1})).expect("signs");
        let header = token.split('.').next().expect("three parts");
        let json = String::from_utf8(URL_SAFE_NO_PAD.decode(header).expect("base64url")).expect("utf-8");
        assert_eq!(json, r#"{"alg":"RS256","kid":"BBC1E28EA38F90EA006F0925D280AC6FC362ECC7","typ":"JWT"}"#);
        assert_eq!(URL_SAFE_NO_PAD.decode(token.rsplit('.').next().expect("sig")).expect("b64").len(), 256);
    }

    #[test]
    fn debug_output_hides_the_private_key() {
        let shown = format!("{:?}", SigningKey::test_key());
        assert!(shown.contains("[redacted]") && shown.contains("BBC1E28E"));
    }
}
