//! The parts of a DER PKIMessage that the manifest and the protection check need,
//! read straight from the bytes (nothing is taken from file names).

use super::der::{self, context, Tlv, BIT_STRING, SEQUENCE};
use super::names::BODY_ARMS;
use crate::error::{bail, Context, Result};

pub struct Message<'a> {
    pub pvno: u64,
    /// PKIBody arm number: the tag of the message's second TLV.
    pub arm: u8,
    pub header: Tlv<'a>,
    /// The `[arm]` TLV, EXPLICIT tag included.
    pub body: Tlv<'a>,
    pub sender_name: Option<&'a [u8]>,
    pub protection_alg: Option<AlgorithmId<'a>>,
    /// The PKIProtection bits.
    pub protection: Option<&'a [u8]>,
    /// InfoType OIDs in header.generalInfo.
    pub general_info: Vec<String>,
}

pub struct AlgorithmId<'a> {
    pub oid: String,
    pub params: Option<Tlv<'a>>,
}

impl<'a> AlgorithmId<'a> {
    pub fn parse(tlv: Tlv<'a>) -> Result<Self> {
        let parts = tlv.expect(SEQUENCE)?.children()?;
        let Some(oid) = parts.first() else {
            bail!("empty AlgorithmIdentifier");
        };
        Ok(AlgorithmId {
            oid: oid.oid()?,
            params: parts.get(1).copied(),
        })
    }
}

impl<'a> Message<'a> {
    pub fn parse(der: &'a [u8]) -> Result<Self> {
        let parts = Tlv::read_all(der)?
            .expect(SEQUENCE)
            .context("PKIMessage")?
            .children()?;
        let (Some(&header), Some(&body)) = (parts.first(), parts.get(1)) else {
            bail!("PKIMessage needs a header and a body");
        };
        let arm = body.tag ^ context(0);
        if usize::from(arm) >= BODY_ARMS.len() {
            bail!(
                "second TLV has tag {:#04x}, not a PKIBody arm [0..26]",
                body.tag
            );
        }
        let protection = match parts.get(2) {
            Some(p) if p.tag == context(0) => Some(p.inner()?.bits().context("protection")?),
            _ => None,
        };
        let mut message = Message {
            pvno: 0,
            arm,
            header: header.expect(SEQUENCE).context("PKIHeader")?,
            body,
            sender_name: None,
            protection_alg: None,
            protection,
            general_info: Vec::new(),
        };
        message.read_header().context("PKIHeader")?;
        Ok(message)
    }

    fn read_header(&mut self) -> Result<()> {
        let fields = self.header.children()?;
        if fields.len() < 3 {
            bail!("fewer than three fields");
        }
        self.pvno = fields[0].uint().context("pvno")?;
        // sender GeneralName: directoryName is [4] EXPLICIT Name
        if fields[1].tag == context(4) {
            self.sender_name = Some(fields[1].inner()?.raw);
        }
        for field in &fields[3..] {
            if field.tag == context(1) {
                self.protection_alg = Some(AlgorithmId::parse(field.inner()?)?);
            } else if field.tag == context(8) {
                for itav in field.inner()?.children()? {
                    self.general_info.push(first_child(&itav)?.oid()?);
                }
            }
        }
        Ok(())
    }

    pub fn arm_name(&self) -> &'static str {
        BODY_ARMS[usize::from(self.arm)]
    }

    /// The DER ProtectedPart (SEQUENCE { header, body }) that the protection covers.
    pub fn protected_part(&self) -> Vec<u8> {
        der::sequence(&[self.header.raw, self.body.raw].concat())
    }

    /// The body content inside the EXPLICIT `[arm]` tag.
    pub fn content(&self) -> Result<Tlv<'a>> {
        self.body.inner().context("PKIBody")
    }
}

pub fn first_child<'a>(tlv: &Tlv<'a>) -> Result<Tlv<'a>> {
    match tlv.children()?.first() {
        Some(&child) => Ok(child),
        None => bail!("empty constructed value (tag {:#04x})", tlv.tag),
    }
}

/// A BIT STRING's set bit numbers (bit 0 is the first, most significant bit).
pub fn set_bits(tlv: &Tlv) -> Result<Vec<usize>> {
    let bits = tlv.expect(BIT_STRING)?.bits()?;
    Ok((0..bits.len() * 8)
        .filter(|i| bits[i / 8] & (0x80 >> (i % 8)) != 0)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// header { pvno 2, sender [4] {}, recipient [4] {} }
    const HEADER: [u8; 13] = [
        0x30, 0x0B, 0x02, 0x01, 0x02, 0xA4, 0x02, 0x30, 0x00, 0xA4, 0x02, 0x30, 0x00,
    ];

    #[test]
    fn reads_arm_pvno_and_protected_part() {
        let body = [0xB3, 0x02, 0x05, 0x00]; // pkiconf [19] NULL
        let der = der::sequence(&[&HEADER[..], &body].concat());
        let message = Message::parse(&der).unwrap();
        assert_eq!(message.arm_name(), "pkiconf");
        assert_eq!(message.pvno, 2);
        assert!(message.protection_alg.is_none() && message.protection.is_none());
        assert_eq!(message.sender_name, Some(&[0x30, 0x00][..]));
        assert_eq!(message.protected_part(), der);
    }

    #[test]
    fn rejects_a_second_tlv_that_is_no_body_arm() {
        let der = der::sequence(&[&HEADER[..], &[0xBB, 0x00]].concat()); // [27]
        assert!(Message::parse(&der).is_err());
    }
}
