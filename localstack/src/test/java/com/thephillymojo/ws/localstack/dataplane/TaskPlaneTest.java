package com.thephillymojo.ws.localstack.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.localstack.Waiting;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.*;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The whole deployment on one machine: a JVM echo app built with jib-core and pushed to the
 * emulated ECR runs as an ECS service of two tasks behind an ALB with an HTTPS listener (its
 * certificate validated through Route53) and an HTTP redirect, reached through
 * https://echo.example.test (an alias); a killed task is replaced; a new revision rolls out with no
 * failed request; a crashing one trips the circuit breaker and is rolled back; deleting
 * everything leaves no process behind.
 */
class TaskPlaneTest {
    private static final WaiterOverrideConfiguration QUICK = FrontDoor.QUICK;
    private static LocalAws aws;
    private static AwsTarget target;

    @BeforeAll
    static void start() {
        System.setProperty("sendCredentialsOverHttp", "true");
        aws = FrontDoor.startScaledEmulator();
        target = AwsTarget.embeddedShared(aws, Region.US_EAST_1);
    }

    @AfterAll
    static void stop() {
        aws.close();
    }


    private static String pushEchoImage(Path dir, String tag) throws Exception {
        String token = target.client(EcrClient.builder()).getAuthorizationToken().authorizationData().get(0).authorizationToken();
        String password = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).substring(4);
        return EchoImage.push(aws.registryHost(), password, dir, "echo", tag);
    }

    /** ECS's services-stable counts running tasks; traffic waits for the load balancer's health checks too. */
    private static void awaitHealthy(ElasticLoadBalancingV2Client elb, String groupArn, int n) throws InterruptedException {
        Waiting.until(n + " healthy targets", Duration.ofSeconds(90), () -> elb.describeTargetHealth(r -> r.targetGroupArn(groupArn)).targetHealthDescriptions().stream()
                .filter(t -> t.targetHealth().state() == software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum.HEALTHY)
                .count() == n);
    }

    private static TaskDefinition register(EcsClient ecs, String image, String version, boolean crash, String secretArn) {
        List<KeyValuePair> env = new ArrayList<>(List.of(KeyValuePair.builder().name("APP_VERSION").value(version).build()));
        if (crash) {
            env.add(KeyValuePair.builder().name("CRASH").value("yes").build());
        }
        return ecs.registerTaskDefinition(r -> r.family("echo").networkMode(NetworkMode.AWSVPC).requiresCompatibilities(Compatibility.FARGATE)
                .cpu("256").memory("512").containerDefinitions(ContainerDefinition.builder().name("echo").image(image).essential(true)
                        .portMappings(p -> p.containerPort(8080)).environment(env).stopTimeout(5)
                        .secrets(software.amazon.awssdk.services.ecs.model.Secret.builder().name("APP_SECRET").valueFrom(secretArn).build())
                        .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(java.util.Map.of("awslogs-group", "/ecs/echo",
                                "awslogs-region", "us-east-1", "awslogs-stream-prefix", "echo"))).build())).taskDefinition();
    }

    @Test
    void stopTaskSendsSigtermThenSigkillAfterTheStopTimeout(@TempDir Path dir) throws Exception {
        EcsClient ecs = target.client(EcsClient.builder());
        target.client(EcrClient.builder()).createRepository(r -> r.repositoryName("stubborn"));
        String token = target.client(EcrClient.builder()).getAuthorizationToken().authorizationData().get(0).authorizationToken();
        String image = EchoImage.push(aws.registryHost(), new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).substring(4),
                dir, "stubborn", "v1");
        ecs.createCluster(r -> r.clusterName("stubborn"));
        ecs.registerTaskDefinition(r -> r.family("stubborn").containerDefinitions(c -> c.name("app").image(image)
                .stopTimeout(2).environment(KeyValuePair.builder().name("IGNORE_SIGTERM").value("yes").build(),
                        KeyValuePair.builder().name("DRAIN_MILLIS").value("300").build())
                .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(java.util.Map.of("awslogs-group", "/ecs/stubborn",
                        "awslogs-stream-prefix", "app")))));
        target.client(CloudWatchLogsClient.builder()).createLogGroup(r -> r.logGroupName("/ecs/stubborn"));
        String task = ecs.runTask(r -> r.cluster("stubborn").taskDefinition("stubborn")).tasks().get(0).taskArn();
        ecs.waiter().waitUntilTasksRunning(DescribeTasksRequest.builder().cluster("stubborn").tasks(task).build(), QUICK);
        CloudWatchLogsClient logs = target.client(CloudWatchLogsClient.builder());
        Waiting.until("the app to be listening", Duration.ofSeconds(90), () -> !logs.filterLogEvents(r -> r.logGroupName("/ecs/stubborn").filterPattern("listening"))
                .events().isEmpty());
        long asked = System.nanoTime();
        ecs.stopTask(r -> r.cluster("stubborn").task(task).reason("test"));
        ecs.waiter().waitUntilTasksStopped(DescribeTasksRequest.builder().cluster("stubborn").tasks(task).build(), QUICK);
        double seconds = (System.nanoTime() - asked) / 1e9;
        Task stopped = ecs.describeTasks(r -> r.cluster("stubborn").tasks(task)).tasks().get(0);
        assertEquals(137, stopped.containers().get(0).exitCode(), "killed with SIGKILL (128 + 9)");
        assertTrue(seconds >= 2, "SIGKILL came only after the 2 s stopTimeout: " + seconds);
        assertEquals("test", stopped.stoppedReason());
        assertEquals(TaskStopCode.USER_INITIATED, stopped.stopCode());
        // what it printed after SIGTERM is in its log by the time the task is STOPPED, as with awslogs
        for (String line : List.of("stopping on SIGTERM", "drained after SIGTERM")) {
            assertEquals(1, logs.filterLogEvents(r -> r.logGroupName("/ecs/stubborn").filterPattern("\"" + line + "\"")).events().size(), line);
        }
    }

    @Test
    void theServiceRunsBehindTheLoadBalancerRollsOutAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        EcsClient ecs = target.client(EcsClient.builder());
        ElasticLoadBalancingV2Client elb = target.client(ElasticLoadBalancingV2Client.builder());
        target.client(EcrClient.builder()).createRepository(r -> r.repositoryName("echo"));
        String image = pushEchoImage(dir, "v1");
        String secretArn = target.client(SecretsManagerClient.builder()).createSecret(r -> r.name("echo/secret").secretString("s3cret")).arn();
        CloudWatchLogsClient logs = target.client(CloudWatchLogsClient.builder());
        logs.createLogGroup(r -> r.logGroupName("/ecs/echo"));

        // the front door: certificate through Route53, ALB, target group, listeners, alias
        FrontDoor door = FrontDoor.build(target, "example.test", "echo.example.test", "echo");
        var tg = door.targetGroup();
        List<String> subnets = door.subnets();

        // an image the emulator cannot run fails its task with a reason
        ecs.createCluster(r -> r.clusterName("echo"));
        TaskDefinition shell = ecs.registerTaskDefinition(r -> r.family("shell").containerDefinitions(ContainerDefinition.builder()
                .name("sh").image(image).entryPoint("sh", "-c", "echo hi").build())).taskDefinition();
        String shellTask = ecs.runTask(r -> r.cluster("echo").taskDefinition(shell.taskDefinitionArn())).tasks().get(0).taskArn();
        ecs.waiter().waitUntilTasksStopped(DescribeTasksRequest.builder().cluster("echo").tasks(shellTask).build(), QUICK);
        Task failed = ecs.describeTasks(r -> r.cluster("echo").tasks(shellTask)).tasks().get(0);
        assertTrue(failed.stoppedReason().startsWith("CannotStartContainerError"), failed.stoppedReason());

        // the service: two tasks, registered in the target group, healthy, reached through the name
        TaskDefinition v1 = register(ecs, image, "v1", false, secretArn);
        ecs.createService(r -> r.cluster("echo").serviceName("echo").taskDefinition(v1.taskDefinitionArn()).desiredCount(2)
                .launchType(LaunchType.FARGATE).networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(subnets)))
                .loadBalancers(l -> l.targetGroupArn(tg.targetGroupArn()).containerName("echo").containerPort(8080))
                .deploymentConfiguration(d -> d.maximumPercent(200).minimumHealthyPercent(100)
                        .deploymentCircuitBreaker(b -> b.enable(true).rollback(true))));
        long created = System.nanoTime();
        ecs.waiter().waitUntilServicesStable(DescribeServicesRequest.builder().cluster("echo").services("echo").build(), QUICK);
        awaitHealthy(elb, tg.targetGroupArn(), 2);
        System.out.printf("TaskPlaneTest: CreateService -> stable with 2 healthy targets in %.1f s%n", (System.nanoTime() - created) / 1e9);
        assertEquals(2, aws.taskProcesses().size());
        // ECS spreads the service's tasks over its subnets, each in its subnet's zone, named on its network interface
        List<Task> placed = ecs.describeTasks(r -> r.cluster("echo").tasks(ecs.listTasks(l -> l.cluster("echo").serviceName("echo")).taskArns())).tasks();
        Map<String, String> zoneOfSubnet = target.client(Ec2Client.builder()).describeSubnets(r -> r.subnetIds(subnets)).subnets().stream()
                .collect(java.util.stream.Collectors.toMap(s -> s.subnetId(), s -> s.availabilityZone()));
        Set<String> used = new HashSet<>();
        for (Task t : placed) {
            String subnet = t.attachments().get(0).details().stream().filter(d -> d.name().equals("subnetId")).findFirst().orElseThrow().value();
            assertEquals(zoneOfSubnet.get(subnet), t.availabilityZone());
            used.add(subnet);
        }
        assertEquals(Set.copyOf(subnets), used);

        HttpClient http = FrontDoor.client(aws);
        try {
            Set<String> tasks = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                var response = http.GET("https://echo.example.test/");
                assertEquals(200, response.getStatus());
                tasks.add(response.getContentAsString().split(" ")[0]);
            }
            assertEquals(2, tasks.size(), "both tasks answer in turn: " + tasks);
            assertEquals(301, http.GET("http://echo.example.test/").getStatus());

            WebSocketClient ws = new WebSocketClient(http);
            ws.start();
            LoadBalancerPlaneTest.Listener listener = new LoadBalancerPlaneTest.Listener();
            Session session = ws.connect(listener, URI.create("wss://echo.example.test/ws")).get(10, TimeUnit.SECONDS);
            session.sendText("over wss", org.eclipse.jetty.websocket.api.Callback.NOOP);
            assertEquals("echo: over wss", listener.text.get(10, TimeUnit.SECONDS));
            session.close();
            ws.stop();

            // the tasks' output is in CloudWatch Logs, the secret reached them from Secrets Manager
            Waiting.until("the task's first log line", Duration.ofSeconds(90), () -> logs.filterLogEvents(r -> r.logGroupName("/ecs/echo").filterPattern("listening"))
                    .events().size() >= 2);
            assertTrue(logs.filterLogEvents(r -> r.logGroupName("/ecs/echo").filterPattern("listening")).events().get(0).message()
                    .contains("secret of 6 chars"));

            // a task whose process dies is replaced
            aws.taskProcesses().get(0).destroyForcibly();
            Waiting.until("the dead task to be STOPPED", Duration.ofSeconds(90), () -> ecs.listTasks(r -> r.cluster("echo").desiredStatus(DesiredStatus.STOPPED)).taskArns().size() >= 2);
            ecs.waiter().waitUntilServicesStable(DescribeServicesRequest.builder().cluster("echo").services("echo").build(), QUICK);
            Waiting.until("two tasks running again", Duration.ofSeconds(90), () -> aws.taskProcesses().size() == 2
                    && ecs.describeServices(r -> r.cluster("echo").services("echo")).services().get(0).runningCount() == 2);
            awaitHealthy(elb, tg.targetGroupArn(), 2);

            // a new revision rolls out with no failed request
            TaskDefinition v2 = register(ecs, image, "v2", false, secretArn);
            AtomicBoolean rolling = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger fromV1 = new AtomicInteger();
            AtomicInteger fromV2 = new AtomicInteger();
            List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread load = new Thread(() -> {
                while (rolling.get()) {
                    try {
                        var response = http.GET("https://echo.example.test/");
                        if (response.getStatus() == 200) {
                            ok.incrementAndGet();
                            (response.getContentAsString().contains("@v2") ? fromV2 : fromV1).incrementAndGet();
                        } else {
                            failures.add(String.valueOf(response.getStatus()));
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            load.start();
            Waiting.until("the load to be answered by v1", Duration.ofSeconds(30), () -> fromV1.get() > 0 || !failures.isEmpty());
            ecs.updateService(r -> r.cluster("echo").service("echo").taskDefinition(v2.taskDefinitionArn()));
            ecs.waiter().waitUntilServicesStable(DescribeServicesRequest.builder().cluster("echo").services("echo").build(), QUICK);
            Waiting.until("only v2 answers", Duration.ofSeconds(90), () -> {
                try {
                    return http.GET("https://echo.example.test/").getContentAsString().contains("@v2")
                            && http.GET("https://echo.example.test/").getContentAsString().contains("@v2");
                } catch (Exception e) {
                    return false;
                }
            });
            Waiting.until("the load to be answered by v2", Duration.ofSeconds(30), () -> fromV2.get() > 0 || !failures.isEmpty());
            rolling.set(false);
            load.join();
            // the same stream of requests was answered by the old revision and by the new one, and none failed
            assertEquals(List.of(), failures, "no failed request during the rollout");
            assertTrue(fromV1.get() > 0 && fromV2.get() > 0, "v1 answered " + fromV1 + ", v2 answered " + fromV2);
            System.out.printf("TaskPlaneTest: %d requests during the rollout, none failed%n", ok.get());

            // a revision whose tasks crash trips the circuit breaker and is rolled back
            TaskDefinition v3 = register(ecs, image, "v3", true, secretArn);
            ecs.updateService(r -> r.cluster("echo").service("echo").taskDefinition(v3.taskDefinitionArn()));
            Waiting.until("the rollback", Duration.ofSeconds(90), () -> {
                Service s = ecs.describeServices(r -> r.cluster("echo").services("echo")).services().get(0);
                return s.deployments().stream().anyMatch(d -> d.rolloutState() == DeploymentRolloutState.FAILED)
                        && s.taskDefinition().equals(v2.taskDefinitionArn());
            });
            ecs.waiter().waitUntilServicesStable(DescribeServicesRequest.builder().cluster("echo").services("echo").build(), QUICK);
            assertTrue(http.GET("https://echo.example.test/").getContentAsString().contains("@v2"));
            assertTrue(ecs.describeServices(r -> r.cluster("echo").services("echo")).services().get(0).events().stream()
                    .anyMatch(e -> e.message().contains("deployment failed")));
        } finally {
            http.stop();
        }

        // deleting the service stops its tasks; no process is left
        ecs.deleteService(r -> r.cluster("echo").service("echo").force(true));
        ecs.waiter().waitUntilServicesInactive(DescribeServicesRequest.builder().cluster("echo").services("echo").build(), QUICK);
        Waiting.until("no task process left", Duration.ofSeconds(90), () -> aws.taskProcesses().isEmpty());
        ecs.deleteCluster(r -> r.cluster("echo"));

        // and the front door: load balancer (its listeners with it), target group, certificate, records, zone
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(door.loadBalancer().loadBalancerArn()));
        elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()));
        target.client(software.amazon.awssdk.services.acm.AcmClient.builder()).deleteCertificate(r -> r.certificateArn(door.certificateArn()));
        var route53 = target.client(software.amazon.awssdk.services.route53.Route53Client.builder());
        var extra = route53.listResourceRecordSets(r -> r.hostedZoneId(door.zoneId())).resourceRecordSets().stream()
                .filter(rr -> rr.type() != software.amazon.awssdk.services.route53.model.RRType.NS
                        && rr.type() != software.amazon.awssdk.services.route53.model.RRType.SOA).toList();
        route53.changeResourceRecordSets(r -> r.hostedZoneId(door.zoneId()).changeBatch(b -> b.changes(extra.stream()
                .map(rr -> software.amazon.awssdk.services.route53.model.Change.builder()
                        .action(software.amazon.awssdk.services.route53.model.ChangeAction.DELETE).resourceRecordSet(rr).build()).toList())));
        route53.deleteHostedZone(r -> r.id(door.zoneId()));
        Waiting.until("no listener left", Duration.ofSeconds(90), () -> aws.listenerMappings().isEmpty());
        assertTrue(aws.taskProcesses().isEmpty());
    }
}
