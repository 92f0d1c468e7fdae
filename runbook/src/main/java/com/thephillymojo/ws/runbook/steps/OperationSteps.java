package com.thephillymojo.ws.runbook.steps;

import com.thephillymojo.ws.runbook.infra.Containers;
import com.thephillymojo.ws.runbook.infra.Outcome;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** operations.feature: deploy a tag, scale, status, roll back, tear down — on what apply recorded. */
public final class OperationSteps {
    private final World world;
    private String deployed;

    public OperationSteps(World world) {
        this.world = world;
    }

    private String requestedTag() {
        return world.request.tag().orElseThrow(() -> new IllegalStateException("deploy needs the image tag: --tag TAG"));
    }

    @When("the requested image tag is built and pushed")
    public void push() {
        world.registry.ensureImage(world.name("repository"), requestedTag());
    }

    @When("the service is updated to a task definition revision running it")
    public void update() {
        world.containers.ensureTaskDefinition(DeploySteps.taskSpec(world, world.name("family"), requestedTag()));
        deployed = DeploySteps.wantedRevision(world).orElseThrow();
        world.containers.ensureService(world.name("cluster"), world.name("service"), java.util.Optional.of(deployed),
                DeploySteps.placement(world, world.name("targetGroup")), world.cloud.settings.desiredCount());
    }

    @Then("the rolling update has completed: the service is stable on that revision")
    public void stableOnDeployed() {
        Containers.ServiceStatus status = report();
        if (!status.taskDefinition().equals(deployed) || status.deployments().size() != 1) {
            throw new AssertionError("the service runs " + status.taskDefinition() + " " + status.deployments() + ", not only " + deployed);
        }
    }

    @Then("every target of the service is healthy")
    public void healthy() {
        Containers.ServiceStatus status = world.containers.status(world.name("cluster"), world.name("service"));
        if (status.healthyTargets() != status.desired() || status.running() != status.desired()) {
            throw new AssertionError(status.running() + " task(s) run and " + status.healthyTargets() + " target(s) are healthy; "
                    + status.desired() + " are wanted: " + status.targets().keySet());
        }
    }

    @Then("every target of the service is healthy again")
    public void healthyAgain() {
        world.cloud.waitFor("every target of the service to be healthy", () -> {
            Containers.ServiceStatus status = world.containers.status(world.name("cluster"), world.name("service"));
            return status.healthyTargets() == status.desired() && status.running() == status.desired();
        });
    }

    @When("the cache's primary fails and its replica is promoted")
    public void failover() {
        world.caches.failover(world.name("cache"));
    }

    @When("a new auth token is added to the cache beside the old one")
    public void addToken() {
        world.caches.addToken(world.name("cache"), world.name("cacheSecret"));
    }

    @When("the service starts new tasks, which connect with the new token")
    public void redeploy() {
        world.containers.redeploy(world.name("cluster"), world.name("service"));
    }

    @When("the old auth token is retired")
    public void retireToken() {
        world.caches.retireOldToken(world.name("cache"), world.name("cacheSecret"));
    }

    @When("the service's desired count is set to the requested count")
    public void scale() {
        int count = world.request.count().orElseThrow(() -> new IllegalStateException("scale needs the count: --count N"));
        world.containers.scale(world.name("cluster"), world.name("service"), count);
    }

    @Then("that many tasks run, each a healthy target")
    public void scaled() {
        healthy();
        int wanted = world.request.count().orElseThrow();
        Containers.ServiceStatus status = report();
        if (status.desired() != wanted) {
            throw new AssertionError("the service wants " + status.desired() + " tasks, not " + wanted);
        }
    }

    @Then("the service's state, its deployments and its targets' health are reported")
    public Containers.ServiceStatus report() {
        Containers.ServiceStatus status = world.containers.status(world.name("cluster"), world.name("service"));
        world.cloud.report(new Outcome(Outcome.Change.OBSERVED, "ecs service", world.name("service"), status.status() + ", " + status.running()
                + "/" + status.desired() + " running, " + Containers.revisionOf(status.taskDefinition())));
        status.deployments().forEach(d -> world.cloud.report(new Outcome(Outcome.Change.OBSERVED, "deployment", d, "")));
        for (Map.Entry<String, software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription> t : status.targets().entrySet()) {
            var health = t.getValue().targetHealth();
            world.cloud.report(new Outcome(Outcome.Change.OBSERVED, "target", t.getKey(), health.stateAsString()
                    + (health.reason() == null ? "" : " " + health.reasonAsString() + ": " + health.description())));
        }
        return status;
    }

    @When("the service is rolled back to the revision before the one it runs")
    public void rollback() {
        world.containers.rollback(world.name("cluster"), world.name("service"));
        deployed = world.containers.status(world.name("cluster"), world.name("service")).taskDefinition();
    }

    @Then("the service is stable on that revision and every target is healthy")
    public void rolledBack() {
        stableOnDeployed();
        healthy();
    }

    @When("the alias of the service's host name is deleted")
    public void deleteAlias() {
        world.dns.destroyAlias(world.cloud.settings.host());
    }

