package com.thephillymojo.ws.runbook.infra;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * ECS: the cluster, the task definition's revisions and the Fargate service. A deploy is a new
 * revision (only when something in it differs) and a rolling update of the service, waited on
 * until the service is stable and every target is healthy. The deployment circuit breaker rolls a
 * failing revision back; the runbook then reports that the deploy failed.
 */
public final class Containers {
    public static final String CONTAINER = "ws";
    public static final int PORT = 8080;

    /** The one container's task definition as the runbook wants it. */
    public record TaskSpec(String family, String image, int cpu, int memory, String executionRoleArn, Map<String, String> environment,
                           Map<String, String> secrets, String logGroup, String region) {

        boolean matches(TaskDefinition td) {
            if (td.containerDefinitions().size() != 1) {
                return false;
            }
            ContainerDefinition c = td.containerDefinitions().get(0);
            return String.valueOf(cpu).equals(td.cpu()) && String.valueOf(memory).equals(td.memory())
                    && executionRoleArn.equals(td.executionRoleArn()) && td.networkMode() == NetworkMode.AWSVPC
                    && td.requiresCompatibilities().contains(Compatibility.FARGATE) && CONTAINER.equals(c.name()) && image.equals(c.image())
                    && c.portMappings().size() == 1 && c.portMappings().get(0).containerPort() == PORT
                    && environment.equals(c.environment().stream().collect(Collectors.toMap(KeyValuePair::name, KeyValuePair::value, (a, b) -> b, TreeMap::new)))
                    && secrets.equals(c.secrets().stream().collect(Collectors.toMap(Secret::name, Secret::valueFrom, (a, b) -> b, TreeMap::new)))
                    && c.logConfiguration() != null && logOptions().equals(c.logConfiguration().options());
        }

        Map<String, String> logOptions() {
            return Map.of("awslogs-group", logGroup, "awslogs-region", region, "awslogs-stream-prefix", CONTAINER);
        }

        ContainerDefinition container() {
            return ContainerDefinition.builder().name(CONTAINER).image(image).essential(true)
                    .portMappings(PortMapping.builder().containerPort(PORT).protocol("tcp").build())
                    .environment(environment.entrySet().stream().map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList())
                    .secrets(secrets.entrySet().stream().map(e -> Secret.builder().name(e.getKey()).valueFrom(e.getValue()).build()).toList())
                    .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(logOptions()))
                    .stopTimeout(30).build();
        }
    }

    /** Where the service's tasks run and take traffic from. */
    public record Placement(List<String> subnets, String securityGroupId, boolean publicIp, String targetGroupArn) {
    }

    /** The service as {@code status} reports it. */
    public record ServiceStatus(String status, int desired, int running, String taskDefinition, List<String> deployments,
                                Map<String, TargetHealthDescription> targets) {
        public long healthyTargets() {
            return targets.values().stream().filter(t -> t.targetHealth().state() == TargetHealthStateEnum.HEALTHY).count();
        }
    }

    private final Cloud cloud;
    private final LoadBalancing loadBalancing;

    public Containers(Cloud cloud, LoadBalancing loadBalancing) {
        this.cloud = cloud;
        this.loadBalancing = loadBalancing;
    }

    public Optional<Cluster> cluster(String name) {
        return cloud.ecs.describeClusters(r -> r.clusters(name)).clusters().stream().filter(c -> "ACTIVE".equals(c.status())).findFirst();
    }

    public Outcome ensureCluster(String name) {
        Optional<Cluster> found = cluster(name);
        if (found.isPresent()) {
            cloud.state.put("cluster.arn", found.get().clusterArn());
            return cloud.report(Outcome.unchanged("ecs cluster", name));
        }
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldCreate("ecs cluster", name, ""));
        }
        Cluster made = cloud.ecs.createCluster(r -> r.clusterName(name)).cluster();
        cloud.state.put("cluster.arn", made.clusterArn());
        return cloud.report(Outcome.created("ecs cluster", name, made.clusterArn()));
    }

    /** The family's active revisions, newest first. */
    public List<String> revisions(String family) {
        return cloud.ecs.listTaskDefinitions(r -> r.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE).sort(SortOrder.DESC))
                .taskDefinitionArns().stream().filter(arn -> familyOf(arn).equals(family)).toList();
    }

    public TaskDefinition describe(String taskDefinition) {
        return cloud.ecs.describeTaskDefinition(r -> r.taskDefinition(taskDefinition)).taskDefinition();
    }

    /** A revision exactly as wanted: an existing one (newest first) or a new one. Records its ARN as {@code taskDefinition.wanted}. */
    public Outcome ensureTaskDefinition(TaskSpec spec) {
        String kind = "task definition";
        for (String arn : revisions(spec.family()).stream().limit(20).toList()) {
            if (spec.matches(describe(arn))) {
                cloud.state.put("taskDefinition.wanted", arn);
                return cloud.report(Outcome.unchanged(kind, revisionOf(arn)));
            }
        }
        String detail = "image " + spec.image() + ", " + spec.cpu() + " cpu, " + spec.memory() + " MiB, env " + spec.environment().keySet()
                + ", secrets " + spec.secrets().keySet();
        if (cloud.planning()) {
            cloud.state.forget("taskDefinition.wanted");
            return cloud.report(Outcome.wouldCreate(kind, spec.family() + " (new revision)", detail));
        }
        TaskDefinition made = cloud.ecs.registerTaskDefinition(r -> r.family(spec.family()).networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE).cpu(String.valueOf(spec.cpu())).memory(String.valueOf(spec.memory()))
                .executionRoleArn(spec.executionRoleArn()).containerDefinitions(spec.container())).taskDefinition();
        cloud.state.put("taskDefinition.wanted", made.taskDefinitionArn());
        return cloud.report(Outcome.created(kind, revisionOf(made.taskDefinitionArn()), detail));
    }

    public Optional<Service> service(String cluster, String name) {
        if (cluster(cluster).isEmpty()) {
            return Optional.empty();
        }
        return cloud.ecs.describeServices(r -> r.cluster(cluster).services(name)).services().stream()
                .filter(s -> !"INACTIVE".equals(s.status())).findFirst();
    }

    /**
     * The Fargate service on {@code taskDefinition} with the circuit breaker and rollback. The desired
     * count is the settings' when the service is made; afterwards it is the operator's ({@code scale}).
     */
    public Outcome ensureService(String cluster, String name, Optional<String> taskDefinition, Placement placement, int desiredCount) {
        String kind = "ecs service";
        Optional<Service> found = service(cluster, name);
        if (found.isPresent() && "DRAINING".equals(found.get().status())) {
            throw new IllegalStateException("service " + name + " is still being deleted; run apply again when it is gone");
        }
        if (found.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate(kind, name, "Fargate, " + desiredCount + " task(s), circuit breaker with rollback"));
            }
            String td = taskDefinition.orElseThrow();
            Service made = assumable(td, () -> cloud.ecs.createService(r -> r.cluster(cluster).serviceName(name).taskDefinition(td).desiredCount(desiredCount)
                    .launchType(LaunchType.FARGATE)
                    .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(placement.subnets()).securityGroups(placement.securityGroupId())
                            .assignPublicIp(placement.publicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)))
                    .loadBalancers(l -> l.targetGroupArn(placement.targetGroupArn()).containerName(CONTAINER).containerPort(PORT))
                    .healthCheckGracePeriodSeconds(60)
                    .deploymentConfiguration(d -> d.minimumHealthyPercent(100).maximumPercent(200)
                            .deploymentCircuitBreaker(c -> c.enable(true).rollback(true))))).service();
            cloud.state.put("service.arn", made.serviceArn());
            awaitDeployed(cluster, name, td, placement.targetGroupArn());
            return cloud.report(Outcome.created(kind, name, desiredCount + " task(s) of " + revisionOf(td)));
        }
        Service service = found.get();
        cloud.state.put("service.arn", service.serviceArn());
        List<String> differences = new ArrayList<>();
        if (taskDefinition.isEmpty() || !taskDefinition.get().equals(service.taskDefinition())) {
            differences.add(revisionOf(service.taskDefinition()) + " → " + taskDefinition.map(Containers::revisionOf).orElse("a new revision"));
        }
        var breaker = service.deploymentConfiguration() == null ? null : service.deploymentConfiguration().deploymentCircuitBreaker();
        if (breaker == null || !breaker.enable() || !breaker.rollback()) {
            differences.add("circuit breaker with rollback on");
        }
        if (differences.isEmpty()) {
            return cloud.report(Outcome.unchanged(kind, name));
        }
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldChange(kind, name, String.join(", ", differences)));
        }
        String td = taskDefinition.orElseThrow();
        assumable(td, () -> cloud.ecs.updateService(r -> r.cluster(cluster).service(name).taskDefinition(td)
                .deploymentConfiguration(d -> d.minimumHealthyPercent(100).maximumPercent(200)
                        .deploymentCircuitBreaker(c -> c.enable(true).rollback(true)))));
        awaitDeployed(cluster, name, td, placement.targetGroupArn());
        return cloud.report(Outcome.changed(kind, name, "rolled out: " + String.join(", ", differences)));
    }

    /**
     * An ECS call with a revision whose execution role IAM may not have propagated yet (made or
     * changed a moment ago): ECS refuses it, saying it cannot assume the role, until IAM has.
     */
    private <T> T assumable(String taskDefinition, java.util.function.Supplier<T> call) {
        return cloud.eventually("IAM to let ECS assume the execution role of " + revisionOf(taskDefinition),
                e -> Cloud.code(e).equals("InvalidParameterException") && String.valueOf(e.awsErrorDetails().errorMessage()).contains("unable to assume the role"),
                call);
    }

    /** The desired count changed, then waited on until that many tasks run and are healthy targets. */
    public Outcome scale(String cluster, String name, int count) {
        Service service = service(cluster, name).orElseThrow(() -> new IllegalStateException("no service " + name + " in " + cluster + ": apply first"));
        if (service.desiredCount() == count) {
            return cloud.report(Outcome.unchanged("ecs service", name + " (" + count + " task(s))"));
        }
        cloud.ecs.updateService(r -> r.cluster(cluster).service(name).desiredCount(count));
        awaitDeployed(cluster, name, service.taskDefinition(), service.loadBalancers().get(0).targetGroupArn());
        return cloud.report(Outcome.changed("ecs service", name, "desired count " + service.desiredCount() + " → " + count));
    }

    /** New tasks of the same revision for the old ones (they read the secrets again when they start), waited on until healthy. */
    public Outcome redeploy(String cluster, String name) {
        Service service = service(cluster, name).orElseThrow(() -> new IllegalStateException("no service " + name + " in " + cluster + ": apply first"));
        cloud.ecs.updateService(r -> r.cluster(cluster).service(name).forceNewDeployment(true));
        awaitDeployed(cluster, name, service.taskDefinition(), service.loadBalancers().get(0).targetGroupArn());
        return cloud.report(Outcome.changed("ecs service", name, "new tasks of " + revisionOf(service.taskDefinition())));
    }

    /** Back to the newest active revision older than the one the service runs. */
    public Outcome rollback(String cluster, String name) {
        Service service = service(cluster, name).orElseThrow(() -> new IllegalStateException("no service " + name + " in " + cluster + ": apply first"));
        String current = service.taskDefinition();
        int currentRevision = revisionNumber(current);
        String previous = revisions(familyOf(current)).stream().filter(arn -> revisionNumber(arn) < currentRevision)
                .max(Comparator.comparingInt(Containers::revisionNumber))
                .orElseThrow(() -> new IllegalStateException("the service runs " + revisionOf(current) + ", and no earlier active revision exists"));
        assumable(previous, () -> cloud.ecs.updateService(r -> r.cluster(cluster).service(name).taskDefinition(previous)));
        awaitDeployed(cluster, name, previous, service.loadBalancers().get(0).targetGroupArn());
        return cloud.report(Outcome.changed("ecs service", name, "rolled back " + revisionOf(current) + " → " + revisionOf(previous)));
    }

    public ServiceStatus status(String cluster, String name) {
        Service s = service(cluster, name).orElseThrow(() -> new IllegalStateException("no service " + name + " in " + cluster + ": apply first"));
        List<String> deployments = s.deployments().stream().map(d -> d.status() + " " + revisionOf(d.taskDefinition()) + " "
                + d.runningCount() + "/" + d.desiredCount() + " " + d.rolloutStateAsString()).toList();
        Map<String, TargetHealthDescription> targets = s.loadBalancers().isEmpty() ? Map.of()
                : loadBalancing.targetHealth(s.loadBalancers().get(0).targetGroupArn());
        return new ServiceStatus(s.status(), s.desiredCount(), s.runningCount(), s.taskDefinition(), deployments, targets);
    }

    /**
     * Waits until the service runs {@code taskDefinition} only, as many tasks as desired, each a
     * healthy target. A rollback by the circuit breaker fails the wait with the service's events.
     */
    private void awaitDeployed(String cluster, String name, String taskDefinition, String targetGroupArn) {
        cloud.waitFor("service " + name + " to run " + revisionOf(taskDefinition) + " only, stable and healthy", () -> {
            Service s = service(cluster, name).orElseThrow(() -> new IllegalStateException("service " + name + " disappeared"));
            Deployment primary = s.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst().orElse(null);
            if (primary == null) {
                return false;
            }
            if (!primary.taskDefinition().equals(taskDefinition) || primary.rolloutState() == DeploymentRolloutState.FAILED) {
                String events = s.events().stream().limit(5).map(e -> e.message()).collect(Collectors.joining("; "));
                throw new IllegalStateException("the deployment of " + revisionOf(taskDefinition) + " failed"
                        + (primary.taskDefinition().equals(taskDefinition) ? "" : " and was rolled back to " + revisionOf(primary.taskDefinition()))
                        + ": " + events);
            }
            if (s.deployments().size() != 1 || s.runningCount() != s.desiredCount() || primary.rolloutState() == DeploymentRolloutState.IN_PROGRESS) {
                return false;
            }
            List<TargetHealthDescription> live = loadBalancing.targetHealth(targetGroupArn).values().stream()
                    .filter(t -> t.targetHealth().state() != TargetHealthStateEnum.DRAINING).toList();
            return live.size() == s.desiredCount() && live.stream().allMatch(t -> t.targetHealth().state() == TargetHealthStateEnum.HEALTHY);
        });
    }

    public Outcome destroyService(String cluster, String name) {
        Optional<Service> found = service(cluster, name);
        return cloud.delete("ecs service", name, found.isPresent(), "", () -> {
            if (!"DRAINING".equals(found.get().status())) {
                cloud.ecs.updateService(r -> r.cluster(cluster).service(name).desiredCount(0));
                cloud.ecs.deleteService(r -> r.cluster(cluster).service(name).force(true));
            }
            cloud.waitFor("service " + name + "'s tasks to stop and the service to be inactive", () -> service(cluster, name).isEmpty()
                    && cloud.ecs.listTasks(r -> r.cluster(cluster)).taskArns().isEmpty());
            cloud.state.forget("service.");
        });
    }

    /** Deregisters every active revision (AWS keeps them as INACTIVE). */
    public Outcome destroyTaskDefinitions(String family) {
        List<String> active = revisions(family);
        return cloud.delete("task definition", family, !active.isEmpty(), active.size() + " revision(s) deregistered", () -> {
            active.forEach(arn -> cloud.ecs.deregisterTaskDefinition(r -> r.taskDefinition(arn)));
            cloud.state.forget("taskDefinition.");
        });
    }

    public Outcome destroyCluster(String name) {
        return cloud.delete("ecs cluster", name, cluster(name).isPresent(), "", () -> {
            cloud.ecs.deleteCluster(r -> r.cluster(name));
            cloud.state.forget("cluster.");
        });
    }

    /** "family:7" of a task definition ARN. */
    public static String revisionOf(String taskDefinitionArn) {
        return taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf('/') + 1);
    }

    static String familyOf(String taskDefinitionArn) {
        String revision = revisionOf(taskDefinitionArn);
        return revision.substring(0, revision.lastIndexOf(':'));
    }

    static int revisionNumber(String taskDefinitionArn) {
        return Integer.parseInt(taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf(':') + 1));
    }
}
