//! Fault switches: each one makes the responder break exactly one rule of
//! [`crate::rules::RULES`], named by that rule's ID, so a test can show that the runner's
//! check for the rule fails when the rule is broken.
//!
//! ```
//! use cmp_conformance::responder::Fault;
//! let f: Fault = "HDR-15".parse().unwrap();
//! assert_eq!(f, Fault::Hdr15);
//! assert_eq!(f.rule_id(), "HDR-15");
//! assert!(Fault::ALL.contains(&f));
//! ```

use std::fmt;
use std::str::FromStr;

macro_rules! faults {
    ($($var:ident => $id:literal, $what:literal;)*) => {
        /// One fault switch, named after the rule it breaks.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Fault {
            $(
                #[doc = concat!("`", $id, "`: ", $what, ".")]
                $var,
            )*
        }

        impl Fault {
            /// Every fault switch.
            pub const ALL: &'static [Fault] = &[$(Fault::$var,)*];

            /// The ID of the rule this fault breaks (a row of [`crate::rules::RULES`]).
            pub fn rule_id(self) -> &'static str {
                match self {
                    $(Fault::$var => $id,)*
                }
            }

            /// What the responder does wrong with this switch on.
            pub fn description(self) -> &'static str {
                match self {
                    $(Fault::$var => $what,)*
                }
            }
        }
    };
}

faults! {
    Hdr03 => "HDR-03", "every response carries pvno 1 (cmp1999)";
    Hdr04 => "HDR-04", "signed responses name a sender other than the protection certificate's subject";
    Hdr06 => "HDR-06", "responses have no recipient field (and no messageTime, which would parse as recipient; protection recomputed)";
    Hdr08 => "HDR-08", "messageTime is one day in the past";
    Hdr09 => "HDR-09", "protectionAlg names another algorithm than the one used (signature: ecdsa-with-SHA384 over a SHA-256 signature; MAC: another iteration count)";
    Hdr10 => "HDR-10", "signed responses declare sha256WithRSAEncryption for an EC signature";
    Hdr11 => "HDR-11", "MAC responses are protected with plain hmacWithSHA256 keyed by the secret, not PasswordBasedMac or PBMAC1";
    Hdr12 => "HDR-12", "signed responses carry a senderKID other than the protection certificate's subjectKeyIdentifier";
    Hdr15 => "HDR-15", "responses carry a transactionID other than the request's";
    Hdr16 => "HDR-16", "senderNonce is 8 octets long";
    Hdr19 => "HDR-19", "recipNonce differs from the request's senderNonce";
    Hdr21 => "HDR-21", "implicitConfirm is granted in ip/cp/kup although the request did not ask for it";
    Hdr22 => "HDR-22", "implicitConfirm appears in every response other than ip/cp/kup";
    Hdr23 => "HDR-23", "a granted implicitConfirm has the value INTEGER 1 instead of NULL";
    Hdr24 => "HDR-24", "a positive ip/cp/kup without implicitConfirm carries no confirmWaitTime";
    Hdr25 => "HDR-25", "a granted implicitConfirm comes with confirmWaitTime";
    Hdr27 => "HDR-27", "every response carries a certProfile in generalInfo";
    Prot01 => "PROT-01", "responses in MAC-protected operations are signed";
    Prot02 => "PROT-02", "every response except error messages is unprotected";
    Prot03 => "PROT-03", "the signature of signed responses is corrupted (one bit flipped)";
    Prot04 => "PROT-04", "MAC-protected responses use a wrong shared secret";
    Prot05 => "PROT-05", "responses carry protectionAlg but no protection";
    Extra01 => "EXTRA-01", "signed responses carry no extraCerts";
    Extra03 => "EXTRA-03", "extraCerts of signed responses start with the issuing CA, not the protection certificate";
    Extra04 => "EXTRA-04", "ip/cp/kup leave the issuer chain of the new certificate out of extraCerts";
    Err12 => "ERR-12", "error messages carry status accepted";
    Ir10 => "IR-10", "rejected requests get a certifiedKeyPair (the server's certificate) with the rejection";
    Ir24 => "IR-24", "caPubs holds the issuing CA besides the trust anchor";
    Ir25 => "IR-25", "ip/cp/kup hold two CertResponses";
    Ir26 => "IR-26", "a granted certificate comes with status revocationWarning";
    Ir27 => "IR-27", "status accepted comes with failInfo badRequest";
    Ir28 => "IR-28", "status accepted comes without certifiedKeyPair";
    Ir29 => "IR-29", "the certifiedKeyPair of a locally generated key carries a privateKey";
    Conf10 => "CONF-10", "the pkiConf body is INTEGER 0 instead of NULL (protection recomputed)";
    Conf11 => "CONF-11", "pkiConf is protected with another credential (signed operations: cmp-server-rsa; MAC operations: a signature)";
    Cr02 => "CR-02", "cr is answered with ip, and ir with cp";
    Cr03 => "CR-03", "cp carries caPubs";
    Kur03 => "KUR-03", "kur is answered with cp";
    Kur08 => "KUR-08", "kup carries caPubs";
    P1002 => "P10-02", "p10cr is answered with ip";
    P1003 => "P10-03", "the cp answering a p10cr has certReqId 0";
}

impl Fault {
    /// The rule this fault breaks, if the rule table has it.
    pub fn rule(self) -> Option<&'static crate::rules::Rule> {
        crate::rules::rule(self.rule_id())
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rule_id())
    }
}

/// A fault ID that names no switch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFault(pub String);

impl fmt::Display for UnknownFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no fault switch for rule {:?}; known: ", self.0)?;
        for (i, fault) in Fault::ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(fault.rule_id())?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownFault {}

impl FromStr for Fault {
    type Err = UnknownFault;

    /// Parse a rule ID (`HDR-15`, case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Fault::ALL
            .iter()
            .copied()
            .find(|f| f.rule_id().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownFault(s.to_string()))
    }
}
