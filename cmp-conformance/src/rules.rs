//! The rules the runner checks, each tied to a requirement ID and section.
//!
//! IDs of the form `HDR-15` are the stable row IDs of the RFC 9483 requirement matrix
//! (`../shared/spec/rfc9483-requirements.md`); rows from other documents use the prefixes
//! `R9810-`, `R9811-` and `TS33310-` with the section in [`Rule::section`]. The text here is our
//! own summary; the RFC is the authority. The reference responder's fault switches name these
//! IDs, so a test can prove that each check fails when its rule is broken.

/// Which document a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Doc {
    /// Lightweight CMP Profile.
    Rfc9483,
    /// CMP (obsoletes RFC 4210 and RFC 9480).
    Rfc9810,
    /// CMP over HTTP (obsoletes RFC 6712).
    Rfc9811,
    /// 3GPP base-station enrolment.
    Ts33310,
}

impl Doc {
    /// How reports cite the document.
    pub fn cite(self) -> &'static str {
        match self {
            Doc::Rfc9483 => "RFC 9483",
            Doc::Rfc9810 => "RFC 9810",
            Doc::Rfc9811 => "RFC 9811",
            Doc::Ts33310 => "3GPP TS 33.310",
        }
    }
}

/// The requirement level, which decides the severity of a violation: MUST (and SHALL,
/// REQUIRED, PROHIBITED) fails, SHOULD warns, MAY is only reported as information.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// MAY / OPTIONAL: reported as information.
    May,
    /// SHOULD / RECOMMENDED: a violation warns.
    Should,
    /// MUST / SHALL / REQUIRED / PROHIBITED: a violation fails.
    Must,
}

/// One checkable rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rule {
    /// Stable ID (`HDR-15`, `R9811-3.4`, ...).
    pub id: &'static str,
    /// The document the rule comes from.
    pub doc: Doc,
    /// Section of `doc`.
    pub section: &'static str,
    /// Requirement level.
    pub level: Level,
    /// One-line statement of what is checked.
    pub text: &'static str,
}

macro_rules! rules {
    ($($id:literal, $doc:ident, $sec:literal, $lvl:ident, $text:literal;)*) => {
        /// Every rule the runner knows.
        pub const RULES: &[Rule] = &[
            $(Rule { id: $id, doc: Doc::$doc, section: $sec, level: Level::$lvl, text: $text },)*
        ];
    };
}

