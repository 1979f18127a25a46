//! The peers: RustCrypto `cmpv2` 0.2.0 and OpenSSL libcrypto (feature `openssl`).

/// RustCrypto `cmpv2` 0.2.0 (the newest release that builds; 0.3.0-pre.0 does not), decoding
/// with `der` 0.7 into owned structures.
pub mod cmpv2 {
    use cmpv2_der::{Decode, Encode};

    pub use ::cmpv2::message::PkiMessage;

    /// `PkiMessage::from_der`: the full decode of the same bytes.
    pub fn decode(der: &[u8]) -> Result<PkiMessage<'_>, cmpv2_der::Error> {
        PkiMessage::from_der(der)
    }

    /// Re-encode a decoded message.
    pub fn encode(msg: &PkiMessage<'_>) -> Vec<u8> {
        msg.to_der().expect("cmpv2 encodes what it decoded")
    }
}

/// OpenSSL 3.0 libcrypto through `shim/ossl_shim.c`.
#[cfg(feature = "openssl")]
pub mod openssl {
    use std::ffi::c_void;

    mod ffi {
        use std::ffi::{c_char, c_int, c_long, c_void};
        extern "C" {
            pub fn shim_install_counting() -> c_int;
            pub fn shim_count(on: c_int);
            pub fn shim_counts(allocs: *mut usize, bytes: *mut usize);
            pub fn shim_parse(der: *const u8, len: usize) -> c_int;
            pub fn shim_msg_new(der: *const u8, len: usize) -> *mut c_void;
            pub fn shim_msg_free(msg: *mut c_void);
            pub fn shim_encode(msg: *const c_void) -> c_long;
            pub fn shim_roundtrip(der: *const u8, len: usize) -> c_long;
            pub fn shim_ctx_secret(secret: *const u8, len: usize) -> *mut c_void;
            pub fn shim_ctx_signer(cert: *const u8, len: usize) -> *mut c_void;
            pub fn shim_ctx_free(ctx: *mut c_void);
            pub fn shim_validate(ctx: *mut c_void, msg: *const c_void) -> c_int;
            pub fn shim_clear_errors();
            pub fn shim_last_error(buf: *mut c_char, len: usize);
        }
    }

    /// Route libcrypto's allocations through counting wrappers. Must be called before any
    /// other OpenSSL call; returns whether OpenSSL accepted it.
    pub fn install_counting() -> bool {
        // SAFETY: plain C call without arguments.
        unsafe { ffi::shim_install_counting() == 1 }
    }

    /// Run `f` and return (allocations, bytes) libcrypto made meanwhile (needs
    /// [`install_counting`]).
    pub fn count<R>(f: impl FnOnce() -> R) -> (R, usize, usize) {
        let (mut a, mut b) = (0usize, 0usize);
        // SAFETY: the shim's counters are plain statics; the pointers are to locals.
        unsafe { ffi::shim_count(1) };
        let r = f();
        unsafe {
            ffi::shim_count(0);
            ffi::shim_counts(&mut a, &mut b);
        }
        (r, a, b)
    }

    /// `d2i_OSSL_CMP_MSG` + `OSSL_CMP_MSG_free`; `true` if the whole input decoded.
    pub fn parse(der: &[u8]) -> bool {
        // SAFETY: pointer and length of a live slice.
        unsafe { ffi::shim_parse(der.as_ptr(), der.len()) == 1 }
    }

    /// d2i, i2d, free: the length written.
    pub fn roundtrip(der: &[u8]) -> Option<usize> {
        // SAFETY: pointer and length of a live slice.
        let n = unsafe { ffi::shim_roundtrip(der.as_ptr(), der.len()) };
        usize::try_from(n).ok()
    }

    fn last_error() -> String {
        let mut buf = [0 as std::ffi::c_char; 256];
        // SAFETY: the buffer is 256 bytes; the shim NUL-terminates.
        unsafe {
            ffi::shim_last_error(buf.as_mut_ptr(), buf.len());
            let s = std::ffi::CStr::from_ptr(buf.as_ptr())
                .to_string_lossy()
                .into_owned();
            ffi::shim_clear_errors();
            s
        }
    }

    /// A decoded `OSSL_CMP_MSG`.
    pub struct Msg(*mut c_void);

    impl Msg {
        pub fn new(der: &[u8]) -> Option<Msg> {
            // SAFETY: pointer and length of a live slice; the message copies what it keeps.
            let p = unsafe { ffi::shim_msg_new(der.as_ptr(), der.len()) };
            (!p.is_null()).then_some(Msg(p))
        }

        /// `i2d_OSSL_CMP_MSG` into a fresh buffer (freed again): the length.
        pub fn encode(&self) -> usize {
            // SAFETY: self.0 is a live OSSL_CMP_MSG.
            unsafe { ffi::shim_encode(self.0) as usize }
        }
    }

    impl Drop for Msg {
        fn drop(&mut self) {
            // SAFETY: owned, freed once.
            unsafe { ffi::shim_msg_free(self.0) }
        }
    }

    /// An `OSSL_CMP_CTX` set up to validate protection.
    pub struct Ctx(*mut c_void);

    impl Ctx {
        /// With the shared secret (PBM; OpenSSL 3.0 has no PBMAC1).
        pub fn with_secret(secret: &[u8]) -> Option<Ctx> {
            // SAFETY: pointer and length of a live slice; OpenSSL copies the secret.
            let p = unsafe { ffi::shim_ctx_secret(secret.as_ptr(), secret.len()) };
            (!p.is_null()).then_some(Ctx(p))
        }

        /// With a pinned signer certificate (DER).
        pub fn with_signer(cert: &[u8]) -> Option<Ctx> {
            // SAFETY: pointer and length of a live slice; OpenSSL copies the certificate.
            let p = unsafe { ffi::shim_ctx_signer(cert.as_ptr(), cert.len()) };
            (!p.is_null()).then_some(Ctx(p))
        }

        /// `OSSL_CMP_validate_msg`.
        pub fn validate(&self, msg: &Msg) -> Result<(), String> {
            // SAFETY: both pointers are live objects of the right type.
            if unsafe { ffi::shim_validate(self.0, msg.0) } == 1 {
                Ok(())
            } else {
                Err(last_error())
            }
        }
    }

    impl Drop for Ctx {
        fn drop(&mut self) {
            // SAFETY: owned, freed once.
            unsafe { ffi::shim_ctx_free(self.0) }
        }
    }
}

/// Whether the OpenSSL peer was compiled in.
pub const OPENSSL: bool = cfg!(feature = "openssl");
