#!/usr/bin/env python3
"""Independent-decoder oracle for CMP PKIMessages: pyasn1 + pyasn1-alt-modules (rfc9810).

usage: python3 pyasn1_rfc9810.py [--fix NAME]... [--spec MODULE.TYPE] [-v] FILE.der...

For every file, one line on stdout:

    OK <body-arm> <yes|no>     decoded as rfc9810.PKIMessage; yes = the DER re-encoding of
                               the decoded value (and of every open-type value decoded
                               below) is byte-identical to the input
    ERR <file> <reason>        pyasn1 could not decode it (wrong tag, trailing data, ...)

The body arm is named as the ASN.1 module spells it (ir, ip, ..., certConf, pollReq, pollRep).

Open types. `decodeOpenTypes=True` decodes InfoTypeAndValue.infoValue, Controls and
AlgorithmIdentifier.parameters whose OID is in pyasn1-alt-modules' maps. What it leaves as
an undecoded ANY is decoded here explicitly with its spec, so its tags are checked too:
  * `nested` bodies (rfc9810 keeps NestedMessageContent as SEQUENCE OF ANY),
  * regInfo values (id-regInfo-utf8Pairs, id-regInfo-certReq: not in any pyasn1 map),
  * any ITAV / control / algorithm parameter whose OID is in the maps but was left undecoded,
  * extension values (extnValue OCTET STRING) whose extnID pyasn1 knows.
Each explicitly decoded value must decode without trailing bytes and re-encode identically.
With -v, stderr gets one `OPEN <file> <path> <oid> <spec> <auto|explicit>` line per typed
open value and `OPAQUE <file> <path> <oid>` for values no spec is known for.

--spec MODULE.TYPE decodes the files as another type of pyasn1_alt_modules instead of
rfc9810.PKIMessage (e.g. rfc9810.ProtectedPart, rfc9810.Rand, rfc4211.EncKeyWithID); the
OK line then names the type instead of the body arm.

--fix NAME decodes with a corrected spec for a documented pyasn1-alt-modules bug:
  krp-encryptedkey   rfc9810.KeyRecRepContent is rfc4210's, whose keyPairHist holds the
                     RFC 4210 CertifiedKeyPair (privateKey/encryptedCert EncryptedValue only);
                     RFC 9810 (PKIXCMP-2023) made both EncryptedKey (EncryptedValue or
                     [0] EnvelopedData). The fix uses rfc9810.CertifiedKeyPair there.

Exit status: 0 when it ran (findings are in the lines), 2 on bad usage,
3 when pyasn1 / pyasn1_alt_modules is not importable.
"""
import sys

BODY_NAMES = [
    "ir", "ip", "cr", "cp", "p10cr", "popdecc", "popdecr", "kur", "kup", "krr", "krp", "rr",
    "rp", "ccr", "ccp", "ckuann", "cann", "rann", "crlann", "pkiconf", "nested", "genm",
    "genp", "error", "certConf", "pollReq", "pollRep",
]

FIXES = ("krp-encryptedkey",)


def usage():
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


