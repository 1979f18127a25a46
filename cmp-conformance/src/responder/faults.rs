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
    // Responses that break a rule.
    Pre01 => "PRE-01", "signed responses use a protection certificate whose keyUsage lacks digitalSignature";
    Pre02 => "PRE-02", "responses carry freeText and recipKID, fields the profile does not use";
    Hdr03 => "HDR-03", "every response carries pvno 1 (cmp1999)";
    Hdr04 => "HDR-04", "signed responses name a sender other than the protection certificate's subject";
    Hdr05 => "HDR-05", "MAC-protected responses have the NULL-DN as sender (no commonName)";
    Hdr06 => "HDR-06", "responses have no recipient field (and no messageTime, which would parse as recipient; protection recomputed)";
    Hdr07 => "HDR-07", "responses carry no messageTime, also when they carry confirmWaitTime";
    Hdr08 => "HDR-08", "messageTime is one day in the past";
    Hdr09 => "HDR-09", "protectionAlg names another algorithm than the one used (signature: ecdsa-with-SHA384 over a SHA-256 signature; MAC: another iteration count)";
    Hdr10 => "HDR-10", "signed responses declare sha256WithRSAEncryption for an EC signature";
    Hdr11 => "HDR-11", "MAC responses are protected with plain hmacWithSHA256 keyed by the secret, not PasswordBasedMac or PBMAC1";
    Hdr12 => "HDR-12", "signed responses carry a senderKID other than the protection certificate's subjectKeyIdentifier";
    Hdr13 => "HDR-13", "MAC-protected responses carry no senderKID";
    Hdr15 => "HDR-15", "responses carry a transactionID other than the request's";
    Hdr16 => "HDR-16", "senderNonce is 8 octets long";
    Hdr18 => "HDR-18", "the final response after polling carries the first pollReq's senderNonce as recipNonce: neither the original request's nor the last pollReq's";
    Hdr19 => "HDR-19", "recipNonce differs from the request's senderNonce";
    Hdr21 => "HDR-21", "implicitConfirm is granted in ip/cp/kup although the request did not ask for it";
    Hdr22 => "HDR-22", "implicitConfirm appears in every response other than ip/cp/kup";
    Hdr23 => "HDR-23", "a granted implicitConfirm has the value INTEGER 1 instead of NULL";
    Hdr24 => "HDR-24", "a positive ip/cp/kup without implicitConfirm carries no confirmWaitTime";
    Hdr25 => "HDR-25", "a granted implicitConfirm comes with confirmWaitTime";
    Hdr26 => "HDR-26", "confirmWaitTime is a minute before messageTime";
    Hdr27 => "HDR-27", "every response carries a certProfile in generalInfo";
    Prot01 => "PROT-01", "responses in MAC-protected operations are signed";
    Prot02 => "PROT-02", "every response except error messages is unprotected";
    Prot03 => "PROT-03", "the signature of signed responses is corrupted (one bit flipped)";
    Prot04 => "PROT-04", "MAC-protected responses use a wrong shared secret";
    Prot05 => "PROT-05", "responses carry protectionAlg but no protection";
    Extra01 => "EXTRA-01", "signed responses carry no extraCerts";
    Extra03 => "EXTRA-03", "extraCerts of signed responses start with the issuing CA, not the protection certificate";
    Extra04 => "EXTRA-04", "ip/cp/kup leave the issuer chain of the new certificate out of extraCerts";
    Extra05 => "EXTRA-05", "responses carry the self-signed root CA certificate in extraCerts";
    Preq04 => "PREQ-04", "signed responses use a protection certificate without the cmcRA extendedKeyUsage";
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
    Mac03 => "MAC-03", "the responses after the first one in a MAC-protected operation (pkiConf, pollRep, final ip) are signed";
    Mac05 => "MAC-05", "MAC responses use fresh PBMAC1 parameters instead of the request's";
    Rr03 => "RR-03", "rp holds two PKIStatusInfo";
    Rr07 => "RR-07", "a granted revocation has status revocationWarning";
    Rr08 => "RR-08", "a granted revocation comes with failInfo badRequest";
    Gen02 => "GEN-02", "genp holds two InfoTypeAndValue (the answer and the request's echo)";
    Gen11 => "GEN-11", "caCerts is answered with an empty SEQUENCE (SIZE (1..MAX) broken)";
    Gen21 => "GEN-21", "rootCaCert is answered with id-it-rootCaCert instead of id-it-rootCaKeyUpdate";
    Gen22 => "GEN-22", "RootCaKeyUpdateContent lacks newWithOld";
    Gen31 => "GEN-31", "certReqTemplate is answered with id-it-caCerts";
    Gen32 => "GEN-32", "the certificate request template carries publicKey and serialNumber";
    Gen33 => "GEN-33", "keySpec holds a regToken control";
    Gen34 => "GEN-34", "keySpec rsaKeyLen is 0";
    Gen41 => "GEN-41", "crlStatusList is answered with id-it-currentCRL instead of id-it-crls";
    Gen43 => "GEN-43", "crls carries the CRL twice";
    Poll01 => "POLL-01", "a granted revocation has status waiting in rp";
    Poll04 => "POLL-04", "pollRep carries another certReqId than the pollReq (-1 for 0, 0 for -1)";
    Poll06 => "POLL-06", "the final response is never delivered: every pollReq gets pollRep";
    Poll07 => "POLL-07", "a waiting CertResponse carries failInfo";
    Poll08 => "POLL-08", "a signed waiting ip/cp/kup carries no extraCerts";
    Poll11 => "POLL-11", "pollRep checkAfter is -1";
    Poll12 => "POLL-12", "pollRep is protected with another credential (signed operations: cmp-server-rsa; MAC operations: a signature)";
    Ra01 => "RA-01", "genm is answered with an empty body, no PKIMessage";
    Ra03 => "RA-03", "the response recipient is not the request's sender";
    R9810_5_1_1 => "R9810-5.1.1", "responses carry another transactionID and recipNonce than the request's";
    R9810_7 => "R9810-7", "a pvno 3 request is answered with pvno 2 (and pvno 2 with pvno 3)";
    Ts33310_3 => "TS33310-3", "signed responses use a self-signed protection certificate that does not chain to the root";
    Ts33310_5 => "TS33310-5", "signature-protected requests are answered with MAC protection";
    Ts33310_9 => "TS33310-9", "signed responses use ecdsa-with-SHA1";
    Xfer04 => "XFER-04", "CMP responses travel with Content-Type application/octet-stream";
    // Central key generation (RFC 9483 4.1.6): the privateKey envelope.
    Ckg01 => "CKG-01", "the SignedData of a centrally generated key is signed by cmp-server-ec (EKU cmcRA, not cmKGA)";
    Ckg06 => "CKG-06", "a centrally generated key is not delivered: the certifiedKeyPair has no privateKey";
    Ckg07 => "CKG-07", "the SignedData carries the private key as a bare PKCS #8 PrivateKeyInfo, not an AsymmetricKeyPackage";
    Ckg08 => "CKG-08", "the EnvelopedData encrypts the AsymmetricKeyPackage itself, without a SignedData";
    Ckg09 => "CKG-09", "the SignedData is signed with a self-signed KGA certificate (cmKGA, but no path to the trust anchor)";
    Ckg11 => "CKG-11", "one bit of the encrypted content-encryption key is flipped, so the EE cannot recover it";
    Ckg12 => "CKG-12", "signature-protected central key generation requests get a pwri (password) recipient";
    Ckg15 => "CKG-15", "every envelope uses the same content-encryption key and IV";
    Ckg16 => "CKG-16", "EnvelopedData version is 3 with pwri, 0 with ktri/kari";
    Ckg17 => "CKG-17", "recipientInfos holds the RecipientInfo twice";
    Ckg18 => "CKG-18", "encryptedContentInfo.contentType is id-data instead of id-signedData";
    Ckg19 => "CKG-19", "SignedData version 1 with two digestAlgorithms";
    Ckg20 => "CKG-20", "the OneAsymmetricKey is version 0 (v1) without publicKey";
    Ckg21 => "CKG-21", "SignedData.certificates holds only the issuing CA, not the KGA certificate";
    Ckg22 => "CKG-22", "the SignerInfo is version 1 with sid issuerAndSerialNumber";
    Ckg23 => "CKG-23", "signedAttrs carry no messageDigest";
    Ckg24 => "CKG-24", "the SignedData signature is corrupted (one bit flipped)";
    Ckg25 => "CKG-25", "SignedData carries unsignedAttrs, a field the profile does not describe";
    Ckg27 => "CKG-27", "the ktri rid names another subjectKeyIdentifier than the EE certificate's";
    Ckg29 => "CKG-29", "the kari RecipientEncryptedKey rid names another subjectKeyIdentifier than the EE certificate's";
    Ckg30 => "CKG-30", "the kari carries no ukm";
    Ckg31 => "CKG-31", "the pwri PBKDF2 salt is the salt of the request's MAC protection";
    Ckg32 => "CKG-32", "the pwri keyEncryptionAlgorithm is AES-CBC (id-aes256-CBC), not an AES key wrap";
    // Requests that should be refused are served (or served ones refused).
    Pre03 => "PRE-03", "requests carrying freeText or recipKID are refused (badRequest)";
    Hdr02 => "HDR-02", "a certConf with hashAlg and pvno 2 is accepted";
    Hdr28 => "HDR-28", "certProfile is not checked (two names, unknown names accepted)";
    Extra06 => "EXTRA-06", "signed requests whose extraCerts are not exactly the signer and its issuer, in order, are refused";
    Val02 => "VAL-02", "negative answers carry no failInfo";
    Val03 => "VAL-03", "requests with an unknown generalInfo entry or a NULL-DN recipient are refused (badRequest)";
    Val04 => "VAL-04", "a request that is no DER PKIMessage gets an empty answer";
    Val05 => "VAL-05", "any pvno is accepted";
    Val06 => "VAL-06", "a request without transactionID is served";
    Val07 => "VAL-07", "certConf and pollReq of no known or of a finished operation are answered with pkiConf";
    Val08 => "VAL-08", "a missing or short senderNonce is accepted";
    Val09 => "VAL-09", "recipNonce is not checked";
    Val10 => "VAL-10", "unprotected requests are served";
    Val11 => "VAL-11", "protection that does not verify is ignored";
    Val12 => "VAL-12", "MAC protection is accepted for every request type";
    Val13 => "VAL-13", "senderKID is not checked";
    Val14 => "VAL-14", "signer certificates are not validated (no path to the trust anchor, keyUsage not checked)";
    Val16 => "VAL-16", "validity periods and cA flags of the signer's chain are not checked";
    Val18 => "VAL-18", "the sender need not be the signer certificate's subject";
    Val19 => "VAL-19", "messageTime is not checked";
    Err03 => "ERR-03", "a certConf rejecting the certificate is answered with an error";
    Err06 => "ERR-06", "errors in an ir/cr/kur/p10cr/rr body are answered with an error message instead of a rejection in ip/cp/kup/rp";
    Err07 => "ERR-07", "header and protection errors of ir/cr/kur/p10cr are answered with a rejection in ip/cp/kup instead of an error message";
    Err11 => "ERR-11", "an error answering a certConf or pollReq does not end the operation";
    Err14 => "ERR-14", "error messages are unprotected, also for authenticated requests";
    Enr02 => "ENR-02", "a certConf with another transactionID is matched to its operation by recipNonce and served";
    Enr04 => "ENR-04", "a valid certConf gets pkiConf but the operation stays open";
    Enr05 => "ENR-05", "a template without subject and subjectAltName is served";
    Ir02 => "IR-02", "an ir with more than one CertReqMsg is served (the first one)";
    Ir08 => "IR-08", "a valid certConf is answered with an error (badRequest)";
    Ir11 => "IR-11", "a certConf in a finished operation (after a rejection) is answered with pkiConf";
    Ir12 => "IR-12", "certReqId other than 0 is accepted";
    Ir13 => "IR-13", "certTemplate version other than 2 is accepted";
    Ir17 => "IR-17", "a request without POP is served";
    Ir19 => "IR-19", "POP with poposkInput is accepted";
    Ir20 => "IR-20", "a POP whose algorithm does not fit the key is accepted";
    Ir21 => "IR-21", "a POP signature that does not verify is accepted";
    Ir23 => "IR-23", "an unprotected ir is served";
    Conf01 => "CONF-01", "a certConf without exactly one CertStatus is served";
    Conf02 => "CONF-02", "certHash is not checked";
    Conf03 => "CONF-03", "certConf certReqId is not checked";
    Conf04 => "CONF-04", "a certConf without statusInfo is refused (badRequest)";
    Conf05 => "CONF-05", "a certConf status other than accepted or rejection is taken as acceptance";
    Conf06 => "CONF-06", "a certConf with accepted plus failInfo is served";
    Conf07 => "CONF-07", "a certConf with hashAlg is refused (badRequest)";
    Conf08 => "CONF-08", "certConf and pollReq may use other credentials than the operation's first request";
    Conf09 => "CONF-09", "a signed certConf or pollReq without extraCerts is refused (the signer is not remembered)";
    Cr01 => "CR-01", "a cr is served whatever the signer certificate: one this CA did not issue, or one without a path to the trust anchor";
    Kur04 => "KUR-04", "a kur is served whoever signed it (oldCertID and issuer not compared with the signer)";
    Kur05 => "KUR-05", "a kur changing the subject is served";
    Kur07 => "KUR-07", "a kur without oldCertID is refused (badRequest)";
    P1004 => "P10-04", "after a p10cr, a certConf with certReqId 0 gets badCertId (only -1 is accepted)";
    P1009 => "P10-09", "a CSR whose signature does not verify is accepted";
    Mac04 => "MAC-04", "a MAC request's sender need not carry the senderKID as commonName";
    Rr01 => "RR-01", "an rr is served whoever signed it";
    Rr02 => "RR-02", "an rr with more than one RevDetails is served (the first one)";
    Rr05 => "RR-05", "an rr without reasonCode is served";
    Gen01 => "GEN-01", "a genm with more than one InfoTypeAndValue is served (the first one)";
    Gen10 => "GEN-10", "a caCerts genm carrying a value is served";
    Gen30 => "GEN-30", "a certReqTemplate genm carrying a value is served";
    Gen40 => "GEN-40", "a crlStatusList genm without value is served (current CRL)";
    Poll03 => "POLL-03", "a pollReq with another certReqId is served";
    Ra02 => "RA-02", "a new operation may reuse the transactionID of another one";
    Ra07 => "RA-07", "POP raVerified is accepted from any requester";
    Ra09 => "RA-09", "valid certificate requests are rejected (badRequest)";
    Ra13 => "RA-13", "a certConf with a wrong certHash or certReqId gets badRequest instead of badCertId";
    Ra14 => "RA-14", "revoking an unknown serial number is granted";
    Ra15 => "RA-15", "valid rr are rejected (badRequest)";
    // Nested messages from an RA (RFC 9483 5.2.2).
    Err08 => "ERR-08", "a nested message that fails its own checks is answered with a nested message holding one error per inner request";
    Ra27 => "RA-27", "an unprotected nested message is served";
    Ra29 => "RA-29", "the nested signature and its signer's RA authorization are not checked";
    Ra30 => "RA-30", "a single request wrapped in nested is answered with its response wrapped in nested";
    Ra34 => "RA-34", "a batch is answered with the response to its first inner request alone";
    Ra35 => "RA-35", "the answering nested carries the first inner request's transactionID and senderNonce";
    Ra36 => "RA-36", "the answering nested leaves out the response to the last inner request";
    Ra38 => "RA-38", "inner requests of a batch are served without their own protection being checked";
    Ts33310_7 => "TS33310-7", "signature-protected ir are refused (signerNotTrusted)";
    Ts33310_8 => "TS33310-8", "kur is refused (badRequest)";
    Ckg03 => "CKG-03", "a template with only the public key algorithm and an empty BIT STRING is refused (only an absent publicKey asks for central key generation)";
    Ckg05 => "CKG-05", "central key generation is served with pvno 2";
    Ckg26 => "CKG-26", "central key generation is served to an RSA signer whose certificate does not allow keyEncipherment";
    Ckg28 => "CKG-28", "central key generation is served to an EC signer whose certificate does not allow keyAgreement";
    // HTTP.
    Http02 => "HTTP-02", "/.well-known/cmp is not served (404); only /pkix/ is";
    Http03 => "HTTP-03", "paths with an operation label are not served (404)";
    Http05 => "HTTP-05", "on a path with an operation label only the operation's first request is served; certConf and pollReq get 404";
    HttpR01 => "HTTP-R01", "the method is ignored: a GET carrying a request is served like a POST";
    HttpR02 => "HTTP-R02", "CMP responses travel with status 202";
    HttpR03 => "HTTP-R03", "a request that is no PKIMessage gets 200 with a text body";
    HttpR04 => "HTTP-R04", "the request Content-Type is not checked";
    HttpR10 => "HTTP-R10", "application/pkixcmp-poll is refused with 415";
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
