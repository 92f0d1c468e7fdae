package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CacheSubnetGroupInUseException;
import software.amazon.awssdk.services.elasticache.model.CacheSubnetGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ElastiCacheException;
import software.amazon.awssdk.services.elasticache.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.elasticache.model.InvalidParameterValueException;
import software.amazon.awssdk.services.elasticache.model.InvalidReplicationGroupStateException;
import software.amazon.awssdk.services.elasticache.model.NodeGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.SourceType;
import software.amazon.awssdk.services.elasticache.model.Tag;
import software.amazon.awssdk.services.elasticache.model.TestFailoverNotAvailableException;

/**
 * ElastiCache (awsQuery) through the real AWS SDK v2: the API's rules and errors. The data plane is
 * off here, so a group stays "creating"; {@code dataplane/CachePlaneTest} runs the nodes.
 */
class ElastiCacheTest extends EmulatorTestBase {
    private static final String TOKEN = "a-token-of-32-characters-0123456";

    private static List<String> defaultSubnets(Ec2Client ec2) {
        return ec2.describeSubnets().subnets().stream().map(software.amazon.awssdk.services.ec2.model.Subnet::subnetId).toList();
    }

    @Test
    void subnetGroupsAndReplicationGroupsWithTheirErrors() {
        try (ElastiCacheClient cache = Clients.of(ElastiCacheClient.builder(), aws); Ec2Client ec2 = Clients.of(Ec2Client.builder(), aws)) {
            List<String> subnets = defaultSubnets(ec2);
            var subnetGroup = cache.createCacheSubnetGroup(r -> r.cacheSubnetGroupName("Api-Cache").cacheSubnetGroupDescription("the cache's subnets")
                    .subnetIds(subnets)).cacheSubnetGroup();
            assertEquals("api-cache", subnetGroup.cacheSubnetGroupName(), "names are kept in lower case");
            assertEquals(subnets.size(), subnetGroup.subnets().size());
            assertTrue(subnetGroup.vpcId().startsWith("vpc-"));
            ElastiCacheException badSubnet = assertThrows(ElastiCacheException.class, () -> cache.createCacheSubnetGroup(r -> r
                    .cacheSubnetGroupName("nowhere").cacheSubnetGroupDescription("x").subnetIds("subnet-00000000")));
            assertEquals("InvalidSubnet", badSubnet.awsErrorDetails().errorCode());
            assertFalse(cache.describeCacheSubnetGroups().cacheSubnetGroups().stream().anyMatch(g -> g.cacheSubnetGroupName().equals("nowhere")),
                    "a refused subnet group is not made");

            ReplicationGroup created = cache.createReplicationGroup(r -> r.replicationGroupId("api-cache").replicationGroupDescription("games")
                    .engine("valkey").cacheNodeType("cache.t4g.micro").numCacheClusters(2).automaticFailoverEnabled(true).multiAZEnabled(true)
                    .transitEncryptionEnabled(true).authToken(TOKEN).cacheSubnetGroupName("api-cache")
                    .tags(Tag.builder().key("app").value("thephillymojo-ws").build())).replicationGroup();
            assertEquals("creating", created.status());
            assertEquals(List.of("api-cache-001", "api-cache-002"), created.memberClusters());
            assertTrue(created.authTokenEnabled());
            assertEquals("valkey", created.engine());
            assertEquals("arn:aws:elasticache:us-east-1:000000000000:replicationgroup:api-cache", created.arn());

            assertThrows(ReplicationGroupAlreadyExistsException.class, () -> cache.createReplicationGroup(r -> r.replicationGroupId("api-cache")
                    .replicationGroupDescription("again").cacheNodeType("cache.t4g.micro")));
            assertThrows(CacheSubnetGroupInUseException.class, () -> cache.deleteCacheSubnetGroup(r -> r.cacheSubnetGroupName("api-cache")));
            assertThrows(InvalidReplicationGroupStateException.class, () -> cache.deleteReplicationGroup(r -> r.replicationGroupId("api-cache")),
                    "a group is deleted once it is available");
            assertThrows(InvalidReplicationGroupStateException.class, () -> cache.modifyReplicationGroup(r -> r.replicationGroupId("api-cache")
                    .cacheNodeType("cache.t4g.small").applyImmediately(true)));

            assertEquals(2, cache.describeCacheClusters(r -> r.showCacheNodeInfo(true)).cacheClusters().stream()
                    .filter(c -> "api-cache".equals(c.replicationGroupId())).count());
            assertEquals("api-cache", cache.describeReplicationGroups(r -> r.replicationGroupId("API-CACHE")).replicationGroups().get(0).replicationGroupId());
            ReplicationGroupNotFoundException missing = assertThrows(ReplicationGroupNotFoundException.class,
                    () -> cache.describeReplicationGroups(r -> r.replicationGroupId("nobody")));
            assertEquals(404, missing.statusCode());
            assertThrows(CacheSubnetGroupNotFoundException.class, () -> cache.describeCacheSubnetGroups(r -> r.cacheSubnetGroupName("nobody")));

            cache.addTagsToResource(r -> r.resourceName(created.arn()).tags(Tag.builder().key("env").value("test").build()));
            assertEquals(List.of("app", "env"), cache.listTagsForResource(r -> r.resourceName(created.arn())).tagList().stream().map(Tag::key).toList());
            cache.removeTagsFromResource(r -> r.resourceName(created.arn()).tagKeys("env"));
            assertEquals(List.of("app"), cache.listTagsForResource(r -> r.resourceName(created.arn())).tagList().stream().map(Tag::key).toList());
            ElastiCacheException badArn = assertThrows(ElastiCacheException.class, () -> cache.listTagsForResource(r -> r.resourceName("not-an-arn")));
            assertEquals("InvalidARN", badArn.awsErrorDetails().errorCode());
        }
    }

