package com.thephillymojo.ws.runbook.steps;

import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.infra.Caches;
import com.thephillymojo.ws.runbook.infra.Containers;
import com.thephillymojo.ws.runbook.infra.Network.Ingress;
import io.cucumber.java.en.Given;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** deploy.feature: each step names a resource as the runbook wants it and calls its idempotent action. */
public final class DeploySteps {
    private final World world;

    public DeploySteps(World world) {
        this.world = world;
    }

    @Given("the ECR repository {string} scans images on push and expires old ones")
    public void repository(String name) {
        world.name("repository", name);
        world.registry.ensureRepository(name);
    }

    @Given("the server image is built with Jib and pushed to {string} under the release tag")
    public void image(String repository) {
        world.registry.ensureImage(repository, releaseTag(world));
    }

    @Given("the NextAuth secret is kept in Secrets Manager")
    public void secret() {
        world.secrets.ensure(world.cloud.settings.secretName());
    }

    @Given("the log group {string} keeps the tasks' logs")
    public void logGroup(String name) {
        world.name("logGroup", name);
        world.logGroups.ensure(name);
    }

    @Given("the cache's auth token is generated once and kept in Secrets Manager as {string}")
    public void cacheSecret(String name) {
        world.name("cacheSecret", name);
        world.caches.ensureSecret(name);
    }

    @Given("the task execution role {string} may pull the image, write the logs and read both secrets")
    public void executionRole(String name) {
        world.name("executionRole", name);
        String nextAuth = world.cloud.require(world.secrets.find(world.cloud.settings.secretName()).map(s -> s.arn()),
                "the secret " + world.cloud.settings.secretName());
        String cache = world.cloud.require(world.secrets.find(world.name("cacheSecret")).map(s -> s.arn()),
                "the secret " + world.name("cacheSecret"));
        world.roles.ensureExecutionRole(name, List.of(nextAuth, cache));
    }

    @Given("the security group {string} admits HTTPS on 443 and HTTP on 80 from anywhere")
    public void balancerGroup(String name) {
        world.name("balancerGroup", name);
        world.network.ensureGroup(name, "thephillymojo-ws load balancer: HTTPS and HTTP from anywhere",
                List.of(Ingress.fromAnywhere(443), Ingress.fromAnywhere(80)));
    }

    @Given("the security group {string} admits port 8080 from {string} only")
    public void taskGroup(String name, String from) {
        world.name("taskGroup", name);
        String balancerGroup = world.cloud.require(world.network.find(from).map(g -> g.groupId()), "the security group " + from);
        world.network.ensureGroup(name, "thephillymojo-ws tasks: 8080 from the load balancer only",
                List.of(Ingress.fromGroup(Containers.PORT, balancerGroup)));
    }

    @Given("the security group {string} admits port 6379 from {string} only")
    public void cacheGroup(String name, String from) {
        world.name("cacheGroup", name);
        String taskGroup = world.cloud.require(world.network.find(from).map(g -> g.groupId()), "the security group " + from);
        world.network.ensureGroup(name, "thephillymojo-ws cache: 6379 from the tasks only", List.of(Ingress.fromGroup(Caches.PORT, taskGroup)));
    }

    @Given("the cache subnet group {string} spans the environment's subnets")
    public void cacheSubnetGroup(String name) {
        world.name("cacheSubnetGroup", name);
        world.caches.ensureSubnetGroup(name, world.network.subnets());
    }

    @Given("the replication group {string} runs the environment's engine and nodes in {string}, encrypted in transit and opened with the auth token only")
    public void cache(String id, String subnetGroup) {
        world.name("cache", id);
        String group = world.cloud.require(world.network.find(world.name("cacheGroup")).map(g -> g.groupId()),
                "the security group " + world.name("cacheGroup"));
        world.caches.ensureReplicationGroup(id, subnetGroup, group, world.name("cacheSecret"));
    }

    @Given("the cache's address is kept with its token in Secrets Manager")
    public void cacheAddress() {
        world.caches.ensureAddress(world.name("cache"), world.name("cacheSecret"));
    }

    @Given("the hosted zone of the environment's domain")
    public void zone() {
        world.dns.ensureZone();
    }

    @Given("an ACM certificate for the service's host name, validated through Route53")
    public void certificate() {
        world.certificates.ensure(world.cloud.settings.host());
    }

    @Given("the load balancer {string} is internet-facing with an idle timeout of {int} seconds")
    public void loadBalancer(String name, int idleTimeout) {
        world.name("loadBalancer", name);
        Optional<String> group = world.network.find(world.name("balancerGroup")).map(g -> g.groupId());
        world.loadBalancing.ensureLoadBalancer(name, idleTimeout, group, world.network.subnets());
    }

    @Given("the target group {string} sends HTTP to port {int} and checks health at {string}")
    public void targetGroup(String name, int port, String path) {
        world.name("targetGroup", name);
        world.loadBalancing.ensureTargetGroup(name, port, path, world.network.vpcId());
    }

