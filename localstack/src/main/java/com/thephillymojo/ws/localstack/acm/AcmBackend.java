package com.thephillymojo.ws.localstack.acm;

import com.thephillymojo.ws.localstack.Arns;
import com.thephillymojo.ws.localstack.AwsException;
import com.thephillymojo.ws.localstack.Page;
import com.thephillymojo.ws.localstack.route53.Route53Backend;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.services.acm.model.*;

/**
 * ACM in one region: DNS-validated certificate requests that turn ISSUED once their validation
 * CNAMEs exist in a Route53 hosted zone of this emulator (checked every second by default), or
 * VALIDATION_TIMED_OUT; issued certificates are real X.509 signed by the emulator's CA, and their
 * private keys are kept for the load balancer.
 */
public final class AcmBackend {
    private static final class Cert {
        CertificateDetail detail;
        List<Tag> tags = new ArrayList<>();
        CertificateAuthority.Issued issued;
        String idempotencyToken;
        Instant requestedAt;
        final Set<String> inUseBy = new LinkedHashSet<>();
    }

    private final String region;
    private final String account;
    private final Supplier<CertificateAuthority> authority;
    private final Supplier<Route53Backend> route53;
    private final Duration validationTimeout;
    private final Map<String, Cert> certs = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public AcmBackend(String region, String account, Supplier<CertificateAuthority> authority, Supplier<Route53Backend> route53,
                      ScheduledExecutorService scheduler, Duration checkEvery, Duration validationTimeout) {
        this.region = region;
        this.account = account;
        this.authority = authority;
        this.route53 = route53;
        this.validationTimeout = validationTimeout;
        scheduler.scheduleWithFixedDelay(this::checkValidations, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static String md5(String s) {
        try {
            return hex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized RequestCertificateResponse requestCertificate(RequestCertificateRequest r) {
        String domain = AwsException.require(r.domainName(), "domainName").toLowerCase();
        if (!domain.matches("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}")) {
            throw new AwsException("ValidationException", "1 validation error detected: Value '" + domain
                    + "' at 'domainName' failed to satisfy constraint: Member must satisfy regular expression pattern");
        }
        if (r.validationMethod() != null && r.validationMethod() != ValidationMethod.DNS) {
            throw new AwsException("InvalidParameterException", "This emulator validates certificates through DNS only.");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (r.idempotencyToken() != null) {
            for (Cert c : certs.values()) {
                if (r.idempotencyToken().equals(c.idempotencyToken) && c.requestedAt.plus(Duration.ofHours(1)).isAfter(now)
                        && c.detail.domainName().equals(domain)) {
                    return RequestCertificateResponse.builder().certificateArn(c.detail.certificateArn()).build();
                }
            }
        }
        List<String> names = new ArrayList<>();
        names.add(domain);
        for (String san : r.subjectAlternativeNames()) {
            if (!names.contains(san.toLowerCase())) {
                names.add(san.toLowerCase());
            }
        }
        List<DomainValidation> validations = new ArrayList<>();
        for (String name : names) {
            String base = name.startsWith("*.") ? name.substring(2) : name;
            byte[] token = new byte[16];
            random.nextBytes(token);
            validations.add(DomainValidation.builder().domainName(name).validationDomain(base)
                    .validationStatus(DomainStatus.PENDING_VALIDATION).validationMethod(ValidationMethod.DNS)
                    .resourceRecord(ResourceRecord.builder().name("_" + md5(base) + "." + base + ".").type(RecordType.CNAME)
                            .value("_" + hex(token) + ".mhbtsbpdnt.acm-validations.aws.").build()).build());
        }
        String arn = Arns.of("acm", region, account, "certificate/" + UUID.randomUUID());
        Cert cert = new Cert();
        cert.detail = CertificateDetail.builder().certificateArn(arn).domainName(domain).subjectAlternativeNames(names)
                .domainValidationOptions(validations).status(CertificateStatus.PENDING_VALIDATION).type(CertificateType.AMAZON_ISSUED)
                .keyAlgorithm(KeyAlgorithm.RSA_2048).createdAt(now).inUseBy(List.of()).renewalEligibility(RenewalEligibility.INELIGIBLE)
                .build();   // Options.CertificateTransparencyLoggingPreference: deprecated by ACM, not sent
        cert.tags = new ArrayList<>(r.tags());
        cert.idempotencyToken = r.idempotencyToken();
        cert.requestedAt = now;
        certs.put(arn, cert);
        return RequestCertificateResponse.builder().certificateArn(arn).build();
    }

    /** Issues every pending certificate whose validation records now exist; times out the overdue ones. */
    synchronized void checkValidations() {
        Instant now = Instant.now();
        for (Cert cert : certs.values()) {
            if (cert.detail.status() != CertificateStatus.PENDING_VALIDATION) {
                continue;
            }
            boolean all = true;
            List<DomainValidation> updated = new ArrayList<>();
            for (DomainValidation v : cert.detail.domainValidationOptions()) {
                boolean ok = route53.get().hasCname(v.resourceRecord().name(), v.resourceRecord().value());
                all &= ok;
                updated.add(ok ? v.toBuilder().validationStatus(DomainStatus.SUCCESS).build() : v);
            }
            if (all) {
                cert.issued = authority.get().issue(cert.detail.subjectAlternativeNames(), Duration.ofDays(395));
                cert.detail = cert.detail.toBuilder().domainValidationOptions(updated).status(CertificateStatus.ISSUED)
                        .issuedAt(now.truncatedTo(ChronoUnit.MILLIS)).serial(colons(cert.issued.certificate().getSerialNumber()))
                        .subject(cert.issued.certificate().getSubjectX500Principal().getName())
                        .issuer(cert.issued.certificate().getIssuerX500Principal().getName())
                        .notBefore(cert.issued.certificate().getNotBefore().toInstant())
                        .notAfter(cert.issued.certificate().getNotAfter().toInstant()).build();
            } else if (cert.requestedAt.plus(validationTimeout).isBefore(now)) {
                cert.detail = cert.detail.toBuilder().status(CertificateStatus.VALIDATION_TIMED_OUT)
                        .domainValidationOptions(updated.stream().map(v -> v.validationStatus() == DomainStatus.SUCCESS ? v
                                : v.toBuilder().validationStatus(DomainStatus.FAILED).build()).toList()).build();
            } else {
                cert.detail = cert.detail.toBuilder().domainValidationOptions(updated).build();
            }
        }
    }

    private static String colons(BigInteger serial) {
        String hex = serial.toString(16);
        if (hex.length() % 2 == 1) {
            hex = "0" + hex;
        }
        return String.join(":", hex.split("(?<=\\G..)"));
    }

    private Cert cert(String arn) {
        AwsException.require(arn, "certificateArn");
        if (!arn.startsWith("arn:aws:acm:")) {
            throw new AwsException("InvalidArnException", "String '" + arn + "' is not a valid ARN");
        }
        Cert cert = certs.get(arn);
        if (cert == null) {
            throw new AwsException("ResourceNotFoundException", "Could not find certificate with arn " + arn + ".");
        }
        return cert;
    }

    public synchronized DescribeCertificateResponse describeCertificate(DescribeCertificateRequest r) {
        Cert cert = cert(r.certificateArn());
        return DescribeCertificateResponse.builder().certificate(cert.detail.toBuilder().inUseBy(new ArrayList<>(cert.inUseBy)).build()).build();
    }

    public synchronized ListCertificatesResponse listCertificates(ListCertificatesRequest r) {
        List<CertificateSummary> list = new ArrayList<>();
        for (Cert c : certs.values()) {
            if (r.hasCertificateStatuses() && !r.certificateStatuses().isEmpty() && !r.certificateStatuses().contains(c.detail.status())) {
                continue;
            }
            list.add(CertificateSummary.builder().certificateArn(c.detail.certificateArn()).domainName(c.detail.domainName())
                    .subjectAlternativeNameSummaries(c.detail.subjectAlternativeNames()).status(c.detail.status())
                    .type(c.detail.type()).keyAlgorithm(c.detail.keyAlgorithm()).inUse(!c.inUseBy.isEmpty())
                    .createdAt(c.detail.createdAt()).issuedAt(c.detail.issuedAt()).build());
        }
        Page<CertificateSummary> page = Page.of(list, r.nextToken(), r.maxItems(), 1000);
        return ListCertificatesResponse.builder().certificateSummaryList(page.items()).nextToken(page.nextToken()).build();
    }

    public synchronized GetCertificateResponse getCertificate(GetCertificateRequest r) {
        Cert cert = cert(r.certificateArn());
        if (cert.issued == null) {
            throw new AwsException("RequestInProgressException", "Certificate arn: " + r.certificateArn() + " is in state "
                    + cert.detail.statusAsString() + ".");
        }
        return GetCertificateResponse.builder().certificate(cert.issued.pem()).certificateChain(authority.get().pem()).build();
    }

    public synchronized DeleteCertificateResponse deleteCertificate(DeleteCertificateRequest r) {
        Cert cert = cert(r.certificateArn());
        if (!cert.inUseBy.isEmpty()) {
            throw new AwsException("ResourceInUseException", "Certificate " + r.certificateArn() + " in account " + account
                    + " is in use.");
        }
        certs.remove(r.certificateArn());
        return DeleteCertificateResponse.builder().build();
    }

    public synchronized AddTagsToCertificateResponse addTagsToCertificate(AddTagsToCertificateRequest r) {
        Cert cert = cert(r.certificateArn());
        for (Tag tag : r.tags()) {
            cert.tags.removeIf(t -> t.key().equals(tag.key()));
            cert.tags.add(tag);
        }
        return AddTagsToCertificateResponse.builder().build();
    }

    public synchronized RemoveTagsFromCertificateResponse removeTagsFromCertificate(RemoveTagsFromCertificateRequest r) {
        Cert cert = cert(r.certificateArn());
        cert.tags.removeIf(t -> r.tags().stream().anyMatch(x -> x.key().equals(t.key())));
        return RemoveTagsFromCertificateResponse.builder().build();
    }

    public synchronized ListTagsForCertificateResponse listTagsForCertificate(ListTagsForCertificateRequest r) {
        return ListTagsForCertificateResponse.builder().tags(cert(r.certificateArn()).tags).build();
    }

    // ---- for ELBv2 and the load balancer --------------------------------------------------------------

    /** The certificate and key of an ISSUED certificate, for a listener. */
    public synchronized CertificateAuthority.Issued issued(String arn) {
        Cert cert = certs.get(arn);
        if (cert == null || cert.issued == null) {
            throw new AwsException("CertificateNotFound", "Certificate '" + arn + "' not found");
        }
        return cert.issued;
    }

    public synchronized void inUse(String arn, String by, boolean used) {
        Cert cert = certs.get(arn);
        if (cert != null) {
            if (used) {
                cert.inUseBy.add(by);
            } else {
                cert.inUseBy.remove(by);
            }
        }
    }
}
