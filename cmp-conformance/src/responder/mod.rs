//! The built-in reference responder: a small CA/RA that answers CMP requests as RFC 9483
//! (Lightweight CMP Profile) asks of a PKI management entity, with fault switches that break
//! one rule each (see [`Fault`]).
//!
//! # Use
//!
//! In process: [`Responder`] implements [`crate::endpoint::Endpoint`] (and `&Responder` does
//! too; it is `Send + Sync`, state behind a mutex):
//!
//! ```no_run
//! use cmp_conformance::endpoint::Endpoint;
//! use cmp_conformance::responder::{Config, Credentials, Fault, Responder};
//! let mut config = Config::default();
//! config.faults.insert(Fault::Hdr15);
//! let mut responder = Responder::new(Credentials::load_default()?, config)?;
//! # let request_der = vec![];
//! let reply = responder.exchange("", &request_der)?;
//! assert_eq!(reply.status, 200);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Over HTTP: [`http::HttpServer::start`] (or `cmp serve --listen 127.0.0.1:0`, which prints
//! `listening on http://127.0.0.1:PORT` on stdout once the socket is bound).
//!
//! # Credentials
//!
//! Read by [`Credentials::load`] from a directory laid out like `vectors/openssl/credentials/`
//! (the default, [`credentials::default_dir`]; `cmp serve --credentials DIR`):
//!
//! | file | role |
//! |---|---|
//! | `root-ca.der` (RSA) | trust anchor: client signer certificates must chain to it; `caPubs` |
//! | `root-ca.key` | optional: signs `newWithOld` of the rootCaKeyUpdate offer |
//! | `issuing-ca.der`, `.key` (EC P-256) | signs every certificate and CRL the responder issues; the chain in extraCerts and in genp caCerts |
//! | `cmp-server-ec.der`, `.key` (EC P-256, EKU cmcRA) | protection certificate of every signed response (senderKID = its SKI, extraCerts = it, then issuing-ca) |
//! | `cmp-server-rsa.der`, `.key` | optional: the "other credential" of the `CONF-11` fault |
//! | `kga-ec.der`, `.key` (EC P-256, EKU cmKGA) | optional: the Key Generation Authority that signs centrally generated keys; without it central key generation is refused |
//!
//! MAC: shared secret [`DEFAULT_SECRET`] (`insecure-cmp-vectors-secret`), reference
//! [`DEFAULT_REFERENCE`] (`cmp-vectors-kid`). A MAC request's senderKID, if present, must be
//! the reference, and its sender a directoryName whose commonName is the senderKID (RFC 9483
//! 4.1.5; [`Config::check_mac_sender`], `cmp serve --lenient-mac-sender` for OpenSSL, which
//! sends its `-subject` there unless that is `/CN=cmp-vectors-kid`). MAC responses use the
//! PBM / PBMAC1 parameters of the operation's first request throughout (RFC 9483 4.1.5),
//! with sender `CN=cmp-vectors-kid` and senderKID `cmp-vectors-kid`. Clients signing
//! requests need a certificate chaining to `root-ca` (`client-ec`, `client-rsa`, `device-*`,
//! or one this responder issued); a cr must be signed by a certificate this responder issued
//! (RFC 9483 4.1.2).
//!
//! # Behaviour
//!
//! * Every request: DER parse (else an unprotected error, badDataFormat), pvno 2 or 3 (else
//!   unsupportedVersion, answered with the nearest supported pvno), transactionID present,
//!   senderNonce of at least 128 bits, protection verified (see [`errors`] for the failInfo
//!   of each check), messageTime within [`Config::max_time_skew`].
//! * MAC protection is accepted for ir, cr and p10cr (and the certConf, pollReq of those
//!   operations), signature protection for everything (RFC 9483 3.5, 4.1.5); MAC on kur, rr,
//!   genm gives wrongIntegrity unless [`Config::mac_for_all`].
//! * ir/cr/kur/p10cr → ip/cp/kup/cp with a new certificate for the requested key (P-256,
//!   P-384, P-521, RSA, Ed25519, Ed448, ML-DSA as far as the POP can be verified), subject
//!   and subjectAltName from the template or CSR, signed by issuing-ca; `certReqId` -1 for
//!   p10cr. implicitConfirm is granted when asked for (and [`Config::implicit_confirm`]),
//!   otherwise confirmWaitTime tells until when certConf is awaited; a late certConf gets an
//!   error and the certificate is revoked. A rejecting certConf revokes the certificate.
//! * Central key generation (RFC 9483 4.1.6, module `kga`): an ir/cr/kur with pvno 3, no
//!   POP and no publicKey (or only its algorithm with an empty BIT STRING) gets a new P-256
//!   key (RSA-2048 for rsaEncryption), its certificate, and privateKey as EnvelopedData around
//!   the `kga-ec` SignedData of an AsymmetricKeyPackage: pwri (PBKDF2 + AES key wrap) for MAC,
//!   ktri for an RSA signer allowing keyEncipherment, kari (ephemeral-static ECDH, X9.63 KDF,
//!   AES key wrap) for a P-256 signer allowing keyAgreement; other signers, pvno 2 and a POP
//!   are refused.
//! * kur must be signed by the certificate to be updated (issued by issuing-ca); oldCertID,
//!   if present, must name it; the subject must stay the same. cr must be signed by a
//!   certificate the responder issued; ir and p10cr by any certificate chaining to the root.
//! * certProfile in generalInfo, if present, must hold exactly one name of
//!   [`Config::cert_profiles`] (badCertTemplate otherwise).
//! * rr must be signed by the certificate to be revoked; revokes it → rp.
//! * genm: caCerts, rootCaCert → rootCaKeyUpdate (a generated new root, or absent),
//!   certReqTemplate, crlStatusList → crls (the issuing CA's CRL, absent if not newer),
//!   currentCRL, signKeyPairTypes; other types are echoed without a value.
//! * [`Config::poll_count`] N > 0: the certificate response is first `waiting`; the first N-1
//!   pollReqs get pollRep (checkAfter [`Config::check_after`]), the N-th the final response
//!   (as OpenSSL's mock server `-poll_count`).
//! * An error message from the client in an open operation is answered with pkiConf and
//!   ends the operation.
//! * nested (RFC 9483 5.2.2): signed by a certificate with EKU cmcRA (the RA credential
//!   `ra-ec` of the vectors, or any other chaining to the root), else one error for the whole
//!   message (badMessageCheck, notAuthorized, ...). One inner request with the nested
//!   message's transactionID is approved by the RA (5.2.2.1: raVerified is vouched for, if
//!   [`Config::accept_ra_verified`]) and answered plainly; otherwise (a batch, 5.2.2.2) every
//!   inner request is handled on its own and the answers come back in a nested message, in
//!   order. See `handlers/nested.rs`.
//! * State is bounded ([`Config::max_transactions`], [`ca::MAX_ISSUED`]), and idle
//!   operations are forgotten after [`Config::transaction_ttl`].
//!
//! Responses mirror the request's protection: MAC with the same secret, signature with
//! `cmp-server-ec`; errors to unprotected requests are signed. Nothing a request contains
//! makes the responder panic.
//!
//! # Fault switches
//!
//! [`Fault::ALL`] has one switch per row of [`crate::rules::RULES`] that a server can break
//! (`cmp serve --list-faults` prints them; `--fault RULE-ID`, repeatable;
//! [`Config::faults`]). Rows without a switch are permissions or choices where both answers
//! are legal; `tests/responder_faults.rs` lists them with the reason and fails when a new
//! row has neither.