rules! {
    "PRE-01", Rfc9483, "1.2, 3.5", Must, "the CMP protection certificate has digitalSignature in keyUsage when keyUsage is present";
    "PRE-02", Rfc9483, "1.8", Should, "fields sections 3 to 5 do not discuss (freeText, recipKID, ...) are not sent";
    "PRE-03", Rfc9483, "1.8", Must, "a receiver does not insist that undiscussed fields are absent and handles them gracefully";
    "HDR-02", Rfc9483, "3.1", Must, "a certConf carrying hashAlg uses pvno 3";
    "HDR-03", Rfc9483, "3.1", Must, "the response pvno equals the request's (2 unless cmp2021 features are used)";
    "HDR-04", Rfc9483, "3.1", Must, "sender present; with signature protection it equals the protection certificate's subject";
    "HDR-05", Rfc9483, "3.1", Must, "with MAC protection the sender is a directoryName whose commonName names the shared secret";
    "HDR-06", Rfc9483, "3.1", Must, "recipient present";
    "HDR-07", Rfc9483, "3.1", Must, "messageTime is present whenever confirmWaitTime is";
    "HDR-08", Rfc9483, "3.1", Must, "messageTime, if present, is a DER GeneralizedTime close to the current time";
    "HDR-09", Rfc9483, "3.1", Must, "protectionAlg present and names the algorithm of the protection";
    "HDR-10", Rfc9483, "3.1", Must, "signature protectionAlg matches the protection certificate's key";
    "HDR-11", Rfc9483, "3.1", Must, "MAC protectionAlg is PasswordBasedMac or PBMAC1";
    "HDR-12", Rfc9483, "3.1", Must, "signature: senderKID equals the protection certificate's subjectKeyIdentifier";
    "HDR-13", Rfc9483, "3.1", Must, "MAC: senderKID is present and holds the name in the sender's commonName";
    "HDR-15", Rfc9483, "3.1", Must, "transactionID echoes the request's";
    "HDR-16", Rfc9483, "3.1", Must, "senderNonce is 128 bits and fresh";
    "HDR-18", Rfc9483, "3.1", Must, "a delayed final response carries the senderNonce of the request it answers as recipNonce";
    "HDR-19", Rfc9483, "3.1", Must, "recipNonce equals the request's senderNonce";
    "HDR-21", Rfc9483, "3.1", Must, "implicitConfirm is only granted when the request asked for it";
    "HDR-22", Rfc9483, "3.1", Must, "implicitConfirm appears in no message other than ir/cr/kur/p10cr and ip/cp/kup";
    "HDR-23", Rfc9483, "3.1", Must, "ImplicitConfirmValue is NULL";
    "HDR-24", Rfc9483, "3.1", Should, "a positive ip/cp/kup without implicitConfirm carries confirmWaitTime";
    "HDR-25", Rfc9483, "3.1", Must, "confirmWaitTime never together with implicitConfirm";
    "HDR-26", Rfc9483, "3.1", Must, "confirmWaitTime is a GeneralizedTime later than messageTime";
    "HDR-27", Rfc9483, "3.1", Must, "no certProfile in responses";
    "HDR-28", Rfc9483, "3.1", Must, "certProfile holds exactly one known profile name";
    "PROT-01", Rfc9483, "3.2", Must, "the response uses the request's kind of protection (MAC or signature)";
    "PROT-02", Rfc9483, "3.2", Must, "every response except an error is protected";
    "PROT-03", Rfc9483, "3.2", Must, "signature protection verifies with the protection certificate";
    "PROT-04", Rfc9483, "3.2", Must, "MAC protection verifies with the shared secret";
    "PROT-05", Rfc9483, "3.2", Must, "protectionAlg and protection are both present or both absent";
    "EXTRA-01", Rfc9483, "3.3", Must, "the first signed response carries extraCerts with the protection certificate";
    "EXTRA-03", Rfc9483, "3.3", Must, "extraCerts[0] is the protection certificate, followed by its chain";
    "EXTRA-04", Rfc9483, "3.3", Must, "ip/cp/kup delivering a certificate carry its issuer chain in extraCerts";
    "EXTRA-05", Rfc9483, "3.3", Should, "self-signed certificates are left out of extraCerts (and never trusted for being there)";
    "EXTRA-06", Rfc9483, "3.3", Should, "receivers cope with additional certificates in extraCerts and with any order";
    "PREQ-04", Rfc9483, "3.4", Must, "the server's protection certificate satisfies the configured authorization rule";
    "VAL-01", Rfc9483, "3.5", Must, "a failed check ends the operation with a negative response or an error, never a positive answer";
    "VAL-02", Rfc9483, "3.5", May, "the failInfo bits named in section 3.5 may be used";
    "VAL-03", Rfc9483, "3.5", Should, "header fields section 3.5 does not mention are handled gracefully";
    "VAL-04", Rfc9483, "3.5", Must, "a message that does not conform to the ASN.1 is rejected (badDataFormat)";
    "VAL-05", Rfc9483, "3.5", Must, "pvno 2 and 3 are accepted, other versions rejected (unsupportedVersion)";
    "VAL-06", Rfc9483, "3.5", Must, "a message without transactionID is rejected (badDataFormat)";
    "VAL-07", Rfc9483, "3.5", Must, "a body type not allowed in the operation's state is rejected (badRequest)";
    "VAL-08", Rfc9483, "3.5", Must, "a missing or short senderNonce is rejected (badSenderNonce)";
    "VAL-09", Rfc9483, "3.5", Must, "a missing or wrong recipNonce is rejected (badRecipientNonce)";
    "VAL-10", Rfc9483, "3.5", Must, "unprotected messages other than errors are rejected";
    "VAL-11", Rfc9483, "3.5", Must, "invalid protection is rejected (badMessageCheck)";
    "VAL-12", Rfc9483, "3.5", Must, "MAC protection outside the MAC variants is rejected (wrongIntegrity)";
    "VAL-13", Rfc9483, "3.5", Must, "a senderKID that does not identify the key material is rejected (badMessageCheck)";
    "VAL-14", Rfc9483, "3.5", Must, "the signature protection certificate validates to a trust anchor and allows digitalSignature";
    "VAL-16", Rfc9483, "3.5", Must, "RFC 5280 checks (validity, CA constraints) apply to protection certificates";
    "VAL-18", Rfc9483, "3.5", Must, "(if policy enables it) a sender that differs from the protection certificate's subject is rejected";
    "VAL-19", Rfc9483, "3.5", Must, "(if policy enables it) a messageTime far from the clock is rejected (badTime)";
    "ERR-01", Rfc9483, "3.6.1", May, "an error message sent by an EE is answered with error badRequest (RFC 9483) or pkiConf (RFC 9810)";
    "ERR-03", Rfc9483, "3.6.1", Must, "a certConf rejecting the certificate is answered with pkiConf";
    "ERR-06", Rfc9483, "3.6.2", Must, "errors in an ir/cr/p10cr/kur/rr body are reported in the matching response with status rejection";
    "ERR-07", Rfc9483, "3.6.2", Must, "other error conditions are reported as an error message";
    "ERR-11", Rfc9483, "3.6.4", Must, "a negative response states the condition in PKIStatusInfo and ends the operation";
    "ERR-12", Rfc9483, "3.6.4", Must, "an error message has status rejection (or waiting)";
    "ERR-14", Rfc9483, "3.6.4", Should, "an error message answering an authenticated request is protected";
    "ENR-02", Rfc9483, "4", Must, "all messages of an operation share one transactionID";
    "ENR-04", Rfc9483, "4.1", Must, "the PME answers a certConf with pkiConf, closing the operation";
    "ENR-05", Rfc9483, "4.1", Must, "a template without the subject name is rejected (badCertTemplate)";
    "IR-02", Rfc9483, "4.1.1", Must, "an ir with more than one CertReqMsg is rejected";
    "IR-05", Rfc9483, "4.1.1", Must, "a PME that needs no confirmation grants implicitConfirm (both outcomes are legal)";
    "IR-08", Rfc9483, "4.1.1", Must, "a valid certConf is answered with pkiConf";
    "IR-10", Rfc9483, "4.1.1", Must, "a rejected request gets status rejection and no certifiedKeyPair";
    "IR-11", Rfc9483, "4.1.1", Must, "a certConf after a rejection is answered with an error";
    "IR-12", Rfc9483, "4.1.1", Must, "a CertReqMsg with certReqId other than 0 is rejected";
    "IR-13", Rfc9483, "4.1.1", Must, "a certTemplate version other than 2 is rejected (badCertTemplate)";
    "IR-17", Rfc9483, "4.1.1", Must, "a local-key request without popo is rejected (badPOP)";
    "IR-19", Rfc9483, "4.1.1", Must, "a POP with poposkInput is rejected (badPOP)";
    "IR-20", Rfc9483, "4.1.1", Must, "a POP whose algorithm does not fit the key is rejected (badPOP)";
    "IR-21", Rfc9483, "4.1.1", Must, "a POP signature that does not verify is rejected in an ip (badPOP)";
    "IR-23", Rfc9483, "4.1.1", Must, "an unprotected ir is rejected";
    "IR-24", Rfc9483, "4.1.1", Must, "caPubs only with a certificate, holding only its trust anchor";
    "IR-25", Rfc9483, "4.1.1", Must, "exactly one CertResponse, certReqId 0";
    "IR-26", Rfc9483, "4.1.1", Must, "status accepted, grantedWithMods, rejection, or waiting when polling";
    "IR-27", Rfc9483, "4.1.1", Must, "no failInfo with accepted or grantedWithMods";
    "IR-28", Rfc9483, "4.1.1", Must, "certifiedKeyPair present iff accepted; it holds the new certificate for the requested key";
    "IR-29", Rfc9483, "4.1.1", Must, "no privateKey with local key generation";
    "CONF-01", Rfc9483, "4.1.1", Must, "a certConf without exactly one CertStatus is rejected";
    "CONF-02", Rfc9483, "4.1.1", Must, "a certConf whose certHash does not match is rejected (badCertId)";
    "CONF-03", Rfc9483, "4.1.1", Must, "a certConf with certReqId other than 0 is rejected (badCertId)";
    "CONF-04", Rfc9483, "4.1.1", Should, "a certConf without statusInfo means acceptance and is answered with pkiConf";
    "CONF-05", Rfc9483, "4.1.1", Must, "a certConf status other than accepted or rejection is rejected";
    "CONF-06", Rfc9483, "4.1.1", Must, "a certConf with accepted plus failInfo is rejected";
    "CONF-07", Rfc9483, "4.1.1", Must, "a certConf with hashAlg and pvno 3 is legal and answered with pkiConf";
    "CONF-08", Rfc9483, "4.1.1", Must, "a certConf protected with other credentials than the first request is rejected (wrongIntegrity)";
    "CONF-09", Rfc9483, "4.1.1", Should, "a signed certConf without extraCerts is accepted (the PME caches the certificate)";
    "CONF-10", Rfc9483, "4.1.1", Must, "pkiConf body is NULL";
    "CONF-11", Rfc9483, "4.1.1", Must, "pkiConf protected with the credential of the operation's first response";
    "CONF-12", Rfc9483, "4.1.1", May, "pkiConf may leave out extraCerts when the EE caches the certificate";
    "CR-01", Rfc9483, "4.1.2", Must, "(policy) a cr signed with a certificate of another PKI is rejected";
    "CR-02", Rfc9483, "4.1.2", Must, "cr is answered by cp and ir by ip";
    "CR-03", Rfc9483, "4.1.2", Must, "cp carries no caPubs";
    "KUR-03", Rfc9483, "4.1.3", Must, "kur is answered by kup";
    "KUR-04", Rfc9483, "4.1.3", Must, "a kur not signed with the key of the certificate being updated is rejected";
    "KUR-05", Rfc9483, "4.1.3", Must, "a kur changing the subject is rejected (badCertTemplate)";
    "KUR-07", Rfc9483, "4.1.3", Must, "oldCertId is optional (a kur without it is served); if present it names the certificate being updated (else badCertId)";
    "KUR-08", Rfc9483, "4.1.3", Must, "kup carries no caPubs";
    "CKG-01", Rfc9483, "4.1.6", Must, "the KGA certificate that signs a centrally generated key has EKU id-kp-cmKGA";
    "CKG-03", Rfc9483, "4.1.6", Must, "a request without publicKey, or with only its algorithm and an empty BIT STRING, asks for central key generation (both forms are served)";
    "CKG-05", Rfc9483, "4.1.6, 3.1", Must, "central key generation uses pvno 3 from the first request on: the ip has pvno 3 and a pvno 2 request is rejected";
    "CKG-06", Rfc9483, "4.1.6", Must, "the certifiedKeyPair of a centrally generated key carries privateKey as the envelopedData choice of EncryptedKey";
    "CKG-07", Rfc9483, "4.1.6", Must, "the private key travels as an AsymmetricKeyPackage (RFC 5958)";
    "CKG-08", Rfc9483, "4.1.6", Must, "the AsymmetricKeyPackage is inside a SignedData signed by the KGA";
    "CKG-09", Rfc9483, "4.1.6", Must, "signature-protected answer: the KGA certificate that signed the SignedData validates to a trust anchor (certificates in the SignedData are never trusted for being there)";
    "CKG-10", Rfc9483, "4.1.6", May, "MAC-protected answer: the EE may authorize the KGA through the shared secret and skip validating its certificate";
    "CKG-11", Rfc9483, "4.1.6", Must, "the SignedData is wrapped in an EnvelopedData whose content-encryption key the EE can recover (it decrypts)";
    "CKG-12", Rfc9483, "4.1.6", Must, "the key management technique follows the request: pwri if and only if MAC-protected, ktri for an RSA, kari for an EC protection key";
    "CKG-15", Rfc9483, "4.1.6", Must, "a fresh content-encryption key per response (weak check: no envelope of the run repeats an IV or encryptedKey)";
    "CKG-16", Rfc9483, "4.1.6", Must, "EnvelopedData version is 2 with ktri/kari and 0 with pwri";
    "CKG-17", Rfc9483, "4.1.6", Must, "recipientInfos holds exactly one RecipientInfo";
    "CKG-18", Rfc9483, "4.1.6", Must, "encryptedContentInfo has contentType id-signedData and an AES-CBC contentEncryptionAlgorithm (PROT_SYM_ALG)";
    "CKG-19", Rfc9483, "4.1.6", Must, "SignedData version 3 with exactly one digestAlgorithm, matching the signature algorithm";
    "CKG-20", Rfc9483, "4.1.6", Must, "eContentType id-ct-KP-aKeyPackage; exactly one OneAsymmetricKey v2 with publicKey, which is the issued certificate's key and matches privateKey";
    "CKG-21", Rfc9483, "4.1.6", Must, "SignedData.certificates starts with the KGA certificate that signed, followed by its chain";
    "CKG-22", Rfc9483, "4.1.6", Must, "exactly one SignerInfo, version 3, sid the KGA certificate's subjectKeyIdentifier, digestAlgorithm as in digestAlgorithms";
    "CKG-23", Rfc9483, "4.1.6", Must, "signedAttrs hold contentType id-ct-KP-aKeyPackage and the messageDigest of eContent";
    "CKG-24", Rfc9483, "4.1.6", Must, "the SignerInfo signature algorithm fits the KGA key and the signature verifies";
    "CKG-25", Rfc9483, "4.1.6, 1.8", Should, "CMS fields the profile does not describe (originatorInfo, unprotectedAttrs, crls, unsignedAttrs) are not used";
    "CKG-26", Rfc9483, "4.1.6.1", Must, "key transport needs an EE protection certificate allowing keyEncipherment: without it central key generation is rejected";
    "CKG-27", Rfc9483, "4.1.6.1", Must, "KeyTransRecipientInfo version 2, rid the EE certificate's subjectKeyIdentifier (= the request's senderKID), keyEncryptionAlgorithm RSA (KM_KT_ALG)";
    "CKG-28", Rfc9483, "4.1.6.2", Must, "key agreement needs an EE protection certificate allowing keyAgreement: without it central key generation is rejected";
    "CKG-29", Rfc9483, "4.1.6.2", Must, "KeyAgreeRecipientInfo version 3, an ECDH KM_KA_ALG naming an AES key wrap, one RecipientEncryptedKey whose rid is the EE certificate's subjectKeyIdentifier (= the request's senderKID)";
    "CKG-30", Rfc9483, "4.1.6.2", Should, "the KeyAgreeRecipientInfo carries ukm";
    "CKG-31", Rfc9483, "4.1.6.3", Must, "the pwri key derivation uses another salt than the MAC protection";
    "CKG-32", Rfc9483, "4.1.6.3", Must, "PasswordRecipientInfo version 0, keyDerivationAlgorithm PBKDF2 (KM_KD_ALG), keyEncryptionAlgorithm AES key wrap (KM_KW_ALG)";
    "P10-02", Rfc9483, "4.1.4", Must, "p10cr is answered by cp";
    "P10-03", Rfc9483, "4.1.4", Must, "cp answering p10cr has certReqId -1";
    "P10-04", Rfc9483, "4.1.4", May, "certConf after p10cr uses certReqId 0 (an erratum proposes -1)";
    "P10-09", Rfc9483, "4.1.4", Must, "a p10cr whose CSR signature does not verify is rejected in a cp (badPOP)";
    "MAC-03", Rfc9483, "4.1.5", Must, "every response of a MAC-protected operation is MAC-protected";
    "MAC-04", Rfc9483, "4.1.5", Must, "a MAC request whose senderKID is not the sender's commonName or unknown is rejected";
    "MAC-05", Rfc9483, "4.1.5", Should, "MAC parameters stay the same throughout the operation";
    "RR-01", Rfc9483, "4.2", Must, "an rr not signed with the key of the certificate to revoke is rejected";
    "RR-02", Rfc9483, "4.2", Must, "an rr with more than one RevDetails is rejected";
    "RR-03", Rfc9483, "4.2", Must, "rr is answered by an rp with a single status (unless a generic error occurred)";
    "RR-05", Rfc9483, "4.2", Must, "an rr without crlEntryDetails (reasonCode) is rejected";
    "RR-07", Rfc9483, "4.2", Must, "rp.status holds exactly one PKIStatusInfo, accepted or rejection";
    "RR-08", Rfc9483, "4.2", Must, "no failInfo with accepted in rp";
    "GEN-01", Rfc9483, "4.3", Must, "a genm with more than one InfoTypeAndValue is rejected";
    "GEN-02", Rfc9483, "4.3", Must, "genp holds exactly one InfoTypeAndValue of the matching response type";
    "GEN-03", Rfc9483, "4.3", May, "further infoType OIDs may define further operations";
    "GEN-10", Rfc9483, "4.3.1", Must, "a caCerts genm carrying a value is rejected";
    "GEN-11", Rfc9483, "4.3.1", Must, "genp caCerts: value absent or a SEQUENCE OF certificates";
    "GEN-21", Rfc9483, "4.3.2", Must, "rootCaCert is answered with id-it-rootCaKeyUpdate, value absent or RootCaKeyUpdateContent";
    "GEN-22", Rfc9483, "4.3.2", Must, "RootCaKeyUpdateContent carries newWithNew (self-signed) and newWithOld";
    "GEN-30", Rfc9483, "4.3.3", Must, "a certReqTemplate genm carrying a value is rejected";
    "GEN-31", Rfc9483, "4.3.3", Must, "certReqTemplate is answered with id-it-certReqTemplate, value absent or a template";
    "GEN-32", Rfc9483, "4.3.3", Must, "the template omits publicKey, serialNumber, signingAlg, issuerUID and subjectUID";
    "GEN-33", Rfc9483, "4.3.3", Must, "keySpec entries are id-regCtrl-algId or id-regCtrl-rsaKeyLen";
    "GEN-34", Rfc9483, "4.3.3", Must, "rsaKeyLen is a positive INTEGER";
    "GEN-40", Rfc9483, "4.3.4", Must, "a crlStatusList genm without a value is rejected";
    "GEN-41", Rfc9483, "4.3.4", Must, "crlStatusList is answered with id-it-crls";
    "GEN-43", Rfc9483, "4.3.4", Must, "id-it-crls carries exactly one CRL";
    "POLL-01", Rfc9483, "4.4", Must, "status waiting appears only in ip/cp/kup CertResponses and error messages";
    "POLL-03", Rfc9483, "4.4", Must, "a pollReq with the wrong certReqId is rejected";
    "POLL-04", Rfc9483, "4.4", Must, "pollRep carries the pollReq's certReqId";
    "POLL-06", Rfc9483, "4.4", Must, "the final response is delivered as the answer to a pollReq";
    "POLL-07", Rfc9483, "4.4", Must, "a waiting response carries no failInfo";
    "POLL-08", Rfc9483, "4.4", Should, "a waiting response that is the operation's first signed response carries extraCerts";
    "POLL-11", Rfc9483, "4.4", Must, "pollRep has certReqId 0 or -1 and a non-negative checkAfter";
    "POLL-12", Rfc9483, "4.4", Must, "pollRep protected with the credential of the operation's first response";
    "RA-01", Rfc9483, "5.1", Must, "every request is answered with a PKIMessage (a related response or an error)";
    "RA-02", Rfc9483, "5.1", Must, "a new operation reusing a transactionID in use is rejected (transactionIdInUse)";
    "RA-03", Rfc9483, "5.1", Must, "the response recipient is the request sender";
    "RA-06", Rfc9483, "5.1.1", Must, "(policy) a request for another entity's subject is rejected (notAuthorized)";
    "RA-07", Rfc9483, "5.1.1", Should, "raVerified is accepted only from a cmcRA signer (notAuthorized)";
    "RA-09", Rfc9483, "5.1.1", Must, "a valid certificate request gets a positive ip/cp/kup";
    "RA-13", Rfc9483, "5.1.2", Must, "a certConf with a wrong certHash or certReqId is answered with error badCertId";
    "RA-14", Rfc9483, "5.1.3", Must, "revoking an unknown certificate gives rp rejection badCertId";
    "RA-15", Rfc9483, "5.1.3", Must, "a valid rr gets a positive rp";
    "ERR-08", Rfc9483, "3.6.3", Must, "a nested (batch) message that fails its own checks gets one error for the whole message, not one per inner request";
    "RA-27", Rfc9483, "5.2.2", Must, "a nested message without protection by the forwarding entity's own key is rejected";
    "RA-29", Rfc9483, "5.2.2.1", Must, "the nested signature is validated and its signer authorized as an RA: else error (badMessageCheck, notAuthorized)";
    "RA-30", Rfc9483, "5.2.2.1", Should, "the answer to one request wrapped in nested under its own transactionID is the plain response, not nested";
    "RA-34", Rfc9483, "5.2.2.2", Must, "a batch (nested under a fresh transactionID) is unbundled and answered with a nested message";
    "RA-35", Rfc9483, "5.2.2.2", Must, "the answering nested carries the batch's transactionID and its senderNonce as recipNonce";
    "RA-36", Rfc9483, "5.2.2.2", Must, "the answering nested holds one response per inner request (matched by transactionID), none unexpected";
    "RA-38", Rfc9483, "5.2.2.2", Must, "the nested protection approves nothing: each inner request is verified on its own (an unprotected inner ir is rejected)";
    "XFER-04", Rfc9483, "6", Must, "HTTP responses carrying a PKIMessage use Content-Type application/pkixcmp";
    "HTTP-02", Rfc9483, "6.1", Must, "the server serves /.well-known/cmp (and /.well-known/cmp/p/<name>)";
    "HTTP-03", Rfc9483, "6.1", Should, "the server serves the RFC 9483 operation labels";
    "HTTP-05", Rfc9483, "6.1", Must, "certConf and pollReq are accepted on the operation's endpoint";
    "HTTP-R01", Rfc9811, "3.1", Must, "requests are HTTP POST; a GET is refused with 4xx";
    "HTTP-R02", Rfc9811, "3.1", Must, "a CMP response travels with status 200, no other 2xx";
    "HTTP-R03", Rfc9811, "3.1", Must, "a garbage request gets a 4xx/5xx or an error message; PKIMessages in 4xx/5xx are parsed";
    "HTTP-R04", Rfc9811, "3.2", Must, "a request not sent as application/pkixcmp is refused (4xx or error)";
    "HTTP-R05", Rfc9811, "3.1", May, "3xx redirects may be used; the runner does not follow them";
    "HTTP-R10", Rfc9811, "4", May, "application/pkixcmp-poll may be treated like application/pkixcmp";
    "R9810-5.1.1", Rfc9810, "5.1.1", Must, "the response header echoes transactionID and the request's senderNonce";
    "R9810-5.3.21", Rfc9810, "5.3.21", May, "an error message received by the PKI is answered with pkiConf";
    "R9810-7", Rfc9810, "7", Must, "a server supporting the request's pvno answers in that version";
    "TS33310-3", Ts33310, "9.2 (notes row 3)", Must, "RA/CA messages verify against the operator root (signature protection)";
    "TS33310-4", Ts33310, "9.2 (notes row 4)", Should, "the ip's extraCerts carry the operator root (used only with explicit opt-in)";
    "TS33310-5", Ts33310, "Annex G (notes row 5)", Must, "ir/ip are signature protected (certConf/pkiConf: medium confidence)";
    "TS33310-7", Ts33310, "Annex G (notes row 7)", Should, "an ir signed with the vendor certificate (chain in extraCerts) is accepted";
    "TS33310-8", Ts33310, "9 (notes row 8)", Should, "kur protected with the current operator certificate is answered with kup";
    "TS33310-9", Ts33310, "6.1.1, 9.5.1 (notes row 9)", Must, "protection and POP hash is SHA-256 or stronger (no MD5, SHA-1)";
    "TS33310-10", Ts33310, "9.6 (notes row 10)", Should, "CMP is carried over HTTP (RFC 6712)";
}

/// The rule with this ID.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}
