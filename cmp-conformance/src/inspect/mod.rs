//! Inspection of PKIMessages: a readable tree ([`tree`]) and a one-line JSON summary
//! ([`json`]), with the X.509 summaries they share ([`cert`]).
//!
//! Everything here works on an already parsed [`cmp_codec::PKIMessage`] and never fails: a
//! part the codec keeps opaque (a certificate, a name, algorithm parameters) that cannot be
//! decoded is shown as undecodable, with the reason, instead of stopping the dump.

mod body;
pub mod cert;
mod crmf;
mod itav;
pub mod json;
pub mod oids;
pub mod text;
pub mod tree;
mod writer;

pub use itav::itav_name;
pub use writer::TreeWriter;
