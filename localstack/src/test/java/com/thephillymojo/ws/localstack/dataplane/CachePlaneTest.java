package com.thephillymojo.ws.localstack.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.localstack.Waiting;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.AuthTokenUpdateStrategyType;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsRequest;
import software.amazon.awssdk.services.elasticache.model.ApiCallRateForCustomerExceededException;
import software.amazon.awssdk.services.elasticache.model.Event;
import software.amazon.awssdk.services.elasticache.model.NodeGroupMember;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.SourceType;

/**
 * ElastiCache's data plane with real clients: an available replication group is Debian's
 * redis-server, reached by its endpoint names with Debian's redis-cli over TLS (the emulator's CA
 * trusted), the auth token required, the replica a real one; a ROTATE keeps both tokens, a SET
 * keeps the new one only; deleting the group stops its processes.
 */
class CachePlaneTest {
    private static final WaiterOverrideConfiguration QUICK = FrontDoor.QUICK;
    private static final String FIRST = "first-token-0123456789abcdef";
    private static final String SECOND = "second-token-0123456789abcdef";
    private static LocalAws aws;
    private static AwsTarget target;

    @BeforeAll
    static void start() {
        aws = LocalAws.start(0);
        target = AwsTarget.embeddedShared(aws, Region.US_EAST_1);
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    /** redis-cli against an endpoint name, resolved by the emulator, over TLS with SNI; its reply or error text. */
    private static String cli(String name, int port, String token, String... command) throws IOException, InterruptedException {
        InetSocketAddress address = aws.resolve(name, port).orElseThrow(() -> new AssertionError(name + " does not resolve"));
        List<String> argv = new ArrayList<>(List.of("redis-cli", "-h", address.getAddress().getHostAddress(), "-p", String.valueOf(port),
                "--tls", "--sni", name, "--cacert", aws.caFile().toString()));
        argv.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        if (token != null) {
            builder.environment().put("REDISCLI_AUTH", token);
        }
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void aReplicationGroupIsRealRedisWithTlsTheTokenAndAReplica() throws Exception {
        try (ElastiCacheClient cache = target.client(ElastiCacheClient.builder())) {
            cache.createReplicationGroup(r -> r.replicationGroupId("games").replicationGroupDescription("game state").engine("valkey")
                    .cacheNodeType("cache.t4g.micro").numCacheClusters(2).automaticFailoverEnabled(true).transitEncryptionEnabled(true)
                    .authToken(FIRST));
            cache.waiter().waitUntilReplicationGroupAvailable(DescribeReplicationGroupsRequest.builder().replicationGroupId("games").build(), QUICK);
            ReplicationGroup group = cache.describeReplicationGroups(r -> r.replicationGroupId("games")).replicationGroups().get(0);
            String primary = group.nodeGroups().get(0).primaryEndpoint().address();
            String reader = group.nodeGroups().get(0).readerEndpoint().address();
            int port = group.nodeGroups().get(0).primaryEndpoint().port();
            assertEquals(6379, port);
            assertTrue(primary.startsWith("master.games.") && primary.endsWith(".use1.cache.amazonaws.com"), primary);
            assertEquals(2, aws.cacheProcesses().size(), "a primary and a replica");

            assertEquals("OK", cli(primary, port, FIRST, "SET", "table:1", "v1"));
            assertTrue(cli(primary, port, null, "GET", "table:1").contains("NOAUTH"), "the token is required");
            assertTrue(cli(primary, port, "wrong-token-0123456789", "GET", "table:1").contains("WRONGPASS"));
            Waiting.until("the replica has the write", Duration.ofSeconds(20), Duration.ofMillis(100), s -> { },
                    () -> quietly(() -> cli(reader, port, FIRST, "GET", "table:1")).equals("v1"));
            assertTrue(cli(reader, port, FIRST, "SET", "x", "y").contains("READONLY"), "the reader endpoint reaches the replica");

            cache.modifyReplicationGroup(r -> r.replicationGroupId("games").authToken(SECOND)
                    .authTokenUpdateStrategy(AuthTokenUpdateStrategyType.ROTATE).applyImmediately(true));
            cache.waiter().waitUntilReplicationGroupAvailable(DescribeReplicationGroupsRequest.builder().replicationGroupId("games").build(), QUICK);
            assertEquals("v1", cli(primary, port, FIRST, "GET", "table:1"), "ROTATE: the old token still works");
            assertEquals("v1", cli(primary, port, SECOND, "GET", "table:1"), "ROTATE: the new one works");
            assertEquals("v1", cli(reader, port, SECOND, "GET", "table:1"));

            cache.modifyReplicationGroup(r -> r.replicationGroupId("games").authToken(SECOND)
                    .authTokenUpdateStrategy(AuthTokenUpdateStrategyType.SET).applyImmediately(true));
            cache.waiter().waitUntilReplicationGroupAvailable(DescribeReplicationGroupsRequest.builder().replicationGroupId("games").build(), QUICK);
            assertTrue(cli(primary, port, FIRST, "GET", "table:1").contains("WRONGPASS"), "SET: the old token is gone");
            assertEquals("v1", cli(primary, port, SECOND, "GET", "table:1"));
            assertEquals("OK", cli(primary, port, SECOND, "SET", "table:2", "v2"));
            Waiting.until("the replica still replicates", Duration.ofSeconds(20), Duration.ofMillis(100), s -> { },
                    () -> quietly(() -> cli(reader, port, SECOND, "GET", "table:2")).equals("v2"));

            cache.increaseReplicaCount(r -> r.replicationGroupId("games").newReplicaCount(2).applyImmediately(true));
            cache.waiter().waitUntilReplicationGroupAvailable(DescribeReplicationGroupsRequest.builder().replicationGroupId("games").build(), QUICK);
            assertEquals(3, aws.cacheProcesses().size(), "a second replica");
            String third = cache.describeReplicationGroups(r -> r.replicationGroupId("games")).replicationGroups().get(0).nodeGroups().get(0)
                    .nodeGroupMembers().get(2).readEndpoint().address();
            Waiting.until("the new replica has the data", Duration.ofSeconds(20), Duration.ofMillis(100), s -> { },
                    () -> quietly(() -> cli(third, port, SECOND, "GET", "table:2")).equals("v2"));
            cache.decreaseReplicaCount(r -> r.replicationGroupId("games").newReplicaCount(1).applyImmediately(true));
            cache.waiter().waitUntilReplicationGroupAvailable(DescribeReplicationGroupsRequest.builder().replicationGroupId("games").build(), QUICK);
            assertEquals(2, aws.cacheProcesses().size(), "back to one replica");
            assertTrue(aws.resolve(third, port).isEmpty(), "the removed node's name is gone");

            List<ProcessHandle> nodes = aws.cacheProcesses();
            cache.deleteReplicationGroup(r -> r.replicationGroupId("games"));
            cache.waiter().waitUntilReplicationGroupDeleted(DescribeReplicationGroupsRequest.builder().replicationGroupId("games").build(), QUICK);
            assertTrue(nodes.stream().noneMatch(ProcessHandle::isAlive), "deleting the group stops its nodes");
            assertTrue(aws.resolve(primary, port).isEmpty(), "its names are gone");
        }
    }

    /** The member whose CurrentRole is primary, as DescribeReplicationGroups says. */
    private static String primaryMember(ElastiCacheClient cache, String id) {
        return cache.describeReplicationGroups(r -> r.replicationGroupId(id)).replicationGroups().get(0).nodeGroups().get(0).nodeGroupMembers()
                .stream().filter(m -> "primary".equals(m.currentRole())).map(NodeGroupMember::cacheClusterId).findFirst().orElseThrow();
    }

    private static void awaitAvailable(ElastiCacheClient cache, String id) {
        cache.waiter().waitUntilReplicationGroupAvailable(DescribeReplicationGroupsRequest.builder().replicationGroupId(id).build(), QUICK);
    }

    /** The redis-server process of the node a name resolves to. */
    private static ProcessHandle processAt(String name, int port) {
        String address = aws.resolve(name, port).orElseThrow().getAddress().getHostAddress();
        return aws.cacheProcesses().stream().filter(p -> commandLine(p).contains(address + ":" + port))
                .findFirst().orElseThrow(() -> new AssertionError("no node process binds " + address + ": "
                        + aws.cacheProcesses().stream().map(CachePlaneTest::commandLine).toList()));
    }

    /** A process's command line as Linux shows it: redis-server writes its address there ("redis-server 127.1.2.3:6379"). */
    private static String commandLine(ProcessHandle process) {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", String.valueOf(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * A failover as ElastiCache's: TestFailover loses the primary and promotes the replica, which
     * has every write the primary had replicated; the primary endpoint's name moves to it;
     * the old primary comes back as its replica; the roles and events say so. Then the new primary's
     * process is killed: with automatic failover the roles swap back by themselves. Five test
     * failovers a day, the sixth refused.
     */
    @Test
    void aFailoverPromotesTheReplicaAndTheNameFollowsIt() throws Exception {
        try (ElastiCacheClient cache = target.client(ElastiCacheClient.builder())) {
            cache.createReplicationGroup(r -> r.replicationGroupId("moves").replicationGroupDescription("failover").engine("valkey")
                    .cacheNodeType("cache.t4g.micro").numCacheClusters(2).automaticFailoverEnabled(true).multiAZEnabled(true)
                    .transitEncryptionEnabled(true).authToken(FIRST));
            awaitAvailable(cache, "moves");
            ReplicationGroup group = cache.describeReplicationGroups(r -> r.replicationGroupId("moves")).replicationGroups().get(0);
            String primary = group.nodeGroups().get(0).primaryEndpoint().address();
            int port = group.nodeGroups().get(0).primaryEndpoint().port();
            String first = group.nodeGroups().get(0).nodeGroupMembers().get(0).readEndpoint().address();
            String second = group.nodeGroups().get(0).nodeGroupMembers().get(1).readEndpoint().address();
            assertEquals("moves-001", primaryMember(cache, "moves"));
            assertEquals("OK", cli(primary, port, FIRST, "SET", "table:1", "v1"));
            Waiting.until("the replica has the write", Duration.ofSeconds(20), Duration.ofMillis(100), s -> { },
                    () -> quietly(() -> cli(second, port, FIRST, "GET", "table:1")).equals("v1"));

            ReplicationGroup testing = cache.testFailover(r -> r.replicationGroupId("moves").nodeGroupId("0001")).replicationGroup();
            assertEquals("modifying", testing.status());
            awaitAvailable(cache, "moves");
            assertEquals("moves-002", primaryMember(cache, "moves"), "the replica was promoted");
            assertEquals(aws.resolve(second, port), aws.resolve(primary, port), "the primary's name moved to it");
            assertEquals("v1", cli(primary, port, FIRST, "GET", "table:1"), "with the replicated write");
            assertEquals("OK", cli(primary, port, FIRST, "SET", "table:2", "v2"), "and it takes writes");
            Waiting.until("the old primary replicates the new one", Duration.ofSeconds(20), Duration.ofMillis(100), s -> { },
                    () -> quietly(() -> cli(first, port, FIRST, "GET", "table:2")).equals("v2"));
            assertTrue(cli(first, port, FIRST, "SET", "x", "y").contains("READONLY"), "the old primary is a replica now");
            List<String> groupEvents = cache.describeEvents(r -> r.sourceIdentifier("moves").sourceType(SourceType.REPLICATION_GROUP)).events()
                    .stream().map(Event::message).toList();
            assertTrue(groupEvents.contains("Test Failover API called for node group 0001"), groupEvents.toString());
            assertTrue(groupEvents.contains("Failover from primary node moves-001 to replica node moves-002 completed"), groupEvents.toString());
            List<String> nodeEvents = cache.describeEvents(r -> r.sourceIdentifier("moves-001").sourceType(SourceType.CACHE_CLUSTER)).events()
                    .stream().map(Event::message).toList();
            assertEquals(List.of("Recovering cache nodes 0001", "Finished recovery for cache nodes 0001"), nodeEvents);

            Waiting.until("the replica has the newest write", Duration.ofSeconds(20), Duration.ofMillis(100), s -> { },
                    () -> quietly(() -> cli(first, port, FIRST, "GET", "table:2")).equals("v2"));
            ProcessHandle dying = processAt(primary, port);
            dying.destroyForcibly();
            Waiting.until("the group fails over by itself", Duration.ofSeconds(30), Duration.ofMillis(100), s -> { },
                    () -> "moves-001".equals(primaryMember(cache, "moves"))
                            && "available".equals(cache.describeReplicationGroups(r -> r.replicationGroupId("moves")).replicationGroups().get(0).status()));
            assertEquals(aws.resolve(first, port), aws.resolve(primary, port));
            assertEquals("v2", cli(primary, port, FIRST, "GET", "table:2"), "the write the replica had is there");
            assertEquals(2, aws.cacheProcesses().stream().filter(ProcessHandle::isAlive).count(), "the killed node is back");

            for (int i = 2; i <= 5; i++) {
                cache.testFailover(r -> r.replicationGroupId("moves").nodeGroupId("0001"));
                awaitAvailable(cache, "moves");
            }
            assertEquals("moves-001", primaryMember(cache, "moves"), "four more test failovers: 002, 001, 002, 001");
            ApiCallRateForCustomerExceededException sixth = assertThrows(ApiCallRateForCustomerExceededException.class,
                    () -> cache.testFailover(r -> r.replicationGroupId("moves").nodeGroupId("0001")));
            assertEquals("APICallRateForCustomerExceeded", sixth.awsErrorDetails().errorCode());
            assertEquals("available", cache.describeReplicationGroups(r -> r.replicationGroupId("moves")).replicationGroups().get(0).status());

            cache.deleteReplicationGroup(r -> r.replicationGroupId("moves"));
            cache.waiter().waitUntilReplicationGroupDeleted(DescribeReplicationGroupsRequest.builder().replicationGroupId("moves").build(), QUICK);
        }
    }

    private interface Call {
        String get() throws Exception;
    }

    private static String quietly(Call call) {
        try {
            return call.get();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
