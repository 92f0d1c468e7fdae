package com.thephillymojo.ws.localstack.elasticache;

import com.thephillymojo.ws.localstack.AwsException;
import com.thephillymojo.ws.localstack.ec2.Ec2Backend;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsRequest;
import software.amazon.awssdk.services.elasticache.model.*;

/**
 * ElastiCache (one region): cache subnet groups and replication groups of Valkey or Redis OSS, with
 * their tags. What AWS never shows — the auth tokens a group accepts — is kept beside the group's
 * public view, as its {@link CacheGroup}. Every change is a transition of one group's current value:
 * API calls under this backend's lock, the data plane ({@code dataplane.CachePlane}) by
 * {@link #transition} with the value it read.
 */
public final class ElastiCacheBackend {
    /**
     * A replication group as the data plane needs it: the public view, the tokens a client may
     * AUTH with now (empty: no auth; two while a ROTATE lasts), the engine, its port and node count,
     * which member is the primary (an index of the members), and whether a failover is asked for.
     */
    public record CacheGroup(ReplicationGroup view, List<String> tokens, String engine, String engineVersion, int port, int nodes,
                             String subnetGroup, List<String> securityGroups, int primary, boolean failingOver) {
        public String id() {
            return view.replicationGroupId();
        }

        public String status() {
            return view.status();
        }

        public CacheGroup with(ReplicationGroup next) {
            return new CacheGroup(next, tokens, engine, engineVersion, port, nodes, subnetGroup, securityGroups, primary, failingOver);
        }

        /** This group with another member as its primary (or a failover asked for, or done). */
        public CacheGroup withPrimary(int index, boolean failing) {
            return new CacheGroup(view, tokens, engine, engineVersion, port, nodes, subnetGroup, securityGroups, index, failing);
        }

        /** The member (cluster id, "ID-00N") at an index. */
        public String member(int index) {
            return view.memberClusters().get(index);
        }

        public boolean automaticFailover() {
            return view.automaticFailover() == AutomaticFailoverStatus.ENABLED;
        }
    }

    /** TestFailover's limit: node groups tested in any rolling 24 hours, per account. */
    static final int TEST_FAILOVERS_PER_DAY = 5;

    private final String region;
    private final String account;
    private final Supplier<Ec2Backend> ec2;
    private final Map<String, CacheSubnetGroup> subnetGroups = new LinkedHashMap<>();
    private final Map<String, CacheGroup> groups = new LinkedHashMap<>();
    private final Map<String, List<Tag>> tags = new LinkedHashMap<>();
    private final CacheEvents events = new CacheEvents();
    /** When each TestFailover of the last 24 hours was called. */
    private final List<Instant> testFailovers = new ArrayList<>();
    /** The part of every endpoint name that stands for this account and region ("abc123.use1"). */
    private final String domain;

    public ElastiCacheBackend(String region, String account, Supplier<Ec2Backend> ec2) {
        this.region = region;
        this.account = account;
        this.ec2 = ec2;
        this.domain = UUID.nameUUIDFromBytes((account + region).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString().substring(0, 6)
                + "." + regionCode(region);
    }

    /** us-east-1 → use1, eu-west-2 → euw2: the region as ElastiCache's endpoint names write it. */
    static String regionCode(String region) {
        String[] parts = region.split("-");
        StringBuilder code = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            code.append(i == parts.length - 1 ? parts[i] : parts[i].substring(0, 1));
        }
        return code.toString();
    }