pub mod ca;
pub mod credentials;
pub mod errors;
pub mod faults;
mod handlers;
pub mod http;
mod kga;
mod protect;
mod transactions;
mod validate;

use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

pub use credentials::{CertInfo, Credentials, KeyPair, DEFAULT_REFERENCE, DEFAULT_SECRET};
pub use faults::Fault;

use crate::endpoint::{Endpoint, Reply, TransportError};

/// Fill `buf` with random bytes from the operating system.
pub(crate) fn random_bytes(buf: &mut [u8]) {
    getrandom::fill(buf).expect("the operating system's random number generator failed");
}

/// When `caPubs` goes into an ip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaPubs {
    /// Never.
    Never,
    /// Only in MAC-protected ip: there the MAC authenticates it (RFC 9483 4.1.1, 4.1.5).
    MacOnly,
    /// In every accepted ip.
    Always,
}

/// How the responder behaves.
#[derive(Clone, Debug)]
pub struct Config {
    /// Fault switches that are on.
    pub faults: BTreeSet<Fault>,
    /// Grant implicitConfirm when a request asks for it. Default `true`.
    pub implicit_confirm: bool,
    /// How long a delivered certificate waits for certConf (confirmWaitTime). Default 60 s.
    pub confirm_wait: Duration,
    /// Polling: 0 answers at once; N > 0 answers `waiting` first and delivers on the N-th
    /// pollReq. Default 0.
    pub poll_count: u32,
    /// checkAfter in pollRep, in seconds. Default 1.
    pub check_after: i64,
    /// When ip carries caPubs. Default [`CaPubs::MacOnly`].
    pub ca_pubs: CaPubs,
    /// Accept POP raVerified from requests signed by a certificate with EKU cmcRA, or
    /// approved by such a signer in a nested message (RFC 9483 5.2.2.1). Default `false`
    /// (raVerified → badPOP).
    pub accept_ra_verified: bool,
    /// Validity of issued certificates; `None` (the default) lets them end with the issuing
    /// CA certificate, so that they stay valid as long as the vectors' credentials do.
    pub cert_validity: Option<Duration>,
    /// Offer a new root in rootCaKeyUpdate (needs `root-ca.key`). Default `true`; with
    /// `false` (or without the key) the answer is "no update" (absent value).
    pub root_update: bool,
    /// Largest number of remembered operations. Default 1000.
    pub max_transactions: usize,
    /// How long an idle operation is remembered. Default 600 s.
    pub transaction_ttl: Duration,
    /// Reject requests whose messageTime is further from our clock (badTime); `None` skips
    /// the check. Default 1 hour.
    pub max_time_skew: Option<Duration>,
    /// Accept MAC protection for every request type, not only ir/cr/p10cr. Default `false`.
    pub mac_for_all: bool,
    /// Require MAC requests' sender to be a directoryName with a commonName equal to the
    /// senderKID (RFC 9483 4.1.5). Default `true`. OpenSSL's client puts its `-subject`
    /// there: give it `-subject /CN=cmp-vectors-kid` (RFC 9483 4.1.5 allows that name as
    /// subject), or switch this off.
    pub check_mac_sender: bool,
    /// The certificate profile names a request may name in generalInfo certProfile (exactly
    /// one of them, RFC 9483 3.1). Default `["default"]`.
    pub cert_profiles: Vec<String>,
    /// Put the root CA certificate into the extraCerts of ip (3GPP TS 33.310 9.2 expects
    /// the operator root there; RFC 9483 3.3 would rather leave self-signed certificates
    /// out). Default `false`.
    pub root_in_ip_extra_certs: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            faults: BTreeSet::new(),
            implicit_confirm: true,
            confirm_wait: Duration::from_secs(60),
            poll_count: 0,
            check_after: 1,
            ca_pubs: CaPubs::MacOnly,
            accept_ra_verified: false,
            cert_validity: None,
            root_update: true,
            max_transactions: 1000,
            transaction_ttl: Duration::from_secs(600),
            max_time_skew: Some(Duration::from_secs(3600)),
            mac_for_all: false,
            check_mac_sender: true,
            cert_profiles: vec!["default".to_string()],
            root_in_ip_extra_certs: false,
        }
    }
}

