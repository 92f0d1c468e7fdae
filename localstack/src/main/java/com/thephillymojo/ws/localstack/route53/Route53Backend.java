package com.thephillymojo.ws.localstack.route53;

import com.thephillymojo.ws.localstack.AwsException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.route53.model.*;

/**
 * Route53 (global): hosted zones with their SOA and NS records, record sets changed in atomic
 * batches (A, AAAA, CNAME, TXT, and aliases to a load balancer), and changes that go from PENDING
 * to INSYNC. The data plane resolves names from here.
 */
public final class Route53Backend {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static final class Zone {
        HostedZone zone;
        final List<ResourceRecordSet> records = new ArrayList<>();
        DelegationSet delegation;
    }

    private record PendingChange(ChangeInfo info) {
    }

    private final Map<String, Zone> zones = new LinkedHashMap<>();        // id (no prefix) → zone
    private final Map<String, String> callerReferences = new LinkedHashMap<>();
    private final Map<String, PendingChange> changes = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long syncMillis;

    /** {@code sync}: how long a change stays PENDING before it is INSYNC (Route53's propagation; 1 s is the emulator's). */
    public Route53Backend(String region, String account, java.time.Duration sync) {
        this.syncMillis = sync.toMillis();
    }

    private String id(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 20; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    /** DNS names as Route53 keeps them: lower case, with the final dot. */
    public static String normalise(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    private ChangeInfo newChange(String comment) {
        ChangeInfo info = ChangeInfo.builder().id("/change/" + id("C")).status(ChangeStatus.PENDING)
                .submittedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).comment(comment).build();
        changes.put(info.id().substring("/change/".length()), new PendingChange(info));
        return info;
    }

    private static String bareId(String id) {
        return id.startsWith("/hostedzone/") ? id.substring("/hostedzone/".length()) : id;
    }

    private Zone zone(String id) {
        Zone zone = zones.get(bareId(AwsException.require(id, "Id")));
        if (zone == null) {
            throw new AwsException("NoSuchHostedZone", "No hosted zone found with ID: " + id, 404);
        }
        return zone;
    }

    public synchronized CreateHostedZoneResponse createHostedZone(CreateHostedZoneRequest r) {
        String name = normalise(AwsException.require(r.name(), "Name"));
        String reference = AwsException.require(r.callerReference(), "CallerReference");
        if (callerReferences.containsKey(reference)) {
            throw new AwsException("HostedZoneAlreadyExists", "A hosted zone has already been created with the specified caller reference.", 409);
        }
        if (!name.matches("([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)+")) {
            throw new AwsException("InvalidDomainName", name + " is not a valid domain name");
        }
        Zone zone = new Zone();
        String id = id("Z");
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            servers.add("ns-" + (100 + random.nextInt(1900)) + ".awsdns-" + (10 + random.nextInt(50))
                    + new String[] {".com", ".net", ".org", ".co.uk"}[i]);
        }
        zone.delegation = DelegationSet.builder().nameServers(servers).build();
        zone.zone = HostedZone.builder().id("/hostedzone/" + id).name(name).callerReference(reference)
                .config(r.hostedZoneConfig() == null ? HostedZoneConfig.builder().privateZone(false).build() : r.hostedZoneConfig())
                .resourceRecordSetCount(2L).build();
        zone.records.add(ResourceRecordSet.builder().name(name).type(RRType.NS).ttl(172800L)
                .resourceRecords(servers.stream().map(s -> ResourceRecord.builder().value(s + ".").build()).toList()).build());
        zone.records.add(ResourceRecordSet.builder().name(name).type(RRType.SOA).ttl(900L)
                .resourceRecords(ResourceRecord.builder().value(servers.get(0) + ". awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400").build())
                .build());
        zones.put(id, zone);
        callerReferences.put(reference, id);
        return CreateHostedZoneResponse.builder().hostedZone(zone.zone).changeInfo(newChange(null)).delegationSet(zone.delegation)
                .location("https://route53.amazonaws.com/2013-04-01/hostedzone/" + id).build();
    }

    private HostedZone counted(Zone zone) {
        return zone.zone.toBuilder().resourceRecordSetCount((long) zone.records.size()).build();
    }

    public synchronized GetHostedZoneResponse getHostedZone(GetHostedZoneRequest r) {
        Zone zone = zone(r.id());
        return GetHostedZoneResponse.builder().hostedZone(counted(zone)).delegationSet(zone.delegation).build();
    }

    public synchronized ListHostedZonesResponse listHostedZones(ListHostedZonesRequest r) {
        List<HostedZone> all = zones.values().stream().map(this::counted).toList();
        int start = 0;
        if (r.marker() != null) {
            for (int i = 0; i < all.size(); i++) {
                if (bareId(all.get(i).id()).equals(r.marker())) {
                    start = i;
                }
            }
        }
        int max = r.maxItems() == null ? 100 : Integer.parseInt(r.maxItems());
        int end = Math.min(all.size(), start + max);
        boolean truncated = end < all.size();
        return ListHostedZonesResponse.builder().hostedZones(all.subList(start, end)).isTruncated(truncated)
                .maxItems(String.valueOf(max)).marker(r.marker()).nextMarker(truncated ? bareId(all.get(end).id()) : null).build();
    }

