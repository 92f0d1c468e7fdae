package com.thephillymojo.ws.runbook.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.runbook.Settings;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.elasticache.model.AuthTokenUpdateStrategyType;
import software.amazon.awssdk.services.elasticache.model.AutomaticFailoverStatus;
import software.amazon.awssdk.services.elasticache.model.CacheSubnetGroup;
import software.amazon.awssdk.services.elasticache.model.CacheSubnetGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.MultiAZStatus;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.SecurityGroupMembership;
import software.amazon.awssdk.services.elasticache.model.Subnet;

/**
 * The cache every task keeps the games in: an ElastiCache replication group (Valkey, TLS in
 * transit, an auth token required), its subnet group, and the secret that holds its token and —
 * once the group has an endpoint — the URL the tasks connect with. The token is generated once
 * and never leaves Secrets Manager except into the group and the tasks' environment (by
 * reference): it is not printed, not in the state file, not in the task definition.
 */
public final class Caches {
    /** The secret's JSON keys: the task definition takes {@code REDIS_URL} from {@value #URL_KEY}. */
    public static final String TOKEN_KEY = "authToken";
    public static final String URL_KEY = "url";
    public static final int PORT = 6379;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cloud cloud;
    private final Secrets secrets;

    public Caches(Cloud cloud, Secrets secrets) {
        this.cloud = cloud;
        this.secrets = secrets;
    }

    // ---- the secret ----------------------------------------------------------------------------

    /** The secret with a generated auth token (made once; a later run keeps the token). */
    public Outcome ensureSecret(String name) {
        return secrets.ensureGenerated(name, () -> JSON.createObjectNode().put(TOKEN_KEY, generateToken()).toString(), "generated cache auth token",
                "thephillymojo-ws: the cache's auth token and, once it exists, the REDIS_URL the tasks use", "cacheSecret");
    }

    private JsonNode secretValue(String name) {
        try {
            return JSON.readTree(cloud.secrets.getSecretValue(r -> r.secretId(name)).secretString());
        } catch (IOException e) {
            throw new IllegalStateException("the secret " + name + " does not hold JSON: fix or delete it", e);
        }
    }