def main(argv):
    fixes = []
    spec_name = None
    verbose = False
    files = []
    args = iter(argv)
    for a in args:
        if a == "--fix":
            name = next(args, None)
            if name not in FIXES:
                print("unknown --fix %r (known: %s)" % (name, ", ".join(FIXES)), file=sys.stderr)
                return 2
            fixes.append(name)
        elif a == "--spec":
            spec_name = next(args, None)
            if not spec_name or "." not in spec_name:
                return usage()
        elif a == "-v":
            verbose = True
        elif a.startswith("-") and a != "-":
            return usage()
        else:
            files.append(a)
    if not files:
        return usage()

    try:
        from pyasn1.codec.der import decoder, encoder
        from pyasn1.type import namedtype, tag, univ
        # Algorithm modules first: they fill algorithmIdentifierMap (PBMAC1/PBKDF2, EC, AES,
        # ECDH for CMS, ...). rfc9810 last, and its own map entries are applied again below so
        # that no older module (rfc4210/rfc9480) can shadow the RFC 9810 definitions.
        from pyasn1_alt_modules import rfc4211, rfc5280, rfc9810
    except ImportError as e:
        print("pyasn1 / pyasn1_alt_modules not importable (%s): pip install pyasn1-alt-modules" % e,
              file=sys.stderr)
        return 3

    try:
        from pyasn1_alt_modules import rfc9481  # noqa: F401  (CMP algorithms, RFC 9481)
    except ImportError:
        print("note: pyasn1_alt_modules.rfc9481 missing; fewer algorithm parameters are typed",
              file=sys.stderr)
    rfc9810.cmpInfoTypeAndValueMap.update(rfc9810._cmpInfoTypeAndValueMapUpdate)
    rfc9810.algorithmIdentifierMap.update(rfc9810._algorithmIdentifierMapUpdate)

    # regInfo (RFC 4211 7): RegInfoSet is in no pyasn1 open-type map, so the values of
    # CertReqMsg.regInfo stay ANY after decodeOpenTypes.
    extra_open = {
        rfc4211.id_regInfo_utf8Pairs: rfc4211.UTF8Pairs(),
        rfc4211.id_regInfo_certReq: rfc4211.CertReq(),
    }
    ext_map = rfc5280.certificateExtensionsMap

    message_spec = rfc9810.PKIMessage
    if "krp-encryptedkey" in fixes:
        message_spec = _fixed_message(rfc9810, namedtype, tag, univ)
    other_spec = None
    if spec_name:
        import importlib
        module, _, type_name = spec_name.partition(".")
        try:
            other_spec = getattr(importlib.import_module("pyasn1_alt_modules." + module), type_name)
        except (ImportError, AttributeError) as e:
            print("unknown --spec %s: %s" % (spec_name, e), file=sys.stderr)
            return 2

    class Finding(Exception):
        pass

    class Ctx:
        def __init__(self, name):
            self.name = name
            self.identical = True

        def diff(self, where, got, want):
            self.identical = False
            path, offset, w, g = tlv_diff(want, got)
            print("DIFF %s %s: re-encoding differs in the TLV at byte %d (TLV path %s): "
                  "input %s | pyasn1 %s" % (self.name, where, offset,
                                            ".".join(map(str, path)) or "-", w.hex(), g.hex()),
                  file=sys.stderr)

        def log(self, kind, where, oid, spec=None, how=None):
            if verbose:
                extra = "" if spec is None else " %s %s" % (spec, how)
                print("%s %s %s %s%s" % (kind, self.name, where, oid, extra), file=sys.stderr)

    def present(value):
        return value is not None and value is not univ.noValue and value.isValue

    def decode_exact(der, spec, ctx, where):
        try:
            value, rest = decoder.decode(der, asn1Spec=spec, decodeOpenTypes=True)
        except Exception as e:  # pyasn1 raises PyAsn1Error and, on odd input, others
            raise Finding("%s%s: %s" % (where + ": " if where else "", type(spec).__name__,
                                        decode_reason(e)))
        if rest:
            raise Finding("%s%d trailing bytes after %s" % (where + ": " if where else "", len(rest),
                                                          type(spec).__name__))
        try:
            again = encoder.encode(value)
        except Exception as e:  # e.g. "Must be UTC time" for a GeneralizedTime with offset
            ctx.identical = False
            print("DIFF %s %s: re-encoding failed: %s" % (ctx.name, where or "(top)", one_line(e)),
                  file=sys.stderr)
            return value
        if again != der:
            ctx.diff(where or "(top)", again, der)
        return value

    def open_value(ctx, where, oid, value, table, raw=None):
        """An open-type value: check it is typed; decode it explicitly if pyasn1 did not."""
        if not present(value):
            return
        spec = table.get(oid)
        if isinstance(value, univ.Any) or raw is not None:
            if spec is None:
                ctx.log("OPAQUE", where, oid)
                return
            der = raw if raw is not None else value.asOctets()
            ctx.log("OPEN", where, oid, type(spec).__name__, "explicit")
            walk(decode_exact(der, spec, ctx, where), ctx, where)
        else:
            ctx.log("OPEN", where, oid, type(value).__name__, "auto")
            walk(value, ctx, where)

    def walk(node, ctx, where):
        if isinstance(node, univ.Choice):
            if present(node):
                walk(node.getComponent(), ctx, where + "." + node.getName())
        elif isinstance(node, (univ.Sequence, univ.Set)):
            names = [nt.name for nt in node.componentType.namedTypes]
            handled = set()
            # Open types as the module declares them (ITAV, AttributeTypeAndValue,
            # AlgorithmIdentifier, OtherName, ...), looked up in the map pyasn1 uses there.
            for nt in node.componentType.namedTypes:
                if nt.openType is None:
                    continue
                oid = node.getComponentByName(nt.openType.name, instantiate=False)
                value = node.getComponentByName(nt.name, instantiate=False)
                if present(oid):
                    table = Lookup(nt.openType, extra_open)
                    open_value(ctx, "%s.%s" % (where, nt.name), oid, value, table)
                handled.add(nt.name)
            if "extnID" in names and "extnValue" in names:
                oid = node["extnID"]
                raw = node["extnValue"].asOctets()
                if oid in ext_map:
                    open_value(ctx, where + ".extnValue", oid, node["extnValue"], ext_map, raw=raw)
                else:
                    ctx.log("OPAQUE", where + ".extnValue", oid)
                handled.add("extnValue")
            for name in names:
                if name in handled:
                    continue
                child = node.getComponentByName(name, instantiate=False)
                if present(child):
                    walk(child, ctx, where + "." + name)
        elif isinstance(node, (univ.SequenceOf, univ.SetOf)):
            for i, child in enumerate(node):
                walk(child, ctx, "%s[%d]" % (where, i))

    def check_message(der, ctx, where):
        msg = decode_exact(der, message_spec(), ctx, where)
        body = msg["body"]
        arm = body.getName()
        if arm not in BODY_NAMES:  # pyasn1-modules' rfc4210 called genp "gen"
            raise Finding("body alternative %r is not a PKIXCMP-2023 name" % arm)
        walk(msg["header"], ctx, where + "header")
        if arm == "nested":
            # NestedMessageContent is SEQUENCE OF ANY in rfc9810 (recursion workaround).
            for i, inner in enumerate(body.getComponent()):
                sub = "%sbody.nested[%d]." % (where, i)
                if isinstance(inner, univ.Any):
                    ctx.log("OPEN", sub.rstrip("."), "-", "PKIMessage", "explicit")
                    check_message(inner.asOctets(), ctx, sub)
                else:
                    walk(inner, ctx, sub.rstrip("."))
        else:
            walk(body, ctx, where + "body")
        for part in ("protection", "extraCerts"):
            child = msg.getComponentByName(part, instantiate=False)
            if present(child):
                walk(child, ctx, where + part)
        return arm

    for path in files:
        try:
            with open(path, "rb") as f:
                der = f.read()
        except OSError as e:
            print("ERR %s cannot read: %s" % (path, one_line(e)))
            continue
        ctx = Ctx(path)
        try:
            if other_spec is None:
                arm = check_message(der, ctx, "")
            else:
                walk(decode_exact(der, other_spec(), ctx, ""), ctx, type_name)
                arm = type_name
        except Finding as e:
            print("ERR %s %s" % (path, e))
            continue
        except Exception as e:  # a bug in the walker must not hide the other files
            print("ERR %s internal: %s: %s" % (path, type(e).__name__, one_line(e)))
            continue
        print("OK %s %s" % (arm, "yes" if ctx.identical else "no"))
    return 0


