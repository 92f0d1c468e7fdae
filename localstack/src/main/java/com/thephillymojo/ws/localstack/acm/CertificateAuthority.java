package com.thephillymojo.ws.localstack.acm;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate authority of one emulator instance: a fresh root each time, which signs the
 * certificates ACM issues. Clients trust {@link #pem()} to talk TLS to the emulated load balancer.
 */
public final class CertificateAuthority {
    /** A certificate and the private key it certifies. */
    public record Issued(X509Certificate certificate, PrivateKey key, String pem, String keyPem) {
    }

    private final KeyPair keys;
    private final X509Certificate root;
    private final String pem;
    private final SecureRandom random = new SecureRandom();

    public CertificateAuthority() {
        try {
            keys = rsa();
            X500Name name = new X500Name("CN=thephillymojo-ws LocalAws CA " + Long.toHexString(random.nextLong()) + ",O=LocalAws");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            root = new JcaX509CertificateConverter().getCertificate(builder.build(signer()));
            pem = pem(root);
        } catch (Exception e) {
            throw new IllegalStateException("the emulator's certificate authority could not be made", e);
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private ContentSigner signer() throws Exception {
        return new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
    }

    /** A server certificate for these DNS names (the first is the subject), signed by this CA. */
    public Issued issue(List<String> names, Duration validity) {
        try {
            KeyPair pair = rsa();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(root, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(validity)), new X500Name("CN=" + names.get(0)), pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            GeneralName[] sans = names.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer()));
            return new Issued(certificate, pair.getPrivate(), pem(certificate), pem(pair.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException("could not issue a certificate for " + names, e);
        }
    }

    public String pem() {
        return pem;
    }

    public X509Certificate root() {
        return root;
    }

    static String pem(Object object) throws java.io.IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