    public String region() {
        return region;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private String arn(String kind, String name) {
        return "arn:aws:elasticache:" + region + ":" + account + ":" + kind + ":" + name;
    }

    private static AwsException invalid(String message) {
        return new AwsException("InvalidParameterValue", message);
    }

    private static AwsException combination(String message) {
        return new AwsException("InvalidParameterCombination", message);
    }

    /** ElastiCache's rule for group and subnet group names: letters, digits, hyphens; a letter first; no "--"; no hyphen last. */
    private static String identifier(String value, String member, int max) {
        String id = AwsException.require(value, member).toLowerCase(Locale.ROOT);
        if (id.length() > max || !id.matches("[a-z][a-z0-9-]*") || id.contains("--") || id.endsWith("-")) {
            throw invalid("The parameter " + member + " must be provided and must not be blank; it is 1 to " + max
                    + " letters, digits or hyphens, begins with a letter, has no two consecutive hyphens and does not end with one: '"
                    + value + "'");
        }
        return id;
    }

    // ---- subnet groups --------------------------------------------------------------------------

    public synchronized CreateCacheSubnetGroupResponse createCacheSubnetGroup(CreateCacheSubnetGroupRequest r) {
        String name = identifier(r.cacheSubnetGroupName(), "CacheSubnetGroupName", 255);
        AwsException.require(r.cacheSubnetGroupDescription(), "CacheSubnetGroupDescription");
        if (subnetGroups.containsKey(name)) {
            throw new AwsException("CacheSubnetGroupAlreadyExists", "Cache subnet group " + name + " already exists.");
        }
        CacheSubnetGroup group = CacheSubnetGroup.builder().cacheSubnetGroupName(name).cacheSubnetGroupDescription(r.cacheSubnetGroupDescription())
                .arn(arn("subnetgroup", name)).supportedNetworkTypes(NetworkType.IPV4).build();
        group = withSubnets(group, r.subnetIds());
        subnetGroups.put(name, group);
        tags.put(group.arn(), new ArrayList<>(r.tags()));
        return CreateCacheSubnetGroupResponse.builder().cacheSubnetGroup(group).build();
    }

    private CacheSubnetGroup withSubnets(CacheSubnetGroup group, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw invalid("The parameter SubnetIds must be provided.");
        }
        List<software.amazon.awssdk.services.ec2.model.Subnet> found;
        try {
            found = ec2.get().describeSubnets(DescribeSubnetsRequest.builder().subnetIds(ids).build()).subnets();
        } catch (AwsException e) {
            throw new AwsException("InvalidSubnet", "Some of the subnets are not found: " + e.getMessage());
        }
        if (found.stream().map(software.amazon.awssdk.services.ec2.model.Subnet::vpcId).distinct().count() > 1) {
            throw new AwsException("InvalidSubnet", "The subnets of a cache subnet group must be in one VPC.");
        }
        List<Subnet> subnets = found.stream().map(s -> Subnet.builder().subnetIdentifier(s.subnetId())
                .subnetAvailabilityZone(AvailabilityZone.builder().name(s.availabilityZone()).build())
                .supportedNetworkTypes(NetworkType.IPV4).build()).toList();
        return group.toBuilder().vpcId(found.get(0).vpcId()).subnets(subnets).build();
    }

    private CacheSubnetGroup subnetGroup(String name) {
        CacheSubnetGroup group = subnetGroups.get(name == null ? "" : name.toLowerCase(Locale.ROOT));
        if (group == null) {
            throw new AwsException("CacheSubnetGroupNotFoundFault", "Cache subnet group " + name + " not found.");
        }
        return group;
    }

    public synchronized DescribeCacheSubnetGroupsResponse describeCacheSubnetGroups(DescribeCacheSubnetGroupsRequest r) {
        List<CacheSubnetGroup> list = r.cacheSubnetGroupName() != null ? List.of(subnetGroup(r.cacheSubnetGroupName()))
                : new ArrayList<>(subnetGroups.values());
        return DescribeCacheSubnetGroupsResponse.builder().cacheSubnetGroups(list).build();
    }