    @Test
    void aBadParameterIsRefusedWithAwsCodeAndChangesNothing() {
        try (ElastiCacheClient cache = Clients.of(ElastiCacheClient.builder(), aws)) {
            int before = cache.describeReplicationGroups().replicationGroups().size();
            assertThrows(InvalidParameterCombinationException.class, () -> cache.createReplicationGroup(r -> r.replicationGroupId("no-tls")
                    .replicationGroupDescription("x").cacheNodeType("cache.t4g.micro").authToken(TOKEN)), "a token without transit encryption");
            assertThrows(InvalidParameterCombinationException.class, () -> cache.createReplicationGroup(r -> r.replicationGroupId("alone")
                    .replicationGroupDescription("x").cacheNodeType("cache.t4g.micro").automaticFailoverEnabled(true)), "failover without a replica");
            assertThrows(InvalidParameterCombinationException.class, () -> cache.createReplicationGroup(r -> r.replicationGroupId("az")
                    .replicationGroupDescription("x").cacheNodeType("cache.t4g.micro").numCacheClusters(2).multiAZEnabled(true)),
                    "Multi-AZ without failover");
            assertThrows(InvalidParameterValueException.class, () -> cache.createReplicationGroup(r -> r.replicationGroupId("short")
                    .replicationGroupDescription("x").cacheNodeType("cache.t4g.micro").transitEncryptionEnabled(true).authToken("too-short")));
            assertThrows(InvalidParameterValueException.class, () -> cache.createReplicationGroup(r -> r.replicationGroupId("at")
                    .replicationGroupDescription("x").cacheNodeType("cache.t4g.micro").transitEncryptionEnabled(true).authToken(TOKEN + "@")));
            assertThrows(InvalidParameterValueException.class, () -> cache.createReplicationGroup(r -> r.replicationGroupId("bad--name")
                    .replicationGroupDescription("x").cacheNodeType("cache.t4g.micro")));
            assertThrows(InvalidParameterValueException.class, () -> cache.createReplicationGroup(r -> r.replicationGroupId("memcached")
                    .replicationGroupDescription("x").cacheNodeType("cache.t4g.micro").engine("memcached")));
            assertThrows(InvalidParameterValueException.class, () -> cache.createReplicationGroup(r -> r.replicationGroupId("node")
                    .replicationGroupDescription("x").cacheNodeType("t4g.micro")));
            assertEquals(before, cache.describeReplicationGroups().replicationGroups().size(), "nothing was created");
        }
    }

    /** TestFailover's refusals, each with AWS's code; a refused one changes nothing and records no event. */
    @Test
    void testFailoverIsRefusedWithAwsCodes() {
        try (ElastiCacheClient cache = Clients.of(ElastiCacheClient.builder(), aws)) {
            cache.createReplicationGroup(r -> r.replicationGroupId("fo-on").replicationGroupDescription("x").cacheNodeType("cache.t4g.micro")
                    .numCacheClusters(2).automaticFailoverEnabled(true));
            cache.createReplicationGroup(r -> r.replicationGroupId("fo-off").replicationGroupDescription("x").cacheNodeType("cache.t4g.micro")
                    .numCacheClusters(2));
            ReplicationGroupNotFoundException missing = assertThrows(ReplicationGroupNotFoundException.class,
                    () -> cache.testFailover(r -> r.replicationGroupId("nobody").nodeGroupId("0001")));
            assertEquals(404, missing.statusCode());
            NodeGroupNotFoundException shard = assertThrows(NodeGroupNotFoundException.class,
                    () -> cache.testFailover(r -> r.replicationGroupId("fo-on").nodeGroupId("0002")), "cluster mode off: one node group, 0001");
            assertEquals("NodeGroupNotFoundFault", shard.awsErrorDetails().errorCode());
            assertThrows(InvalidParameterValueException.class, () -> cache.testFailover(r -> r.replicationGroupId("fo-on").nodeGroupId("first")));
            TestFailoverNotAvailableException off = assertThrows(TestFailoverNotAvailableException.class,
                    () -> cache.testFailover(r -> r.replicationGroupId("fo-off").nodeGroupId("0001")));
            assertEquals("TestFailoverNotAvailableFault", off.awsErrorDetails().errorCode());
            InvalidReplicationGroupStateException creating = assertThrows(InvalidReplicationGroupStateException.class,
                    () -> cache.testFailover(r -> r.replicationGroupId("fo-on").nodeGroupId("0001")), "the group is still creating");
            assertEquals("InvalidReplicationGroupState", creating.awsErrorDetails().errorCode());
            assertEquals("creating", cache.describeReplicationGroups(r -> r.replicationGroupId("fo-on")).replicationGroups().get(0).status());
            assertTrue(cache.describeEvents(r -> r.sourceIdentifier("fo-on").sourceType(SourceType.REPLICATION_GROUP)).events().stream()
                    .noneMatch(e -> e.message().startsWith("Test Failover")), "a refused TestFailover records no event");
            assertThrows(InvalidParameterValueException.class, () -> cache.describeEvents(r -> r.maxRecords(5)));
        }
    }
}
