#!/usr/bin/env python3
"""Independent decoders for the differential test (cmp-codec/tests/differential.rs).

Reads one input per line on stdin: `ID HEX` (the DER, hex-encoded). Writes, for each input,
one tab-separated line per oracle:

  ID <TAB> ORACLE <TAB> OK <TAB> ARM <TAB> DER <TAB> ERROR

OK is `yes`, `no` or `n/a` (oracle unavailable); ARM the PKIBody alternative (`ir`, ...) or
`-`; DER `yes`/`no` when the oracle re-encodes the value it decoded and gets back the input
or not (`no`: it accepted a non-DER encoding and normalised it), `-` when it cannot tell;
ERROR the oracle's reason on one line, or `-`. ORACLE is one of:

* pyasn1: pyasn1-alt-modules `rfc9810.PKIMessage`, DER decoder, decodeOpenTypes=True. `ok`
  needs the whole input consumed; `der` says whether pyasn1's DER re-encoding gives back the
  input (false: pyasn1 accepted a non-DER encoding and normalised it).
* openssl: libcrypto's own CMP decoder `d2i_OSSL_CMP_MSG` through ctypes (the function
  `openssl cmp` uses on every message it receives), `OSSL_CMP_MSG_get_bodytype` for the arm,
  `i2d_OSSL_CMP_MSG` for `der`. `trailing` counts bytes d2i left unread; `ok` needs none.
  `err` is OpenSSL's error queue, including its "Field=..., Type=..." path.
* asn1parse: `openssl asn1parse -inform DER` (a BER structure walker, no schema); `arm` is the
  context tag of the second element under the outer SEQUENCE, as tools/bodytag.py does.

`--probe` prints one line per oracle, `ORACLE <TAB> VERSION` or `ORACLE <TAB> n/a <TAB> WHY`,
and exits. Needs nothing but the Python standard library besides the oracles themselves.
"""

import ctypes
import ctypes.util
import re
import subprocess
import sys

ARMS = ["ir", "ip", "cr", "cp", "p10cr", "popdecc", "popdecr", "kur", "kup", "krr", "krp",
        "rr", "rp", "ccr", "ccp", "ckuann", "cann", "rann", "crlann", "pkiconf", "nested",
        "genm", "genp", "error", "certConf", "pollReq", "pollRep"]


# ---- pyasn1 ------------------------------------------------------------------------------

def load_pyasn1():
    try:
        from pyasn1.codec.der import decoder, encoder
        from pyasn1_alt_modules import rfc9810
        import pyasn1_alt_modules
        from importlib.metadata import version
        try:
            ver = version("pyasn1-alt-modules")
        except Exception:
            ver = getattr(pyasn1_alt_modules, "__version__", "?")
        return (decoder, encoder, rfc9810), "pyasn1-alt-modules " + ver
    except Exception as e:  # not installed
        return None, "unavailable: %s" % e


def pyasn1_check(mods, data):
    decoder, encoder, rfc9810 = mods
    try:
        msg, rest = decoder.decode(data, asn1Spec=rfc9810.PKIMessage(), decodeOpenTypes=True)
    except Exception as e:
        return {"ok": False, "arm": None, "der": None, "err": one_line(e)}
    if rest:
        return {"ok": False, "arm": None, "der": None,
                "err": "%d trailing byte(s) after the PKIMessage" % len(rest)}
    arm = msg["body"].getName()
    try:
        der = encoder.encode(msg) == data
    except Exception as e:
        der = None
        arm_err = "re-encoding failed: %s" % one_line(e)
        return {"ok": True, "arm": arm, "der": der, "err": arm_err}
    return {"ok": True, "arm": arm, "der": der, "err": None}


# ---- libcrypto ---------------------------------------------------------------------------

def load_libcrypto():
    name = ctypes.util.find_library("crypto") or "libcrypto.so.3"
    try:
        lib = ctypes.CDLL(name)
        lib.d2i_OSSL_CMP_MSG.restype = ctypes.c_void_p
        lib.d2i_OSSL_CMP_MSG.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p),
                                         ctypes.c_long]
        lib.i2d_OSSL_CMP_MSG.restype = ctypes.c_int
        lib.i2d_OSSL_CMP_MSG.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
        lib.OSSL_CMP_MSG_get_bodytype.restype = ctypes.c_int
        lib.OSSL_CMP_MSG_get_bodytype.argtypes = [ctypes.c_void_p]
        lib.OSSL_CMP_MSG_free.argtypes = [ctypes.c_void_p]
        lib.ERR_get_error_all.restype = ctypes.c_ulong
        lib.ERR_get_error_all.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_int),
                                          ctypes.POINTER(ctypes.c_char_p),
                                          ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_int)]
        lib.ERR_reason_error_string.restype = ctypes.c_char_p
        lib.ERR_reason_error_string.argtypes = [ctypes.c_ulong]
        lib.OpenSSL_version.restype = ctypes.c_char_p
        lib.OpenSSL_version.argtypes = [ctypes.c_int]
        lib.CRYPTO_free.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.ERR_clear_error.argtypes = []
        return lib, lib.OpenSSL_version(0).decode()
    except Exception as e:
        return None, "unavailable: %s" % e