impl Config {
    /// The default configuration with these faults on.
    pub fn with_faults(faults: impl IntoIterator<Item = Fault>) -> Self {
        Config {
            faults: faults.into_iter().collect(),
            ..Config::default()
        }
    }
}

/// The mutable state and configuration, behind the responder's mutex.
pub(crate) struct Inner {
    pub(crate) creds: Credentials,
    pub(crate) config: Config,
    pub(crate) ca: ca::Ca,
    pub(crate) txs: transactions::Transactions,
    pub(crate) root_update: Option<ca::RootUpdate>,
    /// Protection certificates for the server key that fault switches use instead of
    /// cmp-server-ec (made only when their switch is on).
    pub(crate) fault_signers: ca::FaultSigners,
    /// The request being handled came in a nested message whose RA signature approves it
    /// (RFC 9483 5.2.2.1): raVerified is vouched for.
    pub(crate) ra_approved: bool,
    /// The request being handled came in a batch (RFC 9483 5.2.2.2; only the `RA-38` fault
    /// looks at it).
    pub(crate) in_batch: bool,
    /// The privateKey envelopes of centrally generated keys (RFC 9483 4.1.6), by the DER of
    /// the certificate they belong to, until it is delivered.
    pub(crate) ckg_envelopes: std::collections::HashMap<Vec<u8>, Vec<u8>>,
}

