// BcVectors: CMP (RFC 9810) test vectors built with Bouncy Castle's own CMP/CRMF API.
//
// Run by `cargo xtask vectors bc` (xtask/src/vectors/bc.rs), which compiles this file against
// the Debian jars and then reads the reports written here to make MANIFEST.tsv and README.md:
//
//   java -cp CLASSES:bcprov.jar:bcpkix.jar:bcutil.jar BcVectors OUT_DIR REPORT_DIR SECRET KID
//
// OUT_DIR (vectors/bouncycastle) receives credentials/ (a fresh test PKI) and one directory
// per flow holding NN-<req|rsp>-<body>.der. Every flow is a scripted transaction in which this
// program plays both the client and the CA/RA: each message is written to disk, read back
// and re-parsed with PKIMessage.getInstance, re-encoded, and its protection is verified with
// the credential reported for the manifest (and must fail once one bit is flipped). The
// receiving side then builds its answer from the re-parsed message only (issuing the
// certificate from the parsed template, confirming the parsed certificate, ...).
//
// REPORT_DIR receives tab-separated reports: files.tsv, flows.tsv, credentials.tsv,
// limits.tsv and version.txt.

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cmp.CAKeyUpdAnnContent;
import org.bouncycastle.asn1.cmp.CMPCertificate;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.CRLAnnContent;
import org.bouncycastle.asn1.cmp.CRLSource;
import org.bouncycastle.asn1.cmp.CRLStatus;
import org.bouncycastle.asn1.cmp.CertConfirmContent;
import org.bouncycastle.asn1.cmp.CertOrEncCert;
import org.bouncycastle.asn1.cmp.CertRepMessage;
import org.bouncycastle.asn1.cmp.CertReqTemplateContent;
import org.bouncycastle.asn1.cmp.CertResponse;
import org.bouncycastle.asn1.cmp.CertStatus;
import org.bouncycastle.asn1.cmp.CertifiedKeyPair;
import org.bouncycastle.asn1.cmp.Challenge;
import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.GenMsgContent;
import org.bouncycastle.asn1.cmp.GenRepContent;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.KeyRecRepContent;
import org.bouncycastle.asn1.cmp.NestedMessageContent;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIHeaderBuilder;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cmp.POPODecKeyChallContent;
import org.bouncycastle.asn1.cmp.POPODecKeyRespContent;
import org.bouncycastle.asn1.cmp.PollRepContent;
import org.bouncycastle.asn1.cmp.PollReqContent;
import org.bouncycastle.asn1.cmp.RevAnnContent;
import org.bouncycastle.asn1.cmp.RevDetails;
import org.bouncycastle.asn1.cmp.RevRepContent;
import org.bouncycastle.asn1.cmp.RevRepContentBuilder;
import org.bouncycastle.asn1.cmp.RevReqContent;
import org.bouncycastle.asn1.cmp.RootCaKeyUpdateContent;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.crmf.AttributeTypeAndValue;
import org.bouncycastle.asn1.crmf.CertId;
import org.bouncycastle.asn1.crmf.CertReqMessages;
import org.bouncycastle.asn1.crmf.CertReqMsg;
import org.bouncycastle.asn1.crmf.CertTemplate;
import org.bouncycastle.asn1.crmf.CertTemplateBuilder;
import org.bouncycastle.asn1.crmf.EncryptedKey;
import org.bouncycastle.asn1.crmf.EncryptedValue;
import org.bouncycastle.asn1.crmf.ProofOfPossession;
import org.bouncycastle.asn1.crmf.SubsequentMessage;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PBMAC1Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.cmp.CertificateConfirmationContent;
import org.bouncycastle.cert.cmp.CertificateConfirmationContentBuilder;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.cert.cmp.RevocationDetailsBuilder;
import org.bouncycastle.cert.crmf.CertificateRequestMessage;
import org.bouncycastle.cert.crmf.CertificateRequestMessageBuilder;
import org.bouncycastle.cert.crmf.Control;
import org.bouncycastle.cert.crmf.EncryptedValueParser;
import org.bouncycastle.cert.crmf.PKMACBuilder;
import org.bouncycastle.cert.crmf.jcajce.JcaEncryptedValueBuilder;
import org.bouncycastle.cert.crmf.jcajce.JceAsymmetricValueDecryptorGenerator;
import org.bouncycastle.cert.crmf.jcajce.JceCRMFEncryptorBuilder;
import org.bouncycastle.cert.crmf.jcajce.JcePKMACValuesCalculator;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.MacCalculator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.operator.jcajce.JceAsymmetricKeyWrapper;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcePBMac1CalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePBMac1CalculatorProviderBuilder;

public final class BcVectors {
    static final String BC = "BC";
    static final SecureRandom RANDOM = new SecureRandom();
    /** PKIBody arm names by tag number (RFC 9810). */
    static final String[] BODY = {"ir", "ip", "cr", "cp", "p10cr", "popdecc", "popdecr", "kur",
        "kup", "krr", "krp", "rr", "rp", "ccr", "ccp", "ckuann", "cann", "rann", "crlann",
        "pkiconf", "nested", "genm", "genp", "error", "certConf", "pollReq", "pollRep"};
    static final String DN_PREFIX = "C=XX, O=CMP Test Vectors BC, CN=";
    /** 20 years, as for the OpenSSL vectors: tests must not start failing on expiry. */
    static final long VALIDITY_MS = 7300L * 24 * 3600 * 1000;
    static final ASN1ObjectIdentifier ID_PBMAC1 = PKCSObjectIdentifiers.id_PBMAC1;
    static final ASN1ObjectIdentifier ID_KP_CMC_CA = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.3.27");
    static final ASN1ObjectIdentifier ID_KP_CMC_RA = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.3.28");

