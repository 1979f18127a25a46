//! The CMP transactions to capture: each one is a single `openssl cmp` client process
//! talking to OpenSSL's in-process mock server (`-use_mock_srv`, no sockets).

use super::pki::{Cred, ISSUING, ROOT};

/// Shared secret for PBM, on both sides.
pub const PBM_SECRET: &str = "insecure-cmp-vectors-secret";
/// The client's senderKID when it uses PBM (`-ref`).
pub const PBM_REF: &str = "cmp-vectors-kid";

#[derive(Clone, Copy)]
pub enum Auth {
    Pbm,
    Sig(&'static Cred),
    Unprotected,
}

#[derive(Clone, Copy, PartialEq)]
pub enum Expect {
    /// `openssl cmp` exits with 0.
    Success,
    /// `openssl cmp` exits with 1 (the transaction ends negatively, as intended).
    Failure,
}

/// Client protection and the credentials on both sides.
#[derive(Clone, Copy)]
pub struct Family {
    pub suffix: &'static str,
    pub auth: Auth,
    /// Mock server signer (`-srv_cert`).
    pub server: &'static Cred,
    /// What the mock hands out (`-rsp_cert`) and the client enrolls (`-newkey`).
    pub device: &'static Cred,
}

pub struct Flow {
    pub name: String,
    pub about: String,
    pub cmd: &'static str,
    pub auth: Auth,
    pub server: &'static Cred,
    pub device: &'static Cred,
    /// The key whose certificate is requested; normally the device key.
    newkey: &'static Cred,
    /// The certificate a kur or rr is about (and signed with); normally the device's.
    target: &'static Cred,
    /// Client options beyond the ones every flow of this `cmd` gets.
    pub client_extra: Vec<&'static str>,
    /// Mock server options beyond the common ones.
    pub mock_extra: Vec<&'static str>,
    pub expect: Expect,
    /// PKIBody arms in wire order.
    pub bodies: Vec<&'static str>,
    /// A probe only records whether OpenSSL 3.0 can do something; nothing is kept.
    pub probe: bool,
}

impl Flow {
    /// A `cmd` transaction that is expected to succeed with the usual messages.
    pub fn new(cmd: &'static str, f: Family, name: impl Into<String>) -> Flow {
        let bodies = match cmd {
            "ir" => vec!["ir", "ip", "certConf", "pkiconf"],
            "cr" => vec!["cr", "cp", "certConf", "pkiconf"],
            "kur" => vec!["kur", "kup", "certConf", "pkiconf"],
            "p10cr" => vec!["p10cr", "cp", "certConf", "pkiconf"],
            "rr" => vec!["rr", "rp"],
            _ => vec!["genm", "genp"],
        };
        let flow = Flow {
            name: name.into(),
            about: String::new(),
            cmd,
            auth: f.auth,
            server: f.server,
            device: f.device,
            newkey: f.device,
            target: f.device,
            client_extra: Vec::new(),
            mock_extra: Vec::new(),
            expect: Expect::Success,
            bodies,
            probe: false,
        };
        // kur and rr are signed with the certificate they are about
        flow.target(f.device)
    }

    pub fn about(mut self, text: impl Into<String>) -> Self {
        self.about = text.into();
        self
    }
    pub fn client(mut self, args: &[&'static str]) -> Self {
        self.client_extra.extend(args);
        self
    }
    pub fn mock(mut self, args: &[&'static str]) -> Self {
        self.mock_extra.extend(args);
        self
    }
    pub fn fails(mut self, bodies: &[&'static str]) -> Self {
        self.expect = Expect::Failure;
        self.bodies = bodies.to_vec();
        self
    }
    pub fn bodies(mut self, bodies: &[&'static str]) -> Self {
        self.bodies = bodies.to_vec();
        self
    }
    pub fn newkey(mut self, key: &'static Cred) -> Self {
        self.newkey = key;
        self
    }
    /// kur/rr about (and, if signed, signed with) this certificate; kur keeps its key.
    pub fn target(mut self, cert: &'static Cred) -> Self {
        self.target = cert;
        if matches!(self.cmd, "kur" | "rr") {
            self.newkey = cert;
            if let Auth::Sig(_) = self.auth {
                self.auth = Auth::Sig(cert);
            }
        }
        self
    }
    pub fn probe(mut self) -> Self {
        self.expect = Expect::Failure;
        self.bodies.clear();
        self.probe = true;
        self
    }

    /// How the client protects its requests.
    pub fn auth_args(&self) -> Vec<String> {
        match self.auth {
            Auth::Pbm => vec![
                "-ref".into(),
                PBM_REF.into(),
                "-secret".into(),
                format!("pass:{PBM_SECRET}"),
                "-recipient".into(),
                self.server.subject.into(),
            ],
            Auth::Sig(signer) => vec!["-cert".into(), signer.chain(), "-key".into(), signer.key()],
            Auth::Unprotected => vec![
                "-unprotected_requests".into(),
                "-recipient".into(),
                self.server.subject.into(),
            ],
        }
    }

    /// What the request is about: new key and subject, CSR, or the certificate to update
    /// or revoke.
    pub fn cmd_args(&self) -> Vec<String> {
        let d = self.device;
        match self.cmd {
            "ir" | "cr" => vec![
                "-newkey".into(),
                self.newkey.key(),
                "-subject".into(),
                d.subject.into(),
            ],
            "kur" => vec![
                "-oldcert".into(),
                self.target.cert(),
                "-newkey".into(),
                self.newkey.key(),
            ],
            "p10cr" => vec!["-csr".into(), d.csr()],
            "rr" => vec!["-oldcert".into(), self.target.cert()],
            _ => Vec::new(),
        }
    }

    /// The mock server options every flow gets.
    pub fn mock_args(&self) -> Vec<String> {
        let mut args: Vec<String> = vec!["-use_mock_srv".into()];
        args.extend(["-srv_secret".into(), format!("pass:{PBM_SECRET}")]);
        args.extend([
            "-srv_cert".into(),
            self.server.cert(),
            "-srv_key".into(),
            self.server.key(),
        ]);
        args.extend([
            "-srv_trusted".into(),
            ROOT.cert(),
            "-srv_untrusted".into(),
            ISSUING.cert(),
        ]);
        args.extend(["-rsp_cert".into(), self.device.cert()]);
        args.extend([
            "-rsp_extracerts".into(),
            ISSUING.cert(),
            "-rsp_capubs".into(),
            ROOT.cert(),
        ]);
        args
    }

    pub fn enrolls(&self) -> bool {
        matches!(self.cmd, "ir" | "cr" | "kur" | "p10cr")
    }
}
