package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.*;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;

/** ACM through the real AWS SDK v2: DNS validation through the emulator's Route53, real certificates. */
class AcmTest extends EmulatorTestBase {
    private static final WaiterOverrideConfiguration QUICK = WaiterOverrideConfiguration.builder().maxAttempts(60)
            .backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(250))).waitTimeout(Duration.ofSeconds(30)).build();

    @Test
    void aCertificateIsIssuedOnceItsValidationRecordIsInRoute53(@TempDir Path dir) throws Exception {
        try (AcmClient acm = Clients.of(AcmClient.builder(), aws); Route53Client route53 = Clients.of(Route53Client.builder(), aws)) {
            String arn = acm.requestCertificate(r -> r.domainName("ws.thephillymojo.com").validationMethod(ValidationMethod.DNS)
                    .subjectAlternativeNames("ws.thephillymojo.com", "play.thephillymojo.com").idempotencyToken("deploy1")).certificateArn();
            assertTrue(arn.startsWith("arn:aws:acm:us-east-1:000000000000:certificate/"), arn);
            assertEquals(arn, acm.requestCertificate(r -> r.domainName("ws.thephillymojo.com").validationMethod(ValidationMethod.DNS)
                    .subjectAlternativeNames("ws.thephillymojo.com", "play.thephillymojo.com").idempotencyToken("deploy1")).certificateArn(),
                    "the same idempotency token within an hour: the same certificate");
            CertificateDetail pending = acm.describeCertificate(r -> r.certificateArn(arn)).certificate();
            assertEquals(CertificateStatus.PENDING_VALIDATION, pending.status());
            assertEquals(2, pending.domainValidationOptions().size());
            ResourceRecord record = pending.domainValidationOptions().get(0).resourceRecord();
            assertEquals(RecordType.CNAME, record.type());
            assertTrue(record.name().startsWith("_") && record.name().endsWith(".ws.thephillymojo.com."), record.name());
            assertTrue(record.value().endsWith(".acm-validations.aws."), record.value());
            RequestInProgressException early = assertThrows(RequestInProgressException.class, () -> acm.getCertificate(r -> r.certificateArn(arn)));
            assertTrue(early.getMessage().contains("PENDING_VALIDATION"));

            String zone = route53.createHostedZone(r -> r.name("thephillymojo.com").callerReference("acm-test")).hostedZone().id();
            route53.changeResourceRecordSets(r -> r.hostedZoneId(zone).changeBatch(b -> b.changes(pending.domainValidationOptions().stream()
                    .map(v -> Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(s -> s.name(v.resourceRecord().name())
                            .type(RRType.CNAME).ttl(300L).resourceRecords(x -> x.value(v.resourceRecord().value()))).build()).toList())));

            acm.waiter().waitUntilCertificateValidated(DescribeCertificateRequest.builder().certificateArn(arn).build(), QUICK);
            CertificateDetail issued = acm.describeCertificate(r -> r.certificateArn(arn)).certificate();
            assertEquals(CertificateStatus.ISSUED, issued.status());
            assertTrue(issued.domainValidationOptions().stream().allMatch(v -> v.validationStatus() == DomainStatus.SUCCESS));
            assertEquals(1, acm.listCertificates(r -> r.certificateStatuses(CertificateStatus.ISSUED)).certificateSummaryList().size());

            GetCertificateResponse pem = acm.getCertificate(r -> r.certificateArn(arn));
            assertTrue(pem.certificate().startsWith("-----BEGIN CERTIFICATE-----"));
            Path cert = Files.writeString(dir.resolve("cert.pem"), pem.certificate());
            Path chain = Files.writeString(dir.resolve("chain.pem"), pem.certificateChain());
            assertEquals(aws.certificateAuthority().pem(), pem.certificateChain());
            Process verify = new ProcessBuilder("openssl", "verify", "-CAfile", chain.toString(), cert.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("verify.out").toFile()).start();
            assertTrue(verify.waitFor(30, TimeUnit.SECONDS), "openssl verify finished");
            String out = Files.readString(dir.resolve("verify.out"));
            assertEquals(0, verify.exitValue(), out);
            assertTrue(out.contains(": OK"), out);
            Process names = new ProcessBuilder("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", cert.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("names.out").toFile()).start();
            assertTrue(names.waitFor(30, TimeUnit.SECONDS), "openssl x509 finished");
            String sans = Files.readString(dir.resolve("names.out"));
            assertTrue(sans.contains("DNS:ws.thephillymojo.com") && sans.contains("DNS:play.thephillymojo.com"), sans);

            acm.addTagsToCertificate(r -> r.certificateArn(arn).tags(Tag.builder().key("env").value("local").build()));
            assertEquals("local", acm.listTagsForCertificate(r -> r.certificateArn(arn)).tags().get(0).value());
            acm.deleteCertificate(r -> r.certificateArn(arn));
            assertThrows(ResourceNotFoundException.class, () -> acm.describeCertificate(r -> r.certificateArn(arn)));
            assertThrows(InvalidArnException.class, () -> acm.describeCertificate(r -> r.certificateArn("nope")));
        }
    }

    @Test
    void aCertificateNobodyValidatesTimesOut() {
        LocalAws.Options options = LocalAws.Options.defaults();
        try (LocalAws quick = LocalAws.start(options.timing(options.timing().certificateValidationTimeout(java.time.Duration.ofMillis(500))
                .certificateCheck(java.time.Duration.ofMillis(100)))); AcmClient acm = Clients.of(AcmClient.builder(), quick)) {
            String arn = acm.requestCertificate(r -> r.domainName("never.example.test")).certificateArn();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            CertificateStatus status;
            do {
                status = acm.describeCertificate(r -> r.certificateArn(arn)).certificate().status();
            } while (status == CertificateStatus.PENDING_VALIDATION && System.nanoTime() < deadline);
            assertEquals(CertificateStatus.VALIDATION_TIMED_OUT, status);
        }
    }
}