    private static String reversed(String name) {
        List<String> labels = new ArrayList<>(List.of(name.split("\\.")));
        java.util.Collections.reverse(labels);
        return String.join(".", labels);
    }

    public synchronized ListHostedZonesByNameResponse listHostedZonesByName(ListHostedZonesByNameRequest r) {
        List<HostedZone> sorted = zones.values().stream().map(this::counted)
                .sorted(Comparator.comparing((HostedZone z) -> reversed(z.name())).thenComparing(HostedZone::id)).toList();
        List<HostedZone> from = new ArrayList<>();
        String start = r.dnsName() == null ? null : reversed(normalise(r.dnsName()));
        for (HostedZone z : sorted) {
            if (start == null || reversed(z.name()).compareTo(start) >= 0) {
                from.add(z);
            }
        }
        int max = r.maxItems() == null ? 100 : Integer.parseInt(r.maxItems());
        boolean truncated = from.size() > max;
        List<HostedZone> page = from.subList(0, Math.min(max, from.size()));
        return ListHostedZonesByNameResponse.builder().hostedZones(page).dnsName(r.dnsName()).hostedZoneId(r.hostedZoneId())
                .isTruncated(truncated).maxItems(String.valueOf(max))
                .nextDNSName(truncated ? from.get(max).name() : null).nextHostedZoneId(truncated ? bareId(from.get(max).id()) : null).build();
    }

    public synchronized DeleteHostedZoneResponse deleteHostedZone(DeleteHostedZoneRequest r) {
        Zone zone = zone(r.id());
        boolean onlyApex = zone.records.stream().allMatch(rr -> rr.name().equals(zone.zone.name())
                && (rr.type() == RRType.SOA || rr.type() == RRType.NS));
        if (!onlyApex) {
            throw new AwsException("HostedZoneNotEmpty", "The specified hosted zone contains non-required resource record sets and so cannot be deleted.");
        }
        zones.remove(bareId(r.id()));
        callerReferences.values().remove(bareId(r.id()));
        return DeleteHostedZoneResponse.builder().changeInfo(newChange(null)).build();
    }

    public synchronized ChangeResourceRecordSetsResponse changeResourceRecordSets(ChangeResourceRecordSetsRequest r) {
        Zone zone = zone(r.hostedZoneId());
        ChangeBatch batch = AwsException.require(r.changeBatch(), "ChangeBatch");
        List<ResourceRecordSet> next = new ArrayList<>(zone.records);
        List<String> problems = new ArrayList<>();
        for (Change change : batch.changes()) {
            ResourceRecordSet set = change.resourceRecordSet();
            String name = normalise(set.name());
            ResourceRecordSet normalised = set.toBuilder().name(name).build();
            String describe = "[name='" + name + "', type='" + set.typeAsString() + "']";
            if (!name.equals(zone.zone.name()) && !name.endsWith("." + zone.zone.name())) {
                problems.add("RRSet with DNS name " + name + " is not permitted in zone " + zone.zone.name());
                continue;
            }
            if (set.aliasTarget() == null && (set.ttl() == null || !set.hasResourceRecords() || set.resourceRecords().isEmpty())
                    && change.action() != ChangeAction.DELETE) {
                problems.add("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]], but found none in Change with "
                        + "[Action=" + change.actionAsString() + ", Name=" + name + ", Type=" + set.typeAsString() + "]");
                continue;
            }
            if (set.type() == RRType.CNAME && name.equals(zone.zone.name())) {
                problems.add("RRSet of type CNAME with DNS name " + name + " is not permitted at apex in zone " + zone.zone.name());
                continue;
            }
            Optional<ResourceRecordSet> existing = next.stream().filter(e -> e.name().equals(name) && e.type() == set.type()).findFirst();
            boolean cnameClash = next.stream().anyMatch(e -> e.name().equals(name) && e.type() != set.type()
                    && (e.type() == RRType.CNAME || set.type() == RRType.CNAME));
            switch (change.action()) {
                case CREATE:
                    if (existing.isPresent()) {
                        problems.add("Tried to create resource record set " + describe + " but it already exists");
                    } else if (cnameClash) {
                        problems.add("RRSet of type " + set.typeAsString() + " with DNS name " + name
                                + " is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone " + zone.zone.name());
                    } else {
                        next.add(normalised);
                    }
                    break;
                case UPSERT:
                    if (cnameClash) {
                        problems.add("RRSet of type " + set.typeAsString() + " with DNS name " + name
                                + " is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone " + zone.zone.name());
                    } else {
                        existing.ifPresent(next::remove);
                        next.add(normalised);
                    }
                    break;
                case DELETE:
                    if (existing.isEmpty() || !sameValues(existing.get(), normalised)) {
                        problems.add("Tried to delete resource record set " + describe + " but it was not found");
                    } else if (name.equals(zone.zone.name()) && (set.type() == RRType.SOA || set.type() == RRType.NS)) {
                        problems.add("A HostedZone must contain at least one NS record for the zone itself.");
                    } else {
                        next.remove(existing.get());
                    }
                    break;
                default:
                    problems.add("Invalid action " + change.actionAsString());
            }
        }
        if (!problems.isEmpty()) {
            throw new AwsException("InvalidChangeBatch", String.join("; ", problems));
        }
        zone.records.clear();
        zone.records.addAll(next);
        return ChangeResourceRecordSetsResponse.builder().changeInfo(newChange(batch.comment())).build();
    }