    @Given("{string} serves HTTPS on 443 with the certificate, forwarding to {string}")
    public void httpsListener(String balancer, String targetGroup) {
        String certificate = world.cloud.require(world.certificates.find(world.cloud.settings.host()).map(c -> c.certificateArn()),
                "the certificate for " + world.cloud.settings.host());
        String group = world.cloud.require(world.loadBalancing.findTargetGroup(targetGroup).map(t -> t.targetGroupArn()),
                "the target group " + targetGroup);
        world.loadBalancing.ensureHttpsListener(balancer, certificate, group);
    }

    @Given("{string} redirects HTTP on 80 to HTTPS")
    public void redirectListener(String balancer) {
        world.loadBalancing.ensureRedirectListener(balancer);
    }

    @Given("the ECS cluster {string}")
    public void cluster(String name) {
        world.name("cluster", name);
        world.containers.ensureCluster(name);
    }

    @Given("the task definition {string} runs the image on port 8080 with NEXTAUTH_URL, ALLOWED_ORIGINS, BIND_ADDRESS and REDIS_ACK_REPLICAS as environment"
            + " and NEXTAUTH_SECRET and REDIS_URL from Secrets Manager")
    public void taskDefinition(String family) {
        world.name("family", family);
        world.containers.ensureTaskDefinition(taskSpec(world, family, releaseTag(world)));
    }

    @Given("the Fargate service {string} runs it in {string} behind {string}, with the deployment circuit breaker and rollback")
    public void service(String name, String cluster, String targetGroup) {
        world.name("service", name);
        world.containers.ensureService(cluster, name, wantedRevision(world), placement(world, targetGroup), world.cloud.settings.desiredCount());
    }

    @Given("the service's host name is an alias of {string}")
    public void alias(String balancer) {
        world.dns.ensureAlias(world.cloud.settings.host(), world.loadBalancing.balancer(balancer));
    }

    /**
     * The image tag to run: the one asked for on the command line; else the one the service runs
     * now (so apply never undoes a deploy); else the settings' first tag.
     */
    static String releaseTag(World world) {
        if (world.request.tag().isPresent()) {
            return world.request.tag().get();
        }
        return world.recorded("service").flatMap(service -> world.recorded("cluster").flatMap(cluster -> world.containers.service(cluster, service)))
                .map(s -> world.containers.describe(s.taskDefinition()).containerDefinitions().get(0).image())
                .map(image -> image.substring(image.lastIndexOf(':') + 1))
                .orElse(world.cloud.settings.imageTag());
    }

    static Containers.TaskSpec taskSpec(World world, String family, String tag) {
        Settings s = world.cloud.settings;
        // a change counts once a replica has it: a failover then loses no acknowledged move (a single node has no replica to wait for)
        Map<String, String> environment = new TreeMap<>(Map.of("NEXTAUTH_URL", s.appUrl(), "ALLOWED_ORIGINS", String.join(",", s.allowedOrigins()),
                "BIND_ADDRESS", s.bindAddress(), "REDIS_ACK_REPLICAS", s.cache().nodes() > 1 ? "1" : "0"));
        String secretArn = world.cloud.require(world.secrets.find(s.secretName()).map(x -> x.arn()), "the secret " + s.secretName());
        String role = world.cloud.require(world.roles.find(world.name("executionRole")).map(r -> r.arn()),
                "the execution role " + world.name("executionRole"));
        String cacheSecretArn = world.cloud.require(world.secrets.find(world.name("cacheSecret")).map(x -> x.arn()),
                "the secret " + world.name("cacheSecret"));
        // ECS reads one key of a JSON secret: ARN:json-key:version-stage:version-id
        return new Containers.TaskSpec(family, world.registry.reference(world.name("repository"), tag), s.cpu(), s.memory(), role, environment,
                new TreeMap<>(Map.of("NEXTAUTH_SECRET", secretArn, "REDIS_URL", cacheSecretArn + ":" + Caches.URL_KEY + "::")),
                world.name("logGroup"), s.region().id());
    }

    /** The revision the task definition step settled on (none in a plan that would register a new one). */
    static Optional<String> wantedRevision(World world) {
        return world.cloud.state.get("taskDefinition.wanted");
    }

    static Containers.Placement placement(World world, String targetGroup) {
        String group = world.cloud.require(world.network.find(world.name("taskGroup")).map(g -> g.groupId()),
                "the security group " + world.name("taskGroup"));
        String targetGroupArn = world.cloud.require(world.loadBalancing.findTargetGroup(targetGroup).map(t -> t.targetGroupArn()),
                "the target group " + targetGroup);
        return new Containers.Placement(world.network.subnets(), group, world.cloud.settings.publicIp(), targetGroupArn);
    }
}