    /** 64 letters and digits: within ElastiCache's rules (16–128 printable, none of / " @ %) and safe in a URL. */
    static String generateToken() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            token.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return token.toString();
    }

    // ---- the subnet group ----------------------------------------------------------------------

    public Optional<CacheSubnetGroup> findSubnetGroup(String name) {
        try {
            return cloud.elasticache.describeCacheSubnetGroups(r -> r.cacheSubnetGroupName(name)).cacheSubnetGroups().stream().findFirst();
        } catch (CacheSubnetGroupNotFoundException e) {
            return Optional.empty();
        }
    }

    public Outcome ensureSubnetGroup(String name, List<String> subnets) {
        String kind = "cache subnet group";
        Optional<CacheSubnetGroup> found = findSubnetGroup(name);
        if (found.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate(kind, name, "subnets " + subnets));
            }
            cloud.elasticache.createCacheSubnetGroup(r -> r.cacheSubnetGroupName(name).subnetIds(subnets)
                    .cacheSubnetGroupDescription("thephillymojo-ws cache: the environment's subnets"));
            return cloud.report(Outcome.created(kind, name, "subnets " + subnets));
        }
        List<String> current = found.get().subnets().stream().map(Subnet::subnetIdentifier).sorted().toList();
        List<String> wanted = subnets.stream().sorted().toList();
        if (current.equals(wanted)) {
            return cloud.report(Outcome.unchanged(kind, name));
        }
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldChange(kind, name, "subnets " + current + " → " + wanted));
        }
        cloud.elasticache.modifyCacheSubnetGroup(r -> r.cacheSubnetGroupName(name).subnetIds(wanted));
        return cloud.report(Outcome.changed(kind, name, "subnets " + current + " → " + wanted));
    }

    // ---- the replication group -----------------------------------------------------------------

    public Optional<ReplicationGroup> find(String id) {
        try {
            return cloud.elasticache.describeReplicationGroups(r -> r.replicationGroupId(id)).replicationGroups().stream().findFirst();
        } catch (ReplicationGroupNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The replication group as the settings size it: made (and waited on until available) with the
     * token from the secret, or its node type, Multi-AZ, node count and security group corrected.
     * What cannot change in place (engine, transit encryption) stops the run, saying so.
     */
    public Outcome ensureReplicationGroup(String id, String subnetGroup, String securityGroupId, String secretName) {
        String kind = "cache";
        Settings.Cache wanted = cloud.settings.cache();
        String size = wanted.engine() + ", " + wanted.nodes() + " × " + wanted.nodeType() + (wanted.multiAz() ? ", Multi-AZ with failover" : "")
                + ", TLS, auth token";
        Optional<ReplicationGroup> found = find(id);
        if (found.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate(kind, id, size));
            }
            String token = secretValue(secretName).path(TOKEN_KEY).asText();
            cloud.elasticache.createReplicationGroup(r -> r.replicationGroupId(id).replicationGroupDescription("thephillymojo-ws game state")
                    .engine(wanted.engine()).cacheNodeType(wanted.nodeType()).numCacheClusters(wanted.nodes())
                    .automaticFailoverEnabled(wanted.multiAz()).multiAZEnabled(wanted.multiAz()).transitEncryptionEnabled(true)
                    .atRestEncryptionEnabled(true).authToken(token).cacheSubnetGroupName(subnetGroup).securityGroupIds(securityGroupId)
                    .port(PORT).tags(t -> t.key("app").value("thephillymojo-ws")));
            awaitAvailable(id);
            return cloud.report(Outcome.created(kind, id, size));
        }
        ReplicationGroup group = found.get();
        if (group.status().equals("deleting")) {
            throw new IllegalStateException("the cache " + id + " is still being deleted; run apply again when it is gone");
        }
        if (!Boolean.TRUE.equals(group.transitEncryptionEnabled()) || !wanted.engine().equalsIgnoreCase(group.engine())) {
            throw new IllegalStateException("the cache " + id + " runs " + group.engine() + (Boolean.TRUE.equals(group.transitEncryptionEnabled())
                    ? " with" : " without") + " TLS; the runbook wants " + wanted.engine() + " with TLS, which cannot be changed in place: "
                    + "destroy the cache (runbook destroy) or migrate it by hand");
        }
        List<String> differences = new ArrayList<>();
        if (!wanted.nodeType().equals(group.cacheNodeType())) {
            differences.add("node type " + group.cacheNodeType() + " → " + wanted.nodeType());
        }
        boolean multiAz = group.multiAZ() == MultiAZStatus.ENABLED && group.automaticFailover() == AutomaticFailoverStatus.ENABLED;
        if (multiAz != wanted.multiAz()) {
            differences.add("Multi-AZ with failover " + (wanted.multiAz() ? "on" : "off"));
        }
        int nodes = group.memberClusters().size();
        if (nodes != wanted.nodes()) {
            differences.add("nodes " + nodes + " → " + wanted.nodes());
        }
        List<String> groups = cloud.elasticache.describeCacheClusters(r -> r.cacheClusterId(group.memberClusters().get(0))).cacheClusters()
                .get(0).securityGroups().stream().map(SecurityGroupMembership::securityGroupId).toList();
        if (!new HashSet<>(groups).equals(java.util.Set.of(securityGroupId))) {
            differences.add("security groups " + groups + " → [" + securityGroupId + "]");
        }
        if (differences.isEmpty()) {
            if (!group.status().equals("available")) {
                awaitAvailable(id);
            }
            return cloud.report(Outcome.unchanged(kind, id));
        }
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldChange(kind, id, String.join(", ", differences)));
        }
        awaitAvailable(id);
        // more replicas first (failover needs one), fewer last (never below what failover needs)
        if (wanted.nodes() > nodes) {
            cloud.elasticache.increaseReplicaCount(r -> r.replicationGroupId(id).newReplicaCount(wanted.nodes() - 1).applyImmediately(true));
            awaitAvailable(id);
        }
        cloud.elasticache.modifyReplicationGroup(r -> r.replicationGroupId(id).cacheNodeType(wanted.nodeType())
                .automaticFailoverEnabled(wanted.multiAz()).multiAZEnabled(wanted.multiAz()).securityGroupIds(securityGroupId).applyImmediately(true));
        awaitAvailable(id);
        if (wanted.nodes() < nodes) {
            cloud.elasticache.decreaseReplicaCount(r -> r.replicationGroupId(id).newReplicaCount(wanted.nodes() - 1).applyImmediately(true));
            awaitAvailable(id);
        }
        return cloud.report(Outcome.changed(kind, id, String.join(", ", differences)));
    }

    private void awaitAvailable(String id) {
        cloud.waitFor("the cache " + id + " to be available", () -> find(id).map(g -> g.status().equals("available")).orElse(false));
    }

    /**
     * Keeps the URL the tasks connect with — {@code rediss://:TOKEN@PRIMARY:PORT} — beside the
     * token in the secret (the task definition refers to it).
     */
    public Outcome ensureAddress(String id, String secretName) {
        String kind = "secret";
        String name = secretName + " (" + URL_KEY + ")";
        Optional<ReplicationGroup> group = find(id);
        if (secrets.find(secretName).isEmpty() || group.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate(kind, name, "the cache's primary endpoint"));
            }
            throw new IllegalStateException("the cache " + id + " or the secret " + secretName + " does not exist: the steps that make them did not finish");
        }
        var primary = group.filter(g -> g.hasNodeGroups() && !g.nodeGroups().isEmpty()).map(g -> g.nodeGroups().get(0).primaryEndpoint())
                .orElseThrow(() -> new IllegalStateException("the cache " + id + " has no primary endpoint yet"));
        String endpoint = primary.address() + ":" + primary.port();
        JsonNode value = secretValue(secretName);
        String url = "rediss://:" + value.path(TOKEN_KEY).asText() + "@" + endpoint;
        if (url.equals(value.path(URL_KEY).asText())) {
            return cloud.report(Outcome.unchanged(kind, name));
        }
        boolean first = !value.has(URL_KEY);
        if (cloud.planning()) {
            return cloud.report(first ? Outcome.wouldCreate(kind, name, endpoint) : Outcome.wouldChange(kind, name, endpoint));
        }
        ObjectNode next = ((ObjectNode) value).put(URL_KEY, url);
        cloud.secrets.putSecretValue(r -> r.secretId(secretName).secretString(next.toString()));
        return cloud.report(first ? Outcome.created(kind, name, endpoint)
                : Outcome.changed(kind, name, endpoint + "; tasks read it when they start"));
    }

    // ---- failover and the token -----------------------------------------------------------------

    /** The member that is the primary now, as the group's members' roles say. */
    private static String primaryMember(ReplicationGroup group) {
        return group.hasNodeGroups() && !group.nodeGroups().isEmpty() ? group.nodeGroups().get(0).nodeGroupMembers().stream()
                .filter(m -> "primary".equals(m.currentRole())).map(m -> m.cacheClusterId()).findFirst().orElse("") : "";
    }

    /**
     * ElastiCache's TestFailover on the group's node group: the primary is lost and a replica
     * promoted, as when a node or its zone fails; waited on until the group is available again with
     * another member as its primary.
     */
    public Outcome failover(String id) {
        ReplicationGroup group = find(id).orElseThrow(() -> new IllegalStateException("the cache " + id + " does not exist: run apply first"));
        if (group.automaticFailover() != AutomaticFailoverStatus.ENABLED) {
            throw new IllegalStateException("the cache " + id + " has no automatic failover (cache.multiAz=false, or one node): "
                    + "a failover would end the games in flight");
        }
        awaitAvailable(id);
        String before = primaryMember(find(id).orElseThrow());
        cloud.elasticache.testFailover(r -> r.replicationGroupId(id).nodeGroupId("0001"));
        cloud.waitFor("the cache " + id + " to fail over to a replica", () -> find(id)
                .map(g -> g.status().equals("available") && !primaryMember(g).isEmpty() && !primaryMember(g).equals(before)).orElse(false));
        String after = primaryMember(find(id).orElseThrow());
        return cloud.report(Outcome.changed("cache", id, "failed over: primary " + before + " → " + after));
    }

    /**
     * The first half of a token rotation: a new token beside the old one (ElastiCache's ROTATE: both
     * are accepted), then kept in the secret with its URL — the tasks started from now on use it.
     */
    public Outcome addToken(String id, String secretName) {
        find(id).orElseThrow(() -> new IllegalStateException("the cache " + id + " does not exist: run apply first"));
        awaitAvailable(id);
        String next = generateToken();
        cloud.elasticache.modifyReplicationGroup(r -> r.replicationGroupId(id).authToken(next)
                .authTokenUpdateStrategy(AuthTokenUpdateStrategyType.ROTATE).applyImmediately(true));
        awaitAvailable(id);
        ObjectNode value = (ObjectNode) secretValue(secretName);
        String url = value.path(URL_KEY).asText();
        String endpoint = url.substring(url.indexOf('@') + 1);
        value.put(TOKEN_KEY, next).put(URL_KEY, "rediss://:" + next + "@" + endpoint);
        cloud.secrets.putSecretValue(r -> r.secretId(secretName).secretString(value.toString()));
        return cloud.report(Outcome.changed("cache", id, "a new auth token beside the old one (ROTATE), kept in " + secretName));
    }

    /** The second half: only the token the secret holds is accepted (ElastiCache's SET). */
    public Outcome retireOldToken(String id, String secretName) {
        awaitAvailable(id);
        String token = secretValue(secretName).path(TOKEN_KEY).asText();
        cloud.elasticache.modifyReplicationGroup(r -> r.replicationGroupId(id).authToken(token)
                .authTokenUpdateStrategy(AuthTokenUpdateStrategyType.SET).applyImmediately(true));
        awaitAvailable(id);
        return cloud.report(Outcome.changed("cache", id, "the old auth token retired (SET): only the new one is accepted"));
    }

    // ---- teardown ------------------------------------------------------------------------------

    public Outcome destroy(String id) {
        Optional<ReplicationGroup> found = find(id);
        return cloud.delete("cache", id, found.isPresent(), "", () -> {
            if (!found.get().status().equals("deleting")) {
                awaitAvailable(id);
                cloud.elasticache.deleteReplicationGroup(r -> r.replicationGroupId(id));
            }
            cloud.waitFor("the cache " + id + " to be deleted", () -> find(id).isEmpty());
        });
    }

    public Outcome destroySubnetGroup(String name) {
        return cloud.delete("cache subnet group", name, findSubnetGroup(name).isPresent(), "",
                () -> cloud.elasticache.deleteCacheSubnetGroup(r -> r.cacheSubnetGroupName(name)));
    }

    public Outcome destroySecret(String name) {
        return secrets.destroy(name, "cacheSecret.");
    }
}