def tlv_split(data):
    """The TLVs in `data` as (start, tag length, header length, total length), or None if
    `data` is not a series of BER TLVs with definite lengths."""
    out, i = [], 0
    while i < len(data):
        start = i
        if data[i] & 0x1f == 0x1f:  # high tag number
            i += 1
            while i < len(data) and data[i] & 0x80:
                i += 1
        i += 1
        tag_len = i - start
        if i >= len(data):
            return None
        n = data[i]
        i += 1
        if n & 0x80:
            k = n & 0x7f
            if k == 0 or i + k > len(data):
                return None  # indefinite or truncated
            n = int.from_bytes(data[i:i + k], "big")
            i += k
        if i + n > len(data):
            return None
        out.append((start, tag_len, i - start, i - start + n))
        i += n
    return out


def tlv_diff(want, got, offset=0, path=()):
    """The innermost TLV where two encodings differ: (path, offset in input, want, got)."""
    wl, gl = tlv_split(want), tlv_split(got)
    if wl is None or gl is None:
        return path, offset, want[:32], got[:32]
    for i, (w, g) in enumerate(zip(wl, gl)):
        wb, gb = want[w[0]:w[0] + w[3]], got[g[0]:g[0] + g[3]]
        if wb == gb:
            continue
        same_tag = wb[:w[1]] == gb[:g[1]]
        # Descend into constructed TLVs with the same tag whose contents differ.
        if same_tag and wb[0] & 0x20 and wb[w[2]:] != gb[g[2]:]:
            return tlv_diff(wb[w[2]:], gb[g[2]:], offset + w[0] + w[2], path + (i,))
        return path + (i,), offset + w[0], wb[:32], gb[:32]
    i = min(len(wl), len(gl))
    w = want[wl[i][0]:] if i < len(wl) else b""
    g = got[gl[i][0]:] if i < len(gl) else b""
    return path + (i,), offset + (wl[i][0] if i < len(wl) else len(want)), w[:32], g[:32]


