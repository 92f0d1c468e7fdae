package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.*;

/** Route53 (restXml) through the real AWS SDK v2, its waiter included. */
class Route53Test extends EmulatorTestBase {
    private Route53Client route53() {
        return Clients.of(Route53Client.builder(), aws, "us-west-2"); // any signing region is accepted
    }

    private static Change upsert(String name, RRType type, String value) {
        return Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(ResourceRecordSet.builder().name(name).type(type).ttl(300L)
                .resourceRecords(ResourceRecord.builder().value(value).build()).build()).build();
    }

    @Test
    void zonesRecordsAndChanges() {
        try (Route53Client route53 = route53()) {
            CreateHostedZoneResponse created = route53.createHostedZone(r -> r.name("thephillymojo.com").callerReference("ref-1"));
            String zoneId = created.hostedZone().id();
            assertTrue(zoneId.matches("Z[A-Z0-9]{20}"), zoneId); // the SDK strips the "/hostedzone/" prefix AWS sends
            assertEquals("thephillymojo.com.", created.hostedZone().name());
            assertEquals(4, created.delegationSet().nameServers().size());
            assertThrows(HostedZoneAlreadyExistsException.class, () -> route53.createHostedZone(r -> r.name("thephillymojo.com").callerReference("ref-1")));

            List<ResourceRecordSet> apex = route53.listResourceRecordSets(r -> r.hostedZoneId(zoneId)).resourceRecordSets();
            assertEquals(List.of(RRType.NS, RRType.SOA), apex.stream().map(ResourceRecordSet::type).toList());

            ChangeInfo change = route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId).changeBatch(b -> b.changes(
                    upsert("_abc.ws.thephillymojo.com", RRType.CNAME, "_def.acm-validations.aws."),
                    upsert("txt.thephillymojo.com", RRType.TXT, "\"hello\""),
                    Change.builder().action(ChangeAction.CREATE).resourceRecordSet(ResourceRecordSet.builder().name("ws.thephillymojo.com")
                            .type(RRType.A).aliasTarget(a -> a.hostedZoneId("Z35SXDOTRQ7X7K").dnsName("alb-1.us-east-1.elb.amazonaws.com")
                                    .evaluateTargetHealth(false)).build()).build()))).changeInfo();
            assertEquals(ChangeStatus.PENDING, change.status());
            route53.waiter().waitUntilResourceRecordSetsChanged(GetChangeRequest.builder().id(change.id()).build(),
                    WaiterOverrideConfiguration.builder().waitTimeout(Duration.ofSeconds(20)).maxAttempts(40)
                            .backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(250))).build());
            assertEquals(ChangeStatus.INSYNC, route53.getChange(r -> r.id(change.id())).changeInfo().status());
            assertEquals(5, route53.listResourceRecordSets(r -> r.hostedZoneId(zoneId)).resourceRecordSets().size());

            // a batch with one bad change is refused whole
            InvalidChangeBatchException bad = assertThrows(InvalidChangeBatchException.class, () -> route53.changeResourceRecordSets(r -> r
                    .hostedZoneId(zoneId).changeBatch(b -> b.changes(upsert("new.thephillymojo.com", RRType.A, "1.2.3.4"),
                            Change.builder().action(ChangeAction.CREATE).resourceRecordSet(ResourceRecordSet.builder()
                                    .name("txt.thephillymojo.com").type(RRType.TXT).ttl(300L).resourceRecords(ResourceRecord.builder().value("\"x\"").build())
                                    .build()).build()))));
            assertTrue(bad.getMessage().contains("but it already exists"), bad.getMessage());
            assertEquals(5, route53.listResourceRecordSets(r -> r.hostedZoneId(zoneId)).resourceRecordSets().size());
            assertThrows(InvalidChangeBatchException.class, () -> route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId)
                    .changeBatch(b -> b.changes(upsert("elsewhere.example.com", RRType.A, "1.2.3.4")))));

            assertThrows(HostedZoneNotEmptyException.class, () -> route53.deleteHostedZone(r -> r.id(zoneId)));
            // (the SDK strips the "/hostedzone/" prefix in some responses, not in the lists)
            assertTrue(route53.listHostedZonesByName(r -> r.dnsName("thephillymojo.com")).hostedZones().get(0).id().endsWith(zoneId));
            assertTrue(route53.listHostedZones().hostedZones().stream().anyMatch(z -> z.id().endsWith(zoneId)));
            assertEquals(5L, route53.getHostedZone(r -> r.id(zoneId)).hostedZone().resourceRecordSetCount());
            NoSuchHostedZoneException missing = assertThrows(NoSuchHostedZoneException.class, () -> route53.getHostedZone(r -> r.id("ZNOPE")));
            assertEquals(404, missing.statusCode());
            assertThrows(NoSuchChangeException.class, () -> route53.getChange(r -> r.id("CNOPE")));
        }
    }

    @Test
    void anEmptiedZoneCanBeDeleted() {
        try (Route53Client route53 = Clients.of(Route53Client.builder().region(Region.AWS_GLOBAL), aws)) {
            String zoneId = route53.createHostedZone(r -> r.name("example.test").callerReference("ref-2")).hostedZone().id();
            route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId).changeBatch(b -> b.changes(upsert("a.example.test", RRType.A, "127.0.0.1"))));
            route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId).changeBatch(b -> b.changes(Change.builder().action(ChangeAction.DELETE)
                    .resourceRecordSet(ResourceRecordSet.builder().name("a.example.test").type(RRType.A).ttl(300L)
                            .resourceRecords(ResourceRecord.builder().value("127.0.0.1").build()).build()).build())));
            route53.deleteHostedZone(r -> r.id(zoneId));
            assertThrows(NoSuchHostedZoneException.class, () -> route53.getHostedZone(r -> r.id(zoneId)));
        }
    }
}