    private static boolean sameValues(ResourceRecordSet a, ResourceRecordSet b) {
        if (a.aliasTarget() != null || b.aliasTarget() != null) {
            return a.aliasTarget() != null && b.aliasTarget() != null
                    && normalise(a.aliasTarget().dnsName()).equals(normalise(b.aliasTarget().dnsName()));
        }
        return java.util.Objects.equals(a.ttl(), b.ttl()) && a.resourceRecords().stream().map(ResourceRecord::value).toList()
                .equals(b.resourceRecords().stream().map(ResourceRecord::value).toList());
    }

    public synchronized ListResourceRecordSetsResponse listResourceRecordSets(ListResourceRecordSetsRequest r) {
        Zone zone = zone(r.hostedZoneId());
        List<ResourceRecordSet> sorted = zone.records.stream()
                .sorted(Comparator.comparing((ResourceRecordSet rr) -> reversed(rr.name())).thenComparing(ResourceRecordSet::typeAsString)).toList();
        List<ResourceRecordSet> from = new ArrayList<>();
        for (ResourceRecordSet rr : sorted) {
            if (r.startRecordName() == null || reversed(rr.name()).compareTo(reversed(normalise(r.startRecordName()))) > 0
                    || (rr.name().equals(normalise(r.startRecordName()))
                        && (r.startRecordTypeAsString() == null || rr.typeAsString().compareTo(r.startRecordTypeAsString()) >= 0))) {
                from.add(rr);
            }
        }
        int max = r.maxItems() == null ? 300 : Integer.parseInt(r.maxItems());
        boolean truncated = from.size() > max;
        return ListResourceRecordSetsResponse.builder().resourceRecordSets(from.subList(0, Math.min(max, from.size())))
                .isTruncated(truncated).maxItems(String.valueOf(max))
                .nextRecordName(truncated ? from.get(max).name() : null).nextRecordType(truncated ? from.get(max).typeAsString() : null).build();
    }

    public synchronized GetChangeResponse getChange(GetChangeRequest r) {
        String id = AwsException.require(r.id(), "Id");
        PendingChange change = changes.get(id.startsWith("/change/") ? id.substring(8) : id);
        if (change == null) {
            throw new AwsException("NoSuchChange", "A change with the specified change ID does not exist.", 404);
        }
        ChangeInfo info = change.info();
        if (info.status() == ChangeStatus.PENDING && info.submittedAt().plusMillis(syncMillis).isBefore(Instant.now())) {
            info = info.toBuilder().status(ChangeStatus.INSYNC).build();
        }
        return GetChangeResponse.builder().changeInfo(info).build();
    }

    // ---- for ACM and the data plane ---------------------------------------------------------------

    /** Whether some hosted zone holds this CNAME (ACM's DNS validation). */
    public synchronized boolean hasCname(String name, String value) {
        String n = normalise(name);
        String v = normalise(value);
        for (Zone zone : zones.values()) {
            for (ResourceRecordSet rr : zone.records) {
                if (rr.type() == RRType.CNAME && rr.name().equals(n)
                        && rr.resourceRecords().stream().anyMatch(x -> normalise(x.value()).equals(v))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every alias record: its name → the DNS name it points at. */
    public synchronized Map<String, String> aliases() {
        Map<String, String> aliases = new LinkedHashMap<>();
        for (Zone zone : zones.values()) {
            for (ResourceRecordSet rr : zone.records) {
                if (rr.aliasTarget() != null) {
                    aliases.put(rr.name(), normalise(rr.aliasTarget().dnsName()));
                }
            }
        }
        return aliases;
    }

    /** The record sets for a name, from the most specific zone that holds it. */
    public synchronized List<ResourceRecordSet> lookup(String name) {
        String n = normalise(name);
        Zone best = null;
        for (Zone zone : zones.values()) {
            if ((n.equals(zone.zone.name()) || n.endsWith("." + zone.zone.name()))
                    && (best == null || zone.zone.name().length() > best.zone.name().length())) {
                best = zone;
            }
        }
        if (best == null) {
            return List.of();
        }
        return best.records.stream().filter(rr -> rr.name().equals(n)).toList();
    }
}
