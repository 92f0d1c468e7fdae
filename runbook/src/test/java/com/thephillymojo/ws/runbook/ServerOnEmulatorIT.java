package com.thephillymojo.ws.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.localstack.Waiting;
import com.thephillymojo.ws.runbook.infra.ServerImage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.DescribeCertificateRequest;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The real game server, built into an image by {@link ServerImage} and deployed on the emulator
 * the way production is laid out: ECR, NEXTAUTH_SECRET from Secrets Manager, a Fargate service
 * behind an ALB with HTTPS on 443 (ACM certificate validated in Route53) and the alias
 * ws.thephillymojo.com. A signed-in player then connects to wss://ws.thephillymojo.com/ws.
 */
class ServerOnEmulatorIT {
    private static final Path ROOT = Paths.get(System.getProperty("project.root", ".."));
    private static final WaiterOverrideConfiguration QUICK = WaiterOverrideConfiguration.builder().maxAttempts(600)
            .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(250))).waitTimeout(Duration.ofSeconds(120)).build();


    @Test
    void aSignedInPlayerReachesTheDeployedServerThroughItsName() throws Exception {
        JsonNode sessions = new ObjectMapper().readTree(ROOT.resolve("server/src/test/resources/auth/sessions.json").toFile());
        String secret = sessions.get("secret").asText();
        String aliceToken = sessions.get("players").get("alice").get("cookies").get(0).get("value").asText();
        System.setProperty("localaws.healthcheck.scale", "0.05");
        System.setProperty("localaws.elbv2.provisioningMillis", "0");
        try (LocalAws aws = LocalAws.start(0)) {
            System.clearProperty("localaws.healthcheck.scale");
            System.clearProperty("localaws.elbv2.provisioningMillis");
            AwsTarget target = AwsTarget.embeddedShared(aws, Region.US_EAST_1);

            // the image, built with Jib and pushed to the emulated ECR
            EcrClient ecr = target.client(EcrClient.builder());
            String repository = ecr.createRepository(r -> r.repositoryName("thephillymojo-ws")
                    .imageScanningConfiguration(c -> c.scanOnPush(true))).repository().repositoryUri();
            String token = ecr.getAuthorizationToken().authorizationData().get(0).authorizationToken();
            String password = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).substring(4);
            ServerImage.Pushed image = ServerImage.build(ROOT.resolve("server/target"), "scratch", repository, "v1", "AWS", password, true);
            assertEquals(image.digest(), ecr.describeImages(r -> r.repositoryName("thephillymojo-ws")).imageDetails().get(0).imageDigest());

            String secretArn = target.client(SecretsManagerClient.builder()).createSecret(r -> r.name("thephillymojo-ws/nextauth-secret")
                    .secretString(secret)).arn();
            CloudWatchLogsClient logs = target.client(CloudWatchLogsClient.builder());
            logs.createLogGroup(r -> r.logGroupName("/ecs/thephillymojo-ws"));

            // the front door
            Route53Client route53 = target.client(Route53Client.builder());
            AcmClient acm = target.client(AcmClient.builder());
            ElasticLoadBalancingV2Client elb = target.client(ElasticLoadBalancingV2Client.builder());
            String zone = route53.createHostedZone(r -> r.name("thephillymojo.com").callerReference("it")).hostedZone().id();
            String cert = acm.requestCertificate(r -> r.domainName("ws.thephillymojo.com")).certificateArn();
            var record = acm.describeCertificate(r -> r.certificateArn(cert)).certificate().domainValidationOptions().get(0).resourceRecord();
            route53.changeResourceRecordSets(r -> r.hostedZoneId(zone).changeBatch(b -> b.changes(Change.builder().action(ChangeAction.UPSERT)
                    .resourceRecordSet(s -> s.name(record.name()).type(RRType.CNAME).ttl(60L).resourceRecords(x -> x.value(record.value()))).build())));
            acm.waiter().waitUntilCertificateValidated(DescribeCertificateRequest.builder().certificateArn(cert).build(), QUICK);
            List<String> subnets = target.client(Ec2Client.builder()).describeSubnets(r -> r.filters(Filter.builder().name("default-for-az")
                    .values("true").build())).subnets().stream().map(s -> s.subnetId()).limit(2).toList();
            var lb = elb.createLoadBalancer(r -> r.name("thephillymojo-ws-alb").subnets(subnets)).loadBalancers().get(0);
            elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())
                    .attributes(LoadBalancerAttribute.builder().key("idle_timeout.timeout_seconds").value("3600").build()));
            var tg = elb.createTargetGroup(r -> r.name("thephillymojo-ws-tg").protocol(ProtocolEnum.HTTP).port(8080)
                    .targetType(TargetTypeEnum.IP).vpcId(lb.vpcId()).healthCheckPath("/health").healthCheckIntervalSeconds(5)
                    .healthCheckTimeoutSeconds(2).healthyThresholdCount(2)).targetGroups().get(0);
            elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol(ProtocolEnum.HTTPS).port(443)
                    .certificates(c -> c.certificateArn(cert)).defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg.targetGroupArn())));
            route53.changeResourceRecordSets(r -> r.hostedZoneId(zone).changeBatch(b -> b.changes(Change.builder().action(ChangeAction.UPSERT)
                    .resourceRecordSet(s -> s.name("ws.thephillymojo.com").type(RRType.A).aliasTarget(t -> t.hostedZoneId(lb.canonicalHostedZoneId())
                            .dnsName(lb.dnsName()).evaluateTargetHealth(false))).build())));

            // the service: the secret by reference, never as plain environment
            EcsClient ecs = target.client(EcsClient.builder());
            ecs.createCluster(r -> r.clusterName("thephillymojo-ws"));
            ecs.registerTaskDefinition(r -> r.family("thephillymojo-ws").networkMode(NetworkMode.AWSVPC)
                    .requiresCompatibilities(Compatibility.FARGATE).cpu("512").memory("1024")
                    .containerDefinitions(ContainerDefinition.builder().name("ws").image(image.reference()).essential(true)
                            .portMappings(p -> p.containerPort(8080))
                            .environment(KeyValuePair.builder().name("NEXTAUTH_URL").value("https://thephillymojo.com").build(),
                                    KeyValuePair.builder().name("ALLOWED_ORIGINS").value("https://thephillymojo.com").build())
                            .secrets(s -> s.name("NEXTAUTH_SECRET").valueFrom(secretArn))
                            .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(Map.of("awslogs-group", "/ecs/thephillymojo-ws",
                                    "awslogs-region", "us-east-1", "awslogs-stream-prefix", "ws"))).build()));
            ecs.createService(r -> r.cluster("thephillymojo-ws").serviceName("ws").taskDefinition("thephillymojo-ws").desiredCount(1)
                    .launchType(LaunchType.FARGATE).networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(subnets)))
                    .loadBalancers(l -> l.targetGroupArn(tg.targetGroupArn()).containerName("ws").containerPort(8080))
                    .deploymentConfiguration(d -> d.deploymentCircuitBreaker(c -> c.enable(true).rollback(true))));
            ecs.waiter().waitUntilServicesStable(DescribeServicesRequest.builder().cluster("thephillymojo-ws").services("ws").build(), QUICK);
            Waiting.until("the server's target to be healthy", Duration.ofSeconds(120), () -> elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn()))
                    .targetHealthDescriptions().stream().anyMatch(t -> t.targetHealth().state() == TargetHealthStateEnum.HEALTHY));

            HttpClient http = client(aws);
            try {
                var health = http.GET("https://ws.thephillymojo.com/health");
                assertEquals(200, health.getStatus());
                assertTrue(health.getContentAsString().contains("\"status\":\"ok\""), health.getContentAsString());

                WebSocketClient ws = new WebSocketClient(http);
                ws.start();
                Player alice = new Player();
                ClientUpgradeRequest request = new ClientUpgradeRequest();
                request.setHeader("Cookie", "__Secure-next-auth.session-token=" + aliceToken);
                request.setHeader("Origin", "https://thephillymojo.com");
                ws.connect(alice, URI.create("wss://ws.thephillymojo.com/ws"), request).get(20, TimeUnit.SECONDS);
                JsonNode welcome = new ObjectMapper().readTree(alice.first.get(20, TimeUnit.SECONDS));
                assertEquals("welcome", welcome.path("type").asText());
                assertEquals("user-alice", welcome.path("user").path("id").asText());

                ClientUpgradeRequest evil = new ClientUpgradeRequest();
                evil.setHeader("Cookie", "__Secure-next-auth.session-token=" + aliceToken);
                evil.setHeader("Origin", "https://evil.example");
                try {
                    ws.connect(new Player(), URI.create("wss://ws.thephillymojo.com/ws"), evil).get(20, TimeUnit.SECONDS);
                    throw new AssertionError("a foreign origin was let in");
                } catch (ExecutionException e) {
                    assertTrue(e.getCause() instanceof UpgradeException u && u.getResponseStatusCode() == 403, String.valueOf(e.getCause()));
                }
                ws.stop();
            } finally {
                http.stop();
            }
            // the server's JSON log lines are in CloudWatch Logs, and the secret is not
            List<String> lines = logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws")).events().stream()
                    .map(e -> e.message()).toList();
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"started\"")), "the log group holds: " + lines);
            assertTrue(logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws").filterPattern(secret)).events().isEmpty());

            ecs.deleteService(r -> r.cluster("thephillymojo-ws").service("ws").force(true));
            Waiting.until("no task process left", Duration.ofSeconds(120), () -> aws.taskProcesses().isEmpty());
        }
    }

    /** A WebSocket client endpoint keeping the first message (Jetty needs it public). */
    public static final class Player implements Session.Listener.AutoDemanding {
        final CompletableFuture<String> first = new CompletableFuture<>();

        @Override
        public void onWebSocketText(String message) {
            first.complete(message);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            first.completeExceptionally(cause); // the refused upgrade is asserted by the connect future
        }
    }

    private static HttpClient client(LocalAws aws) throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(aws.trustStore());
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setSocketAddressResolver(new SocketAddressResolver() {
            @Override
            public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
                promise.succeeded(List.of(aws.resolve(host, port).orElseGet(() -> new InetSocketAddress(host, port))));
            }
        });
        client.start();
        return client;
    }
}
