//! What a PKIBody says, as far as the manifest cares: PKIStatusInfo outcomes, the POPO
//! of certificate requests, InfoTypes of genm/genp and checkAfter of pollRep.

use super::der::{context, Tlv, BIT_STRING, SEQUENCE};
use super::message::{first_child, set_bits, AlgorithmId, Message};
use super::names::{oid_name, FAIL_INFO, STATUS, STATUS_REJECTION};
use crate::error::{Context, Result};

pub struct Content {
    pub statuses: Vec<StatusInfo>,
    /// Short human-readable facts for the notes column.
    pub details: Vec<String>,
}

pub struct StatusInfo {
    pub status: u64,
    pub fail_info: Vec<usize>,
}

impl StatusInfo {
    fn parse(tlv: Tlv) -> Result<Self> {
        let parts = tlv.expect(SEQUENCE).context("PKIStatusInfo")?.children()?;
        let status = first_child(&tlv)?.uint().context("PKIStatus")?;
        let fail_info = match parts.iter().find(|p| p.tag == BIT_STRING) {
            Some(bits) => set_bits(bits)?,
            None => Vec::new(),
        };
        Ok(StatusInfo { status, fail_info })
    }

    fn describe(&self) -> String {
        let name = STATUS
            .get(self.status as usize)
            .copied()
            .unwrap_or("unknown");
        let mut text = format!("status {name}");
        if !self.fail_info.is_empty() {
            let bits: Vec<&str> = self
                .fail_info
                .iter()
                .map(|&b| FAIL_INFO.get(b).copied().unwrap_or("?"))
                .collect();
            text.push_str(&format!(" failInfo {}", bits.join(",")));
        }
        text
    }
}

impl Content {
    pub fn inspect(message: &Message) -> Result<Self> {
        let body = message.content()?;
        let mut content = Content {
            statuses: Vec::new(),
            details: Vec::new(),
        };
        match message.arm_name() {
            "ir" | "cr" | "kur" => content.popo(body)?,
            "ip" | "cp" | "kup" => {
                // CertRepMessage: [1] caPubs OPTIONAL, then SEQUENCE OF CertResponse
                let parts = body.children()?;
                if parts.iter().any(|p| p.tag == context(1)) {
                    content.details.push("caPubs".into());
                }
                if let Some(responses) = parts.iter().find(|p| p.tag == SEQUENCE) {
                    for response in responses.children()? {
                        let status = response.children()?.get(1).copied();
                        content.status(status.context("CertResponse without status")?)?;
                    }
                }
            }
            "rp" => {
                for status in first_child(&body)?.children()? {
                    content.status(status)?;
                }
            }
            "error" => content.status(first_child(&body)?)?,
            "certConf" => {
                for cert_status in body.children()? {
                    let parts = cert_status.children()?;
                    if let Some(&status) = parts.iter().find(|p| p.tag == SEQUENCE) {
                        content.status(status)?;
                    }
                }
            }
            "genm" | "genp" => content.itavs(body)?,
            "pollRep" => {
                for rep in body.children()? {
                    if let Some(after) = rep.children()?.get(1) {
                        content
                            .details
                            .push(format!("checkAfter {}", after.uint()?));
                    }
                }
            }
            _ => {}
        }
        Ok(content)
    }

    /// True if any PKIStatusInfo in the body says rejection.
    pub fn rejected(&self) -> bool {
        self.statuses.iter().any(|s| s.status == STATUS_REJECTION)
    }

    fn status(&mut self, tlv: Tlv) -> Result<()> {
        let info = StatusInfo::parse(tlv)?;
        self.details.push(info.describe());
        self.statuses.push(info);
        Ok(())
    }

    /// CertReqMessages: the ProofOfPossession of each CertReqMsg (CRMF uses IMPLICIT tags).
    fn popo(&mut self, body: Tlv) -> Result<()> {
        for msg in body.children()? {
            let popo = msg
                .children()?
                .get(1)
                .copied()
                .filter(|p| p.tag & 0xC0 == 0x80);
            let text = match popo.map(|p| p.tag & 0x1F) {
                None => "popo none".to_string(),
                Some(0) => "popo raVerified".to_string(),
                Some(1) => {
                    let signing_key = popo.context("POPOSigningKey")?;
                    let parts = signing_key.children()?;
                    let alg = parts
                        .iter()
                        .find(|p| p.tag == SEQUENCE)
                        .context("POPO alg")?;
                    format!(
                        "popo signature {}",
                        oid_name(&AlgorithmId::parse(*alg)?.oid)
                    )
                }
                Some(2) => "popo keyEncipherment".to_string(),
                Some(_) => "popo keyAgreement".to_string(),
            };
            self.details.push(text);
        }
        Ok(())
    }

    fn itavs(&mut self, body: Tlv) -> Result<()> {
        let itavs = body.children()?;
        if itavs.is_empty() {
            self.details.push("no InfoTypeAndValue".into());
        }
        for itav in itavs {
            let parts = itav.children()?;
            let name = oid_name(&first_child(&itav)?.oid()?);
            let value = if parts.len() > 1 {
                "with value"
            } else {
                "no value"
            };
            self.details.push(format!("itav {name} ({value})"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vectors::der;

    #[test]
    fn finds_rejection_and_fail_info_in_rp() {
        let header = [
            0x30, 0x0B, 0x02, 0x01, 0x02, 0xA4, 0x02, 0x30, 0x00, 0xA4, 0x02, 0x30, 0x00,
        ];
        // rp [12] RevRepContent { status { PKIStatusInfo { rejection, failInfo badRequest } } }
        let body = [
            0xAC, 0x0D, 0x30, 0x0B, 0x30, 0x09, 0x30, 0x07, 0x02, 0x01, 0x02, 0x03, 0x02, 0x05,
            0x20,
        ];
        let der = der::sequence(&[&header[..], &body].concat());
        let content = Content::inspect(&Message::parse(&der).unwrap()).unwrap();
        assert!(content.rejected());
        assert_eq!(content.details, ["status rejection failInfo badRequest"]);
    }
}