class Lookup:
    """An open-type map with fallbacks."""

    def __init__(self, *maps):
        self.maps = maps

    def get(self, key):
        for m in self.maps:
            if key in m:
                return m[key]
        return None


def _fixed_message(rfc9810, namedtype, tag, univ):
    """rfc9810.PKIMessage with krp's keyPairHist holding rfc9810.CertifiedKeyPair."""
    MAX = float("inf")
    from pyasn1.type import constraint

    class KeyRecRepContent(univ.Sequence):
        componentType = namedtype.NamedTypes(
            namedtype.NamedType("status", rfc9810.PKIStatusInfo()),
            namedtype.OptionalNamedType("newSigCert", rfc9810.CMPCertificate().subtype(
                explicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatConstructed, 0))),
            namedtype.OptionalNamedType("caCerts", univ.SequenceOf(
                componentType=rfc9810.CMPCertificate()).subtype(
                explicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatConstructed, 1),
                sizeSpec=constraint.ValueSizeConstraint(1, MAX))),
            namedtype.OptionalNamedType("keyPairHist", univ.SequenceOf(
                componentType=rfc9810.CertifiedKeyPair()).subtype(
                explicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatConstructed, 2),
                sizeSpec=constraint.ValueSizeConstraint(1, MAX))),
        )

    alts = []
    for nt in rfc9810.PKIBody.componentType.namedTypes:
        if nt.name == "krp":
            nt = namedtype.NamedType("krp", KeyRecRepContent().subtype(
                explicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatConstructed, 10)))
        alts.append(nt)

    class PKIBody(univ.Choice):
        componentType = namedtype.NamedTypes(*alts)

    fields = []
    for nt in rfc9810.PKIMessage.componentType.namedTypes:
        if nt.name == "body":
            nt = namedtype.NamedType("body", PKIBody())
        fields.append(nt)

    class PKIMessage(univ.Sequence):
        componentType = namedtype.NamedTypes(*fields)

    return PKIMessage


TAG_CLASS = {"0": "UNIVERSAL ", "64": "APPLICATION ", "128": "", "192": "PRIVATE "}


def tag_text(m):
    """pyasn1's `tags 0:32:16-128:32:0` as `SEQUENCE-like [UNIVERSAL 16]c,[0]c`."""
    out = []
    for t in m.group(1).split("-"):
        cls, fmt, num = t.split(":")
        out.append("[%s%s]%s" % (TAG_CLASS.get(cls, cls + " "), num, "c" if fmt == "32" else "p"))
    return "tags " + ",".join(out)


def decode_reason(e):
    """The useful part of a pyasn1 decode error: the tag it met and the type it expected."""
    import re
    text = " ".join(str(e).split())
    text = re.sub(r"tags ([0-9:\-]+)", tag_text, text)
    m = re.match(r"(.*?) not in asn1Spec: <(\w+) schema object", text)
    if m:
        return "%s not in asn1Spec %s" % (m.group(1), m.group(2))
    m = re.match(r"(.*?) not in asn1Spec: <TagMap object", text)
    if m:  # a CHOICE or an OPTIONAL field: name the types that were acceptable there
        expected = re.findall(r"<TagSet object, (tags [^>]*)>: <(\w+) schema object", text)
        return "%s not in asn1Spec {%s}" % (
            m.group(1), ", ".join("%s <%s>" % (name, tags) for tags, name in expected))
    return text if len(text) <= 300 else text[:300] + "..."


def one_line(e):
    """pyasn1 messages repeat every enclosing value; keep the innermost (last) part."""
    text = " ".join(str(e).split())
    return text if len(text) <= 300 else "..." + text[-300:]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
