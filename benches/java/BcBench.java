// The Bouncy Castle peer of the cmp-codec benchmarks: times BC 1.72 decoding CMP messages
// and verifying their protection, on the same bytes the Rust benchmarks use.
//
//   java -cp /usr/share/java/bcprov.jar:/usr/share/java/bcpkix.jar:/usr/share/java/bcutil.jar \
//        benches/java/BcBench.java CASE...
//
// CASE is one of
//   parse:ID:FILE          PKIMessage.getInstance(ASN1Primitive.fromByteArray(der))
//   mac:ID:FILE:SECRET     decode + ProtectedPKIMessage.verify(PKMACBuilder, secret) (PBM)
//   sig:ID:FILE:CERT       decode + ProtectedPKIMessage.verify(ContentVerifierProvider(cert))
//   corpus:ID:LIST         the parse of every message LIST names (lines ID <tab> FILE), each
//                          timed on its own (one line per message, with its ID)
// and prints one line per case: ID <tab> median ns/op <tab> bytes allocated/op <tab> ops.
// Timing: warm-up (JIT) for 3 s, then 15 batches of about 200 ms; the median batch is
// reported. `corpus`: one 3 s warm-up over all its messages, then per message one warm-up
// batch and 9 batches of about 2 ms (the Rust side's per-message rule, permsg.rs).
// Allocation: the thread's allocated bytes (com.sun.management.ThreadMXBean).
// `cargo xtask bench` runs this and puts the lines into benches/RESULTS.md.

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.Security;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.crmf.PKMACBuilder;
import org.bouncycastle.cert.crmf.jcajce.JcePKMACValuesCalculator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

public class BcBench {
    interface Op {
        Object run() throws Exception;
    }

    static volatile Object sink;

    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    static void measure(String id, Op op) throws Exception {
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        long ops = 0;
        while (System.nanoTime() < warmEnd) {
            sink = op.run();
            ops++;
        }
        // Batch size for about 200 ms.
        long perBatch = Math.max(1, ops / 15);
        double[] nsPerOp = new double[15];
        long allocBefore = allocated();
        long total = 0;
        for (int b = 0; b < nsPerOp.length; b++) {
            long t0 = System.nanoTime();
            for (long i = 0; i < perBatch; i++) {
                sink = op.run();
            }
            nsPerOp[b] = (System.nanoTime() - t0) / (double) perBatch;
            total += perBatch;
        }
        long bytes = (allocated() - allocBefore) / total;
        Arrays.sort(nsPerOp);
        System.out.printf("%s\t%.1f\t%d\t%d%n", id, nsPerOp[nsPerOp.length / 2], bytes, total);
    }

    static void measureShort(String id, Op op) throws Exception {
        long t0 = System.nanoTime();
        sink = op.run();
        long once = Math.max(20, System.nanoTime() - t0);
        long perBatch = Math.max(1, Math.min(1_000_000, 2_000_000L / once));
        double[] nsPerOp = new double[10];
        long allocBefore = 0;
        for (int b = 0; b < nsPerOp.length; b++) {
            if (b == 1) allocBefore = allocated();
            long t = System.nanoTime();
            for (long i = 0; i < perBatch; i++) {
                sink = op.run();
            }
            nsPerOp[b] = (System.nanoTime() - t) / (double) perBatch;
        }
        long bytes = (allocated() - allocBefore) / (perBatch * 9);
        double[] timed = Arrays.copyOfRange(nsPerOp, 1, nsPerOp.length);
        Arrays.sort(timed);
        System.out.printf("%s\t%.1f\t%d\t%d%n", id, timed[timed.length / 2], bytes, perBatch * 9);
    }

    static void corpus(String list) throws Exception {
        java.util.List<String> ids = new java.util.ArrayList<>();
        java.util.List<byte[]> ders = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(list))) {
            String[] f = line.split("\t", 2);
            if (f.length < 2) continue;
            byte[] der = Files.readAllBytes(Paths.get(f[1]));
            try {
                decode(der);
            } catch (Exception e) {
                System.out.printf("%s\tERROR\t%s%n", f[0], e.toString().replace('\t', ' ').replace('\n', ' '));
                continue;
            }
            ids.add(f[0]);
            ders.add(der);
        }
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            for (byte[] der : ders) sink = decode(der);
        }
        for (int i = 0; i < ids.size(); i++) {
            byte[] der = ders.get(i);
            measureShort(ids.get(i), () -> decode(der));
        }
    }

    static PKIMessage decode(byte[] der) throws Exception {
        return PKIMessage.getInstance(ASN1Primitive.fromByteArray(der));
    }

    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        for (String arg : args) {
            String[] p = arg.split(":", 4);
            String kind = p[0], id = p[1];
            if (kind.equals("corpus")) {
                corpus(p[2]);
                continue;
            }
            byte[] der = Files.readAllBytes(Paths.get(p[2]));
            try {
                switch (kind) {
                    case "parse":
                        decode(der);
                        measure(id, () -> decode(der));
                        break;
                    case "mac": {
                        char[] secret = p[3].toCharArray();
                        PKMACBuilder mac = new PKMACBuilder(new JcePKMACValuesCalculator().setProvider("BC"));
                        Op op = () -> {
                            ProtectedPKIMessage m = new ProtectedPKIMessage(new GeneralPKIMessage(decode(der)));
                            if (!m.verify(mac, secret)) throw new IllegalStateException("MAC mismatch");
                            return m;
                        };
                        op.run();
                        measure(id, op);
                        break;
                    }
                    case "sig": {
                        X509CertificateHolder cert = new X509CertificateHolder(Files.readAllBytes(Paths.get(p[3])));
                        ContentVerifierProvider v = new JcaContentVerifierProviderBuilder().setProvider("BC").build(cert);
                        Op op = () -> {
                            ProtectedPKIMessage m = new ProtectedPKIMessage(new GeneralPKIMessage(decode(der)));
                            if (!m.verify(v)) throw new IllegalStateException("signature mismatch");
                            return m;
                        };
                        op.run();
                        measure(id, op);
                        break;
                    }
                    default:
                        throw new IllegalArgumentException("unknown case kind " + kind);
                }
            } catch (Exception e) {
                System.out.printf("%s\tERROR\t%s%n", id, e.toString().replace('\t', ' ').replace('\n', ' '));
            }
        }
    }
}
