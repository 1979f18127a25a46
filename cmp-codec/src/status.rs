//! `PKIStatus`, `PKIFailureInfo` and `PKIStatusInfo` (RFC 9810 5.2.3).

use core::fmt;

use crate::common::PKIFreeText;
use crate::direct::{end, field, optional};

/// `PKIStatus ::= INTEGER`. Values outside 0..=6 are kept as they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PKIStatus(pub i64);

impl PKIStatus {
    pub const ACCEPTED: PKIStatus = PKIStatus(0);
    pub const GRANTED_WITH_MODS: PKIStatus = PKIStatus(1);
    pub const REJECTION: PKIStatus = PKIStatus(2);
    pub const WAITING: PKIStatus = PKIStatus(3);
    pub const REVOCATION_WARNING: PKIStatus = PKIStatus(4);
    pub const REVOCATION_NOTIFICATION: PKIStatus = PKIStatus(5);
    pub const KEY_UPDATE_WARNING: PKIStatus = PKIStatus(6);

    /// The name the ASN.1 module gives this value.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "accepted",
            1 => "grantedWithMods",
            2 => "rejection",
            3 => "waiting",
            4 => "revocationWarning",
            5 => "revocationNotification",
            6 => "keyUpdateWarning",
            _ => return None,
        })
    }
}

impl<'a> asn1::SimpleAsn1Readable<'a> for PKIStatus {
    const TAG: asn1::Tag = <i64 as asn1::SimpleAsn1Readable<'a>>::TAG;
    fn parse_data(data: &'a [u8]) -> asn1::ParseResult<Self> {
        match crate::direct::int(data) {
            Some(v) => Ok(PKIStatus(v)),
            None => i64::parse_data(data).map(PKIStatus),
        }
    }
}

impl asn1::SimpleAsn1Writable for PKIStatus {
    type Error = asn1::WriteError;
    const TAG: asn1::Tag = <i64 as asn1::SimpleAsn1Writable>::TAG;
    fn write_data(&self, dest: &mut asn1::WriteBuf) -> asn1::WriteResult {
        self.0.write_data(dest)
    }
    fn data_length(&self) -> Option<usize> {
        self.0.data_length()
    }
}

/// The named bits of `PKIFailureInfo`, in bit order 0..=26.
pub const FAILURE_INFO_NAMES: [&str; 27] = [
    "badAlg",
    "badMessageCheck",
    "badRequest",
    "badTime",
    "badCertId",
    "badDataFormat",
    "wrongAuthority",
    "incorrectData",
    "missingTimeStamp",
    "badPOP",
    "certRevoked",
    "certConfirmed",
    "wrongIntegrity",
    "badRecipientNonce",
    "timeNotAvailable",
    "unacceptedPolicy",
    "unacceptedExtension",
    "addInfoNotAvailable",
    "badSenderNonce",
    "badCertTemplate",
    "signerNotTrusted",
    "transactionIdInUse",
    "unsupportedVersion",
    "notAuthorized",
    "systemUnavail",
    "systemFailure",
    "duplicateCertReq",
];

/// One named bit of `PKIFailureInfo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum FailureBit {
    BadAlg = 0,
    BadMessageCheck = 1,
    BadRequest = 2,
    BadTime = 3,
    BadCertId = 4,
    BadDataFormat = 5,
    WrongAuthority = 6,
    IncorrectData = 7,
    MissingTimeStamp = 8,
    BadPOP = 9,
    CertRevoked = 10,
    CertConfirmed = 11,
    WrongIntegrity = 12,
    BadRecipientNonce = 13,
    TimeNotAvailable = 14,
    UnacceptedPolicy = 15,
    UnacceptedExtension = 16,
    AddInfoNotAvailable = 17,
    BadSenderNonce = 18,
    BadCertTemplate = 19,
    SignerNotTrusted = 20,
    TransactionIdInUse = 21,
    UnsupportedVersion = 22,
    NotAuthorized = 23,
    SystemUnavail = 24,
    SystemFailure = 25,
    DuplicateCertReq = 26,
}

impl FailureBit {
    /// The name of the bit in the ASN.1 module.
    pub fn name(self) -> &'static str {
        FAILURE_INFO_NAMES[self as usize]
    }
}

/// `PKIFailureInfo ::= BIT STRING { badAlg (0), ... duplicateCertReq (26) }`.
///
/// A parsed value keeps the exact bits received (a peer may send trailing zero bits, which DER
/// forbids for named bit lists; see [`PKIFailureInfo::is_der`]); a built value is written in the
/// minimal DER form.
///
/// Two values are equal when the same bits are set and both are (or are not) in DER form.
#[derive(Clone)]
pub enum PKIFailureInfo<'a> {
    Parsed(asn1::BitString<'a>),
    Built(u32),
}

impl PartialEq for PKIFailureInfo<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.set_bits().eq(other.set_bits()) && self.is_der() == other.is_der()
    }
}

impl Eq for PKIFailureInfo<'_> {}

impl<'a> PKIFailureInfo<'a> {
    /// A value with the given bits set.
    pub fn from_bits(bits: &[FailureBit]) -> Self {
        PKIFailureInfo::Built(bits.iter().fold(0u32, |acc, b| acc | 1 << (*b as u8)))
    }

