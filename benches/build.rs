//! With the `openssl` feature: compile the OpenSSL shim (shim/ossl_shim.c) and link libcrypto.

fn main() {
    println!("cargo:rerun-if-changed=shim/ossl_shim.c");
    #[cfg(feature = "openssl")]
    {
        cc::Build::new()
            .file("shim/ossl_shim.c")
            .opt_level(2)
            .warnings(true)
            .compile("ossl_shim");
        println!("cargo:rustc-link-lib=crypto");
    }
}
