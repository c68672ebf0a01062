//! HTTPS: the certificate the mock presents and the rustls configuration built from it.
//!
//! The real servers speak HTTPS with a self-signed certificate by default (VB365 on port 4443,
//! VBAzure on 443), so clients under test usually have a "skip verification" switch or a
//! pinned certificate. [`Tls`] covers both: a certificate made at start-up for `localhost`,
//! `127.0.0.1` and any extra names (its PEM can be handed to a client to trust), or the user's
//! own PEM files.
//!
//! Crypto comes from ring, named explicitly in [`Tls::server_config`]: the process-wide
//! default provider is never read or installed, so a test binary that also links aws-lc-rs (or
//! installs its own default) neither breaks the mock nor is changed by it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The names every generated certificate covers, before the ones the caller adds.
const DEFAULT_NAMES: [&str; 2] = ["localhost", "127.0.0.1"];

/// A certificate and its private key (PEM), what the mock presents over HTTPS.
///
/// ```
/// use veeam_auth_mock::Tls;
///
/// // A fresh self-signed certificate for localhost, 127.0.0.1 and one more name.
/// let tls = Tls::self_signed(["mock.test"]).expect("rcgen makes a certificate");
/// assert!(tls.certificate_pem().starts_with("-----BEGIN CERTIFICATE-----"));
/// assert_eq!(tls.names(), ["localhost", "127.0.0.1", "mock.test"]);
/// ```
#[derive(Clone)]
pub struct Tls {
    certificate_pem: String,
    key_pem: String,
    names: Vec<String>,
}

/// Why a certificate could not be made or loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum TlsError {
    /// A PEM file could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The certificate PEM holds no certificate.
    NoCertificate,
    /// The key PEM holds no usable private key (PKCS#8, PKCS#1 or SEC1).
    NoKey,
    /// A name given for the generated certificate is neither a DNS name nor an IP address.
    BadName {
        /// The name.
        name: String,
        /// What rcgen objected to.
        reason: String,
    },
    /// Generating the certificate failed.
    Generate(String),
    /// rustls refused the certificate or key (e.g. the key does not match the certificate).
    Rustls(String),
}

impl std::fmt::Display for TlsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TlsError::Read { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            TlsError::NoCertificate => f.write_str("no certificate found in the certificate PEM"),
            TlsError::NoKey => f.write_str("no private key found in the key PEM"),
            TlsError::BadName { name, reason } => write!(f, "`{name}` cannot go in a certificate: {reason}"),
            TlsError::Generate(reason) => write!(f, "cannot generate a certificate: {reason}"),
            TlsError::Rustls(reason) => write!(f, "rustls refused the certificate or key: {reason}"),
        }
    }
}