    public synchronized ModifyCacheSubnetGroupResponse modifyCacheSubnetGroup(ModifyCacheSubnetGroupRequest r) {
        CacheSubnetGroup group = subnetGroup(r.cacheSubnetGroupName());
        CacheSubnetGroup next = r.hasSubnetIds() ? withSubnets(group, r.subnetIds()) : group;
        if (r.cacheSubnetGroupDescription() != null) {
            next = next.toBuilder().cacheSubnetGroupDescription(r.cacheSubnetGroupDescription()).build();
        }
        subnetGroups.put(group.cacheSubnetGroupName(), next);
        return ModifyCacheSubnetGroupResponse.builder().cacheSubnetGroup(next).build();
    }

    public synchronized DeleteCacheSubnetGroupResponse deleteCacheSubnetGroup(DeleteCacheSubnetGroupRequest r) {
        CacheSubnetGroup group = subnetGroup(r.cacheSubnetGroupName());
        if (groups.values().stream().anyMatch(g -> group.cacheSubnetGroupName().equals(g.subnetGroup()))) {
            throw new AwsException("CacheSubnetGroupInUse", "Cache subnet group " + group.cacheSubnetGroupName() + " is currently in use by a cache cluster.");
        }
        subnetGroups.remove(group.cacheSubnetGroupName());
        tags.remove(group.arn());
        return DeleteCacheSubnetGroupResponse.builder().build();
    }

    // ---- replication groups ---------------------------------------------------------------------

