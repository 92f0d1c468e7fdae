package com.thephillymojo.ws.localstack.dataplane;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.DescribeCertificateRequest;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;

/**
 * The production front door, built through the real SDK against the emulator: a hosted zone, a
 * certificate validated through it, an ALB with an HTTPS listener forwarding to a target group
 * (health check /health) and an HTTP redirect, and the alias {@code name} → the ALB.
 */
record FrontDoor(String zoneId, String certificateArn, LoadBalancer loadBalancer, TargetGroup targetGroup, List<String> subnets) {
    static final WaiterOverrideConfiguration QUICK = WaiterOverrideConfiguration.builder().maxAttempts(400)
            .backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(250))).waitTimeout(Duration.ofSeconds(90)).build();

    /** An emulator whose health checks and load balancer start-up run 20 times faster (intervals 5 s → 250 ms). */
    static LocalAws startScaledEmulator() {
        return startScaledEmulator(LocalAws.Options.defaults());
    }

    static LocalAws startScaledEmulator(LocalAws.Options options) {
        return LocalAws.start(options.timing(options.timing().healthCheckScale(0.05).loadBalancerProvisioning(Duration.ZERO)));
    }

    static FrontDoor build(AwsTarget target, String zone, String name, String prefix) {
        Route53Client route53 = target.client(Route53Client.builder());
        AcmClient acm = target.client(AcmClient.builder());
        ElasticLoadBalancingV2Client elb = target.client(ElasticLoadBalancingV2Client.builder());
        String zoneId = route53.createHostedZone(r -> r.name(zone).callerReference(prefix + "-" + zone)).hostedZone().id();
        String cert = acm.requestCertificate(r -> r.domainName(name)).certificateArn();
        var record = acm.describeCertificate(r -> r.certificateArn(cert)).certificate().domainValidationOptions().get(0).resourceRecord();
        route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId).changeBatch(b -> b.changes(Change.builder().action(ChangeAction.UPSERT)
                .resourceRecordSet(s -> s.name(record.name()).type(RRType.CNAME).ttl(60L).resourceRecords(x -> x.value(record.value()))).build())));
        acm.waiter().waitUntilCertificateValidated(DescribeCertificateRequest.builder().certificateArn(cert).build(), QUICK);
        List<String> subnets = target.client(Ec2Client.builder()).describeSubnets(r -> r.filters(Filter.builder().name("default-for-az")
                .values("true").build())).subnets().stream().map(s -> s.subnetId()).limit(2).toList();
        LoadBalancer lb = elb.createLoadBalancer(r -> r.name(prefix + "-alb").subnets(subnets)).loadBalancers().get(0);
        TargetGroup tg = elb.createTargetGroup(r -> r.name(prefix + "-tg").protocol(ProtocolEnum.HTTP).port(8080).targetType(TargetTypeEnum.IP)
                .vpcId(lb.vpcId()).healthCheckPath("/health").healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2)
                .healthyThresholdCount(2).unhealthyThresholdCount(2)).targetGroups().get(0);
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())
                .attributes(TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds").value("10").build()));
        elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol(ProtocolEnum.HTTPS).port(443)
                .certificates(c -> c.certificateArn(cert)).defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg.targetGroupArn())));
        elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(a -> a.type(ActionTypeEnum.REDIRECT).redirectConfig(c -> c.protocol("HTTPS").port("443")
                        .statusCode(RedirectActionStatusCodeEnum.HTTP_301))));
        route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId).changeBatch(b -> b.changes(Change.builder().action(ChangeAction.UPSERT)
                .resourceRecordSet(s -> s.name(name).type(RRType.A).aliasTarget(t -> t.hostedZoneId(lb.canonicalHostedZoneId())
                        .dnsName(lb.dnsName()).evaluateTargetHealth(false))).build())));
        return new FrontDoor(zoneId, cert, lb, tg, subnets);
    }

    /** A Jetty client that trusts the emulator's CA and resolves the names it serves through it. */
    static HttpClient client(LocalAws aws) throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(aws.trustStore());
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setFollowRedirects(false);
        client.setSocketAddressResolver(new SocketAddressResolver() {
            @Override
            public void resolve(String host, int port, java.util.Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
                promise.succeeded(List.of(aws.resolve(host, port).orElseGet(() -> new InetSocketAddress(host, port))));
            }
        });
        client.start();
        return client;
    }
}
