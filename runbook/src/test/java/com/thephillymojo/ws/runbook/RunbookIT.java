package com.thephillymojo.ws.runbook;

import com.thephillymojo.ws.runbook.cli.Host;
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
    /** The actions each command called, over the whole life below. */
    static final Map<String, java.util.SortedSet<String>> CALLED = new java.util.TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        // the product's own settings, with an emulator of this test's own on a free port (not the local environment's 4566)
        // that enforces IAM: the runbook signs as a role holding exactly the deployer policy an account gives it
        Files.createDirectories(work.resolve("env"));
        Files.writeString(work.resolve("env/local.properties"), Files.readString(ROOT.resolve("runbook/env/local.properties"))
                .replaceAll("(?m)^emulator\\.port=.*$", "emulator.port=0")
                + "\nemulator.deployerPolicy=" + ROOT.resolve("runbook/iam/deployer-policy.json").toAbsolutePath() + "\n");
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
                }, false, new Host(ROOT, System.getenv()));
    }

    @AfterAll
    static void stop() {
        runbook.close();
    }

    private static int run(String... args) {
        output.reset();
        String[] all = Stream.concat(Stream.of("--env", "local", "--settings-dir", work.resolve("env").toString(),
                "--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString(),
                "--server-build", ROOT.resolve("server/target").toString()), Stream.of(args)).toArray(String[]::new);
        int code;
        runbook.commandLine().parseArgs(all);   // the environment, so that its emulator can be asked before the command runs
        try (var recording = emulator().record(aws().accessKeyId())) {
            code = runbook.commandLine().execute(all);
            CALLED.computeIfAbsent(args[0], k -> new java.util.TreeSet<>()).addAll(recording.actions());
        }
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

    /** A client of this test's own (another access key than the runbook's), to look without counting as the runbook's call. */
    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C> C inspect(B builder) {
        return builder.endpointOverride(aws().endpoint().orElseThrow()).region(aws().region()).credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("inspector", "inspector"))).build();
    }

    @Test
    @Order(1)
    void planOnAFreshEmulatorListsEveryResourceAndCreatesNone() {
        assertEquals(Runbook.CHANGES_PENDING, run("plan"));
        assertEquals("runbook plan — local: account 000000000000 as arn:aws:sts::000000000000:assumed-role/runbook-deployer/runbook, us-east-1 "
                + "(embedded emulator at "
                + aws().endpoint().orElseThrow() + ")", output.toString(StandardCharsets.UTF_8).lines().findFirst().orElse(""));
        List<Outcome> plan = runbook.lastOutcomes();
        assertEquals(Set.of(Change.WOULD_CREATE), changes(), plan.toString());
        assertEquals(Set.of("ecr repository", "image", "secret", "log group", "execution role", "security group", "hosted zone",
                "certificate", "load balancer", "target group", "listener", "ecs cluster", "task definition", "ecs service", "dns alias",
                "cache subnet group", "cache"), plan.stream().map(Outcome::kind).collect(Collectors.toSet()));
        assertEquals(22, plan.size(), plan.toString());
        assertTrue(inspect(software.amazon.awssdk.services.elasticache.ElastiCacheClient.builder()).describeReplicationGroups()
                .replicationGroups().isEmpty());
        // and nothing exists
        assertTrue(inspect(EcrClient.builder()).describeRepositories().repositories().isEmpty());
        assertTrue(inspect(ElasticLoadBalancingV2Client.builder()).describeLoadBalancers().loadBalancers().isEmpty());
        assertTrue(inspect(EcsClient.builder()).listClusters().clusterArns().isEmpty());
        assertTrue(inspect(Route53Client.builder()).listHostedZones().hostedZones().isEmpty());
        assertEquals(List.of("runbook-deployer"), inspect(IamClient.builder()).listRoles().roles().stream().map(r -> r.roleName()).toList(),
                "only the role the runbook signs as is left (the account's, not the runbook's)");
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
        var logs = inspect(CloudWatchLogsClient.builder());
        assertTrue(logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws")).events().stream()
                .anyMatch(e -> e.message().contains("\"event\":\"started\"")), "the server's log reached CloudWatch");
        String secret = inspect(SecretsManagerClient.builder()).getSecretValue(r -> r.secretId("thephillymojo-ws/nextauth-secret")).secretString();
        assertTrue(logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws").filterPattern("\"" + secret + "\"")).events().isEmpty());
        assertTrue(observed("origin check").equals("refused with 403"), observed("origin check"));
        // the secret reached the task by reference only
        var td = inspect(EcsClient.builder()).describeTaskDefinition(r -> r.taskDefinition("thephillymojo-ws")).taskDefinition();
        var container = td.containerDefinitions().get(0);
        assertEquals(Map.of("NEXTAUTH_URL", "https://thephillymojo.com", "ALLOWED_ORIGINS", "https://thephillymojo.com,http://localhost:3000",
                "BIND_ADDRESS", "127.0.0.1", "REDIS_ACK_REPLICAS", "1"), container.environment().stream().collect(Collectors.toMap(e -> e.name(), e -> e.value())));
        // the task's server listens on loopback only, reached through the load balancer (its own log says so)
        assertFalse(logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws")
                .filterPattern("{ $.event = \"started\" && $.address = \"127.0.0.1\" }")).events().isEmpty());
        assertEquals("NEXTAUTH_SECRET", container.secrets().get(0).name());
        assertTrue(container.secrets().get(0).valueFrom().startsWith("arn:aws:secretsmanager:"));
        // the cache: Valkey with TLS and the token, the tasks given its URL by reference, two tasks sharing it
        assertEquals("REDIS_URL", container.secrets().get(1).name());
        assertTrue(container.secrets().get(1).valueFrom().matches("arn:aws:secretsmanager:.*:secret:thephillymojo-ws/cache-\\w+:url::"),
                container.secrets().get(1).valueFrom());
        var cache = inspect(software.amazon.awssdk.services.elasticache.ElastiCacheClient.builder()).describeReplicationGroups(r -> r
                .replicationGroupId("thephillymojo-ws")).replicationGroups().get(0);
        assertEquals("valkey", cache.engine());
        assertTrue(cache.transitEncryptionEnabled() && cache.authTokenEnabled());
        assertEquals(2, cache.memberClusters().size());
        assertEquals(2, emulator().cacheProcesses().size(), "the cache's primary and replica run");
        assertEquals(2, emulator().taskProcesses().size(), "two tasks");
        String cacheSecret = inspect(SecretsManagerClient.builder()).getSecretValue(r -> r.secretId("thephillymojo-ws/cache")).secretString();
        String token = cacheSecret.replaceAll(".*\"authToken\":\"(\\w+)\".*", "$1");
        assertTrue(cacheSecret.contains("\"url\":\"rediss://:" + token + "@master.thephillymojo-ws."), cacheSecret.replace(token, "TOKEN"));
        assertTrue(logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws").filterPattern("\"" + token + "\"")).events().isEmpty(),
                "the cache's token is in no log line");
        assertFalse(read(work.resolve("state/local.json")).contains(token), "nor in the state file");
        assertFalse(output.toString(StandardCharsets.UTF_8).contains(token), "nor in the runbook's output");
        assertEquals("3600", inspect(ElasticLoadBalancingV2Client.builder()).describeLoadBalancerAttributes(r -> r.loadBalancerArn(
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
    void driftIsCorrectedAndSaidWhat() throws Exception {
        // someone changed things by hand, one of each kind the runbook corrects
        var elb = inspect(ElasticLoadBalancingV2Client.builder());
        elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(stateValue("loadBalancer.arn")).attributes(a -> a.key("idle_timeout.timeout_seconds").value("60")));
        elb.modifyTargetGroup(r -> r.targetGroupArn(stateValue("targetGroup.arn")).healthCheckPath("/"));
        String httpListener = elb.describeListeners(r -> r.loadBalancerArn(stateValue("loadBalancer.arn"))).listeners().stream()
                .filter(l -> l.port() == 80).findFirst().orElseThrow().listenerArn();
        elb.modifyListener(r -> r.listenerArn(httpListener).defaultActions(a -> a.type("fixed-response")
                .fixedResponseConfig(f -> f.statusCode("404"))));
        inspect(CloudWatchLogsClient.builder()).putRetentionPolicy(r -> r.logGroupName("/ecs/thephillymojo-ws").retentionInDays(1));
        inspect(EcrClient.builder()).putImageTagMutability(r -> r.repositoryName("thephillymojo-ws").imageTagMutability("MUTABLE"));
        var ec2 = inspect(Ec2Client.builder());
        String taskGroup = ec2.describeSecurityGroups().securityGroups().stream().filter(g -> g.groupName().equals("thephillymojo-ws-tasks"))
                .findFirst().orElseThrow().groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(taskGroup).ipPermissions(p -> p.ipProtocol("tcp").fromPort(22).toPort(22)
                .ipRanges(x -> x.cidrIp("0.0.0.0/0"))));
        inspect(SecretsManagerClient.builder()).deleteSecret(r -> r.secretId("thephillymojo-ws/nextauth-secret").recoveryWindowInDays(7L));
        var cache = inspect(software.amazon.awssdk.services.elasticache.ElastiCacheClient.builder());
        cache.modifyReplicationGroup(r -> r.replicationGroupId("thephillymojo-ws").cacheNodeType("cache.r7g.large").applyImmediately(true));
        String oneSubnet = cache.describeCacheSubnetGroups(r -> r.cacheSubnetGroupName("thephillymojo-ws-cache")).cacheSubnetGroups().get(0)
                .subnets().get(0).subnetIdentifier();
        cache.modifyCacheSubnetGroup(r -> r.cacheSubnetGroupName("thephillymojo-ws-cache").subnetIds(oneSubnet));
        Waiting.until("the cache to be modified", Duration.ofSeconds(30), () -> cache.describeReplicationGroups(r -> r
                .replicationGroupId("thephillymojo-ws")).replicationGroups().get(0).status().equals("available"));
        // and the operator asks for a third cache node
        setLocal("cache.nodes", "3");

        assertEquals(Runbook.CHANGES_PENDING, run("plan"));
        assertEquals(List.of("cache", "cache subnet group", "ecr repository", "listener", "load balancer", "log group", "secret", "security group",
                "target group"), runbook.lastOutcomes().stream().filter(o -> o.change() == Change.WOULD_CHANGE).map(Outcome::kind).sorted().toList());
        assertEquals(Runbook.OK, run("apply"));
        List<Outcome> changed = runbook.lastOutcomes().stream().filter(o -> o.change() == Change.CHANGED).toList();
        assertEquals(9, changed.size(), changed.toString());
        assertTrue(changed.stream().anyMatch(o -> o.detail().equals("idle timeout 60 s → 3600 s")), changed.toString());
        assertTrue(changed.stream().anyMatch(o -> o.detail().equals("node type cache.r7g.large → cache.t4g.micro, nodes 2 → 3")), changed.toString());
        assertTrue(changed.stream().anyMatch(o -> o.detail().equals("revoke 22 from 0.0.0.0/0")), changed.toString());
        var group = cache.describeReplicationGroups(r -> r.replicationGroupId("thephillymojo-ws")).replicationGroups().get(0);
        assertEquals("cache.t4g.micro", group.cacheNodeType());
        assertEquals(3, group.memberClusters().size());
        assertEquals(3, emulator().cacheProcesses().size(), "a second replica runs");

        setLocal("cache.nodes", "2");
        assertEquals(Runbook.OK, run("apply"));
        assertEquals(List.of("nodes 3 → 2"), runbook.lastOutcomes().stream().filter(o -> o.change() == Change.CHANGED).map(Outcome::detail).toList());
        assertEquals(2, emulator().cacheProcesses().size());
        assertEquals(Runbook.OK, run("plan"), "nothing left to correct");
    }

    private static void setLocal(String key, String value) throws Exception {
        Path file = work.resolve("env/local.properties");
        Files.writeString(file, Files.readString(file).replaceAll("(?m)^" + java.util.regex.Pattern.quote(key) + "=.*$", key + "=" + value));
    }

    @Test
    @Order(5)
    void deployingANewTagRollsOutANewRevision() {
        assertEquals(Runbook.OK, run("deploy", "--tag", "v2"));
        assertTrue(runbook.lastOutcomes().stream().anyMatch(o -> o.kind().equals("task definition") && o.change() == Change.CREATED
                && o.name().equals("thephillymojo-ws:2")), runbook.lastOutcomes().toString());
        var service = inspect(EcsClient.builder()).describeServices(r -> r.cluster("thephillymojo-ws").services("thephillymojo-ws")).services().get(0);
        assertTrue(service.taskDefinition().endsWith(":2"));
        assertEquals(1, service.deployments().size());
        assertTrue(inspect(EcsClient.builder()).describeTaskDefinition(r -> r.taskDefinition(service.taskDefinition())).taskDefinition()
                .containerDefinitions().get(0).image().endsWith(":v2"));
        // apply after a deploy keeps the deployed tag
        assertEquals(Runbook.OK, run("apply"));
        assertEquals(Set.of(Change.UNCHANGED), changes(), runbook.lastOutcomes().toString());
    }

    @Test
    @Order(6)
    void scalingToThreeGivesThreeHealthyTargets() {
        assertEquals(Runbook.OK, run("scale", "--count", "3"));
        var health = inspect(ElasticLoadBalancingV2Client.builder()).describeTargetHealth(r -> r.targetGroupArn(stateValue("targetGroup.arn")))
                .targetHealthDescriptions();
        assertEquals(3, health.stream().filter(t -> t.targetHealth().state() == TargetHealthStateEnum.HEALTHY).count(), health.toString());
        assertEquals(Runbook.OK, run("status"));
        assertEquals(3, runbook.lastOutcomes().stream().filter(o -> o.kind().equals("target") && o.detail().equals("healthy")).count());
        assertTrue(observed("ecs service").startsWith("ACTIVE, 3/3 running, thephillymojo-ws:2"), observed("ecs service"));
        assertEquals(Runbook.OK, run("scale", "--count", "2"));
    }

    @Test
    @Order(7)
    void rollbackReturnsToThePreviousRevision() {
        assertEquals(Runbook.OK, run("rollback"));
        var service = inspect(EcsClient.builder()).describeServices(r -> r.cluster("thephillymojo-ws").services("thephillymojo-ws")).services().get(0);
        assertTrue(service.taskDefinition().endsWith(":1"), service.taskDefinition());
        assertEquals(2, service.runningCount());
    }

    /** redis-cli against the cache's primary, through the emulator's names and CA, with a token; its answer. */
    private static String cache(String token, String... command) throws Exception {
        var group = inspect(software.amazon.awssdk.services.elasticache.ElastiCacheClient.builder())
                .describeReplicationGroups(r -> r.replicationGroupId("thephillymojo-ws")).replicationGroups().get(0);
        String name = group.nodeGroups().get(0).primaryEndpoint().address();
        var address = emulator().resolve(name, 6379).orElseThrow();
        List<String> argv = new java.util.ArrayList<>(List.of("redis-cli", "-h", address.getAddress().getHostAddress(), "-p", "6379", "--tls",
                "--sni", name, "--cacert", emulator().caFile().toString()));
        argv.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("REDISCLI_AUTH", token);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        return out;
    }

    private static String cacheToken() throws Exception {
        String secret = inspect(software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder())
                .getSecretValue(r -> r.secretId("thephillymojo-ws/cache")).secretString();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(secret).path("authToken").asText();
    }

    /** failover: the replica promoted, the service healthy; rotate-cache-token: a new token in the secret and the cache, the old one refused. */
    @Test
    @Order(8)
    void theCacheFailsOverAndItsTokenRotatesWhileTheServiceStaysHealthy() throws Exception {
        assertEquals(Runbook.OK, run("failover"));
        assertTrue(runbook.lastOutcomes().stream().anyMatch(o -> o.kind().equals("cache")
                && o.detail().equals("failed over: primary thephillymojo-ws-001 → thephillymojo-ws-002")), runbook.lastOutcomes().toString());

        String old = cacheToken();
        assertEquals(Runbook.OK, run("rotate-cache-token"));
        String rotated = cacheToken();
        assertFalse(rotated.equals(old), "a new token in the secret");
        assertEquals("PONG", cache(rotated, "PING"));
        assertTrue(cache(old, "PING").contains("WRONGPASS"), "the old token is retired");
        var service = inspect(EcsClient.builder()).describeServices(r -> r.cluster("thephillymojo-ws").services("thephillymojo-ws")).services().get(0);
        assertEquals(2, service.runningCount());
        assertEquals(Runbook.OK, run("status"));
        assertEquals(2, runbook.lastOutcomes().stream().filter(o -> o.kind().equals("target") && o.detail().equals("healthy")).count());
    }

    /** operations.feature's drill: a match in flight through a deploy, a scale-out to 3, a cache failover and a killed task, to its end. */
    @Test
    @Order(9)
    void aMatchGoesOnThroughADeployAScaleOutAndAKilledTask() {
        assertEquals(Runbook.OK, run("drill", "--tag", "v3", "--count", "3"));
        String match = observed("match");
        assertTrue(match.matches("\\d+ game\\(s\\), score \\[\\d+,\\d+\\], every game borne off, versions up to \\d+ in order, reconnections \\[[1-9]\\d*, [1-9]\\d*\\]"),
                match);
        var service = inspect(EcsClient.builder()).describeServices(r -> r.cluster("thephillymojo-ws").services("thephillymojo-ws")).services().get(0);
        assertEquals(3, service.runningCount());
        assertTrue(inspect(EcsClient.builder()).describeTaskDefinition(r -> r.taskDefinition(service.taskDefinition())).taskDefinition()
                .containerDefinitions().get(0).image().endsWith(":v3"));
    }

    @Test
    @Order(10)
    void destroyAsksFirstThenDeletesEverythingInReverseOrder() throws Exception {
        confirmation = "production";
        assertEquals(Runbook.NOT_CONFIRMED, run("destroy"));
        assertFalse(inspect(EcrClient.builder()).describeRepositories().repositories().isEmpty(), "nothing was deleted");
        assertTrue(runbook.lastOutcomes().stream().allMatch(o -> o.change() == Change.WOULD_DELETE || o.change() == Change.UNCHANGED
                || o.change() == Change.ABSENT), runbook.lastOutcomes().toString());

        assertEquals(Runbook.OK, run("destroy", "--yes"));
        List<String> order = runbook.lastOutcomes().stream().filter(o -> o.change() == Change.DELETED).map(Outcome::kind).distinct().toList();
        assertEquals(List.of("dns alias", "ecs service", "task definition", "ecs cluster", "listener", "load balancer", "target group",
                "certificate", "cache", "cache subnet group", "security group", "execution role", "log group", "secret", "ecr repository",
                "hosted zone"), order);
        var cache = inspect(software.amazon.awssdk.services.elasticache.ElastiCacheClient.builder());
        assertTrue(cache.describeReplicationGroups().replicationGroups().isEmpty());
        assertTrue(cache.describeCacheSubnetGroups().cacheSubnetGroups().isEmpty());
        assertTrue(emulator().cacheProcesses().isEmpty(), "the cache's processes are gone");
        assertThrows(ResourceNotFoundException.class, () -> inspect(SecretsManagerClient.builder()).describeSecret(r -> r.secretId("thephillymojo-ws/cache")));
        // checked through the APIs, beyond the runbook's own check
        assertTrue(inspect(EcrClient.builder()).describeRepositories().repositories().isEmpty());
        assertTrue(inspect(ElasticLoadBalancingV2Client.builder()).describeLoadBalancers().loadBalancers().isEmpty());
        assertTrue(inspect(ElasticLoadBalancingV2Client.builder()).describeTargetGroups().targetGroups().isEmpty());
        assertTrue(inspect(EcsClient.builder()).listTaskDefinitions(r -> r.status(TaskDefinitionStatus.ACTIVE)).taskDefinitionArns().isEmpty());
        assertTrue(inspect(EcsClient.builder()).describeClusters(r -> r.clusters("thephillymojo-ws")).clusters().stream()
                .allMatch(c -> c.status().equals("INACTIVE")));
        assertTrue(inspect(AcmClient.builder()).listCertificates().certificateSummaryList().isEmpty());
        assertTrue(inspect(Route53Client.builder()).listHostedZones().hostedZones().isEmpty());
        assertEquals(List.of("runbook-deployer"), inspect(IamClient.builder()).listRoles().roles().stream().map(r -> r.roleName()).toList(),
                "only the role the runbook signs as is left (the account's, not the runbook's)");
        assertTrue(inspect(CloudWatchLogsClient.builder()).describeLogGroups().logGroups().isEmpty());
        assertThrows(ResourceNotFoundException.class, () -> inspect(SecretsManagerClient.builder())
                .describeSecret(r -> r.secretId("thephillymojo-ws/nextauth-secret")));
        assertTrue(inspect(Ec2Client.builder()).describeSecurityGroups().securityGroups().stream()
                .noneMatch(g -> g.groupName().startsWith("thephillymojo-ws")));
        Waiting.until("every task process to end", Duration.ofSeconds(60), () -> emulator().taskProcesses().isEmpty());
        assertTrue(emulator().listenerMappings().isEmpty());
    }

    /**
     * The deployer's policy (runbook/iam/deployer-policy.json) grants exactly what the runbook
     * called in its whole life above — plan, apply, drift, deploy, scale, status, rollback, destroy:
     * every action the emulator served to the runbook's access key, and nothing else (but
     * {@code sts:GetCallerIdentity}, which needs no permission). The life ran as a role holding
     * exactly this policy, with IAM enforced: so the policy is also enough. And each command called
     * only actions the preflight simulates for it (runbook/iam/commands.json), all of them in the policy.
     */
    @Test
    @Order(11)
    void theDeployerPolicyGrantsExactlyTheActionsTheRunbookCalls() throws Exception {
        var policy = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ROOT.resolve("runbook/iam/deployer-policy.json").toFile());
        java.util.SortedSet<String> granted = new java.util.TreeSet<>();
        for (var statement : policy.path("Statement")) {
            assertEquals("Allow", statement.path("Effect").asText());
            statement.path("Action").forEach(a -> granted.add(a.asText()));
        }
        java.util.SortedSet<String> called = emulator().actionsServed(aws().accessKeyId());
        assertTrue(called.remove("sts:GetCallerIdentity"), "every command asks STS who it runs as");
        assertTrue(called.contains("iam:SimulatePrincipalPolicy"), "the preflight simulated the deployer role's policy");
        java.util.SortedSet<String> notGranted = new java.util.TreeSet<>(called);
        notGranted.removeAll(granted);
        java.util.SortedSet<String> neverCalled = new java.util.TreeSet<>(granted);
        neverCalled.removeAll(called);
        assertTrue(notGranted.isEmpty(), "the runbook calls what the policy does not grant: " + notGranted);
        assertTrue(neverCalled.isEmpty(), "the policy grants what the runbook never calls: " + neverCalled);

        Map<String, List<String>> needs = com.thephillymojo.ws.runbook.preflight.Needs.byCommand();
        assertEquals(Set.of("plan", "apply", "status", "deploy", "scale", "rollback", "failover", "rotate-cache-token", "drill", "destroy"),
                needs.keySet());
        CALLED.forEach((command, actions) -> {
            java.util.SortedSet<String> unlisted = new java.util.TreeSet<>(actions);
            unlisted.remove("sts:GetCallerIdentity");
            unlisted.remove("iam:SimulatePrincipalPolicy");   // the preflight's own question
            unlisted.removeAll(needs.get(command));
            assertTrue(unlisted.isEmpty(), command + " called what the preflight does not simulate for it: " + unlisted);
        });
        needs.forEach((command, actions) -> assertTrue(granted.containsAll(actions), command + " lists actions the policy does not grant"));
    }

    @Test
    @Order(12)
    void badSettingsExitTwoWithTheReason() {
        Runbook other = new Runbook(new PrintStream(new ByteArrayOutputStream()), System.in, false, new Host(ROOT, System.getenv()));
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