    static Path out;
    static char[] secret;
    static byte[] kid;
    static final List<Row> FILES = new ArrayList<>();
    static final List<String[]> FLOWS = new ArrayList<>();
    static final List<String[]> LIMITS = new ArrayList<>();
    static final List<String[]> CREDENTIALS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: BcVectors OUT_DIR REPORT_DIR SECRET KID");
            System.exit(2);
        }
        out = Paths.get(args[0]);
        Path report = Paths.get(args[1]);
        secret = args[2].toCharArray();
        kid = args[3].getBytes(StandardCharsets.UTF_8);
        BouncyCastleProvider provider = new BouncyCastleProvider();
        Security.addProvider(provider);

        Pki pki = new Pki(out.resolve("credentials"));
        new Flows(pki).all();
        new Probes(pki).all();

        Files.createDirectories(report);
        Files.writeString(report.resolve("version.txt"), provider.getInfo() + "\n"
            + "java " + System.getProperty("java.version") + "\n");
        List<String[]> files = new ArrayList<>();
        for (Row r : FILES) {
            files.add(new String[] {r.file, r.kind, r.credential, String.join("; ", r.notes)});
        }
        writeTsv(report.resolve("files.tsv"), files);
        writeTsv(report.resolve("flows.tsv"), FLOWS);
        writeTsv(report.resolve("credentials.tsv"), CREDENTIALS);
        writeTsv(report.resolve("limits.tsv"), LIMITS);
        System.out.println("BcVectors: " + FILES.size() + " messages in " + FLOWS.size() + " flows");
    }

    static void writeTsv(Path path, List<String[]> rows) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (String cell : row) {
                require(!cell.contains("\t") && !cell.contains("\n"), "tab or newline in " + cell);
            }
            sb.append(String.join("\t", row)).append('\n');
        }
        Files.writeString(path, sb.toString());
    }

    static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("check failed: " + what);
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static X500Name dn(String cn) {
        return new X500Name(DN_PREFIX + cn);
    }

    static DigestCalculatorProvider digests() throws Exception {
        return new JcaDigestCalculatorProviderBuilder().setProvider(BC).build();
    }

    static ContentVerifierProvider verifier(X509CertificateHolder cert) throws Exception {
        return new JcaContentVerifierProviderBuilder().setProvider(BC).build(cert);
    }

    static ContentVerifierProvider verifier(SubjectPublicKeyInfo key) throws Exception {
        return new JcaContentVerifierProviderBuilder().setProvider(BC).build(key);
    }

    static PKIStatusInfo status(PKIStatus status) {
        return new PKIStatusInfo(status);
    }

    static PKIStatusInfo rejection(int failInfo, String text) {
        return new PKIStatusInfo(PKIStatus.rejection, new PKIFreeText(text),
            new PKIFailureInfo(failInfo));
    }

    static ASN1Sequence seq(ASN1Encodable... items) {
        return new DERSequence(items);
    }

    // ------------------------------------------------------------------------------- test PKI

    enum KeyType {
        RSA("RSA-2048", "SHA256withRSA"),
        P256("EC P-256", "SHA256withECDSA"),
        P384("EC P-384", "SHA384withECDSA"),
        ED25519("Ed25519", "Ed25519");

        final String label;
        final String sigAlg;

        KeyType(String label, String sigAlg) {
            this.label = label;
            this.sigAlg = sigAlg;
        }

        KeyPair generate() throws Exception {
            switch (this) {
                case RSA: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", BC);
                    g.initialize(2048, RANDOM);
                    return g.generateKeyPair();
                }
                case P256:
                case P384: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
                    g.initialize(new ECGenParameterSpec(this == P256 ? "secp256r1" : "secp384r1"), RANDOM);
                    return g.generateKeyPair();
                }
                default:
                    return KeyPairGenerator.getInstance("Ed25519", BC).generateKeyPair();
            }
        }
    }

    enum Profile { ROOT_CA, SUB_CA, CMP_CA, CMP_RA, END_ENTITY, KEY_ONLY }

    /** A key pair and, unless KEY_ONLY, its certificate; files under credentials/. */
    static final class Cred {
        final String name;
        final KeyType type;
        final KeyPair keys;
        final Cred issuer;
        X509CertificateHolder cert;

        Cred(String name, KeyType type, KeyPair keys, Cred issuer) {
            this.name = name;
            this.type = type;
            this.keys = keys;
            this.issuer = issuer;
        }

        String certPath() {
            return "credentials/" + name + ".pem";
        }

        GeneralName generalName() {
            return new GeneralName(cert.getSubject());
        }

        SubjectPublicKeyInfo spki() {
            return SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        }

        ContentSigner signer() throws Exception {
            return signer(type.sigAlg);
        }

        ContentSigner signer(String alg) throws Exception {
            return new JcaContentSignerBuilder(alg).setProvider(BC).build(keys.getPrivate());
        }

        /** The certificate and its CAs, without the root: what goes into extraCerts. */
        List<X509CertificateHolder> chain() {
            List<X509CertificateHolder> chain = new ArrayList<>();
            for (Cred c = this; c.issuer != null; c = c.issuer) {
                chain.add(c.cert);
            }
            return chain;
        }
    }

    static final class Pki {
        final Path dir;
        final Map<String, Cred> creds = new LinkedHashMap<>();
        long serial = 0x100;
        final Cred root, rootNew, issuing, issuingEd25519, serverRsa, serverEc, serverP384,
            serverEd25519, ra, clientRsa, clientEc, clientP384, clientEd25519, deviceRsa,
            deviceEc, deviceEcNew, deviceEd25519;
        /** RFC 4210 root CA key update: new key certified by the old one and vice versa. */
        final X509CertificateHolder newWithOld, oldWithNew;
        final X509CRLHolder crl;

        Pki(Path dir) throws Exception {
            this.dir = dir;
            Files.createDirectories(dir);
            root = create("root-ca", "CMP Test Vectors BC Root CA", KeyType.RSA, null,
                Profile.ROOT_CA, "trust anchor; caPubs of ip; rootCaCert in genm");
            rootNew = create("root-ca-new", "CMP Test Vectors BC Root CA", KeyType.RSA, null,
                Profile.ROOT_CA, "the root CA after its key update (same name, new key): "
                    + "newWithNew of rootCaKeyUpdate and ckuann");
            issuing = create("issuing-ca", "CMP Test Vectors BC Issuing CA", KeyType.P256, root,
                Profile.SUB_CA, "issues the CMP and client certificates and, in the flows, "
                    + "the enrolled certificates; signs the CRL");
            issuingEd25519 = create("issuing-ca-ed25519", "CMP Test Vectors BC Issuing CA Ed25519",
                KeyType.ED25519, root, Profile.SUB_CA,
                "issues the Ed25519-signed certificate of `ir_pvno3_hashalg_ed25519` (certConf hashAlg)");
            serverRsa = create("cmp-server-rsa", "CMP Server RSA", KeyType.RSA, issuing,
                Profile.CMP_CA, "CA-side signer in the RSA flows");
            serverEc = create("cmp-server-ec", "CMP Server EC", KeyType.P256, issuing,
                Profile.CMP_CA, "CA-side signer in the EC P-256 flows and the announcements");
            serverP384 = create("cmp-server-p384", "CMP Server P-384", KeyType.P384, issuing,
                Profile.CMP_CA, "CA-side signer in the EC P-384 flow");
            serverEd25519 = create("cmp-server-ed25519", "CMP Server Ed25519", KeyType.ED25519,
                issuing, Profile.CMP_CA, "CA-side signer in the Ed25519 flows");
            ra = create("cmp-ra-ec", "CMP RA EC", KeyType.P256, issuing, Profile.CMP_RA,
                "RA: signs nested messages and the raVerified ir");
            clientRsa = create("client-rsa", "client-rsa", KeyType.RSA, issuing,
                Profile.END_ENTITY, "client signer (existing certificate) in the RSA flows");
            clientEc = create("client-ec", "client-ec", KeyType.P256, issuing, Profile.END_ENTITY,
                "client signer in the EC P-256 flows");
            clientP384 = create("client-p384", "client-p384", KeyType.P384, issuing,
                Profile.END_ENTITY, "client signer in the EC P-384 flow");
            clientEd25519 = create("client-ed25519", "client-ed25519", KeyType.ED25519, issuing,
                Profile.END_ENTITY, "client signer in the Ed25519 flows");
            deviceRsa = create("device-rsa", "device-rsa", KeyType.RSA, issuing,
                Profile.END_ENTITY, "RSA key being certified (POPO signature, keyEncipherment)");
            deviceEc = create("device-ec", "device-ec", KeyType.P256, issuing, Profile.END_ENTITY,
                "EC key being certified; its certificate is the one kur updates and rr revokes");
            deviceEcNew = create("device-ec-new", "device-ec", KeyType.P256, null,
                Profile.KEY_ONLY, "the new key of the kur flow (key only)");
            deviceEd25519 = create("device-ed25519", "device-ed25519", KeyType.ED25519, null,
                Profile.KEY_ONLY, "Ed25519 key being certified (key only)");

            newWithOld = certify(rootNew.cert.getSubject(), rootNew.keys.getPublic(), root,
                Profile.ROOT_CA);
            oldWithNew = certify(root.cert.getSubject(), root.keys.getPublic(), rootNew,
                Profile.ROOT_CA);
            writeCert("root-ca-new-with-old", newWithOld);
            writeCert("root-ca-old-with-new", oldWithNew);
            CREDENTIALS.add(new String[] {"root-ca-new-with-old", "RSA-2048",
                rootNew.cert.getSubject().toString(), "root-ca",
                "certificate only: the new root key signed with the old (newWithOld)"});
            CREDENTIALS.add(new String[] {"root-ca-old-with-new", "RSA-2048",
                root.cert.getSubject().toString(), "root-ca-new",
                "certificate only: the old root key signed with the new (oldWithNew)"});

            Date now = new Date();
            X509v2CRLBuilder crlBuilder = new X509v2CRLBuilder(issuing.cert.getSubject(), now);
            crlBuilder.setNextUpdate(new Date(now.getTime() + VALIDITY_MS));
            crlBuilder.addCRLEntry(BigInteger.valueOf(0xdead), now, CRLReason.keyCompromise);
            crlBuilder.addExtension(Extension.cRLNumber, false, new ASN1Integer(1));
            crlBuilder.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuing.cert));
            crl = crlBuilder.build(issuing.signer());
            require(crl.isSignatureValid(verifier(issuing.cert)), "CRL signature");
            Files.write(dir.resolve("issuing-ca.crl"), crl.getEncoded());
            CREDENTIALS.add(new String[] {"issuing-ca.crl", "-", issuing.cert.getSubject().toString(),
                "issuing-ca", "CRL (DER) revoking serial 0xdead: crlann, genp crls"});
        }

        Cred create(String name, String cn, KeyType type, Cred issuer, Profile profile, String role)
                throws Exception {
            Cred cred = new Cred(name, type, type.generate(), issuer);
            if (profile != Profile.KEY_ONLY) {
                Cred signer = issuer == null ? cred : issuer;
                // a root (no issuer) signs its own certificate
                cred.cert = certify(dn(cn), cred.keys.getPublic(), signer, profile);
                writeCert(name, cred.cert);
            }
            try (Writer w = Files.newBufferedWriter(dir.resolve(name + ".key"));
                    JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(new JcaPKCS8Generator(cred.keys.getPrivate(), null));
            }
            creds.put(name, cred);
            CREDENTIALS.add(new String[] {name, type.label,
                cred.cert == null ? "-" : cred.cert.getSubject().toString(),
                issuer == null ? (cred.cert == null ? "-" : "self") : issuer.name, role});
            return cred;
        }

        void writeCert(String name, X509CertificateHolder cert) throws Exception {
            Files.write(dir.resolve(name + ".der"), cert.getEncoded());
            StringWriter text = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
                pem.writeObject(cert);
            }
            Files.writeString(dir.resolve(name + ".pem"), text.toString());
        }

        /** A certificate for `key` issued by `ca` (a root signs its own when ca.cert is null). */
        X509CertificateHolder certify(X500Name subject, PublicKey key, Cred ca, Profile profile)
                throws Exception {
            return certify(subject, SubjectPublicKeyInfo.getInstance(key.getEncoded()), ca, profile);
        }

        X509CertificateHolder certify(X500Name subject, SubjectPublicKeyInfo key, Cred ca,
                Profile profile) throws Exception {
            Date now = new Date(System.currentTimeMillis() / 1000 * 1000 - 60_000);
            X500Name issuerName = ca.cert == null ? subject : ca.cert.getSubject();
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuerName,
                BigInteger.valueOf(serial++), now, new Date(now.getTime() + VALIDITY_MS), subject, key);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            if (ca.cert != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(ca.cert));
            }
            switch (profile) {
                case ROOT_CA:
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                    break;
                case SUB_CA:
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                    break;
                case CMP_CA:
                case CMP_RA:
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        KeyPurposeId.getInstance(profile == Profile.CMP_CA ? ID_KP_CMC_CA : ID_KP_CMC_RA)));
                    break;
                default:
                    boolean rsa = key.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption);
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                        | (rsa ? KeyUsage.keyEncipherment : 0)));
            }
            X509CertificateHolder cert = b.build(ca.signer());
            X509CertificateHolder issuerCert = ca.cert == null ? cert : ca.cert;
            require(cert.isSignatureValid(verifier(issuerCert)), "certificate signature " + subject);
            return cert;
        }
    }

    // ------------------------------------------------------------------ protection and parties

    enum Kind {
        NONE("none"), PBM("pbm"), PBMAC1("pbmac1"), SIG("sig");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** One end of a transaction: its name in the header and how it protects what it sends. */
    static final class Party {
        final GeneralName name;
        final Kind kind;
        /** PBM: the PBMParameter choices; null = PKMACBuilder's defaults. */
        final AlgorithmIdentifier owf, mac;
        final int iterations;
        final Cred signer;
        final String sigAlg;

        private Party(GeneralName name, Kind kind, AlgorithmIdentifier owf, AlgorithmIdentifier mac,
                int iterations, Cred signer, String sigAlg) {
            this.name = name;
            this.kind = kind;
            this.owf = owf;
            this.mac = mac;
            this.iterations = iterations;
            this.signer = signer;
            this.sigAlg = sigAlg;
        }

        /** PBM with SHA-256 as OWF and HMAC-SHA256 (RFC 9481 6.1.1). */
        static Party pbm(X500Name name) {
            return new Party(new GeneralName(name), Kind.PBM,
                new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256),
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE),
                10000, null, null);
        }

        /** PBM as `new PKMACBuilder(calculator)` makes it: SHA-1, HMAC-SHA1, 1000 iterations. */
        static Party pbmDefaults(X500Name name) {
            return new Party(new GeneralName(name), Kind.PBM, null, null, 0, null, null);
        }

        /** PBMAC1: PBKDF2 with HMAC-SHA256, then HMAC-SHA256 (RFC 9481 6.1.2). */
        static Party pbmac1(X500Name name) {
            return new Party(new GeneralName(name), Kind.PBMAC1, null, null, 10000, null, null);
        }

        static Party sig(Cred signer) {
            return sig(signer, signer.type.sigAlg);
        }

        static Party sig(Cred signer, String sigAlg) {
            return new Party(signer.generalName(), Kind.SIG, null, null, 0, signer, sigAlg);
        }

        static Party unprotected(X500Name name) {
            return new Party(new GeneralName(name), Kind.NONE, null, null, 0, null, null);
        }

        MacCalculator macCalculator() throws Exception {
            if (kind == Kind.PBMAC1) {
                return withPbkdf2Oid(new JcePBMac1CalculatorBuilder("HmacSHA256", 256)
                    .setPrf(JcePBMac1CalculatorBuilder.PRF_SHA256)
                    .setIterationCount(iterations)
                    .setSaltLength(16)
                    .setProvider(BC)
                    .build(secret));
            }
            PKMACBuilder b = pkmac();
            if (owf != null) {
                b.setParameters(new org.bouncycastle.asn1.cmp.PBMParameter(random(16), owf,
                    iterations, mac));
            }
            return b.build(secret);
        }

        String describe() {
            switch (kind) {
                case NONE:
                    return "unprotected";
                case PBM:
                    return owf == null ? "PBM (PKMACBuilder defaults)" : "PBM sha256/hmacWithSHA256";
                case PBMAC1:
                    return "PBMAC1 PBKDF2-HMAC-SHA256/HMAC-SHA256";
                default:
                    return "signature " + sigAlg + " by " + signer.name;
            }
        }
    }

    /**
     * BC 1.72's PBMAC1 calculator names the key derivation function id-PBES2 instead of
     * id-PBKDF2 (RFC 8018 A.5, RFC 9481 6.1.2; see the probe). Keep BC's parameters and MAC,
     * name the KDF correctly. BC's verifier ignores that OID, so it still checks the result.
     */
    static MacCalculator withPbkdf2Oid(MacCalculator bc) {
        PBMAC1Params p = PBMAC1Params.getInstance(bc.getAlgorithmIdentifier().getParameters());
        AlgorithmIdentifier fixed = new AlgorithmIdentifier(ID_PBMAC1, new PBMAC1Params(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBKDF2,
                p.getKeyDerivationFunc().getParameters()),
            p.getMessageAuthScheme()));
        return new MacCalculator() {
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return fixed;
            }

            public OutputStream getOutputStream() {
                return bc.getOutputStream();
            }

            public byte[] getMac() {
                return bc.getMac();
            }

            public org.bouncycastle.operator.GenericKey getKey() {
                return bc.getKey();
            }
        };
    }

    static PKMACBuilder pkmac() {
        return new PKMACBuilder(new JcePKMACValuesCalculator().setProvider(BC));
    }

    /** One manifest row as far as BC knows it. */
    static final class Row {
        final String file;
        final String kind;
        final String credential;
        final List<String> notes = new ArrayList<>();

        Row(String file, String kind, String credential) {
            this.file = file;
            this.kind = kind;
            this.credential = credential;
        }
    }

    /** A message as received: re-parsed from the file just written. */
    static final class Received {
        final PKIMessage msg;
        final Row row;

        Received(PKIMessage msg, Row row) {
            this.msg = msg;
            this.row = row;
        }

        PKIBody body() {
            return msg.getBody();
        }

        ASN1Encodable content() {
            return msg.getBody().getContent();
        }

        /** Records a check the receiver made (the notes column). */
        void checked(String what) {
            row.notes.add(what);
        }
    }

    /**
     * Verifies a received message's protection the way a receiver would, with BC; returns the
     * manifest credential. Also makes sure the same check fails with one protection bit flipped.
     */
    static String verifyProtection(PKIMessage msg, Party from) throws Exception {
        GeneralPKIMessage general = new GeneralPKIMessage(msg);
        if (from.kind == Kind.NONE) {
            require(!general.hasProtection() && msg.getHeader().getProtectionAlg() == null,
                "unprotected message carries protection");
            return "-";
        }
        require(general.hasProtection(), "protection missing");
        byte[] bits = msg.getProtection().getBytes();
        bits[bits.length - 1] ^= 1;
        PKIMessage corrupted = new PKIMessage(msg.getHeader(), msg.getBody(), new DERBitString(bits),
            msg.getExtraCerts());
        ProtectedPKIMessage good = new ProtectedPKIMessage(general);
        ProtectedPKIMessage bad = new ProtectedPKIMessage(new GeneralPKIMessage(corrupted));
        ASN1ObjectIdentifier alg = msg.getHeader().getProtectionAlg().getAlgorithm();
        switch (from.kind) {
            case PBM:
                require(good.hasPasswordBasedMacProtection(), "passwordBasedMac expected");
                require(good.verify(pkmac(), secret), "PBM verifies");
                require(!good.verify(pkmac(), "wrong secret".toCharArray()), "PBM, wrong secret");
                require(!bad.verify(pkmac(), secret), "PBM, flipped bit");
                return "pass:" + new String(secret);
            case PBMAC1: {
                require(alg.equals(ID_PBMAC1), "id-PBMAC1 expected, got " + alg);
                PBMAC1Params params = PBMAC1Params.getInstance(
                    msg.getHeader().getProtectionAlg().getParameters());
                require(params.getKeyDerivationFunc().getAlgorithm().equals(
                    PKCSObjectIdentifiers.id_PBKDF2), "PBMAC1 keyDerivationFunc is id-PBKDF2");
                var provider = new JcePBMac1CalculatorProviderBuilder().setProvider(BC).build();
                require(good.verify(provider, secret), "PBMAC1 verifies");
                require(!good.verify(provider, "wrong secret".toCharArray()), "PBMAC1, wrong secret");
                require(!bad.verify(provider, secret), "PBMAC1, flipped bit");
                return "pass:" + new String(secret);
            }
            default: {
                X509CertificateHolder[] extra = good.getCertificates();
                require(extra.length > 0 && extra[0].equals(from.signer.cert),
                    "the signer's certificate comes first in extraCerts");
                require(msg.getHeader().getSender().equals(from.signer.generalName()),
                    "sender is the signer's subject");
                require(good.verify(verifier(from.signer.cert)), "signature verifies");
                require(!bad.verify(verifier(from.signer.cert)), "signature, flipped bit");
                return from.signer.certPath();
            }
        }
    }

    // ---------------------------------------------------------------------------------- flows

    /** A transaction: shared transactionID, nonces chained request to response. */
    static final class Flow {
        final String name;
        final int pvno;
        final byte[] tid = random(16);
        byte[] lastNonce;
        int seq;

        Flow(String name, int pvno, String about) throws IOException {
            this.name = name;
            this.pvno = pvno;
            Files.createDirectories(out.resolve(name));
            FLOWS.add(new String[] {name, String.valueOf(pvno), about});
        }

        Received request(Party from, Party to, PKIBody body, InfoTypeAndValue... generalInfo)
                throws Exception {
            return send("req", from, to, body, generalInfo);
        }

        Received response(Party from, Party to, PKIBody body, InfoTypeAndValue... generalInfo)
                throws Exception {
            return send("rsp", from, to, body, generalInfo);
        }

        /** Builds and protects a message, writes it, reads it back and checks it. */
        Received send(String side, Party from, Party to, PKIBody body,
                InfoTypeAndValue... generalInfo) throws Exception {
            byte[] nonce = random(16);
            PKIMessage msg = build(pvno, from, to, body, tid, nonce, lastNonce, generalInfo);
            lastNonce = nonce;
            String file = String.format("%s/%02d-%s-%s.der", name, ++seq, side,
                BODY[msg.getBody().getType()]);
            return write(file, msg, from);
        }

        /** Writes an already built message (one that is not part of the nonce chain). */
        Received write(String file, PKIMessage msg, Party from) throws Exception {
            byte[] der = msg.getEncoded(ASN1Encoding.DER);
            Files.write(out.resolve(file), der);
            byte[] back = Files.readAllBytes(out.resolve(file));
            PKIMessage parsed = PKIMessage.getInstance(back);
            require(Arrays.equals(parsed.getEncoded(ASN1Encoding.DER), back),
                file + ": BC re-encodes it differently");
            Row row = new Row(file, from.kind.label, verifyProtection(parsed, from));
            row.notes.add(from.kind == Kind.NONE ? "BC: re-parsed, unprotected as built"
                : "BC: re-parsed, " + from.describe() + " verified");
            FILES.add(row);
            return new Received(parsed, row);
        }
    }

    static PKIMessage build(int pvno, Party from, Party to, PKIBody body, byte[] tid, byte[] nonce,
            byte[] recipNonce, InfoTypeAndValue... generalInfo) throws Exception {
        if (from.kind == Kind.NONE) {
            // ProtectedPKIMessageBuilder always protects: assemble the header by hand
            PKIHeaderBuilder h = new PKIHeaderBuilder(pvno, from.name, to.name)
                .setMessageTime(new ASN1GeneralizedTime(new Date()))
                .setTransactionID(tid)
                .setSenderNonce(nonce);
            if (recipNonce != null) {
                h.setRecipNonce(recipNonce);
            }
            if (generalInfo.length > 0) {
                h.setGeneralInfo(generalInfo);
            }
            return new PKIMessage(h.build(), body);
        }
        ProtectedPKIMessageBuilder b = new ProtectedPKIMessageBuilder(pvno, from.name, to.name)
            .setMessageTime(new Date())
            .setTransactionID(tid)
            .setSenderNonce(nonce)
            .setBody(body);
        if (recipNonce != null) {
            b.setRecipNonce(recipNonce);
        }
        for (InfoTypeAndValue itav : generalInfo) {
            b.addGeneralInfo(itav);
        }
        if (from.kind == Kind.SIG) {
            byte[] ski = org.bouncycastle.asn1.x509.SubjectKeyIdentifier.fromExtensions(
                from.signer.cert.getExtensions()).getKeyIdentifier();
            b.setSenderKID(ski);
            for (X509CertificateHolder c : from.signer.chain()) {
                b.addCMPCertificate(c);
            }
            return b.build(from.signer.signer(from.sigAlg)).toASN1Structure();
        }
        b.setSenderKID(kid);
        return b.build(from.macCalculator()).toASN1Structure();
    }

    static final class Flows {
        final Pki pki;
        final X500Name caName = dn("CMP Test Vectors BC CA");

        Flows(Pki pki) {
            this.pki = pki;
        }

        void all() throws Exception {
            enrollment();
            popo();
            rareRequests();
            revocation();
            general();
            outcomes();
            nested();
            announcements();
        }

        // ---- parties

        Party eePbm(Cred device) {
            return Party.pbm(dn(device.name));
        }

        Party caPbm() {
            return Party.pbm(caName);
        }

        // ---- request bodies

        /** CertReqMessages for `key`, POPO by signature with `popoAlg` unless null. */
        CertReqMessages certReq(Cred key, X500Name subject, String popoAlg, Control... controls)
                throws Exception {
            CertificateRequestMessageBuilder b = new CertificateRequestMessageBuilder(BigInteger.ZERO)
                .setSubject(subject)
                .setPublicKey(key.spki());
            for (Control c : controls) {
                b.addControl(c);
            }
            if (popoAlg != null) {
                b.setProofOfPossessionSigningKeySigner(key.signer(popoAlg));
            }
            return new CertReqMessages(b.build().toASN1Structure());
        }

        CertReqMessages certReq(Cred key, String popoAlg) throws Exception {
            return certReq(key, dn(key.name), popoAlg);
        }

        static Control oldCertId(X509CertificateHolder old) {
            return new Control() {
                public ASN1ObjectIdentifier getType() {
                    return CMPObjectIdentifiers.regCtrl_oldCertID;
                }

                public ASN1Encodable getValue() {
                    return new CertId(new GeneralName(old.getIssuer()), old.getSerialNumber());
                }
            };
        }

        // ---- CA side

        /**
         * Checks the (re-parsed) certificate request as a CA would and returns the first
         * CertReqMsg; signature POPOs must verify.
         */
        CertificateRequestMessage checkRequest(Received req) throws Exception {
            CertReqMsg[] msgs = CertReqMessages.getInstance(req.content()).toCertReqMsgArray();
            require(msgs.length == 1, "one CertReqMsg");
            CertificateRequestMessage crm = new CertificateRequestMessage(msgs[0]);
            CertTemplate t = crm.getCertTemplate();
            switch (crm.getProofOfPossessionType()) {
                case CertificateRequestMessage.popSigningKey:
                    require(crm.isValidSigningKeyPOP(verifier(t.getPublicKey())), "POPO signature");
                    req.checked("POPO signature verified");
                    break;
                case CertificateRequestMessage.popRaVerified:
                    req.checked("POPO raVerified");
                    break;
                case CertificateRequestMessage.popKeyEncipherment:
                    req.checked("POPO keyEncipherment");
                    break;
                default:
                    throw new IllegalStateException("unexpected POPO");
            }
            if (crm.hasControl(CMPObjectIdentifiers.regCtrl_oldCertID)) {
                // getControl() only knows the RFC 4211 controls: read the ASN.1
                for (AttributeTypeAndValue c : crm.toASN1Structure().getCertReq().getControls()
                        .toAttributeTypeAndValueArray()) {
                    if (c.getType().equals(CMPObjectIdentifiers.regCtrl_oldCertID)) {
                        CertId id = CertId.getInstance(c.getValue());
                        req.checked("control oldCertID serial " + id.getSerialNumber().getValue());
                    }
                }
            }
            return crm;
        }

        X509CertificateHolder issue(CertificateRequestMessage crm, Cred ca) throws Exception {
            CertTemplate t = crm.getCertTemplate();
            return pki.certify(t.getSubject(), t.getPublicKey(), ca, Profile.END_ENTITY);
        }

        static CertRepMessage certRep(CMPCertificate[] caPubs, CertResponse... responses) {
            return new CertRepMessage(caPubs, responses);
        }

        static CertResponse granted(X509CertificateHolder cert) {
            return new CertResponse(new ASN1Integer(0), status(PKIStatus.granted),
                new CertifiedKeyPair(new CertOrEncCert(new CMPCertificate(cert.toASN1Structure()))),
                null);
        }

        CMPCertificate[] caPubs() {
            return new CMPCertificate[] {new CMPCertificate(pki.root.cert.toASN1Structure())};
        }

        /** Client side: the certificate in a (re-parsed) accepted CertRepMessage. */
        X509CertificateHolder certFrom(Received rep, Cred key, Cred ca) throws Exception {
            CertResponse r = CertRepMessage.getInstance(rep.content()).getResponse()[0];
            require(r.getStatus().getStatus().intValue() <= PKIStatus.GRANTED_WITH_MODS, "granted");
            X509CertificateHolder cert = new X509CertificateHolder(
                r.getCertifiedKeyPair().getCertOrEncCert().getCertificate().getX509v3PKCert());
            require(cert.getSubjectPublicKeyInfo().equals(key.spki()), "certificate for our key");
            require(cert.isSignatureValid(verifier(ca.cert)), "certificate signed by the CA");
            rep.checked("certificate verified with " + ca.name);
            return cert;
        }

        PKIBody certConf(X509CertificateHolder cert) throws Exception {
            CertificateConfirmationContent c = new CertificateConfirmationContentBuilder()
                .addAcceptedCertificate(cert, BigInteger.ZERO)
                .build(digests());
            return new PKIBody(PKIBody.TYPE_CERT_CONFIRM, c.toASN1Structure());
        }

        void checkCertConf(Received conf, X509CertificateHolder cert) throws Exception {
            CertificateConfirmationContent c = new CertificateConfirmationContent(
                CertConfirmContent.getInstance(conf.content()));
            require(c.getStatusMessages()[0].isVerified(cert, digests()), "certHash");
            conf.checked("certHash verified");
        }

        static PKIBody pkiconf() {
            return new PKIBody(PKIBody.TYPE_CONFIRM, DERNull.INSTANCE);
        }

        /** ir/cr/kur + reply + certConf + pkiconf with signature POPO, certificate from `ca`. */
        void enroll(Flow f, int reqType, Party client, Party server, Cred key, String popoAlg,
                Cred ca, Control... controls) throws Exception {
            Received req = f.request(client, server,
                new PKIBody(reqType, certReq(key, dn(key.name), popoAlg, controls)));
            X509CertificateHolder cert = issue(checkRequest(req), ca);
            Received rep = f.response(server, client, new PKIBody(reqType + 1,
                certRep(reqType == PKIBody.TYPE_INIT_REQ ? caPubs() : null, granted(cert))));
            X509CertificateHolder got = certFrom(rep, key, ca);
            checkCertConf(f.request(client, server, certConf(got)), cert);
            f.response(server, client, pkiconf());
        }

        void enrollment() throws Exception {
            Cred ec = pki.deviceEc;
            enroll(new Flow("ir_pbm", 2, "ir with PBM (SHA-256, HMAC-SHA256, 10000 iterations), "
                    + "POPO signature; ip with caPubs; certConf; pkiconf"),
                PKIBody.TYPE_INIT_REQ, eePbm(ec), caPbm(), ec, "SHA256withECDSA", pki.issuing);
            enroll(new Flow("ir_pbm_sha1_defaults", 2, "ir with PKMACBuilder's default PBM "
                    + "parameters (SHA-1, HMAC-SHA1, 1000 iterations)"),
                PKIBody.TYPE_INIT_REQ, Party.pbmDefaults(dn(ec.name)), Party.pbmDefaults(caName),
                ec, "SHA256withECDSA", pki.issuing);
            enroll(new Flow("ir_pbmac1", 2, "ir with PBMAC1 (PBKDF2-HMAC-SHA256, HMAC-SHA256)"),
                PKIBody.TYPE_INIT_REQ, Party.pbmac1(dn(ec.name)), Party.pbmac1(caName), ec,
                "SHA256withECDSA", pki.issuing);
            enroll(new Flow("ir_sig_ec", 2, "ir signed with EC P-256 (ecdsa-with-SHA256)"),
                PKIBody.TYPE_INIT_REQ, Party.sig(pki.clientEc), Party.sig(pki.serverEc), ec,
                "SHA256withECDSA", pki.issuing);
            enroll(new Flow("ir_sig_p384", 2, "ir signed with EC P-384 (ecdsa-with-SHA384)"),
                PKIBody.TYPE_INIT_REQ, Party.sig(pki.clientP384), Party.sig(pki.serverP384), ec,
                "SHA256withECDSA", pki.issuing);
            enroll(new Flow("cr_sig_rsa", 2, "cr signed with RSA PKCS#1 v1.5 (sha256WithRSAEncryption)"),
                PKIBody.TYPE_CERT_REQ, Party.sig(pki.clientRsa), Party.sig(pki.serverRsa),
                pki.deviceRsa, "SHA256withRSA", pki.issuing);
            enroll(new Flow("cr_sig_rsa_pss", 2, "cr signed with RSASSA-PSS (SHA-256, MGF1-SHA-256), "
                    + "PSS POPO"),
                PKIBody.TYPE_CERT_REQ, Party.sig(pki.clientRsa, "SHA256withRSAandMGF1"),
                Party.sig(pki.serverRsa, "SHA256withRSAandMGF1"), pki.deviceRsa,
                "SHA256withRSAandMGF1", pki.issuing);
            enroll(new Flow("cr_sig_ed25519", 2, "cr signed with Ed25519, Ed25519 POPO"),
                PKIBody.TYPE_CERT_REQ, Party.sig(pki.clientEd25519), Party.sig(pki.serverEd25519),
                pki.deviceEd25519, "Ed25519", pki.issuing);
            enroll(new Flow("kur_sig_ec", 2, "kur signed with the certificate being updated "
                    + "(device-ec), new key device-ec-new, control oldCertID"),
                PKIBody.TYPE_KEY_UPDATE_REQ, Party.sig(ec), Party.sig(pki.serverEc), pki.deviceEcNew,
                "SHA256withECDSA", pki.issuing, oldCertId(ec.cert));
            enroll(new Flow("cr_pvno3_pbmac1", 3, "the whole transaction with pvno 3 (cmp2021), PBMAC1"),
                PKIBody.TYPE_CERT_REQ, Party.pbmac1(dn(ec.name)), Party.pbmac1(caName), ec,
                "SHA256withECDSA", pki.issuing);
            hashAlg();
            p10cr();
        }

        /** pvno 3: certConf with hashAlg for an Ed25519-signed certificate (RFC 9810 5.3.18, 7). */
        void hashAlg() throws Exception {
            Flow f = new Flow("ir_pvno3_hashalg_ed25519", 3, "pvno 3, Ed25519 protection; the "
                + "certificate is signed with Ed25519 by issuing-ca-ed25519 and certConf names "
                + "the certHash algorithm, hashAlg SHA-512 (the one RFC 9481 3.3 gives for "
                + "EdDSA, so optional here; any hashAlg requires pvno 3, RFC 9810 5.3.18)");
            Party client = Party.sig(pki.clientEd25519), server = Party.sig(pki.serverEd25519);
            Cred key = pki.deviceEd25519;
            Received req = f.request(client, server,
                new PKIBody(PKIBody.TYPE_INIT_REQ, certReq(key, "Ed25519")));
            X509CertificateHolder cert = issue(checkRequest(req), pki.issuingEd25519);
            Received rep = f.response(server, client,
                new PKIBody(PKIBody.TYPE_INIT_REP, certRep(caPubs(), granted(cert))));
            X509CertificateHolder got = certFrom(rep, key, pki.issuingEd25519);
            AlgorithmIdentifier sha512 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha512);
            DigestCalculator d = digests().get(sha512);
            try (OutputStream os = d.getOutputStream()) {
                os.write(got.getEncoded());
            }
            CertStatus status = new CertStatus(d.getDigest(), BigInteger.ZERO,
                status(PKIStatus.granted), sha512);
            Received conf = f.request(client, server, new PKIBody(PKIBody.TYPE_CERT_CONFIRM,
                CertConfirmContent.getInstance(seq(status))));
            CertStatus parsed = CertConfirmContent.getInstance(conf.content()).toCertStatusArray()[0];
            require(sha512.equals(parsed.getHashAlg()), "hashAlg survives re-parsing");
            checkCertConf(conf, cert);
            f.response(server, client, pkiconf());
        }

        void p10cr() throws Exception {
            Flow f = new Flow("p10cr_sig_ec", 2, "p10cr carrying a PKCS#10 request made by BC");
            Party client = Party.sig(pki.clientEc), server = Party.sig(pki.serverEc);
            Cred key = pki.deviceRsa;
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(dn(key.name),
                key.keys.getPublic()).build(key.signer());
            Received req = f.request(client, server,
                new PKIBody(PKIBody.TYPE_P10_CERT_REQ, csr.toASN1Structure()));
            PKCS10CertificationRequest got = new PKCS10CertificationRequest(
                org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(req.content()));
            require(got.isSignatureValid(verifier(got.getSubjectPublicKeyInfo())), "CSR signature");
            req.checked("PKCS#10 signature verified");
            X509CertificateHolder cert = pki.certify(got.getSubject(), got.getSubjectPublicKeyInfo(),
                pki.issuing, Profile.END_ENTITY);
            Received rep = f.response(server, client,
                new PKIBody(PKIBody.TYPE_CERT_REP, certRep(null, granted(cert))));
            checkCertConf(f.request(client, server, certConf(certFrom(rep, key, pki.issuing))), cert);
            f.response(server, client, pkiconf());
        }

        // ---- proof of possession of encryption keys and by an RA

        void popo() throws Exception {
            Cred rsa = pki.deviceRsa;
            Party client = Party.sig(pki.clientRsa), server = Party.sig(pki.serverRsa);

            // encrCert as EncryptedValue (pvno 2)
            Flow f = new Flow("ir_popo_encrcert_sig_rsa", 2, "POPO keyEncipherment "
                + "subsequentMessage encrCert: the ip returns the certificate as EncryptedValue "
                + "(AES-128-CBC, key wrapped with RSA to the requested key)");
            CertificateRequestMessageBuilder b = new CertificateRequestMessageBuilder(BigInteger.ZERO)
                .setSubject(dn(rsa.name)).setPublicKey(rsa.spki())
                .setProofOfPossessionSubsequentMessage(ProofOfPossession.TYPE_KEY_ENCIPHERMENT,
                    SubsequentMessage.encrCert);
            Received req = f.request(client, server,
                new PKIBody(PKIBody.TYPE_INIT_REQ, new CertReqMessages(b.build().toASN1Structure())));
            X509CertificateHolder cert = issue(checkRequest(req), pki.issuing);
            EncryptedValue ev = new JcaEncryptedValueBuilder(
                new JceAsymmetricKeyWrapper(rsa.keys.getPublic()).setProvider(BC),
                new JceCRMFEncryptorBuilder(CMSAlgorithm.AES128_CBC).setProvider(BC).build())
                .build(cert);
            CertResponse encrypted = new CertResponse(new ASN1Integer(0), status(PKIStatus.granted),
                new CertifiedKeyPair(new CertOrEncCert(ev)), null);
            Received rep = f.response(server, client,
                new PKIBody(PKIBody.TYPE_INIT_REP, certRep(caPubs(), encrypted)));
            CertOrEncCert coe = CertRepMessage.getInstance(rep.content()).getResponse()[0]
                .getCertifiedKeyPair().getCertOrEncCert();
            EncryptedKey ek = coe.getEncryptedCert();
            require(ek != null && ek.isEncryptedValue(), "encryptedCert is an EncryptedValue");
            X509CertificateHolder got = new EncryptedValueParser(EncryptedValue.getInstance(ek.getValue()))
                .readCertificateHolder(new JceAsymmetricValueDecryptorGenerator(rsa.keys.getPrivate())
                    .setProvider(BC));
            require(got.equals(cert), "decrypted certificate");
            rep.checked("encryptedCert decrypted with device-rsa");
            checkCertConf(f.request(client, server, certConf(got)), cert);
            f.response(server, client, pkiconf());

            encrCertEnvelopedData();
            challengeResponse();
            raVerified();
        }

        /** encrCert as EnvelopedData (RFC 9810 5.2.8.3.2): needs pvno 3 (RFC 9810 7). */
        void encrCertEnvelopedData() throws Exception {
            Cred rsa = pki.deviceRsa;
            Party client = Party.sig(pki.clientRsa), server = Party.sig(pki.serverRsa);
            Flow f = new Flow("ir_pvno3_encrcert_envelopeddata_rsa", 3, "POPO keyEncipherment "
                + "subsequentMessage encrCert: the ip returns the certificate as EnvelopedData "
                + "(RSAES-OAEP key transport to the requested key, AES-128-CBC), hence pvno 3");
            CertificateRequestMessageBuilder b = new CertificateRequestMessageBuilder(BigInteger.ZERO)
                .setSubject(dn(rsa.name)).setPublicKey(rsa.spki())
                .setProofOfPossessionSubsequentMessage(ProofOfPossession.TYPE_KEY_ENCIPHERMENT,
                    SubsequentMessage.encrCert);
            Received req = f.request(client, server,
                new PKIBody(PKIBody.TYPE_INIT_REQ, new CertReqMessages(b.build().toASN1Structure())));
            X509CertificateHolder cert = issue(checkRequest(req), pki.issuing);
            CMSEnvelopedDataGenerator gen = new CMSEnvelopedDataGenerator();
            AlgorithmIdentifier oaep = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP,
                new RSAESOAEPparams(
                    new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE),
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1,
                        new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE)),
                    RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));
            byte[] ski = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(rsa.spki())
                .getKeyIdentifier();
            gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(ski, oaep,
                rsa.keys.getPublic()).setProvider(BC));
            CMSEnvelopedData cms = gen.generate(new CMSProcessableByteArray(cert.getEncoded()),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES128_CBC).setProvider(BC).build());
            EnvelopedData env = EnvelopedData.getInstance(cms.toASN1Structure().getContent());
            CertResponse encrypted = new CertResponse(new ASN1Integer(0), status(PKIStatus.granted),
                new CertifiedKeyPair(new CertOrEncCert(new EncryptedKey(env))), null);
            Received rep = f.response(server, client,
                new PKIBody(PKIBody.TYPE_INIT_REP, certRep(caPubs(), encrypted)));
            EncryptedKey ek = CertRepMessage.getInstance(rep.content()).getResponse()[0]
                .getCertifiedKeyPair().getCertOrEncCert().getEncryptedCert();
            require(ek != null && !ek.isEncryptedValue(), "encryptedCert is EnvelopedData");
            CMSEnvelopedData parsed = new CMSEnvelopedData(
                new ContentInfo(PKCSObjectIdentifiers.envelopedData, ek.getValue()));
            RecipientInformation ri = parsed.getRecipientInfos().getRecipients().iterator().next();
            X509CertificateHolder got = new X509CertificateHolder(ri.getContent(
                new JceKeyTransEnvelopedRecipient(rsa.keys.getPrivate()).setProvider(BC)));
            require(got.equals(cert), "decrypted certificate");
            rep.checked("EnvelopedData decrypted with device-rsa");
            checkCertConf(f.request(client, server, certConf(got)), cert);
            f.response(server, client, pkiconf());
        }

        /** POPO by challenge-response: popdecc/popdecr (RFC 9810 5.2.8.3.3), pvno 2 syntax. */
        void challengeResponse() throws Exception {
            Cred rsa = pki.deviceRsa;
            Party client = Party.sig(pki.clientRsa), server = Party.sig(pki.serverRsa);
            Flow f = new Flow("cr_popo_challengeresp_sig_rsa", 2, "POPO keyEncipherment "
                + "subsequentMessage challengeResp: popdecc with a Rand encrypted (RSA PKCS#1 "
                + "v1.5) to the requested key, witness = SHA-256 of the DER INTEGER A; popdecr "
                + "returns A; then cp, certConf, pkiconf");
            CertificateRequestMessageBuilder b = new CertificateRequestMessageBuilder(BigInteger.ZERO)
                .setSubject(dn(rsa.name)).setPublicKey(rsa.spki())
                .setProofOfPossessionSubsequentMessage(ProofOfPossession.TYPE_KEY_ENCIPHERMENT,
                    SubsequentMessage.challengeResp);
            Received req = f.request(client, server,
                new PKIBody(PKIBody.TYPE_CERT_REQ, new CertReqMessages(b.build().toASN1Structure())));
            CertificateRequestMessage crm = checkRequest(req);

            ASN1Integer a = new ASN1Integer(new BigInteger(64, RANDOM));
            AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);
            DigestCalculator d = digests().get(sha256);
            try (OutputStream os = d.getOutputStream()) {
                os.write(a.getEncoded(ASN1Encoding.DER));
            }
            byte[] rand = seq(a, server.name).getEncoded(ASN1Encoding.DER);
            Cipher rsaEnc = Cipher.getInstance("RSA/NONE/PKCS1Padding", BC);
            rsaEnc.init(Cipher.ENCRYPT_MODE, rsa.keys.getPublic(), RANDOM);
            Challenge challenge = new Challenge(sha256, d.getDigest(), rsaEnc.doFinal(rand));
            Received chall = f.response(server, client,
                new PKIBody(PKIBody.TYPE_POPO_CHALL, POPODecKeyChallContent.getInstance(seq(challenge))));

            Challenge got = POPODecKeyChallContent.getInstance(chall.content()).toChallengeArray()[0];
            Cipher rsaDec = Cipher.getInstance("RSA/NONE/PKCS1Padding", BC);
            rsaDec.init(Cipher.DECRYPT_MODE, rsa.keys.getPrivate());
            ASN1Sequence decrypted = ASN1Sequence.getInstance(rsaDec.doFinal(got.getChallenge()));
            ASN1Integer gotA = ASN1Integer.getInstance(decrypted.getObjectAt(0));
            DigestCalculator d2 = digests().get(got.getOwf());
            try (OutputStream os = d2.getOutputStream()) {
                os.write(gotA.getEncoded(ASN1Encoding.DER));
            }
            require(Arrays.equals(d2.getDigest(), got.getWitness()), "witness matches");
            chall.checked("Rand decrypted with device-rsa, witness verified");
            Received resp = f.request(client, server,
                new PKIBody(PKIBody.TYPE_POPO_REP, POPODecKeyRespContent.getInstance(seq(gotA))));
            ASN1Integer answer = POPODecKeyRespContent.getInstance(resp.content()).toASN1IntegerArray()[0];
            require(answer.equals(a), "popdecr returns A");
            resp.checked("A matches the challenge");

            X509CertificateHolder cert = issue(crm, pki.issuing);
            Received rep = f.response(server, client,
                new PKIBody(PKIBody.TYPE_CERT_REP, certRep(null, granted(cert))));
            checkCertConf(f.request(client, server, certConf(certFrom(rep, rsa, pki.issuing))), cert);
            f.response(server, client, pkiconf());
        }

        void raVerified() throws Exception {
            Flow f = new Flow("ir_raverified_sig_ec", 2, "ir from an RA (cmp-ra-ec) with POPO "
                + "raVerified: the RA checked the POP itself");
            Party client = Party.sig(pki.ra), server = Party.sig(pki.serverEc);
            Cred key = pki.deviceEc;
            CertificateRequestMessageBuilder b = new CertificateRequestMessageBuilder(BigInteger.ZERO)
                .setSubject(dn(key.name)).setPublicKey(key.spki()).setProofOfPossessionRaVerified();
            Received req = f.request(client, server,
                new PKIBody(PKIBody.TYPE_INIT_REQ, new CertReqMessages(b.build().toASN1Structure())));
            X509CertificateHolder cert = issue(checkRequest(req), pki.issuing);
            Received rep = f.response(server, client,
                new PKIBody(PKIBody.TYPE_INIT_REP, certRep(caPubs(), granted(cert))));
            checkCertConf(f.request(client, server, certConf(certFrom(rep, key, pki.issuing))), cert);
            f.response(server, client, pkiconf());
        }

        // ---- krr/krp, ccr/ccp

        void rareRequests() throws Exception {
            Flow f = new Flow("krr_sig_rsa", 2, "key recovery: krr (CertReqMessages), krp with "
                + "newSigCert, caCerts and keyPairHist (certificate and the recovered private key "
                + "as EncryptedValue for client-rsa)");
            Party client = Party.sig(pki.clientRsa), server = Party.sig(pki.serverRsa);
            Received req = f.request(client, server, new PKIBody(PKIBody.TYPE_KEY_RECOVERY_REQ,
                certReq(pki.clientRsa, pki.clientRsa.cert.getSubject(), "SHA256withRSA")));
            X509CertificateHolder newSig = issue(checkRequest(req), pki.issuing);
            EncryptedValue key = new JcaEncryptedValueBuilder(
                new JceAsymmetricKeyWrapper(pki.clientRsa.keys.getPublic()).setProvider(BC),
                new JceCRMFEncryptorBuilder(CMSAlgorithm.AES128_CBC).setProvider(BC).build())
                .build(pki.deviceRsa.keys.getPrivate());
            CertifiedKeyPair hist = new CertifiedKeyPair(
                new CertOrEncCert(new CMPCertificate(pki.deviceRsa.cert.toASN1Structure())), key, null);
            KeyRecRepContent krp = KeyRecRepContent.getInstance(seq(status(PKIStatus.granted),
                new DERTaggedObject(true, 0, new CMPCertificate(newSig.toASN1Structure())),
                new DERTaggedObject(true, 1, seq(new CMPCertificate(pki.issuing.cert.toASN1Structure()),
                    new CMPCertificate(pki.root.cert.toASN1Structure()))),
                new DERTaggedObject(true, 2, seq(hist))));
            Received rep = f.response(server, client, new PKIBody(PKIBody.TYPE_KEY_RECOVERY_REP, krp));
            KeyRecRepContent got = KeyRecRepContent.getInstance(rep.content());
            require(got.getKeyPairHist().length == 1 && got.getCaCerts().length == 2, "krp content");
            EncryptedKey priv = got.getKeyPairHist()[0].getPrivateKey();
            require(priv.isEncryptedValue(), "privateKey is an EncryptedValue");
            var pk = new EncryptedValueParser(EncryptedValue.getInstance(priv.getValue()))
                .readPrivateKeyInfo(new JceAsymmetricValueDecryptorGenerator(
                    pki.clientRsa.keys.getPrivate()).setProvider(BC));
            require(Arrays.equals(pk.getEncoded(), pki.deviceRsa.keys.getPrivate().getEncoded()),
                "recovered key");
            rep.checked("recovered private key decrypted with client-rsa");

            Flow c = new Flow("ccr_sig_ec", 2, "cross-certification: the issuing CA (signing with its "
                + "own key) asks for a certificate of its key; the ccp certificate is issued by "
                + "root-ca-new; certConf; pkiconf");
            Party ca = Party.sig(pki.issuing), other = Party.sig(pki.serverRsa);
            Received ccr = c.request(ca, other, new PKIBody(PKIBody.TYPE_CROSS_CERT_REQ,
                certReq(pki.issuing, pki.issuing.cert.getSubject(), "SHA256withECDSA")));
            CertificateRequestMessage crm = checkRequest(ccr);
            X509CertificateHolder cross = pki.certify(crm.getCertTemplate().getSubject(),
                crm.getCertTemplate().getPublicKey(), pki.rootNew, Profile.SUB_CA);
            Received ccp = c.response(other, ca,
                new PKIBody(PKIBody.TYPE_CROSS_CERT_REP, certRep(null, granted(cross))));
            checkCertConf(c.request(ca, other, certConf(certFrom(ccp, pki.issuing, pki.rootNew))), cross);
            c.response(other, ca, pkiconf());
        }

        // ---- rr/rp

        void revocation() throws Exception {
            Cred ec = pki.deviceEc;
            Flow f = new Flow("rr_sig_ec", 2, "rr signed with the certificate to revoke, reason "
                + "keyCompromise; rp accepted with revCerts");
            Party client = Party.sig(ec), server = Party.sig(pki.serverEc);
            Received rr = f.request(client, server, rr(ec.cert, CRLReason.keyCompromise));
            RevDetails details = RevReqContent.getInstance(rr.content()).toRevDetailsArray()[0];
            require(details.getCertDetails().getSerialNumber().getValue().equals(
                ec.cert.getSerialNumber()), "serial");
            require(details.getCrlEntryDetails().getExtension(Extension.reasonCode) != null, "reason");
            rr.checked("certDetails and reasonCode read back");
            RevRepContent rp = new RevRepContentBuilder()
                .add(status(PKIStatus.granted),
                    new CertId(new GeneralName(ec.cert.getIssuer()), ec.cert.getSerialNumber()))
                .build();
            f.response(server, client, new PKIBody(PKIBody.TYPE_REVOCATION_REP, rp));

            Flow g = new Flow("rr_rejection_pbm", 2, "rr with PBM, reason superseded; rp "
                + "rejection badCertId");
            Party eePbm = eePbm(ec);
            g.request(eePbm, caPbm(), rr(ec.cert, CRLReason.superseded));
            g.response(caPbm(), eePbm, new PKIBody(PKIBody.TYPE_REVOCATION_REP,
                new RevRepContentBuilder().add(rejection(PKIFailureInfo.badCertId,
                    "unknown certificate")).build()));
        }

        static PKIBody rr(X509CertificateHolder cert, int reason) throws Exception {
            RevDetails plain = new RevocationDetailsBuilder()
                .setIssuer(cert.getIssuer())
                .setSerialNumber(cert.getSerialNumber())
                .build().toASN1Structure();
            Extensions crlEntryDetails = new Extensions(new Extension(Extension.reasonCode, false,
                CRLReason.lookup(reason).getEncoded(ASN1Encoding.DER)));
            return new PKIBody(PKIBody.TYPE_REVOCATION_REQ,
                new RevReqContent(new RevDetails(plain.getCertDetails(), crlEntryDetails)));
        }

        // ---- genm/genp

        void general() throws Exception {
            Cred ec = pki.deviceEc;
            Party pbmClient = eePbm(ec), pbmServer = caPbm();
            Party sigClient = Party.sig(pki.clientEc), sigServer = Party.sig(pki.serverEc);

            Flow f = new Flow("genm_empty_pbm", 2, "genm without any InfoTypeAndValue; empty genp");
            f.request(pbmClient, pbmServer, genm());
            f.response(pbmServer, pbmClient, genp());

            f = new Flow("genm_cacerts_sig_ec", 2, "caCerts (RFC 9483 4.3.1): genp with root-ca, "
                + "issuing-ca and issuing-ca-ed25519");
            f.request(sigClient, sigServer, genm(new InfoTypeAndValue(CMPObjectIdentifiers.id_it_caCerts)));
            Received rep = f.response(sigServer, sigClient, genp(new InfoTypeAndValue(
                CMPObjectIdentifiers.id_it_caCerts, seq(cmp(pki.root.cert), cmp(pki.issuing.cert),
                    cmp(pki.issuingEd25519.cert)))));
            ASN1Sequence caCerts = ASN1Sequence.getInstance(itav(rep).getInfoValue());
            for (ASN1Encodable c : caCerts) {
                CMPCertificate.getInstance(c);
            }
            rep.checked(caCerts.size() + " CMPCertificates read back");

            f = new Flow("genm_rootcakeyupdate_sig_ec", 2, "root CA certificate update (RFC 9483 "
                + "4.3.2): genm rootCaCert with the current root certificate; genp rootCaKeyUpdate "
                + "with RootCaKeyUpdateContent newWithNew, newWithOld, oldWithNew");
            f.request(sigClient, sigServer, genm(
                new InfoTypeAndValue(CMPObjectIdentifiers.id_it_rootCaCert, cmp(pki.root.cert))));
            rep = f.response(sigServer, sigClient, genp(new InfoTypeAndValue(
                CMPObjectIdentifiers.id_it_rootCaKeyUpdate, new RootCaKeyUpdateContent(
                    cmp(pki.rootNew.cert), cmp(pki.newWithOld), cmp(pki.oldWithNew)))));
            RootCaKeyUpdateContent upd = RootCaKeyUpdateContent.getInstance(itav(rep).getInfoValue());
            X509CertificateHolder newWithOld = new X509CertificateHolder(
                upd.getNewWithOld().getX509v3PKCert());
            require(newWithOld.isSignatureValid(verifier(pki.root.cert)), "newWithOld signed by old");
            rep.checked("newWithOld verified with root-ca");

            f = new Flow("genm_certreqtemplate_pbm", 2, "certReqTemplate (RFC 9483 4.3.3): genp "
                + "with a CertTemplate (subject, keyUsage extension) and keySpec (algId EC P-256, "
                + "rsaKeyLen 2048)");
            f.request(pbmClient, pbmServer,
                genm(new InfoTypeAndValue(CMPObjectIdentifiers.id_it_certReqTemplate)));
            Extensions ext = new Extensions(new Extension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature).getEncoded(ASN1Encoding.DER)));
            CertTemplate template = new CertTemplateBuilder()
                .setSubject(dn("device-template"))
                .setExtensions(ext)
                .build();
            ASN1Sequence keySpec = seq(
                new AttributeTypeAndValue(CMPObjectIdentifiers.id_regCtrl_algId,
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                        SECObjectIdentifiers.secp256r1)),
                new AttributeTypeAndValue(CMPObjectIdentifiers.id_regCtrl_rsaKeyLen, new ASN1Integer(2048)));
            rep = f.response(pbmServer, pbmClient, genp(new InfoTypeAndValue(
                CMPObjectIdentifiers.id_it_certReqTemplate, new CertReqTemplateContent(template, keySpec))));
            CertReqTemplateContent got = CertReqTemplateContent.getInstance(itav(rep).getInfoValue());
            require(got.getKeySpec().size() == 2 && got.getCertTemplate().getSubject() != null,
                "template read back");
            rep.checked("CertReqTemplateContent read back");

            f = new Flow("genm_crlstatuslist_sig_ec", 2, "CRL update retrieval (RFC 9483 4.3.4): "
                + "genm crlStatusList (issuer name and thisUpdate of the CRL held), genp crls with "
                + "the current CRL");
            CRLStatus held = new CRLStatus(new CRLSource(null,
                new GeneralNames(new GeneralName(pki.issuing.cert.getSubject()))),
                new Time(new Date(System.currentTimeMillis() - 86_400_000L)));
            Received req = f.request(sigClient, sigServer, genm(new InfoTypeAndValue(
                CMPObjectIdentifiers.id_it_crlStatusList, seq(held))));
            CRLStatus gotStatus = CRLStatus.getInstance(
                ASN1Sequence.getInstance(itav(req).getInfoValue()).getObjectAt(0));
            require(gotStatus.getSource().getIssuer() != null, "CRLSource issuer");
            req.checked("CRLStatus read back");
            rep = f.response(sigServer, sigClient, genp(new InfoTypeAndValue(
                CMPObjectIdentifiers.id_it_crls, seq(pki.crl.toASN1Structure()))));
            X509CRLHolder crl = new X509CRLHolder(CertificateList.getInstance(
                ASN1Sequence.getInstance(itav(rep).getInfoValue()).getObjectAt(0)));
            require(crl.isSignatureValid(verifier(pki.issuing.cert)), "CRL signature");
            rep.checked("CRL verified with issuing-ca");
        }

        static CMPCertificate cmp(X509CertificateHolder cert) {
            return new CMPCertificate(cert.toASN1Structure());
        }

        static PKIBody genm(InfoTypeAndValue... itavs) {
            return new PKIBody(PKIBody.TYPE_GEN_MSG, new GenMsgContent(itavs));
        }

        static PKIBody genp(InfoTypeAndValue... itavs) {
            return new PKIBody(PKIBody.TYPE_GEN_REP, new GenRepContent(itavs));
        }

        static InfoTypeAndValue itav(Received r) {
            InfoTypeAndValue[] all = r.body().getType() == PKIBody.TYPE_GEN_MSG
                ? GenMsgContent.getInstance(r.content()).toInfoTypeAndValueArray()
                : GenRepContent.getInstance(r.content()).toInfoTypeAndValueArray();
            return all[0];
        }

        // ---- polling, implicit confirmation, rejections, errors, unprotected

        void outcomes() throws Exception {
            Cred ec = pki.deviceEc;
            Party pbmClient = eePbm(ec), pbmServer = caPbm();
            Party sigClient = Party.sig(pki.clientEc), sigServer = Party.sig(pki.serverEc);
            InfoTypeAndValue implicit = new InfoTypeAndValue(CMPObjectIdentifiers.it_implicitConfirm,
                DERNull.INSTANCE);

            Flow f = new Flow("ir_implicit_confirm_pbm", 2, "implicitConfirm asked for in the ir "
                + "and granted in the ip: no certConf");
            Received req = f.request(pbmClient, pbmServer,
                new PKIBody(PKIBody.TYPE_INIT_REQ, certReq(ec, "SHA256withECDSA")), implicit);
            X509CertificateHolder cert = issue(checkRequest(req), pki.issuing);
            Received rep = f.response(pbmServer, pbmClient,
                new PKIBody(PKIBody.TYPE_INIT_REP, certRep(caPubs(), granted(cert))), implicit);
            certFrom(rep, ec, pki.issuing);

            f = new Flow("ir_confirm_wait_time_sig_ec", 2, "the ip announces confirmWaitTime "
                + "in generalInfo; certConf; pkiconf");
            req = f.request(sigClient, sigServer,
                new PKIBody(PKIBody.TYPE_INIT_REQ, certReq(ec, "SHA256withECDSA")));
            cert = issue(checkRequest(req), pki.issuing);
            InfoTypeAndValue wait = new InfoTypeAndValue(CMPObjectIdentifiers.it_confirmWaitTime,
                new ASN1GeneralizedTime(new Date(System.currentTimeMillis() / 1000 * 1000 + 300_000)));
            rep = f.response(sigServer, sigClient,
                new PKIBody(PKIBody.TYPE_INIT_REP, certRep(caPubs(), granted(cert))), wait);
            checkCertConf(f.request(sigClient, sigServer, certConf(certFrom(rep, ec, pki.issuing))), cert);
            f.response(sigServer, sigClient, pkiconf());

            f = new Flow("ir_polling_pbm", 2, "ip waiting, pollReq, pollRep (checkAfter 2, "
                + "reason), pollReq, ip with the certificate, certConf, pkiconf");
            req = f.request(pbmClient, pbmServer,
                new PKIBody(PKIBody.TYPE_INIT_REQ, certReq(ec, "SHA256withECDSA")));
            CertificateRequestMessage crm = checkRequest(req);
            f.response(pbmServer, pbmClient, new PKIBody(PKIBody.TYPE_INIT_REP,
                certRep(null, new CertResponse(new ASN1Integer(0), status(PKIStatus.waiting)))));
            PKIBody pollReq = new PKIBody(PKIBody.TYPE_POLL_REQ, new PollReqContent(BigInteger.ZERO));
            f.request(pbmClient, pbmServer, pollReq);
            f.response(pbmServer, pbmClient, new PKIBody(PKIBody.TYPE_POLL_REP, new PollRepContent(
                new ASN1Integer(0), new ASN1Integer(2), new PKIFreeText("waiting for approval"))));
            f.request(pbmClient, pbmServer, pollReq);
            cert = issue(crm, pki.issuing);
            rep = f.response(pbmServer, pbmClient,
                new PKIBody(PKIBody.TYPE_INIT_REP, certRep(caPubs(), granted(cert))));
            checkCertConf(f.request(pbmClient, pbmServer, certConf(certFrom(rep, ec, pki.issuing))), cert);
            f.response(pbmServer, pbmClient, pkiconf());

            f = new Flow("ir_rejection_sig_ec", 2, "ip rejection, failInfo badPOP, statusString");
            f.request(sigClient, sigServer, new PKIBody(PKIBody.TYPE_INIT_REQ, certReq(ec, "SHA256withECDSA")));
            f.response(sigServer, sigClient, new PKIBody(PKIBody.TYPE_INIT_REP, certRep(null,
                new CertResponse(new ASN1Integer(0), rejection(PKIFailureInfo.badPOP, "rejected by policy")))));

            f = new Flow("ir_certconf_reject_pbm", 2, "the client rejects the certificate: certConf "
                + "with status rejection, failInfo badCertTemplate; pkiconf");
            req = f.request(pbmClient, pbmServer,
                new PKIBody(PKIBody.TYPE_INIT_REQ, certReq(ec, "SHA256withECDSA")));
            cert = issue(checkRequest(req), pki.issuing);
            rep = f.response(pbmServer, pbmClient,
                new PKIBody(PKIBody.TYPE_INIT_REP, certRep(caPubs(), granted(cert))));
            X509CertificateHolder got = certFrom(rep, ec, pki.issuing);
            // CertificateConfirmationContentBuilder only accepts: build the CertStatus directly
            byte[] hash = certConfHash(got);
            Received conf = f.request(pbmClient, pbmServer, new PKIBody(PKIBody.TYPE_CERT_CONFIRM,
                CertConfirmContent.getInstance(seq(new CertStatus(hash, BigInteger.ZERO,
                    rejection(PKIFailureInfo.badCertTemplate, "wrong subject"))))));
            checkCertConf(conf, cert);
            f.response(pbmServer, pbmClient, pkiconf());

            f = new Flow("cr_pbm_error_sig_ec", 2, "the CA answers a PBM-protected cr with an "
                + "error message (badRequest, errorCode, errorDetails), signed: RFC 9810 5.3.21 "
                + "has the CA always sign error messages");
            f.request(pbmClient, pbmServer, new PKIBody(PKIBody.TYPE_CERT_REQ, certReq(ec, "SHA256withECDSA")));
            f.response(sigServer, pbmClient, new PKIBody(PKIBody.TYPE_ERROR, new ErrorMsgContent(
                rejection(PKIFailureInfo.badRequest, "cannot process"), new ASN1Integer(42),
                new PKIFreeText("errorDetails from Bouncy Castle"))));

            f = new Flow("ir_client_error_sig_ec", 2, "the client refuses the ip with an error "
                + "message (systemFailure); the CA acknowledges it with pkiconf");
            req = f.request(sigClient, sigServer,
                new PKIBody(PKIBody.TYPE_INIT_REQ, certReq(ec, "SHA256withECDSA")));
            cert = issue(checkRequest(req), pki.issuing);
            f.response(sigServer, sigClient,
                new PKIBody(PKIBody.TYPE_INIT_REP, certRep(caPubs(), granted(cert))));
            f.request(sigClient, sigServer, new PKIBody(PKIBody.TYPE_ERROR, new ErrorMsgContent(
                rejection(PKIFailureInfo.systemFailure, "client cannot store the certificate"))));
            f.response(sigServer, sigClient, pkiconf());

            f = new Flow("ir_unprotected", 2, "unprotected ir; unprotected error answer "
                + "(badMessageCheck)");
            Party none = Party.unprotected(dn(ec.name)), noneServer = Party.unprotected(caName);
            f.request(none, noneServer, new PKIBody(PKIBody.TYPE_INIT_REQ, certReq(ec, "SHA256withECDSA")));
            f.response(noneServer, none, new PKIBody(PKIBody.TYPE_ERROR, new ErrorMsgContent(
                rejection(PKIFailureInfo.badMessageCheck, "protection required"))));
        }

        static byte[] certConfHash(X509CertificateHolder cert) throws Exception {
            AlgorithmIdentifier alg = new org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder()
                .find(cert.getSignatureAlgorithm());
            DigestCalculator d = digests().get(alg);
            try (OutputStream os = d.getOutputStream()) {
                os.write(cert.getEncoded());
            }
            return d.getDigest();
        }

        // ---- nested

        void nested() throws Exception {
            Cred ec = pki.deviceEc;
            Party ee = Party.sig(pki.clientEc), ra = Party.sig(pki.ra), server = Party.sig(pki.serverEc);

            Flow f = new Flow("nested_ra_sig_ec", 2, "an RA forwards a client's ir inside a "
                + "nested message signed by the RA, with the ir's transactionID and senderNonce "
                + "(RFC 9483 5.2.2.1); the CA answers the ir with a plain ip");
            Received ir = f.request(ee, server,
                new PKIBody(PKIBody.TYPE_INIT_REQ, certReq(ec, "SHA256withECDSA")));
            // RFC 9483 5.2.2.1: the nested header repeats the inner transactionID and senderNonce
            PKIMessage wrapped = build(2, ra, server, new PKIBody(PKIBody.TYPE_NESTED,
                new NestedMessageContent(ir.msg)), f.tid,
                ir.msg.getHeader().getSenderNonce().getOctets(), null);
            Received nested = f.write(String.format("%s/%02d-req-nested.der", f.name, ++f.seq),
                wrapped, ra);
            PKIMessage inner = NestedMessageContent.getInstance(nested.content()).toPKIMessageArray()[0];
            require(Arrays.equals(inner.getEncoded(ASN1Encoding.DER), ir.msg.getEncoded(ASN1Encoding.DER)),
                "inner message unchanged");
            verifyProtection(inner, ee);
            nested.checked("inner ir verified with " + pki.clientEc.certPath());
            X509CertificateHolder cert = issue(checkRequest(new Received(inner, nested.row)), pki.issuing);
            f.lastNonce = inner.getHeader().getSenderNonce().getOctets();
            f.response(server, ee, new PKIBody(PKIBody.TYPE_INIT_REP, certRep(caPubs(), granted(cert))));

            Flow g = new Flow("nested_batch_sig_ec", 2, "batching (RFC 9483 5.2.2.2): a nested "
                + "message from the RA with two requests (a PBM ir and a signed cr), answered by "
                + "a nested message from the CA with the ip and the cp");
            Party pbm = eePbm(ec);
            byte[] tid1 = random(16), tid2 = random(16), n1 = random(16), n2 = random(16);
            PKIMessage ir2 = build(2, pbm, caPbm(),
                new PKIBody(PKIBody.TYPE_INIT_REQ, certReq(ec, "SHA256withECDSA")), tid1, n1, null);
            PKIMessage cr2 = build(2, ee, server,
                new PKIBody(PKIBody.TYPE_CERT_REQ, certReq(pki.deviceRsa, "SHA256withRSA")), tid2, n2, null);
            Received batch = g.request(ra, server, new PKIBody(PKIBody.TYPE_NESTED,
                new NestedMessageContent(new PKIMessage[] {ir2, cr2})));
            PKIMessage[] inners = NestedMessageContent.getInstance(batch.content()).toPKIMessageArray();
            require(inners.length == 2, "two nested messages");
            verifyProtection(inners[0], pbm);
            verifyProtection(inners[1], ee);
            batch.checked("inner ir verified with the PBM secret, inner cr with "
                + pki.clientEc.certPath());
            X509CertificateHolder c1 = issue(checkRequest(new Received(inners[0], batch.row)), pki.issuing);
            X509CertificateHolder c2 = issue(checkRequest(new Received(inners[1], batch.row)), pki.issuing);
            PKIMessage ip = build(2, caPbm(), pbm,
                new PKIBody(PKIBody.TYPE_INIT_REP, certRep(caPubs(), granted(c1))), tid1, random(16), n1);
            PKIMessage cp = build(2, server, ee,
                new PKIBody(PKIBody.TYPE_CERT_REP, certRep(null, granted(c2))), tid2, random(16), n2);
            Received answer = g.response(server, ra, new PKIBody(PKIBody.TYPE_NESTED,
                new NestedMessageContent(new PKIMessage[] {ip, cp})));
            PKIMessage[] replies = NestedMessageContent.getInstance(answer.content()).toPKIMessageArray();
            verifyProtection(replies[0], caPbm());
            verifyProtection(replies[1], server);
            answer.checked("inner ip verified with the PBM secret, inner cp with "
                + pki.serverEc.certPath());
        }

        // ---- announcements: one message each, from the CA side

        void announcements() throws Exception {
            Party ca = Party.sig(pki.serverEc);
            Party ee = Party.sig(pki.clientEc);

            Flow f = new Flow("ckuann_sig_ec", 2, "CA key update announcement (pvno 2 "
                + "CAKeyUpdAnnContent) for the root key rollover");
            Received r = f.response(ca, ee, new PKIBody(PKIBody.TYPE_CA_KEY_UPDATE_ANN,
                new CAKeyUpdAnnContent(cmp(pki.oldWithNew), cmp(pki.newWithOld), cmp(pki.rootNew.cert))));
            CAKeyUpdAnnContent ann = CAKeyUpdAnnContent.getInstance(r.content());
            require(new X509CertificateHolder(ann.getNewWithNew().getX509v3PKCert())
                .isSignatureValid(verifier(pki.rootNew.cert)), "newWithNew");
            r.checked("newWithNew verified with root-ca-new");

            f = new Flow("cann_sig_ec", 2, "certificate announcement of device-ec's certificate");
            r = f.response(ca, ee, new PKIBody(PKIBody.TYPE_CERT_ANN, cmp(pki.deviceEc.cert)));
            require(CMPCertificate.getInstance(r.content()).isX509v3PKCert(), "cann certificate");

            f = new Flow("rann_sig_ec", 2, "revocation announcement: revocationNotification for "
                + "device-ec's certificate, with crlDetails reasonCode");
            long now = System.currentTimeMillis() / 1000 * 1000;
            r = f.response(ca, ee, new PKIBody(PKIBody.TYPE_REVOCATION_ANN, new RevAnnContent(
                PKIStatus.revocationNotification,
                new CertId(new GeneralName(pki.deviceEc.cert.getIssuer()), pki.deviceEc.cert.getSerialNumber()),
                new ASN1GeneralizedTime(new Date(now + 3_600_000)),
                new ASN1GeneralizedTime(new Date(now - 86_400_000)),
                new Extensions(new Extension(Extension.reasonCode, false,
                    CRLReason.lookup(CRLReason.keyCompromise).getEncoded(ASN1Encoding.DER))))));
            require(RevAnnContent.getInstance(r.content()).getCrlDetails() != null, "crlDetails");

            f = new Flow("crlann_sig_ec", 2, "CRL announcement with the issuing CA's CRL");
            r = f.response(ca, ee, new PKIBody(PKIBody.TYPE_CRL_ANN,
                new CRLAnnContent(pki.crl.toASN1Structure())));
            X509CRLHolder crl = new X509CRLHolder(
                CRLAnnContent.getInstance(r.content()).getCertificateLists()[0]);
            require(crl.isSignatureValid(verifier(pki.issuing.cert)), "CRL");
            r.checked("CRL verified with issuing-ca");
        }
    }

    // ---------------------------------------------------------------------------------- probes

    /** What BC 1.72 cannot do: each probe records what happened when we tried. */
    static final class Probes {
        final Pki pki;

        Probes(Pki pki) {
            this.pki = pki;
        }

        void record(String topic, String result) {
            LIMITS.add(new String[] {topic, result});
        }

        void all() throws Exception {
            AlgorithmIdentifier raw = new JcePBMac1CalculatorBuilder("HmacSHA256", 256)
                .setProvider(BC).build(secret).getAlgorithmIdentifier();
            ASN1ObjectIdentifier kdf = PBMAC1Params.getInstance(raw.getParameters())
                .getKeyDerivationFunc().getAlgorithm();
            record("PBMAC1 keyDerivationFunc", kdf.equals(PKCSObjectIdentifiers.id_PBKDF2)
                ? "id-PBKDF2 (BC is fixed: remove withPbkdf2Oid)"
                : "BC bug: JcePBMac1CalculatorBuilder writes " + kdf + " (id-PBES2) where RFC 8018 "
                    + "A.5 and RFC 9481 6.1.2 require id-PBKDF2 (1.2.840.113549.1.5.12), and "
                    + "BC's PBMAC1 verifier accepts either OID. A conforming receiver rejects such "
                    + "a message, so the PBMAC1 vectors keep BC's PBKDF2-params and MAC and "
                    + "name the KDF id-PBKDF2 (BcVectors.withPbkdf2Oid)");

            // ckuann with pvno 3 syntax: CAKeyUpdContent [0] RootCaKeyUpdateContent
            RootCaKeyUpdateContent v3 = new RootCaKeyUpdateContent(
                Flows.cmp(pki.rootNew.cert), Flows.cmp(pki.newWithOld), Flows.cmp(pki.oldWithNew));
            try {
                PKIBody.getInstance(new DERTaggedObject(true, PKIBody.TYPE_CA_KEY_UPDATE_ANN,
                    new DERTaggedObject(true, 0, v3)));
                record("ckuann with cAKeyUpdAnnV3 ([0] RootCaKeyUpdateContent, cmp2021)",
                    "PKIBody.getInstance accepted it (unexpected: make it a flow)");
            } catch (RuntimeException e) {
                record("ckuann with cAKeyUpdAnnV3 ([0] RootCaKeyUpdateContent, cmp2021)",
                    "no API: CAKeyUpdAnnContent is the pvno 2 SEQUENCE only; PKIBody.getInstance "
                        + "rejects the [0] choice: " + oneLine(e));
            }

            // popdecc with encryptedRand [0] EnvelopedData (cmp2021)
            boolean hasEncryptedRand = Arrays.stream(Challenge.class.getMethods())
                .anyMatch(m -> m.getName().toLowerCase().contains("encryptedrand"));
            record("popdecc Challenge.encryptedRand ([0] EnvelopedData, cmp2021)", hasEncryptedRand
                ? "present (unexpected: make it a flow)"
                : "no API: Challenge has only owf, witness, challenge; the popdecc flow uses the "
                    + "pvno 2 challenge (Rand encrypted with the RSA key)");

            // certConf hashAlg: the builder never writes it, CertificateStatus ignores it
            X509CertificateHolder ed = pki.certify(dn("probe"), pki.deviceEd25519.keys.getPublic(),
                pki.issuingEd25519, Profile.END_ENTITY);
            AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);
            DigestCalculator d = digests().get(sha256);
            try (OutputStream os = d.getOutputStream()) {
                os.write(ed.getEncoded());
            }
            CertStatus withSha256 = new CertStatus(d.getDigest(), BigInteger.ZERO,
                status(PKIStatus.granted), sha256);
            boolean honoured = new CertificateConfirmationContent(
                CertConfirmContent.getInstance(seq(withSha256))).getStatusMessages()[0]
                .isVerified(ed, digests());
            record("certConf hashAlg (cmp2021)", "CertificateConfirmationContentBuilder never "
                + "writes hashAlg (built with the 4-argument CertStatus constructor instead) and "
                + "CertificateStatus.isVerified " + (honoured ? "honours" : "ignores")
                + " it: a SHA-256 certHash with hashAlg sha256 for an Ed25519-signed certificate "
                + (honoured ? "verifies" : "does not verify (it always hashes with SHA-512 for Ed25519)"));

            record("certConf rejection", "CertificateConfirmationContentBuilder has only "
                + "addAcceptedCertificate: the rejecting CertStatus is built with the ASN.1 class");
            record("unprotected messages", "ProtectedPKIMessageBuilder always protects: "
                + "unprotected messages are assembled with PKIHeaderBuilder and new PKIMessage(header, body)");
            record("popdecc, popdecr, krp", "POPODecKeyChallContent, POPODecKeyRespContent and "
                + "KeyRecRepContent have no public constructors: built with getInstance(SEQUENCE), "
                + "which checks the structure");

            boolean kem = Arrays.stream(CMPObjectIdentifiers.class.getFields())
                .anyMatch(fl -> fl.getName().toLowerCase().contains("kem"));
            record("KEM-based protection and KemCiphertextInfo (id-it 24)", kem
                ? "an OID is defined (unexpected: check for an API)"
                : "not in BC 1.72: no id-it-KemCiphertextInfo, no KemBMParameter");
            record("DHBasedMac protection", "DHBMParameter exists but there is no MacCalculator "
                + "for it: not produced");
            record("POPO keyAgreement (dhMAC, agreeMAC)", "setProofOfPossessionAgreeMAC needs a "
                + "PKMACValue computed outside the API from a DH shared secret: not produced");
            record("central key generation (privateKey as EnvelopedData of SignedData "
                + "AsymmetricKeyPackage, RFC 9483 4.1.6)", "no CMP-level API in 1.72: not produced");
        }

        static String oneLine(Exception e) {
            return (e.getClass().getSimpleName() + ": " + e.getMessage()).replace('\n', ' ').replace('\t', ' ');
        }
    }
}
