package com.thephillymojo.ws.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.localstack.Waiting;
import com.thephillymojo.ws.runbook.cli.Runbook;
import com.thephillymojo.ws.runbook.infra.Outcome;
import com.thephillymojo.ws.runbook.infra.Outcome.Change;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The runbook's whole life on the embedded emulator, through the executor as an operator runs it
 * (features/deploy.feature and features/operations.feature with the production glue): plan on a
 * fresh emulator → apply (with the smoke game) → apply again (all unchanged) → drift corrected →
 * deploy a new tag → scale to 2 → status → roll back → destroy, checked through the AWS APIs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunbookIT {
    private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    @TempDir
    static Path work;
    static Runbook runbook;
    static ByteArrayOutputStream output = new ByteArrayOutputStream();
    static String confirmation = "";

    @BeforeAll
    static void start() {
        System.setProperty("cucumber.publish.quiet", "true");
        runbook = new Runbook(new PrintStream(output, true, StandardCharsets.UTF_8),
                new java.io.InputStream() {
                    private ByteArrayInputStream bytes;

                    @Override
                    public int read() {
                        if (bytes == null) {
                            bytes = new ByteArrayInputStream((confirmation + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                        return bytes.read();
                    }
                }, false);
    }

    @AfterAll
    static void stop() {
        runbook.close();
    }

    private static int run(String... args) {
        output.reset();
        String[] all = Stream.concat(Stream.of("--env", "local", "--settings-dir", ROOT.resolve("runbook/env").toString(),
                "--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString(),
                "--server-build", ROOT.resolve("server/target").toString()), Stream.of(args)).toArray(String[]::new);
        int code = runbook.commandLine().execute(all);
        System.out.print(output.toString(StandardCharsets.UTF_8));
        return code;
    }

    private static Set<Change> changes() {
        return runbook.lastOutcomes().stream().filter(o -> o.change() != Change.OBSERVED).map(Outcome::change).collect(Collectors.toSet());
    }

    private static AwsTarget aws() {
        return runbook.target();
    }

    private static LocalAws emulator() {
        return aws().emulator().orElseThrow();
    }

    @Test
    @Order(1)
    void planOnAFreshEmulatorListsEveryResourceAndCreatesNone() {
        assertEquals(Runbook.CHANGES_PENDING, run("plan"));
        List<Outcome> plan = runbook.lastOutcomes();
        assertEquals(Set.of(Change.WOULD_CREATE), changes(), plan.toString());
        assertEquals(Set.of("ecr repository", "image", "secret", "log group", "execution role", "security group", "hosted zone",
                "certificate", "load balancer", "target group", "listener", "ecs cluster", "task definition", "ecs service", "dns alias"),
                plan.stream().map(Outcome::kind).collect(Collectors.toSet()));
        assertEquals(17, plan.size());
        // and nothing exists
        assertTrue(aws().client(EcrClient.builder()).describeRepositories().repositories().isEmpty());
        assertTrue(aws().client(ElasticLoadBalancingV2Client.builder()).describeLoadBalancers().loadBalancers().isEmpty());
        assertTrue(aws().client(EcsClient.builder()).listClusters().clusterArns().isEmpty());
        assertTrue(aws().client(Route53Client.builder()).listHostedZones().hostedZones().isEmpty());
        assertTrue(aws().client(IamClient.builder()).listRoles().roles().isEmpty());
        assertFalse(Files.exists(work.resolve("state/local.json")), "a plan writes no state");
        assertTrue(Files.exists(work.resolve("reports/local")), "the reports are written");
    }

    @Test
    @Order(2)
    void applyDeploysTheStackAndTwoPlayersPlayAGameThroughTheName() {
        assertEquals(Runbook.OK, run("apply"));
        assertEquals(Set.of(Change.CREATED), changes(), runbook.lastOutcomes().toString());
        assertTrue(observed("smoke game").matches("seat [01] won a (single|gammon|backgammon) after \\d+ plays"), observed("smoke game"));
        assertTrue(observed("health").startsWith("200 "));
        String state = read(work.resolve("state/local.json"));
        for (String key : List.of("certificate.arn", "loadBalancer.dnsName", "image.v1", "service.arn", "targetGroup.arn", "secret.arn")) {
            assertTrue(state.contains("\"" + key + "\""), key + " is not in the state: " + state);
        }
        // the server's JSON log lines are in CloudWatch Logs, and the secret is not
        var logs = aws().client(CloudWatchLogsClient.builder());
        assertTrue(logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws")).events().stream()
                .anyMatch(e -> e.message().contains("\"event\":\"started\"")), "the server's log reached CloudWatch");
        String secret = aws().client(SecretsManagerClient.builder()).getSecretValue(r -> r.secretId("thephillymojo-ws/nextauth-secret")).secretString();
        assertTrue(logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws").filterPattern("\"" + secret + "\"")).events().isEmpty());
        assertTrue(observed("origin check").equals("refused with 403"), observed("origin check"));
        // the secret reached the task by reference only
        var td = aws().client(EcsClient.builder()).describeTaskDefinition(r -> r.taskDefinition("thephillymojo-ws")).taskDefinition();
        var container = td.containerDefinitions().get(0);
        assertEquals(Map.of("NEXTAUTH_URL", "https://thephillymojo.com", "ALLOWED_ORIGINS", "https://thephillymojo.com,http://localhost:3000",
                "BIND_ADDRESS", "127.0.0.1"), container.environment().stream().collect(Collectors.toMap(e -> e.name(), e -> e.value())));
        // the task's server listens on loopback only, reached through the load balancer (its own log says so)
        assertFalse(logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws")
                .filterPattern("{ $.event = \"started\" && $.address = \"127.0.0.1\" }")).events().isEmpty());
        assertEquals("NEXTAUTH_SECRET", container.secrets().get(0).name());
        assertTrue(container.secrets().get(0).valueFrom().startsWith("arn:aws:secretsmanager:"));
        assertEquals("3600", aws().client(ElasticLoadBalancingV2Client.builder()).describeLoadBalancerAttributes(r -> r.loadBalancerArn(
                stateValue("loadBalancer.arn"))).attributes().stream().filter(a -> a.key().equals("idle_timeout.timeout_seconds")).findFirst()
                .orElseThrow().value());
    }

    @Test
    @Order(3)
    void aSecondApplyChangesNothing() {
        assertEquals(Runbook.OK, run("apply"));
        assertEquals(Set.of(Change.UNCHANGED), changes(), runbook.lastOutcomes().toString());
        assertEquals(Runbook.OK, run("plan"));
    }

    @Test
    @Order(4)
    void driftIsCorrectedAndSaidWhat() {
        var elb = aws().client(ElasticLoadBalancingV2Client.builder());
        elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(stateValue("loadBalancer.arn")).attributes(a -> a.key("idle_timeout.timeout_seconds").value("60")));
        aws().client(CloudWatchLogsClient.builder()).putRetentionPolicy(r -> r.logGroupName("/ecs/thephillymojo-ws").retentionInDays(1));
        assertEquals(Runbook.CHANGES_PENDING, run("plan"));
        assertEquals(List.of("load balancer", "log group"), runbook.lastOutcomes().stream().filter(o -> o.change() == Change.WOULD_CHANGE)
                .map(Outcome::kind).sorted().toList());
        assertEquals(Runbook.OK, run("apply"));
        List<Outcome> changed = runbook.lastOutcomes().stream().filter(o -> o.change() == Change.CHANGED).toList();
        assertEquals(2, changed.size(), changed.toString());
        assertTrue(changed.stream().anyMatch(o -> o.detail().equals("idle timeout 60 s → 3600 s")), changed.toString());
    }

    @Test
    @Order(5)
    void deployingANewTagRollsOutANewRevision() {
        assertEquals(Runbook.OK, run("deploy", "--tag", "v2"));
        assertTrue(runbook.lastOutcomes().stream().anyMatch(o -> o.kind().equals("task definition") && o.change() == Change.CREATED
                && o.name().equals("thephillymojo-ws:2")), runbook.lastOutcomes().toString());
        var service = aws().client(EcsClient.builder()).describeServices(r -> r.cluster("thephillymojo-ws").services("thephillymojo-ws")).services().get(0);
        assertTrue(service.taskDefinition().endsWith(":2"));
        assertEquals(1, service.deployments().size());
        assertTrue(aws().client(EcsClient.builder()).describeTaskDefinition(r -> r.taskDefinition(service.taskDefinition())).taskDefinition()
                .containerDefinitions().get(0).image().endsWith(":v2"));
        // apply after a deploy keeps the deployed tag
        assertEquals(Runbook.OK, run("apply"));
        assertEquals(Set.of(Change.UNCHANGED), changes(), runbook.lastOutcomes().toString());
    }

    @Test
    @Order(6)
    void scalingToTwoGivesTwoHealthyTargets() {
        assertEquals(Runbook.OK, run("scale", "--count", "2"));
        var health = aws().client(ElasticLoadBalancingV2Client.builder()).describeTargetHealth(r -> r.targetGroupArn(stateValue("targetGroup.arn")))
                .targetHealthDescriptions();
        assertEquals(2, health.stream().filter(t -> t.targetHealth().state() == TargetHealthStateEnum.HEALTHY).count(), health.toString());
        assertEquals(Runbook.OK, run("status"));
        assertEquals(2, runbook.lastOutcomes().stream().filter(o -> o.kind().equals("target") && o.detail().equals("healthy")).count());
        assertTrue(observed("ecs service").startsWith("ACTIVE, 2/2 running, thephillymojo-ws:2"), observed("ecs service"));
    }

    @Test
    @Order(7)
    void rollbackReturnsToThePreviousRevision() {
        assertEquals(Runbook.OK, run("rollback"));
        var service = aws().client(EcsClient.builder()).describeServices(r -> r.cluster("thephillymojo-ws").services("thephillymojo-ws")).services().get(0);
        assertTrue(service.taskDefinition().endsWith(":1"), service.taskDefinition());
        assertEquals(2, service.runningCount());
    }

    @Test
    @Order(8)
    void destroyAsksFirstThenDeletesEverythingInReverseOrder() throws Exception {
        confirmation = "production";
        assertEquals(Runbook.NOT_CONFIRMED, run("destroy"));
        assertFalse(aws().client(EcrClient.builder()).describeRepositories().repositories().isEmpty(), "nothing was deleted");
        assertTrue(runbook.lastOutcomes().stream().allMatch(o -> o.change() == Change.WOULD_DELETE || o.change() == Change.UNCHANGED
                || o.change() == Change.ABSENT), runbook.lastOutcomes().toString());

        assertEquals(Runbook.OK, run("destroy", "--yes"));
        List<String> order = runbook.lastOutcomes().stream().filter(o -> o.change() == Change.DELETED).map(Outcome::kind).distinct().toList();
        assertEquals(List.of("dns alias", "ecs service", "task definition", "ecs cluster", "listener", "load balancer", "target group",
                "certificate", "security group", "execution role", "log group", "secret", "ecr repository", "hosted zone"), order);
        // checked through the APIs, beyond the runbook's own check
        assertTrue(aws().client(EcrClient.builder()).describeRepositories().repositories().isEmpty());
        assertTrue(aws().client(ElasticLoadBalancingV2Client.builder()).describeLoadBalancers().loadBalancers().isEmpty());
        assertTrue(aws().client(ElasticLoadBalancingV2Client.builder()).describeTargetGroups().targetGroups().isEmpty());
        assertTrue(aws().client(EcsClient.builder()).listTaskDefinitions(r -> r.status(TaskDefinitionStatus.ACTIVE)).taskDefinitionArns().isEmpty());
        assertTrue(aws().client(EcsClient.builder()).describeClusters(r -> r.clusters("thephillymojo-ws")).clusters().stream()
                .allMatch(c -> c.status().equals("INACTIVE")));
        assertTrue(aws().client(AcmClient.builder()).listCertificates().certificateSummaryList().isEmpty());
        assertTrue(aws().client(Route53Client.builder()).listHostedZones().hostedZones().isEmpty());
        assertTrue(aws().client(IamClient.builder()).listRoles().roles().isEmpty());
        assertTrue(aws().client(CloudWatchLogsClient.builder()).describeLogGroups().logGroups().isEmpty());
        assertThrows(ResourceNotFoundException.class, () -> aws().client(SecretsManagerClient.builder())
                .describeSecret(r -> r.secretId("thephillymojo-ws/nextauth-secret")));
        assertTrue(aws().client(Ec2Client.builder()).describeSecurityGroups().securityGroups().stream()
                .noneMatch(g -> g.groupName().startsWith("thephillymojo-ws")));
        Waiting.until("every task process to end", Duration.ofSeconds(60), () -> emulator().taskProcesses().isEmpty());
        assertTrue(emulator().listenerMappings().isEmpty());
    }

    @Test
    @Order(9)
    void badSettingsExitTwoWithTheReason() {
        Runbook other = new Runbook(new PrintStream(new ByteArrayOutputStream()), System.in, false);
        var err = new java.io.StringWriter();
        var line = other.commandLine();
        line.setErr(new java.io.PrintWriter(err, true));
        assertEquals(Runbook.USAGE, line.execute("--env", "nowhere", "--settings-dir", ROOT.resolve("runbook/env").toString(), "plan"));
        assertTrue(err.toString().contains("no settings for environment 'nowhere'"), err.toString());
        assertEquals(Runbook.USAGE, line.execute("--env", "local", "scale"));
        assertEquals(Runbook.USAGE, line.execute("--env", "local", "--settings-dir", ROOT.resolve("runbook/env").toString(), "scale", "--count", "-1"));
        other.close();
    }

    private static String observed(String kind) {
        return runbook.lastOutcomes().stream().filter(o -> o.kind().equals(kind)).map(Outcome::detail).findFirst().orElse("");
    }

    private static String stateValue(String key) {
        return State.open(work.resolve("state"), "local").get(key).orElseThrow();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
