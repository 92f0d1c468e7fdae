package com.thephillymojo.ws.runbook.infra;

import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The hosted zone and the records the runbook keeps in it: the certificate's validation CNAME and
 * the service's alias to the load balancer. Production's zone exists already (it is where the
 * domain is delegated); only an environment whose settings say {@code zone.create} gets one made.
 */
public final class Dns {
    private final Cloud cloud;

    public Dns(Cloud cloud) {
        this.cloud = cloud;
    }

    public Optional<HostedZone> zone() {
        return publicZone(cloud.route53, cloud.settings.zone());
    }

    /** The public hosted zone of this name, if the account has it. */
    public static Optional<HostedZone> publicZone(software.amazon.awssdk.services.route53.Route53Client route53, String zone) {
        String name = zone + ".";
        return route53.listHostedZonesByName(r -> r.dnsName(name)).hostedZones().stream()
                .filter(z -> z.name().equals(name) && !z.config().privateZone()).findFirst();
    }

    public Outcome ensureZone() {
        String name = cloud.settings.zone();
        Optional<HostedZone> found = zone();
        if (found.isPresent()) {
            cloud.state.put("zone.id", bare(found.get().id()));
            return cloud.report(Outcome.unchanged("hosted zone", name));
        }
        if (!cloud.settings.createZone()) {
            throw new IllegalStateException("the hosted zone " + name + " does not exist in this account: create it and delegate the"
                    + " domain to its name servers at the registrar (or set zone.create=true for a throwaway environment)");
        }
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldCreate("hosted zone", name, ""));
        }
        HostedZone zone = cloud.route53.createHostedZone(r -> r.name(name).callerReference(UUID.randomUUID().toString())).hostedZone();
        cloud.state.put("zone.id", bare(zone.id()));
        cloud.state.put("zone.created", "true");
        return cloud.report(Outcome.created("hosted zone", name, bare(zone.id())));
    }

    /** The record named {@code name} of {@code type}, if the zone holds one. */
    public Optional<ResourceRecordSet> record(String zoneId, String name, RRType type) {
        String fqdn = name.endsWith(".") ? name : name + ".";
        return cloud.route53.listResourceRecordSets(r -> r.hostedZoneId(bare(zoneId)).startRecordName(fqdn).startRecordType(type).maxItems("1"))
                .resourceRecordSets().stream().filter(s -> s.name().equalsIgnoreCase(fqdn) && s.type() == type).findFirst();
    }

    /** Creates or corrects one record set and waits until Route53 has it on all its servers. */
    public void upsert(String zoneId, ResourceRecordSet wanted) {
        change(zoneId, ChangeAction.UPSERT, wanted);
    }

    public void delete(String zoneId, ResourceRecordSet existing) {
        change(zoneId, ChangeAction.DELETE, existing);
    }

    private void change(String zoneId, ChangeAction action, ResourceRecordSet set) {
        String id = cloud.route53.changeResourceRecordSets(r -> r.hostedZoneId(bare(zoneId))
                .changeBatch(b -> b.changes(Change.builder().action(action).resourceRecordSet(set).build()))).changeInfo().id();
        cloud.waitFor("Route53 to apply " + action + " " + set.name() + " " + set.typeAsString(),
                () -> cloud.route53.getChange(r -> r.id(id.substring(id.lastIndexOf('/') + 1))).changeInfo().status() == ChangeStatus.INSYNC);
    }

    /** {@code host} as an alias A record of the load balancer. */
    public Outcome ensureAlias(String host, Optional<LoadBalancing.Balancer> balancer) {
        String kind = "dns alias";
        Optional<HostedZone> zone = zone();
        Optional<ResourceRecordSet> current = zone.flatMap(z -> record(z.id(), host, RRType.A));
        if (balancer.isEmpty() || zone.isEmpty()) {
            if (!cloud.planning()) {
                throw new IllegalStateException("the alias " + host + " needs the load balancer and the zone first");
            }
            return cloud.report(current.isPresent() ? Outcome.wouldChange(kind, host, "→ the new load balancer")
                    : Outcome.wouldCreate(kind, host, "→ the load balancer"));
        }
        LoadBalancing.Balancer lb = balancer.get();
        ResourceRecordSet wanted = ResourceRecordSet.builder().name(host + ".").type(RRType.A)
                .aliasTarget(t -> t.hostedZoneId(lb.canonicalZoneId()).dnsName(lb.dnsName()).evaluateTargetHealth(true)).build();
        cloud.state.put("dns.alias", host);
        if (current.isPresent() && current.get().aliasTarget() != null
                && normalise(current.get().aliasTarget().dnsName()).equals(normalise(lb.dnsName()))) {
            return cloud.report(Outcome.unchanged(kind, host));
        }
        if (cloud.planning()) {
            return cloud.report(current.isPresent() ? Outcome.wouldChange(kind, host, "→ " + lb.dnsName())
                    : Outcome.wouldCreate(kind, host, "→ " + lb.dnsName()));
        }
        upsert(zone.get().id(), wanted);
        return cloud.report(current.isPresent() ? Outcome.changed(kind, host, "→ " + lb.dnsName()) : Outcome.created(kind, host, "→ " + lb.dnsName()));
    }

    public Outcome destroyAlias(String host) {
        Optional<HostedZone> zone = zone();
        Optional<ResourceRecordSet> current = zone.flatMap(z -> record(z.id(), host, RRType.A));
        return cloud.delete("dns alias", host, current.isPresent(), "", () -> {
            delete(zone.get().id(), current.get());
            cloud.state.forget("dns.");
        });
    }

    /** Deletes the zone only if this runbook created it (production's zone holds the whole domain). */
    public Outcome destroyZone() {
        String name = cloud.settings.zone();
        Optional<HostedZone> zone = zone();
        if (zone.isPresent() && !cloud.settings.createZone()) {
            return cloud.report(Outcome.unchanged("hosted zone", name + " (not the runbook's: kept)"));
        }
        return cloud.delete("hosted zone", name, zone.isPresent(), "", () -> {
            cloud.route53.deleteHostedZone(r -> r.id(bare(zone.get().id())));
            cloud.state.forget("zone.");
        });
    }

    static String bare(String zoneId) {
        return zoneId.startsWith("/hostedzone/") ? zoneId.substring("/hostedzone/".length()) : zoneId;
    }

    static String normalise(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        n = n.startsWith("dualstack.") ? n.substring("dualstack.".length()) : n;
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
