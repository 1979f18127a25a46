//! Builders for the messages a client, RA or CA sends.
//!
//! Placeholder until the full builder API lands.

/// A small unprotected `genm` (for examples and doc tests).
pub fn example_genm() -> Vec<u8> {
    use crate::{GeneralName, PKIBody, PKIHeader, PKIMessage, SeqOf};
    let header = PKIHeader::new(2, GeneralName::null_dn(), GeneralName::null_dn());
    PKIMessage::new(header, PKIBody::Genm(SeqOf::new(vec![]))).encode()
}