/// The reference responder.
pub struct Responder {
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for Responder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Responder").finish_non_exhaustive()
    }
}

impl Responder {
    /// A responder with these credentials and settings.
    pub fn new(creds: Credentials, config: Config) -> Result<Self, credentials::CredentialError> {
        let root_update = if config.root_update && creds.root_key.is_some() {
            Some(ca::make_root_update(&creds).map_err(credentials::CredentialError)?)
        } else {
            None
        };
        Ok(Responder {
            inner: Mutex::new(Inner {
                ca: ca::Ca::new(config.cert_validity),
                fault_signers: ca::FaultSigners::make(&creds, &config.faults)
                    .map_err(credentials::CredentialError)?,
                txs: transactions::Transactions::new(
                    config.max_transactions,
                    config.transaction_ttl,
                ),
                creds,
                config,
                root_update,
                ra_approved: false,
                in_batch: false,
                ckg_envelopes: std::collections::HashMap::new(),
            }),
        })
    }

    /// A responder with the default credentials ([`credentials::default_dir`]) and this
    /// configuration.
    pub fn with_config(config: Config) -> Result<Self, credentials::CredentialError> {
        Self::new(Credentials::load_default()?, config)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the state half-updated in a way that
        // matters more than refusing all further service would.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Answer one DER request with one DER response (never panics on any input; an internal
    /// failure gives an error message with systemFailure).
    pub fn handle(&self, request: &[u8]) -> Vec<u8> {
        let mut inner = self.lock();
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.process(request)));
        match result {
            Ok(r) => r,
            Err(_) => {
                // A panic inside a nested message must not leave its approval switched on.
                inner.ra_approved = false;
                inner.in_batch = false;
                inner.internal_error()
            }
        }
    }

    /// The credentials in use.
    pub fn credentials(&self) -> Credentials {
        self.lock().creds.clone()
    }

    /// The configuration in use.
    pub fn config(&self) -> Config {
        self.lock().config.clone()
    }

    /// The rootCaKeyUpdate on offer, if any.
    pub fn root_update(&self) -> Option<ca::RootUpdate> {
        self.lock().root_update.clone()
    }

    /// How many operations are remembered (for tests of the bounds).
    pub fn open_transactions(&self) -> usize {
        self.lock().txs.len()
    }
}

impl Responder {
    /// Whether a fault switch is on.
    pub fn has_fault(&self, f: Fault) -> bool {
        self.lock().config.faults.contains(&f)
    }

    /// The in-process answer: status 200 and `application/pkixcmp` (another media type
    /// under the `XFER-04` fault).
    fn reply(&self, request: &[u8]) -> Reply {
        let mut reply = Reply::pkixcmp(self.handle(request));
        if self.has_fault(Fault::Xfer04) {
            reply.content_type = Some("application/octet-stream".to_string());
        }
        reply
    }
}

impl Endpoint for Responder {
    fn exchange(&mut self, _path: &str, request: &[u8]) -> Result<Reply, TransportError> {
        Ok(self.reply(request))
    }
}

impl Endpoint for &Responder {
    fn exchange(&mut self, _path: &str, request: &[u8]) -> Result<Reply, TransportError> {
        Ok(self.reply(request))
    }
}
