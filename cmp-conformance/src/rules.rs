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
    "HDR-03", Rfc9483, "3.1", Must, "the response pvno equals the request's (2 unless cmp2021 features are used)";
    "HDR-04", Rfc9483, "3.1", Must, "sender present; with signature protection it equals the protection certificate's subject";
    "HDR-06", Rfc9483, "3.1", Must, "recipient present";
    "HDR-08", Rfc9483, "3.1", Must, "messageTime, if present, is a DER GeneralizedTime close to the current time";
    "HDR-09", Rfc9483, "3.1", Must, "protectionAlg present and names the algorithm of the protection";
    "HDR-10", Rfc9483, "3.1", Must, "signature protectionAlg matches the protection certificate's key";
    "HDR-11", Rfc9483, "3.1", Must, "MAC protectionAlg is PasswordBasedMac or PBMAC1";
    "HDR-12", Rfc9483, "3.1", Must, "signature: senderKID equals the protection certificate's subjectKeyIdentifier";
    "HDR-15", Rfc9483, "3.1", Must, "transactionID echoes the request's";
    "HDR-16", Rfc9483, "3.1", Must, "senderNonce is 128 bits and fresh";
    "HDR-19", Rfc9483, "3.1", Must, "recipNonce equals the request's senderNonce";
    "HDR-21", Rfc9483, "3.1", Must, "implicitConfirm is only granted when the request asked for it";
    "HDR-22", Rfc9483, "3.1", Must, "implicitConfirm appears in no message other than ir/cr/kur/p10cr and ip/cp/kup";
    "HDR-23", Rfc9483, "3.1", Must, "ImplicitConfirmValue is NULL";
    "HDR-24", Rfc9483, "3.1", Should, "a positive ip/cp/kup without implicitConfirm carries confirmWaitTime";
    "HDR-25", Rfc9483, "3.1", Must, "confirmWaitTime never together with implicitConfirm";
    "HDR-27", Rfc9483, "3.1", Must, "no certProfile in responses";
    "PROT-01", Rfc9483, "3.2", Must, "the response uses the request's kind of protection (MAC or signature)";
    "PROT-02", Rfc9483, "3.2", Must, "every response except an error is protected";
    "PROT-03", Rfc9483, "3.2", Must, "signature protection verifies with the protection certificate";
    "PROT-04", Rfc9483, "3.2", Must, "MAC protection verifies with the shared secret";
    "PROT-05", Rfc9483, "3.2", Must, "protectionAlg and protection are both present or both absent";
    "EXTRA-01", Rfc9483, "3.3", Must, "the first signed response carries extraCerts with the protection certificate";
    "EXTRA-03", Rfc9483, "3.3", Must, "extraCerts[0] is the protection certificate, followed by its chain";
    "EXTRA-04", Rfc9483, "3.3", Must, "ip/cp/kup delivering a certificate carry its issuer chain in extraCerts";
    "ERR-12", Rfc9483, "3.6.4", Must, "an error message has status rejection (or waiting)";
    "IR-10", Rfc9483, "4.1.1", Must, "a rejected request gets status rejection and no certifiedKeyPair";
    "IR-24", Rfc9483, "4.1.1", Must, "caPubs only with a certificate, holding only its trust anchor";
    "IR-25", Rfc9483, "4.1.1", Must, "exactly one CertResponse, certReqId 0";
    "IR-26", Rfc9483, "4.1.1", Must, "status accepted, grantedWithMods, rejection, or waiting when polling";
    "IR-27", Rfc9483, "4.1.1", Must, "no failInfo with accepted or grantedWithMods";
    "IR-28", Rfc9483, "4.1.1", Must, "certifiedKeyPair present iff accepted; it holds the new certificate for the requested key";
    "IR-29", Rfc9483, "4.1.1", Must, "no privateKey with local key generation";
    "CONF-10", Rfc9483, "4.1.1", Must, "pkiConf body is NULL";
    "CONF-11", Rfc9483, "4.1.1", Must, "pkiConf protected with the credential of the operation's first response";
    "CR-02", Rfc9483, "4.1.2", Must, "cr is answered by cp and ir by ip";
    "CR-03", Rfc9483, "4.1.2", Must, "cp carries no caPubs";
    "KUR-03", Rfc9483, "4.1.3", Must, "kur is answered by kup";
    "KUR-08", Rfc9483, "4.1.3", Must, "kup carries no caPubs";
    "P10-02", Rfc9483, "4.1.4", Must, "p10cr is answered by cp";
    "P10-03", Rfc9483, "4.1.4", Must, "cp answering p10cr has certReqId -1";
}

/// The rule with this ID.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}