impl std::error::Error for TlsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TlsError::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Tls {
    /// A new self-signed certificate (ECDSA P-256, valid from a day ago for a year) for
    /// `localhost`, `127.0.0.1` and `extra_names` (DNS names or IP addresses).
    ///
    /// # Errors
    ///
    /// [`TlsError::BadName`] for a name a certificate cannot hold, [`TlsError::Generate`] if
    /// key generation fails.
    pub fn self_signed<I, S>(extra_names: I) -> Result<Tls, TlsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut names: Vec<String> = DEFAULT_NAMES.iter().map(|name| (*name).to_owned()).collect();
        for name in extra_names {
            let name = name.as_ref().trim();
            if !name.is_empty() && !names.iter().any(|known| known.eq_ignore_ascii_case(name)) {
                names.push(name.to_owned());
            }
        }
        // Checked one by one so the error names the culprit.
        for name in &names {
            CertificateParams::new(vec![name.clone()])
                .map_err(|err| TlsError::BadName { name: name.clone(), reason: err.to_string() })?;
        }
        let mut params =
            CertificateParams::new(names.clone()).map_err(|err| TlsError::Generate(err.to_string()))?;
        params.distinguished_name.push(DnType::CommonName, "veeam-auth-mock");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        // Real time, not the scenario clock: clients check validity against their own clock.
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now.saturating_sub(time::Duration::days(1));
        params.not_after = now.saturating_add(time::Duration::days(365));
        let key = KeyPair::generate().map_err(|err| TlsError::Generate(err.to_string()))?;
        let certificate = params.self_signed(&key).map_err(|err| TlsError::Generate(err.to_string()))?;
        Ok(Tls { certificate_pem: certificate.pem(), key_pem: key.serialize_pem(), names })
    }

    /// The caller's own certificate chain and private key, as PEM text.
    ///
    /// # Errors
    ///
    /// [`TlsError::NoCertificate`] or [`TlsError::NoKey`] when the PEM lacks one, and
    /// [`TlsError::Rustls`] when rustls refuses the pair.
    pub fn from_pem(certificate_pem: &str, key_pem: &str) -> Result<Tls, TlsError> {
        let tls =
            Tls { certificate_pem: certificate_pem.to_owned(), key_pem: key_pem.to_owned(), names: vec![] };
        // Fail now, at start-up, rather than at the first handshake.
        tls.server_config()?;
        Ok(tls)
    }

    /// [`Tls::from_pem`] with the PEM read from files.
    ///
    /// ```no_run
    /// use std::path::Path;
    /// use veeam_auth_mock::{MockServer, Tls};
    ///
    /// let tls = Tls::from_pem_files(Path::new("cert.pem"), Path::new("key.pem")).expect("a valid pair");
    /// let server = MockServer::builder().tls(tls).start_blocking();
    /// # let _ = server;
    /// ```
    ///
    /// # Errors
    ///
    /// [`TlsError::Read`] when a file cannot be read, then as [`Tls::from_pem`].
    pub fn from_pem_files(certificate: &Path, key: &Path) -> Result<Tls, TlsError> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|source| TlsError::Read { path: path.to_owned(), source })
        };
        Tls::from_pem(&read(certificate)?, &read(key)?)
    }

    /// The certificate (chain) as PEM: give it to a client as its trusted root.
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// The names a generated certificate covers (empty for a certificate loaded from PEM).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// A rustls server configuration presenting this certificate, with ring as the provider.
    pub(crate) fn server_config(&self) -> Result<ServerConfig, TlsError> {
        let chain = CertificateDer::pem_slice_iter(self.certificate_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| TlsError::NoCertificate)?;
        if chain.is_empty() {
            return Err(TlsError::NoCertificate);
        }
        let key = PrivateKeyDer::from_pem_slice(self.key_pem.as_bytes()).map_err(|_| TlsError::NoKey)?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|err| TlsError::Rustls(err.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|err| TlsError::Rustls(err.to_string()))
    }
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The private key stays out of logs and panic messages.
        f.debug_struct("Tls")
            .field("names", &self.names)
            .field("key_pem", &"<redacted>")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::{Tls, TlsError};

    #[test]
    fn a_generated_certificate_makes_a_server_config() {
        let tls = Tls::self_signed(["10.0.0.7", "localhost"]).expect("generated");

        assert_eq!(tls.names(), ["localhost", "127.0.0.1", "10.0.0.7"]);
        assert!(tls.server_config().is_ok());
        assert!(!format!("{tls:?}").contains("PRIVATE KEY"));
    }

    #[test]
    fn a_key_that_is_not_pem_is_refused() {
        let tls = Tls::self_signed(std::iter::empty::<&str>()).expect("generated");

        let err = Tls::from_pem(tls.certificate_pem(), "not a key").expect_err("refused");

        assert!(matches!(err, TlsError::NoKey), "{err}");
    }

    #[test]
    fn a_name_that_is_not_ascii_is_refused_by_name() {
        let err = Tls::self_signed(["bäd.test"]).expect_err("refused");

        assert!(err.to_string().contains("`bäd.test`"), "{err}");
    }
}
