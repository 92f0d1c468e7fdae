package com.thephillymojo.ws.runbook.infra;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.acm.model.CertificateStatus;
import software.amazon.awssdk.services.acm.model.CertificateSummary;
import software.amazon.awssdk.services.acm.model.DomainValidation;
import software.amazon.awssdk.services.acm.model.ValidationMethod;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The ACM certificate for the service's host name (and the settings' alternative names), validated
 * by DNS: the runbook writes ACM's CNAME into the hosted zone and waits until ACM issues it.
 */
public final class Certificates {
    private final Cloud cloud;
    private final Dns dns;

    public Certificates(Cloud cloud, Dns dns) {
        this.cloud = cloud;
        this.dns = dns;
    }

    /** An issued or pending certificate for exactly the wanted names. */
    public Optional<CertificateDetail> find(String domain) {
        Set<String> names = names(domain);
        for (CertificateSummary s : cloud.acm.listCertificates(r -> r.certificateStatuses(CertificateStatus.ISSUED,
                CertificateStatus.PENDING_VALIDATION)).certificateSummaryList()) {
            if (!s.domainName().equals(domain)) {
                continue;
            }
            CertificateDetail detail = cloud.acm.describeCertificate(r -> r.certificateArn(s.certificateArn())).certificate();
            if (new TreeSet<>(detail.subjectAlternativeNames()).equals(names)) {
                return Optional.of(detail);
            }
        }
        return Optional.empty();
    }

    public Outcome ensure(String domain) {
        String kind = "certificate";
        Optional<CertificateDetail> found = find(domain);
        if (found.isPresent() && found.get().status() == CertificateStatus.ISSUED) {
            cloud.state.put("certificate.arn", found.get().certificateArn());
            return cloud.report(Outcome.unchanged(kind, domain));
        }
        if (cloud.planning()) {
            return cloud.report(found.isPresent() ? Outcome.wouldChange(kind, domain, "write its validation record, wait until issued")
                    : Outcome.wouldCreate(kind, domain, "DNS validation in " + cloud.settings.zone()));
        }
        HostedZone zone = dns.zone().orElseThrow(() -> new IllegalStateException("the certificate needs the hosted zone first"));
        String arn;
        if (found.isPresent()) {
            arn = found.get().certificateArn();
        } else {
            List<String> alternatives = cloud.settings.alternativeNames();
            arn = cloud.acm.requestCertificate(r -> r.domainName(domain).validationMethod(ValidationMethod.DNS)
                    .subjectAlternativeNames(names(domain)).idempotencyToken("thephillymojows")).certificateArn();
            cloud.journal.note("requested " + arn + (alternatives.isEmpty() ? "" : " with " + alternatives));
        }
        cloud.state.put("certificate.arn", arn);
        // ACM takes a moment to say which record proves each name
        cloud.waitFor("ACM to give the validation records of " + domain, () -> validations(arn).stream().allMatch(v -> v.resourceRecord() != null));
        for (DomainValidation v : validations(arn)) {
            ResourceRecordSet record = ResourceRecordSet.builder().name(v.resourceRecord().name()).type(RRType.CNAME).ttl(300L)
                    .resourceRecords(x -> x.value(v.resourceRecord().value())).build();
            if (dns.record(zone.id(), record.name(), RRType.CNAME).map(ResourceRecordSet::resourceRecords).equals(Optional.of(record.resourceRecords()))) {
                continue;
            }
            dns.upsert(zone.id(), record);
        }
        cloud.waitFor("ACM to validate and issue the certificate for " + domain, () -> {
            CertificateDetail d = cloud.acm.describeCertificate(r -> r.certificateArn(arn)).certificate();
            if (d.status() == CertificateStatus.FAILED || d.status() == CertificateStatus.VALIDATION_TIMED_OUT) {
                throw new IllegalStateException("ACM did not issue " + arn + ": " + d.statusAsString() + " " + d.failureReasonAsString());
            }
            return d.status() == CertificateStatus.ISSUED;
        });
        return cloud.report(found.isPresent() ? Outcome.changed(kind, domain, "validated and issued") : Outcome.created(kind, domain, arn));
    }

    /** Deletes the certificate (after its listener is gone) and its validation records. */
    public Outcome destroy(String domain) {
        Optional<CertificateDetail> found = find(domain);
        return cloud.delete("certificate", domain, found.isPresent(), "and its validation records", () -> {
            String arn = found.get().certificateArn();
            List<DomainValidation> validations = validations(arn);
            cloud.acm.deleteCertificate(r -> r.certificateArn(arn));
            dns.zone().ifPresent(zone -> validations.stream().filter(v -> v.resourceRecord() != null).forEach(v ->
                    dns.record(zone.id(), v.resourceRecord().name(), RRType.CNAME).ifPresent(record -> dns.delete(zone.id(), record))));
            cloud.state.forget("certificate.");
        });
    }

    private List<DomainValidation> validations(String arn) {
        return cloud.acm.describeCertificate(r -> r.certificateArn(arn)).certificate().domainValidationOptions();
    }

    private Set<String> names(String domain) {
        Set<String> names = new TreeSet<>(cloud.settings.alternativeNames());
        names.add(domain);
        return names;
    }
}