    @When("the service, its task definitions and the cluster are deleted")
    public void deleteService() {
        world.recorded("service").ifPresent(s -> world.containers.destroyService(world.name("cluster"), s));
        world.recorded("family").ifPresent(world.containers::destroyTaskDefinitions);
        world.recorded("cluster").ifPresent(world.containers::destroyCluster);
    }

    @When("the listeners, the load balancer and the target group are deleted")
    public void deleteLoadBalancer() {
        world.recorded("loadBalancer").ifPresent(lb -> {
            world.loadBalancing.destroyListener(lb, 443);
            world.loadBalancing.destroyListener(lb, 80);
            world.loadBalancing.destroyLoadBalancer(lb);
        });
        world.recorded("targetGroup").ifPresent(world.loadBalancing::destroyTargetGroup);
    }

    @When("the certificate and its validation records are deleted")
    public void deleteCertificate() {
        world.certificates.destroy(world.cloud.settings.host());
    }

    @When("the cache and its subnet group are deleted")
    public void deleteCache() {
        world.recorded("cache").ifPresent(world.caches::destroy);
        world.recorded("cacheSubnetGroup").ifPresent(world.caches::destroySubnetGroup);
    }

    @When("the security groups of the cache, the tasks and the load balancer are deleted")
    public void deleteGroups() {
        world.recorded("cacheGroup").ifPresent(world.network::destroyGroup);
        world.recorded("taskGroup").ifPresent(world.network::destroyGroup);
        world.recorded("balancerGroup").ifPresent(world.network::destroyGroup);
    }

    @When("the execution role, the log group and the secrets are deleted")
    public void deleteRoleLogsSecret() {
        world.recorded("executionRole").ifPresent(world.roles::destroy);
        world.recorded("logGroup").ifPresent(world.logGroups::destroy);
        world.secrets.destroy(world.cloud.settings.secretName());
        world.recorded("cacheSecret").ifPresent(world.caches::destroySecret);
    }

    @When("the image repository is deleted with its images")
    public void deleteRepository() {
        world.recorded("repository").ifPresent(world.registry::destroyRepository);
    }

    @When("the hosted zone is deleted if the runbook created it")
    public void deleteZone() {
        world.dns.destroyZone();
    }

    @Then("nothing the runbook created is left")
    public void nothingLeft() {
        if (world.cloud.planning()) {
            return;
        }
        List<String> left = new ArrayList<>();
        var s = world.cloud.settings;
        world.recorded("repository").flatMap(world.registry::find).ifPresent(r -> left.add("ecr repository " + r.repositoryName()));
        world.secrets.find(s.secretName()).filter(x -> x.deletedDate() == null).ifPresent(x -> left.add("secret " + x.name()));
        world.recorded("logGroup").flatMap(world.logGroups::find).ifPresent(g -> left.add("log group " + g.logGroupName()));
        world.recorded("executionRole").flatMap(world.roles::find).ifPresent(r -> left.add("role " + r.roleName()));
        world.recorded("cacheSecret").flatMap(world.secrets::find).filter(x -> x.deletedDate() == null).ifPresent(x -> left.add("secret " + x.name()));
        world.recorded("cache").flatMap(world.caches::find).ifPresent(c -> left.add("cache " + c.replicationGroupId()));
        world.recorded("cacheSubnetGroup").flatMap(world.caches::findSubnetGroup).ifPresent(g -> left.add("cache subnet group " + g.cacheSubnetGroupName()));
        world.recorded("cacheGroup").flatMap(world.network::find).ifPresent(g -> left.add("security group " + g.groupName()));
        world.recorded("taskGroup").flatMap(world.network::find).ifPresent(g -> left.add("security group " + g.groupName()));
        world.recorded("balancerGroup").flatMap(world.network::find).ifPresent(g -> left.add("security group " + g.groupName()));
        world.certificates.find(s.host()).ifPresent(c -> left.add("certificate " + c.certificateArn()));
        world.recorded("loadBalancer").flatMap(world.loadBalancing::find).ifPresent(l -> left.add("load balancer " + l.loadBalancerName()));
        world.recorded("targetGroup").flatMap(world.loadBalancing::findTargetGroup).ifPresent(t -> left.add("target group " + t.targetGroupName()));
        world.recorded("cluster").flatMap(world.containers::cluster).ifPresent(c -> left.add("cluster " + c.clusterName()));
        world.recorded("family").map(world.containers::revisions).filter(r -> !r.isEmpty()).ifPresent(r -> left.add("task definitions " + r));
        world.dns.zone().flatMap(z -> world.dns.record(z.id(), s.host(), software.amazon.awssdk.services.route53.model.RRType.A))
                .ifPresent(r -> left.add("dns record " + r.name()));
        if (s.createZone()) {
            world.dns.zone().ifPresent(z -> left.add("hosted zone " + z.name()));
        }
        if (!left.isEmpty()) {
            throw new AssertionError("left after destroy: " + left);
        }
        world.cloud.state.forget("name.");
    }
}
