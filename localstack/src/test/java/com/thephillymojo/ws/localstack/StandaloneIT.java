package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/** localstack/bin/localstack as a process: the ready line, real clients, SIGTERM; and the AWS CLI conformance script. */
class StandaloneIT {
    private static final Path ROOT = Paths.get(System.getProperty("project.root", ".."));

    @Test
    void theStandaloneEmulatorSaysWhenItIsReadyAndStopsOnSigterm() throws Exception {
        Process p = new ProcessBuilder(ROOT.resolve("localstack/bin/localstack").toString(), "--port", "0").start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("localstack ready: http://127.0.0.1:"), String.valueOf(ready));
            URI endpoint = URI.create(ready.substring("localstack ready: ".length()).split(" ")[0]);
            try (EcrClient ecr = EcrClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
                assertEquals("standalone", ecr.createRepository(r -> r.repositoryName("standalone")).repository().repositoryName());
            }
            assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped after SIGTERM");
            assertEquals(143, p.exitValue(), "the JVM's exit status for SIGTERM");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void noTaskProcessOutlivesAnEmulatorKilledWithSigkill(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Process emulator = new ProcessBuilder(ROOT.resolve("localstack/bin/localstack").toString(), "--port", "0").start();
        long taskPid;
        List<ProcessHandle> cacheNodes;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            URI endpoint = URI.create(ready.substring("localstack ready: ".length()).split(" ")[0]);
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
            try (EcrClient ecr = EcrClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials).build();
                 software.amazon.awssdk.services.ecs.EcsClient ecs = software.amazon.awssdk.services.ecs.EcsClient.builder()
                         .endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials).build()) {
                String uri = ecr.createRepository(r -> r.repositoryName("echo")).repository().repositoryUri();
                String token = ecr.getAuthorizationToken().authorizationData().get(0).authorizationToken();
                String password = new String(java.util.Base64.getDecoder().decode(token), StandardCharsets.UTF_8).substring(4);
                String image = com.thephillymojo.ws.localstack.dataplane.EchoImage.push(uri.substring(0, uri.indexOf('/')), password, dir, "echo", "v1");
                ecs.createCluster(r -> r.clusterName("orphans"));
                ecs.registerTaskDefinition(r -> r.family("echo").containerDefinitions(c -> c.name("echo").image(image)));
                String task = ecs.runTask(r -> r.cluster("orphans").taskDefinition("echo")).tasks().get(0).taskArn();
                ecs.waiter().waitUntilTasksRunning(r -> r.cluster("orphans").tasks(task), w -> w.maxAttempts(200).backoffStrategyV2(
                        software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelayWithoutJitter(java.time.Duration.ofMillis(200))));
                taskPid = Long.parseLong(ecs.describeTasks(r -> r.cluster("orphans").tasks(task)).tasks().get(0).containers().get(0).runtimeId());
            }
            // and a cache: its nodes are redis-server processes of the emulator's
            try (software.amazon.awssdk.services.elasticache.ElastiCacheClient cache = software.amazon.awssdk.services.elasticache.ElastiCacheClient
                    .builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials).build()) {
                cache.createReplicationGroup(r -> r.replicationGroupId("orphans").replicationGroupDescription("orphans")
                        .cacheNodeType("cache.t4g.micro").numCacheClusters(2));
                cache.waiter().waitUntilReplicationGroupAvailable(r -> r.replicationGroupId("orphans"), w -> w.maxAttempts(200).backoffStrategyV2(
                        software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelayWithoutJitter(java.time.Duration.ofMillis(200))));
            }
            // (Debian's redis-server is a link to redis-check-rdb, the executable the process table names)
            cacheNodes = emulator.descendants().filter(h -> h.info().command().map(c -> c.contains("redis")).orElse(false)).toList();
            assertEquals(2, cacheNodes.size(), "the cache's primary and replica run");
            assertTrue(ProcessHandle.of(taskPid).map(ProcessHandle::isAlive).orElse(false), "the task runs");
            emulator.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(emulator.waitFor(20, TimeUnit.SECONDS));
        } finally {
            emulator.destroyForcibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (ProcessHandle.of(taskPid).map(ProcessHandle::isAlive).orElse(false) || cacheNodes.stream().anyMatch(ProcessHandle::isAlive)) {
            assertTrue(System.nanoTime() < deadline, "the task process " + taskPid + " or a cache node outlived its emulator");
            Thread.sleep(100); // polling the process table, with a deadline
        }
    }

    @Test
    void theAwsCliConformanceScriptPasses() throws Exception {
        boolean cli = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            cli |= Files.isExecutable(Paths.get(dir, "aws"));
        }
        if (!cli) {
            System.err.println("StandaloneIT: the AWS CLI is not installed (Debian package 'awscli'); skipping the conformance script");
        }
        assumeTrue(cli, "the AWS CLI is not installed (Debian package 'awscli')");
        Path log = Files.createTempFile("conformance", ".out");
        Process p = new ProcessBuilder("bash", ROOT.resolve("localstack/src/test/cli/conformance.sh").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(300, TimeUnit.SECONDS);
        String output = Files.readString(log);
        Files.delete(log);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertTrue(finished, "the conformance script did not finish in 300 s:\n" + output);
        System.out.println(output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains(" 0 failed"), output);
    }
}