    /// Whether bit `n` is set (bit 0 is `badAlg`).
    pub fn has_bit(&self, n: usize) -> bool {
        match self {
            PKIFailureInfo::Parsed(b) => b.has_bit_set(n),
            PKIFailureInfo::Built(v) => n < 32 && v & (1 << n) != 0,
        }
    }

    /// Whether a named bit is set.
    pub fn has(&self, bit: FailureBit) -> bool {
        self.has_bit(bit as usize)
    }

    /// The bit positions that are set, including unnamed ones beyond 26.
    pub fn set_bits(&self) -> impl Iterator<Item = usize> + '_ {
        let n = match self {
            PKIFailureInfo::Parsed(b) => b.as_bytes().len() * 8 - b.padding_bits() as usize,
            PKIFailureInfo::Built(_) => 32,
        };
        (0..n).filter(move |i| self.has_bit(*i))
    }

    /// The names of the bits that are set (`bit27`, ... for unnamed ones).
    pub fn names(&self) -> Vec<String> {
        self.set_bits()
            .map(|i| {
                FAILURE_INFO_NAMES
                    .get(i)
                    .map_or_else(|| format!("bit{i}"), |s| s.to_string())
            })
            .collect()
    }

    /// `false` when the encoding has trailing zero bits (X.690 11.2.2).
    pub fn is_der(&self) -> bool {
        match self {
            PKIFailureInfo::Parsed(b) => {
                let bytes = b.as_bytes();
                bytes
                    .last()
                    .is_none_or(|last| *last != 0 && last & (1 << b.padding_bits()) != 0)
            }
            PKIFailureInfo::Built(_) => true,
        }
    }

    fn built_bytes(v: u32) -> ([u8; 4], usize, u8) {
        // Bit 0 is the most significant bit of the first octet.
        let rev = v.reverse_bits().to_be_bytes();
        if v == 0 {
            return (rev, 0, 0);
        }
        let highest = 31 - v.leading_zeros() as usize; // highest set bit number
        let len = highest / 8 + 1;
        let padding = (7 - highest % 8) as u8;
        (rev, len, padding)
    }
}

impl fmt::Debug for PKIFailureInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl<'a> asn1::SimpleAsn1Readable<'a> for PKIFailureInfo<'a> {
    const TAG: asn1::Tag = <asn1::BitString<'a> as asn1::SimpleAsn1Readable<'a>>::TAG;
    fn parse_data(data: &'a [u8]) -> asn1::ParseResult<Self> {
        asn1::BitString::parse_data(data).map(PKIFailureInfo::Parsed)
    }
}

impl asn1::SimpleAsn1Writable for PKIFailureInfo<'_> {
    type Error = asn1::WriteError;
    const TAG: asn1::Tag = <asn1::BitString<'static> as asn1::SimpleAsn1Writable>::TAG;
    fn write_data(&self, dest: &mut asn1::WriteBuf) -> asn1::WriteResult {
        match self {
            PKIFailureInfo::Parsed(b) => b.write_data(dest),
            PKIFailureInfo::Built(v) => {
                let (bytes, len, padding) = Self::built_bytes(*v);
                dest.push_byte(padding)?;
                dest.push_slice(&bytes[..len])
            }
        }
    }
    fn data_length(&self) -> Option<usize> {
        None
    }
}

direct_sequence! {
    /// `PKIStatusInfo ::= SEQUENCE { status, statusString OPTIONAL, failInfo OPTIONAL }`.
    pub struct PKIStatusInfo<'a> {
        pub status: PKIStatus,
        pub status_string: Option<PKIFreeText<'a>>,
        pub fail_info: Option<PKIFailureInfo<'a>>,
    }
    direct: status_info;
}

fn status_info(data: &[u8]) -> Option<PKIStatusInfo<'_>> {
    let mut r = data;
    let v = PKIStatusInfo {
        status: field(&mut r)?,
        status_string: optional(&mut r)?,
        fail_info: optional(&mut r)?,
    };
    end(r, v)
}

impl<'a> PKIStatusInfo<'a> {
    /// Status `accepted` with nothing else.
    pub fn accepted() -> Self {
        PKIStatusInfo {
            status: PKIStatus::ACCEPTED,
            status_string: None,
            fail_info: None,
        }
    }

    /// Status `rejection` with the given failure bits.
    pub fn rejection(bits: &[FailureBit]) -> Self {
        PKIStatusInfo {
            status: PKIStatus::REJECTION,
            status_string: None,
            fail_info: Some(PKIFailureInfo::from_bits(bits)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PKIStatus;
    use asn1::SimpleAsn1Readable;

    #[test]
    fn status_reads_as_rust_asn1_reads_an_i64() {
        let mut contents: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
        contents.extend([vec![], vec![0x00, 0x80], vec![0x00, 0x01], vec![0xff, 0x7f]]);
        contents.push(vec![0x01; 9]);
        for c in contents {
            assert_eq!(
                PKIStatus::parse_data(&c),
                i64::parse_data(&c).map(PKIStatus),
                "{c:02x?}"
            );
        }
    }
}