    /** The rules of an auth token: printable ASCII, 16 to 128 characters, none of / " @ %. */
    private static String token(String token) {
        if (token.length() < 16 || token.length() > 128 || !token.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && "/\"@%".indexOf(c) < 0)) {
            throw invalid("The AuthToken must be 16 to 128 printable ASCII characters other than '/', '\"', '@' and '%'.");
        }
        return token;
    }

    private List<String> securityGroups(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        try {
            ec2.get().describeSecurityGroups(DescribeSecurityGroupsRequest.builder().groupIds(ids).build());
        } catch (AwsException e) {
            throw invalid("Some security group Id not recognized by EC2: " + e.getMessage());
        }
        return List.copyOf(ids);
    }

    public synchronized CreateReplicationGroupResponse createReplicationGroup(CreateReplicationGroupRequest r) {
        String id = identifier(r.replicationGroupId(), "ReplicationGroupId", 40);
        AwsException.require(r.replicationGroupDescription(), "ReplicationGroupDescription");
        String engine = r.engine() == null ? "redis" : r.engine().toLowerCase(Locale.ROOT);
        if (!engine.equals("redis") && !engine.equals("valkey")) {
            throw invalid("Invalid engine: " + r.engine() + "; a replication group runs valkey or redis.");
        }
        String nodeType = AwsException.require(r.cacheNodeType(), "CacheNodeType");
        if (!nodeType.startsWith("cache.")) {
            throw invalid("Invalid CacheNodeType: " + nodeType);
        }
        if (r.numNodeGroups() != null && r.numNodeGroups() != 1 || r.hasNodeGroupConfiguration() && r.nodeGroupConfiguration().size() > 1) {
            throw invalid("This emulator runs replication groups with cluster mode disabled: one node group.");
        }
        int nodes = r.numCacheClusters() != null ? r.numCacheClusters() : r.replicasPerNodeGroup() != null ? r.replicasPerNodeGroup() + 1 : 1;
        if (r.numCacheClusters() != null && r.replicasPerNodeGroup() != null) {
            throw combination("NumCacheClusters and ReplicasPerNodeGroup cannot both be given.");
        }
        if (nodes < 1 || nodes > 6) {
            throw invalid("A replication group has 1 to 6 nodes (a primary and up to 5 replicas), not " + nodes + ".");
        }
        boolean failover = Boolean.TRUE.equals(r.automaticFailoverEnabled());
        boolean multiAz = Boolean.TRUE.equals(r.multiAZEnabled());
        if (failover && nodes < 2) {
            throw combination("Automatic failover needs at least one replica: NumCacheClusters must be 2 or more.");
        }
        if (multiAz && !failover) {
            throw combination("Multi-AZ needs automatic failover enabled.");
        }
        boolean tls = Boolean.TRUE.equals(r.transitEncryptionEnabled());
        if (r.authToken() != null && !tls) {
            throw combination("An AuthToken can only be set with TransitEncryptionEnabled.");
        }
        List<String> tokens = r.authToken() == null ? List.of() : List.of(token(r.authToken()));
        if (r.cacheSubnetGroupName() != null) {
            subnetGroup(r.cacheSubnetGroupName());
        }
        List<String> securityGroups = securityGroups(r.securityGroupIds());
        if (groups.containsKey(id)) {
            throw new AwsException("ReplicationGroupAlreadyExists", "Replication group " + id + " already exists.");
        }
        int port = r.port() == null ? 6379 : r.port();
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            members.add(String.format("%s-%03d", id, i));
        }
        ReplicationGroup view = ReplicationGroup.builder().replicationGroupId(id).description(r.replicationGroupDescription())
                .status("creating").memberClusters(members).cacheNodeType(nodeType).engine(engine)
                .automaticFailover(failover ? AutomaticFailoverStatus.ENABLED : AutomaticFailoverStatus.DISABLED)
                .multiAZ(multiAz ? MultiAZStatus.ENABLED : MultiAZStatus.DISABLED).clusterEnabled(false).clusterMode(ClusterMode.DISABLED)
                .transitEncryptionEnabled(tls).transitEncryptionMode(tls ? TransitEncryptionMode.REQUIRED : null)
                .atRestEncryptionEnabled(Boolean.TRUE.equals(r.atRestEncryptionEnabled())).authTokenEnabled(!tokens.isEmpty())
                .authTokenLastModifiedDate(tokens.isEmpty() ? null : now())
                .snapshotRetentionLimit(r.snapshotRetentionLimit() == null ? 0 : r.snapshotRetentionLimit())
                .arn(arn("replicationgroup", id)).replicationGroupCreateTime(now()).autoMinorVersionUpgrade(true)
                .networkType(NetworkType.IPV4).ipDiscovery(IpDiscovery.IPV4).dataTiering(DataTieringStatus.DISABLED)
                .pendingModifiedValues(ReplicationGroupPendingModifiedValues.builder().build()).build();
        CacheGroup group = new CacheGroup(view, tokens, engine, r.engineVersion() == null ? "7.2" : r.engineVersion(), port, nodes,
                r.cacheSubnetGroupName() == null ? "default" : r.cacheSubnetGroupName().toLowerCase(Locale.ROOT), securityGroups, 0, false);
        groups.put(id, group);
        events.add(id, SourceType.REPLICATION_GROUP, "Replication group " + id + " created");
        tags.put(view.arn(), new ArrayList<>(r.tags()));
        return CreateReplicationGroupResponse.builder().replicationGroup(view).build();
    }

    private CacheGroup group(String id) {
        CacheGroup group = groups.get(AwsException.require(id, "ReplicationGroupId").toLowerCase(Locale.ROOT));
        if (group == null) {
            throw new AwsException("ReplicationGroupNotFoundFault", "Replication group " + id + " not found.", 404);
        }
        return group;
    }

    public synchronized DescribeReplicationGroupsResponse describeReplicationGroups(DescribeReplicationGroupsRequest r) {
        List<ReplicationGroup> list = new ArrayList<>();
        if (r.replicationGroupId() != null) {
            list.add(group(r.replicationGroupId()).view());
        } else {
            groups.values().forEach(g -> list.add(g.view()));
        }
        return DescribeReplicationGroupsResponse.builder().replicationGroups(list).build();
    }

    public synchronized ModifyReplicationGroupResponse modifyReplicationGroup(ModifyReplicationGroupRequest r) {
        CacheGroup group = group(r.replicationGroupId());
        if (!group.status().equals("available")) {
            throw new AwsException("InvalidReplicationGroupState", "Replication group " + group.id() + " is not in available state ("
                    + group.status() + ").");
        }
        ReplicationGroup.Builder view = group.view().toBuilder();
        ReplicationGroupPendingModifiedValues.Builder pending = ReplicationGroupPendingModifiedValues.builder();
        List<String> tokens = group.tokens();
        boolean failover = r.automaticFailoverEnabled() != null ? r.automaticFailoverEnabled()
                : group.view().automaticFailover() == AutomaticFailoverStatus.ENABLED;
        boolean multiAz = r.multiAZEnabled() != null ? r.multiAZEnabled() : group.view().multiAZ() == MultiAZStatus.ENABLED;
        if (failover && group.nodes() < 2) {
            throw combination("Automatic failover needs at least one replica.");
        }
        if (multiAz && !failover) {
            throw combination("Multi-AZ needs automatic failover enabled.");
        }
        view.automaticFailover(failover ? AutomaticFailoverStatus.ENABLED : AutomaticFailoverStatus.DISABLED)
                .multiAZ(multiAz ? MultiAZStatus.ENABLED : MultiAZStatus.DISABLED);
        if (r.authToken() != null || r.authTokenUpdateStrategy() != null) {
            if (!Boolean.TRUE.equals(group.view().transitEncryptionEnabled())) {
                throw combination("An AuthToken can only be set on a replication group with transit encryption.");
            }
            if (!Boolean.TRUE.equals(r.applyImmediately())) {
                throw combination("Changing the AuthToken requires ApplyImmediately.");
            }
            AuthTokenUpdateStrategyType strategy = r.authTokenUpdateStrategy() == null ? AuthTokenUpdateStrategyType.ROTATE : r.authTokenUpdateStrategy();
            switch (strategy) {
                case ROTATE -> {
                    String next = token(AwsException.require(r.authToken(), "AuthToken"));
                    tokens = tokens.isEmpty() ? List.of(next) : List.of(tokens.get(tokens.size() - 1), next);
                    pending.authTokenStatus(AuthTokenUpdateStatus.ROTATING);
                }
                case SET -> {
                    tokens = List.of(token(AwsException.require(r.authToken(), "AuthToken")));
                    pending.authTokenStatus(AuthTokenUpdateStatus.SETTING);
                }
                case DELETE -> {
                    if (r.authToken() != null) {
                        throw combination("AuthTokenUpdateStrategy DELETE takes no AuthToken.");
                    }
                    tokens = List.of();
                }
                default -> throw invalid("AuthTokenUpdateStrategy is SET, ROTATE or DELETE, not " + r.authTokenUpdateStrategyAsString() + ".");
            }
            view.authTokenEnabled(!tokens.isEmpty()).authTokenLastModifiedDate(now());
        }
        if (r.cacheNodeType() != null) {
            if (!r.cacheNodeType().startsWith("cache.")) {
                throw invalid("Invalid CacheNodeType: " + r.cacheNodeType());
            }
            view.cacheNodeType(r.cacheNodeType());
        }
        if (r.replicationGroupDescription() != null) {
            view.description(r.replicationGroupDescription());
        }
        List<String> securityGroups = r.hasSecurityGroupIds() ? securityGroups(r.securityGroupIds()) : group.securityGroups();
        view.status("modifying").pendingModifiedValues(pending.build());
        CacheGroup next = new CacheGroup(view.build(), tokens, group.engine(),
                r.engineVersion() == null ? group.engineVersion() : r.engineVersion(), group.port(), group.nodes(), group.subnetGroup(), securityGroups,
                group.primary(), false);
        groups.put(group.id(), next);
        return ModifyReplicationGroupResponse.builder().replicationGroup(next.view()).build();
    }

    public synchronized IncreaseReplicaCountResponse increaseReplicaCount(IncreaseReplicaCountRequest r) {
        return IncreaseReplicaCountResponse.builder().replicationGroup(resize(r.replicationGroupId(), r.newReplicaCount(), r.applyImmediately(), true)).build();
    }

    public synchronized DecreaseReplicaCountResponse decreaseReplicaCount(DecreaseReplicaCountRequest r) {
        if (r.hasReplicasToRemove() && !r.replicasToRemove().isEmpty()) {
            throw invalid("This emulator removes the newest replicas: give NewReplicaCount, not ReplicasToRemove.");
        }
        return DecreaseReplicaCountResponse.builder().replicationGroup(resize(r.replicationGroupId(), r.newReplicaCount(), r.applyImmediately(), false)).build();
    }

    /** A primary and {@code replicas} replicas (replicas are added or removed at the end of the member list). */
    private ReplicationGroup resize(String id, Integer replicas, Boolean applyImmediately, boolean increase) {
        CacheGroup group = group(id);
        if (!group.status().equals("available")) {
            throw new AwsException("InvalidReplicationGroupState", "Replication group " + group.id() + " is not in available state ("
                    + group.status() + ").");
        }
        if (!Boolean.TRUE.equals(applyImmediately)) {
            throw invalid("ApplyImmediately must be true: changing the number of replicas is applied immediately.");
        }
        int nodes = AwsException.require(replicas, "NewReplicaCount") + 1;
        if (nodes < 1 || nodes > 6 || (increase ? nodes <= group.nodes() : nodes >= group.nodes())) {
            throw invalid("NewReplicaCount " + replicas + " must be " + (increase ? "more" : "fewer") + " than the group's "
                    + (group.nodes() - 1) + " replica(s), within 0 to 5.");
        }
        if (!increase && nodes < 2 && group.automaticFailover()) {
            throw combination("A group with automatic failover keeps at least one replica: turn failover off first.");
        }
        if (!increase && group.primary() >= nodes) {
            throw invalid("The primary is " + group.member(group.primary()) + ": this emulator removes the newest replicas only, not the primary.");
        }
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            members.add(String.format("%s-%03d", group.id(), i));
        }
        ReplicationGroup view = group.view().toBuilder().status("modifying").memberClusters(members).build();
        CacheGroup next = new CacheGroup(view, group.tokens(), group.engine(), group.engineVersion(), group.port(), nodes, group.subnetGroup(),
                group.securityGroups(), group.primary(), false);
        groups.put(group.id(), next);
        return view;
    }

    public synchronized DeleteReplicationGroupResponse deleteReplicationGroup(DeleteReplicationGroupRequest r) {
        CacheGroup group = group(r.replicationGroupId());
        if (!group.status().equals("available") && !group.status().equals("create-failed")) {
            throw new AwsException("InvalidReplicationGroupState", "Replication group " + group.id() + " is not in available state ("
                    + group.status() + ").");
        }
        if (r.finalSnapshotIdentifier() != null) {
            throw invalid("This emulator takes no snapshots: FinalSnapshotIdentifier is not supported.");
        }
        CacheGroup next = group.with(group.view().toBuilder().status("deleting").build());
        groups.put(group.id(), next);
        return DeleteReplicationGroupResponse.builder().replicationGroup(next.view()).build();
    }

    /**
     * Tests automatic failover on the group's one node group ("0001"): the data plane fails the
     * primary and promotes the replica that has most of its writes, as ElastiCache does; the group is
     * {@code modifying} until the old primary is back as a replica. At most five a day per account.
     */
    public synchronized TestFailoverResponse testFailover(TestFailoverRequest r) {
        String nodeGroup = AwsException.require(r.nodeGroupId(), "NodeGroupId");
        if (!nodeGroup.matches("\\d{1,4}")) {
            throw invalid("NodeGroupId is 1 to 4 digits, not '" + nodeGroup + "'.");
        }
        CacheGroup group = group(r.replicationGroupId());
        if (!nodeGroup.equals("0001")) {
            throw new AwsException("NodeGroupNotFoundFault", "Node group " + nodeGroup + " not found in replication group " + group.id() + ".", 404);
        }
        if (!group.automaticFailover()) {
            throw new AwsException("TestFailoverNotAvailableFault", "Automatic failover is not enabled on replication group " + group.id()
                    + ": TestFailover is not available.");
        }
        if (!group.status().equals("available")) {
            throw new AwsException("InvalidReplicationGroupState", "Replication group " + group.id() + " is not in available state ("
                    + group.status() + ").");
        }
        Instant now = now();
        testFailovers.removeIf(at -> at.isBefore(now.minus(java.time.Duration.ofHours(24))));
        if (testFailovers.size() >= TEST_FAILOVERS_PER_DAY) {
            throw new AwsException("APICallRateForCustomerExceeded", "TestFailover was called on " + TEST_FAILOVERS_PER_DAY
                    + " node groups in the last 24 hours: the limit for this account.");
        }
        testFailovers.add(now);
        CacheGroup next = failing(group);
        groups.put(group.id(), next);
        events.add(group.id(), SourceType.REPLICATION_GROUP, "Test Failover API called for node group " + nodeGroup);
        return TestFailoverResponse.builder().replicationGroup(next.view()).build();
    }

    public synchronized DescribeEventsResponse describeEvents(DescribeEventsRequest r) {
        return events.describe(r);
    }

    /** One node of a group as DescribeCacheClusters shows it (ShowCacheNodeInfo adds its endpoint). */
    public synchronized DescribeCacheClustersResponse describeCacheClusters(DescribeCacheClustersRequest r) {
        List<CacheCluster> list = new ArrayList<>();
        for (CacheGroup g : groups.values()) {
            for (int i = 0; i < g.view().memberClusters().size(); i++) {
                String clusterId = g.view().memberClusters().get(i);
                if (r.cacheClusterId() != null && !r.cacheClusterId().equalsIgnoreCase(clusterId)) {
                    continue;
                }
                CacheCluster.Builder c = CacheCluster.builder().cacheClusterId(clusterId).replicationGroupId(g.id())
                        .cacheClusterStatus(g.status()).cacheNodeType(g.view().cacheNodeType()).engine(g.engine()).engineVersion(g.engineVersion())
                        .numCacheNodes(1).cacheSubnetGroupName(g.subnetGroup()).cacheClusterCreateTime(g.view().replicationGroupCreateTime())
                        .authTokenEnabled(g.view().authTokenEnabled()).transitEncryptionEnabled(g.view().transitEncryptionEnabled())
                        .securityGroups(g.securityGroups().stream().map(s -> SecurityGroupMembership.builder().securityGroupId(s).status("active").build()).toList())
                        .arn(arn("cluster", clusterId)).preferredAvailabilityZone(region + (char) ('a' + i % 3));
                if (Boolean.TRUE.equals(r.showCacheNodeInfo())) {
                    c.cacheNodes(CacheNode.builder().cacheNodeId("0001").cacheNodeStatus(g.status())
                            .endpoint(Endpoint.builder().address(nodeName(g.id(), i)).port(g.port()).build()).build());
                }
                list.add(c.build());
            }
        }
        if (r.cacheClusterId() != null && list.isEmpty()) {
            throw new AwsException("CacheClusterNotFound", "CacheCluster " + r.cacheClusterId() + " not found.", 404);
        }
        return DescribeCacheClustersResponse.builder().cacheClusters(list).build();
    }

    // ---- tags ----------------------------------------------------------------------------------

    private List<Tag> tagsOf(String arn) {
        List<Tag> list = tags.get(AwsException.require(arn, "ResourceName"));
        if (list == null) {
            if (!arn.startsWith("arn:aws:elasticache:")) {
                throw new AwsException("InvalidARN", "Invalid ARN: " + arn);
            }
            throw arn.contains(":replicationgroup:") ? new AwsException("ReplicationGroupNotFoundFault", "Replication group not found: " + arn, 404)
                    : new AwsException("CacheSubnetGroupNotFoundFault", "Resource not found: " + arn);
        }
        return list;
    }

    public synchronized AddTagsToResourceResponse addTagsToResource(AddTagsToResourceRequest r) {
        List<Tag> list = tagsOf(r.resourceName());
        for (Tag t : r.tags()) {
            list.removeIf(x -> x.key().equals(t.key()));
            list.add(t);
        }
        return AddTagsToResourceResponse.builder().tagList(list).build();
    }

    public synchronized ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest r) {
        return ListTagsForResourceResponse.builder().tagList(tagsOf(r.resourceName())).build();
    }

    public synchronized RemoveTagsFromResourceResponse removeTagsFromResource(RemoveTagsFromResourceRequest r) {
        List<Tag> list = tagsOf(r.resourceName());
        for (String key : r.tagKeys()) {
            if (!list.removeIf(x -> x.key().equals(key))) {
                throw new AwsException("TagNotFound", "Tag " + key + " not found.", 404);
            }
        }
        return RemoveTagsFromResourceResponse.builder().tagList(list).build();
    }

    // ---- for the data plane --------------------------------------------------------------------

    /** The groups now, for the data plane to reconcile. */
    public synchronized List<CacheGroup> groups() {
        return List.copyOf(groups.values());
    }

    /** The primary endpoint's name ("master.ID.abc123.use1.cache.amazonaws.com"). */
    public String primaryName(String id) {
        return "master." + id + "." + domain + ".cache.amazonaws.com";
    }

    /** The reader endpoint's name: it reaches a replica (the primary while there is none). */
    public String readerName(String id) {
        return "replica." + id + "." + domain + ".cache.amazonaws.com";
    }

    /** Node {@code index}'s own name ("ID-001.ID.abc123.use1.cache.amazonaws.com"). */
    public String nodeName(String id, int index) {
        return String.format("%s-%03d.%s.%s.cache.amazonaws.com", id, index + 1, id, domain);
    }

    /**
     * The data plane's one way to change a group: from the value it read to the next, only if that
     * is still the current one (false: an API call came first; the plane reads again). An empty
     * next removes the group (its deletion finished).
     */
    public synchronized boolean transition(CacheGroup seen, Optional<CacheGroup> next) {
        if (groups.get(seen.id()) != seen) {
            return false;
        }
        if (next.isEmpty()) {
            groups.remove(seen.id());
            tags.remove(seen.view().arn());
        } else {
            groups.put(seen.id(), next.get());
        }
        return true;
    }

    /** The group failing over: {@code modifying} until the data plane has promoted a replica. */
    public CacheGroup failing(CacheGroup g) {
        return g.with(g.view().toBuilder().status("modifying").build()).withPrimary(g.primary(), true);
    }

    /** Records an event (the data plane's: a failover done, a node recovered). */
    public synchronized void event(String source, SourceType type, String message) {
        events.add(source, type, message);
    }

    /** The view of a group whose nodes now run: available, with its endpoints and members. */
    public ReplicationGroup available(CacheGroup g) {
        List<NodeGroupMember> members = new ArrayList<>();
        for (int i = 0; i < g.nodes(); i++) {
            members.add(NodeGroupMember.builder().cacheClusterId(g.view().memberClusters().get(i)).cacheNodeId("0001")
                    .readEndpoint(Endpoint.builder().address(nodeName(g.id(), i)).port(g.port()).build())
                    .preferredAvailabilityZone(region + (char) ('a' + i % 3)).currentRole(i == g.primary() ? "primary" : "replica").build());
        }
        NodeGroup nodeGroup = NodeGroup.builder().nodeGroupId("0001").status("available")
                .primaryEndpoint(Endpoint.builder().address(primaryName(g.id())).port(g.port()).build())
                .readerEndpoint(Endpoint.builder().address(readerName(g.id())).port(g.port()).build()).nodeGroupMembers(members).build();
        return g.view().toBuilder().status("available").nodeGroups(nodeGroup)
                .pendingModifiedValues(ReplicationGroupPendingModifiedValues.builder().build()).build();
    }
}
