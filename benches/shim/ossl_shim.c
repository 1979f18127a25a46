/*
 * The OpenSSL peer of the benchmarks: libcrypto's CMP decoder and protection check behind a
 * handful of plain C functions for Rust FFI (benches/src/peers.rs). Built with `cc` against
 * Debian's libssl-dev (OpenSSL 3.0) only when the crate's `openssl` feature is on.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/cmp.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509.h>

/* Exported by libcrypto 3.0 (libcrypto.num) but not declared in its public headers. */
OSSL_CMP_MSG *d2i_OSSL_CMP_MSG(OSSL_CMP_MSG **a, const unsigned char **in, long len);
int i2d_OSSL_CMP_MSG(const OSSL_CMP_MSG *a, unsigned char **out);

/* ---- allocation counting through CRYPTO_set_mem_functions ------------------------------- */

static int counting;
static size_t n_allocs, n_bytes;

static void *count_malloc(size_t n, const char *file, int line)
{
    (void)file; (void)line;
    if (counting) { n_allocs++; n_bytes += n; }
    return malloc(n);
}

static void *count_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file; (void)line;
    if (counting) { n_allocs++; n_bytes += n; }
    return realloc(p, n);
}

static void count_free(void *p, const char *file, int line)
{
    (void)file; (void)line;
    free(p);
}

/* Must run before libcrypto allocates anything; returns 1 on success. */
int shim_install_counting(void)
{
    return CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free);
}

void shim_count(int on)
{
    if (on) { n_allocs = 0; n_bytes = 0; }
    counting = on;
}

void shim_counts(size_t *allocs, size_t *bytes)
{
    *allocs = n_allocs;
    *bytes = n_bytes;
}

/* ---- decoding and encoding --------------------------------------------------------------- */

/* d2i_OSSL_CMP_MSG then OSSL_CMP_MSG_free: 1 if the whole input decoded. */
int shim_parse(const unsigned char *der, size_t len)
{
    const unsigned char *p = der;
    OSSL_CMP_MSG *m = d2i_OSSL_CMP_MSG(NULL, &p, (long)len);
    int ok;
    if (m == NULL) {
        ERR_clear_error();
        return 0;
    }
    ok = p == der + len;
    OSSL_CMP_MSG_free(m);
    return ok;
}

/* A decoded message to keep (NULL on error). */
void *shim_msg_new(const unsigned char *der, size_t len)
{
    const unsigned char *p = der;
    OSSL_CMP_MSG *m = d2i_OSSL_CMP_MSG(NULL, &p, (long)len);
    if (m == NULL)
        ERR_clear_error();
    return m;
}

void shim_msg_free(void *msg)
{
    OSSL_CMP_MSG_free(msg);
}

/* i2d_OSSL_CMP_MSG of a decoded message into a fresh buffer, freed again; returns the length. */
long shim_encode(const void *msg)
{
    unsigned char *out = NULL;
    int n = i2d_OSSL_CMP_MSG(msg, &out);
    OPENSSL_free(out);
    return n;
}

/* d2i then i2d then free: the length written (or -1). */
long shim_roundtrip(const unsigned char *der, size_t len)
{
    const unsigned char *p = der;
    unsigned char *out = NULL;
    int n;
    OSSL_CMP_MSG *m = d2i_OSSL_CMP_MSG(NULL, &p, (long)len);
    if (m == NULL) {
        ERR_clear_error();
        return -1;
    }
    n = i2d_OSSL_CMP_MSG(m, &out);
    OPENSSL_free(out);
    OSSL_CMP_MSG_free(m);
    return n;
}

/* ---- protection -------------------------------------------------------------------------- */

static OSSL_CMP_CTX *quiet_ctx(void)
{
    OSSL_CMP_CTX *ctx = OSSL_CMP_CTX_new(NULL, NULL);
    if (ctx != NULL)
        OSSL_CMP_CTX_set_log_verbosity(ctx, OSSL_CMP_LOG_ERR);
    return ctx;
}

/* A context holding the shared secret (PBM). */
void *shim_ctx_secret(const unsigned char *secret, size_t len)
{
    OSSL_CMP_CTX *ctx = quiet_ctx();
    if (ctx == NULL || !OSSL_CMP_CTX_set1_secretValue(ctx, secret, (int)len)) {
        OSSL_CMP_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* A context with a pinned server (signer) certificate. */
void *shim_ctx_signer(const unsigned char *cert_der, size_t len)
{
    const unsigned char *p = cert_der;
    X509 *cert = d2i_X509(NULL, &p, (long)len);
    OSSL_CMP_CTX *ctx = quiet_ctx();
    int ok = cert != NULL && ctx != NULL && OSSL_CMP_CTX_set1_srvCert(ctx, cert);
    X509_free(cert);
    if (!ok) {
        OSSL_CMP_CTX_free(ctx);
        ERR_clear_error();
        return NULL;
    }
    return ctx;
}

void shim_ctx_free(void *ctx)
{
    OSSL_CMP_CTX_free(ctx);
}

/* OSSL_CMP_validate_msg: 1 if the protection verified (else the error stays queued for
 * shim_last_error; call shim_clear_errors). */
int shim_validate(void *ctx, const void *msg)
{
    return OSSL_CMP_validate_msg(ctx, msg);
}

void shim_clear_errors(void)
{
    ERR_clear_error();
}

/* The last OpenSSL error as text (for setup diagnostics). */
void shim_last_error(char *buf, size_t len)
{
    unsigned long e = ERR_peek_last_error();
    if (e == 0) {
        buf[0] = 0;
        return;
    }
    ERR_error_string_n(e, buf, len);
}