def openssl_errors(lib):
    out = []
    while True:
        data = ctypes.c_char_p()
        flags = ctypes.c_int()
        code = lib.ERR_get_error_all(None, None, None, ctypes.byref(data), ctypes.byref(flags))
        if code == 0:
            break
        reason = lib.ERR_reason_error_string(code)
        text = reason.decode() if reason else "error %x" % code
        if data.value:
            text += " (%s)" % data.value.decode(errors="replace")
        out.append(text)
    return "; ".join(out) or "rejected"


def openssl_check(lib, data):
    lib.ERR_clear_error()
    buf = ctypes.create_string_buffer(data, len(data))
    start = ctypes.addressof(buf)
    p = ctypes.c_void_p(start)
    msg = lib.d2i_OSSL_CMP_MSG(None, ctypes.byref(p), len(data))
    if not msg:
        return {"ok": False, "arm": None, "der": None, "trailing": 0, "err": openssl_errors(lib)}
    try:
        consumed = p.value - start
        t = lib.OSSL_CMP_MSG_get_bodytype(msg)
        arm = ARMS[t] if 0 <= t < len(ARMS) else "?%d" % t
        out = ctypes.c_void_p(None)
        n = lib.i2d_OSSL_CMP_MSG(msg, ctypes.byref(out))
        der = None
        if n > 0 and out.value:
            der = ctypes.string_at(out.value, n) == data[:consumed]
            lib.CRYPTO_free(out, b"oracles.py", 0)
        trailing = len(data) - consumed
        if trailing:
            return {"ok": False, "arm": arm, "der": der, "trailing": trailing,
                    "err": "%d trailing byte(s) left by d2i_OSSL_CMP_MSG" % trailing}
        return {"ok": True, "arm": arm, "der": der, "trailing": 0, "err": None}
    finally:
        lib.OSSL_CMP_MSG_free(msg)
        lib.ERR_clear_error()


# ---- openssl asn1parse -------------------------------------------------------------------

def asn1parse_version():
    try:
        r = subprocess.run(["openssl", "version"], capture_output=True, text=True, timeout=20)
        return r.stdout.strip() if r.returncode == 0 else None
    except Exception:
        return None


def asn1parse_check(data):
    try:
        r = subprocess.run(["openssl", "asn1parse", "-inform", "DER", "-i"], input=data,
                           capture_output=True, timeout=20)
    except Exception as e:
        return {"ok": None, "arm": None, "err": "unavailable: %s" % e}
    out = r.stdout.decode(errors="replace")
    err = r.stderr.decode(errors="replace").strip()
    if r.returncode != 0 or "Error" in out or err:
        return {"ok": False, "arm": None, "err": one_line(err or "exit %d" % r.returncode)}
    d1 = [l for l in out.splitlines() if re.search(r"d=1 ", l)]
    arm = None
    if len(d1) >= 2:
        m = re.search(r"cont \[ (\d+) \]", d1[1])
        if m and int(m.group(1)) < len(ARMS):
            arm = ARMS[int(m.group(1))]
    return {"ok": True, "arm": arm, "err": None}


def one_line(e):
    s = " ".join(str(e).split()) or type(e).__name__
    # pyasn1 puts the whole schema dump first and the cause last.
    return s if len(s) <= 300 else s[:120] + " ... " + s[-180:]


def emit(ident, oracle, res):
    def flag(v):
        return "n/a" if v is None else ("yes" if v else "no")
    der = res.get("der")
    cells = [ident, oracle, flag(res["ok"]), res.get("arm") or "-",
             "-" if der is None else flag(der), (res.get("err") or "-").replace("\t", " ")]
    print("\t".join(cells))


def main():
    pyasn1, pyasn1_ver = load_pyasn1()
    lib, lib_ver = load_libcrypto()
    a1p_ver = asn1parse_version()
    if "--probe" in sys.argv:
        print("pyasn1\t" + (pyasn1_ver if pyasn1 else "n/a\t" + pyasn1_ver))
        print("openssl\t" + (lib_ver if lib else "n/a\t" + lib_ver))
        print("asn1parse\t" + (a1p_ver if a1p_ver else "n/a\tno openssl command"))
        return
    sys.setrecursionlimit(10000)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        ident, _, hexdata = line.partition(" ")
        data = bytes.fromhex(hexdata)
        emit(ident, "pyasn1", pyasn1_check(pyasn1, data) if pyasn1
             else {"ok": None, "err": pyasn1_ver})
        emit(ident, "openssl", openssl_check(lib, data) if lib
             else {"ok": None, "err": lib_ver})
        emit(ident, "asn1parse", asn1parse_check(data) if a1p_ver
             else {"ok": None, "err": "unavailable: no openssl command"})
        sys.stdout.flush()


if __name__ == "__main__":
    main()
