package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.DescribeCertificateRequest;
import software.amazon.awssdk.services.acm.model.ResourceInUseException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.*;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;

/** ELBv2 (awsQuery) through the real AWS SDK v2, with an ACM certificate validated through Route53. */
class Elbv2Test extends EmulatorTestBase {
    private static final WaiterOverrideConfiguration QUICK = WaiterOverrideConfiguration.builder().maxAttempts(80)
            .backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(250))).waitTimeout(Duration.ofSeconds(30)).build();

    private static String issuedCertificate(String domain, String zoneName) {
        try (AcmClient acm = Clients.of(AcmClient.builder(), aws); Route53Client route53 = Clients.of(Route53Client.builder(), aws)) {
            String arn = acm.requestCertificate(r -> r.domainName(domain)).certificateArn();
            var validation = acm.describeCertificate(r -> r.certificateArn(arn)).certificate().domainValidationOptions().get(0).resourceRecord();
            String zone = route53.createHostedZone(r -> r.name(zoneName).callerReference("elb-" + domain)).hostedZone().id();
            route53.changeResourceRecordSets(r -> r.hostedZoneId(zone).changeBatch(b -> b.changes(Change.builder().action(ChangeAction.UPSERT)
                    .resourceRecordSet(s -> s.name(validation.name()).type(RRType.CNAME).ttl(300L).resourceRecords(x -> x.value(validation.value())))
                    .build())));
            acm.waiter().waitUntilCertificateValidated(DescribeCertificateRequest.builder().certificateArn(arn).build(), QUICK);
            return arn;
        }
    }

    @Test
    void theProductionTopologyOfLoadBalancerTargetGroupAndListeners() {
        try (ElasticLoadBalancingV2Client elb = Clients.of(ElasticLoadBalancingV2Client.builder(), aws);
             Ec2Client ec2 = Clients.of(Ec2Client.builder(), aws); AcmClient acm = Clients.of(AcmClient.builder(), aws)) {
            List<String> subnets = ec2.describeSubnets(r -> r.filters(Filter.builder().name("default-for-az").values("true").build()))
                    .subnets().stream().map(s -> s.subnetId()).limit(2).toList();
            String vpc = ec2.describeVpcs().vpcs().get(0).vpcId();
            String sg = ec2.createSecurityGroup(r -> r.groupName("elb-test").description("alb")).groupId();

            assertThrows(ElasticLoadBalancingV2Exception.class, () -> elb.createLoadBalancer(r -> r.name("one-az").subnets(subnets.get(0))));
            CreateLoadBalancerRequest create = CreateLoadBalancerRequest.builder().name("thephillymojo-ws-alb").subnets(subnets)
                    .securityGroups(sg).scheme(LoadBalancerSchemeEnum.INTERNET_FACING).type(LoadBalancerTypeEnum.APPLICATION).build();
            LoadBalancer lb = elb.createLoadBalancer(create).loadBalancers().get(0);
            assertEquals(LoadBalancerStateEnum.PROVISIONING, lb.state().code());
            assertTrue(lb.dnsName().matches("thephillymojo-ws-alb-\\d+\\.us-east-1\\.elb\\.amazonaws\\.com"), lb.dnsName());
            assertEquals("Z35SXDOTRQ7X7K", lb.canonicalHostedZoneId());
            assertTrue(lb.loadBalancerArn().startsWith("arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/thephillymojo-ws-alb/"));
            assertEquals(lb.loadBalancerArn(), elb.createLoadBalancer(create).loadBalancers().get(0).loadBalancerArn(), "same settings: the same LB");
            DuplicateLoadBalancerNameException dup = assertThrows(DuplicateLoadBalancerNameException.class,
                    () -> elb.createLoadBalancer(create.toBuilder().scheme(LoadBalancerSchemeEnum.INTERNAL).build()));
            assertEquals("DuplicateLoadBalancerName", dup.awsErrorDetails().errorCode());
            elb.waiter().waitUntilLoadBalancerAvailable(DescribeLoadBalancersRequest.builder().loadBalancerArns(lb.loadBalancerArn()).build(), QUICK);
            assertEquals(LoadBalancerStateEnum.ACTIVE, elb.describeLoadBalancers(r -> r.names("thephillymojo-ws-alb")).loadBalancers().get(0).state().code());
            assertThrows(LoadBalancerNotFoundException.class, () -> elb.describeLoadBalancers(r -> r.names("nope")));

            Map<String, String> defaults = elb.describeLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())).attributes().stream()
                    .collect(Collectors.toMap(LoadBalancerAttribute::key, LoadBalancerAttribute::value));
            assertEquals("60", defaults.get("idle_timeout.timeout_seconds"));
            elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())
                    .attributes(LoadBalancerAttribute.builder().key("idle_timeout.timeout_seconds").value("3600").build()));
            ElasticLoadBalancingV2Exception tooLong = assertThrows(ElasticLoadBalancingV2Exception.class, () -> elb.modifyLoadBalancerAttributes(r -> r
                    .loadBalancerArn(lb.loadBalancerArn()).attributes(LoadBalancerAttribute.builder().key("idle_timeout.timeout_seconds").value("5000").build())));
            assertEquals("ValidationError", tooLong.awsErrorDetails().errorCode());
            assertTrue(elb.describeLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())).attributes()
                    .contains(LoadBalancerAttribute.builder().key("idle_timeout.timeout_seconds").value("3600").build()));

            CreateTargetGroupRequest tgRequest = CreateTargetGroupRequest.builder().name("thephillymojo-ws-tg").protocol(ProtocolEnum.HTTP).port(8080)
                    .vpcId(vpc).targetType(TargetTypeEnum.IP).healthCheckPath("/health").healthCheckIntervalSeconds(10)
                    .healthCheckTimeoutSeconds(5).healthyThresholdCount(2).unhealthyThresholdCount(2).matcher(m -> m.httpCode("200")).build();
            TargetGroup tg = elb.createTargetGroup(tgRequest).targetGroups().get(0);
            assertEquals("/health", tg.healthCheckPath());
            assertEquals(tg.targetGroupArn(), elb.createTargetGroup(tgRequest).targetGroups().get(0).targetGroupArn());
            assertThrows(DuplicateTargetGroupNameException.class, () -> elb.createTargetGroup(tgRequest.toBuilder().port(9090).build()));
            elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())
                    .attributes(TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds").value("30").build()));
            assertTrue(elb.describeTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())).attributes()
                    .contains(TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds").value("30").build()));
            elb.modifyTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()).healthCheckIntervalSeconds(15));
            assertEquals(15, elb.describeTargetGroups(r -> r.names("thephillymojo-ws-tg")).targetGroups().get(0).healthCheckIntervalSeconds());
            assertThrows(TargetGroupNotFoundException.class, () -> elb.describeTargetGroups(r -> r.names("nope")));

            elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(t -> t.id("127.0.0.2").port(8080)));
            assertEquals(TargetHealthStateEnum.UNUSED, elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn()))
                    .targetHealthDescriptions().get(0).targetHealth().state());

            String cert = issuedCertificate("ws.elbtest.example", "elbtest.example");
            ElasticLoadBalancingV2Exception needsCert = assertThrows(ElasticLoadBalancingV2Exception.class, () -> elb.createListener(r -> r
                    .loadBalancerArn(lb.loadBalancerArn()).protocol(ProtocolEnum.HTTPS).port(443)
                    .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg.targetGroupArn()))));
            assertEquals("ValidationError", needsCert.awsErrorDetails().errorCode());
            Listener https = elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol(ProtocolEnum.HTTPS).port(443)
                    .certificates(c -> c.certificateArn(cert)).sslPolicy("ELBSecurityPolicy-TLS13-1-2-2021-06")
                    .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg.targetGroupArn()))).listeners().get(0);
            Listener http = elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(80)
                    .defaultActions(a -> a.type(ActionTypeEnum.REDIRECT).redirectConfig(rc -> rc.protocol("HTTPS").port("443")
                            .statusCode(RedirectActionStatusCodeEnum.HTTP_301)))).listeners().get(0);
            assertThrows(DuplicateListenerException.class, () -> elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn())
                    .protocol(ProtocolEnum.HTTP).port(80).defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE)
                            .fixedResponseConfig(f -> f.statusCode("404").contentType("text/plain").messageBody("no")))));
            assertEquals(2, elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners().size());
            assertEquals(TargetHealthStateEnum.INITIAL, elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn()))
                    .targetHealthDescriptions().get(0).targetHealth().state(), "a target behind a listener starts 'initial'");
            assertEquals(List.of(lb.loadBalancerArn()), elb.describeTargetGroups(r -> r.targetGroupArns(tg.targetGroupArn()))
                    .targetGroups().get(0).loadBalancerArns());

            assertThrows(ResourceInUseException.class, () -> acm.deleteCertificate(r -> r.certificateArn(cert)));
            assertThrows(ElasticLoadBalancingV2Exception.class, () -> elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn())));
            elb.addTags(r -> r.resourceArns(lb.loadBalancerArn()).tags(Tag.builder().key("app").value("ws").build()));
            assertEquals("ws", elb.describeTags(r -> r.resourceArns(lb.loadBalancerArn())).tagDescriptions().get(0).tags().get(0).value());

            elb.deregisterTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(t -> t.id("127.0.0.2").port(8080)));
            assertEquals(TargetHealthStateEnum.DRAINING, elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn()))
                    .targetHealthDescriptions().get(0).targetHealth().state());
            elb.deleteListener(r -> r.listenerArn(https.listenerArn()));
            elb.deleteListener(r -> r.listenerArn(http.listenerArn()));
            assertThrows(ListenerNotFoundException.class, () -> elb.describeListeners(r -> r.listenerArns(https.listenerArn())));
            acm.deleteCertificate(r -> r.certificateArn(cert));
            elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()));
            elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
            assertThrows(LoadBalancerNotFoundException.class, () -> elb.describeLoadBalancers(r -> r.loadBalancerArns(lb.loadBalancerArn())));
        }
    }

    /** The account's quota of load balancers per region: the next one is refused with AWS's code, and nothing is made. */
    @Test
    void theFiftyFirstLoadBalancerIsRefused() {
        try (LocalAws own = LocalAws.start(LocalAws.Options.defaults().dataPlane(false));
             ElasticLoadBalancingV2Client elb = Clients.of(ElasticLoadBalancingV2Client.builder(), own);
             Ec2Client ec2 = Clients.of(Ec2Client.builder(), own)) {
            List<String> subnets = ec2.describeSubnets(r -> r.filters(Filter.builder().name("default-for-az").values("true").build()))
                    .subnets().stream().map(s -> s.subnetId()).limit(2).toList();
            for (int i = 0; i < 50; i++) {
                String name = "lb-" + i;
                elb.createLoadBalancer(r -> r.name(name).subnets(subnets));
            }
            TooManyLoadBalancersException refused = assertThrows(TooManyLoadBalancersException.class,
                    () -> elb.createLoadBalancer(r -> r.name("one-too-many").subnets(subnets)));
            assertEquals("TooManyLoadBalancers", refused.awsErrorDetails().errorCode());
            assertEquals(50, elb.describeLoadBalancers().loadBalancers().size());
        }
    }
}
