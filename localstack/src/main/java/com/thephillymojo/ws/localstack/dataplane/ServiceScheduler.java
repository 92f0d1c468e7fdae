package com.thephillymojo.ws.localstack.dataplane;

import com.thephillymojo.ws.localstack.ecs.EcsBackend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * ECS's service scheduler: each service keeps its desired count — tasks started over its subnets
 * (least used first), a task that exits replaced; a new revision rolled out within maximum percent
 * and minimum healthy percent, counting new tasks only once healthy in their target groups; the
 * circuit breaker (failed-task threshold half the desired count, 3 to 200) marks the deployment
 * FAILED and rolls back; deployments, rollout states and events as AWS reports them. Each change of a
 * service is a compare-and-set on the service as read.
 */
final class ServiceScheduler {
    private final Map<String, TaskProcess> processes;
    private final TaskLifecycle lifecycle;
    private final WriteHook hook;

    ServiceScheduler(Map<String, TaskProcess> processes, TaskLifecycle lifecycle, WriteHook hook) {
        this.processes = processes;
        this.lifecycle = lifecycle;
        this.hook = hook;
    }

    /** ECS spreads a service's tasks over its subnets' zones: the next one goes where the fewest of the new deployment run. */
    private static Optional<String> leastUsedSubnet(Service service, List<Task> fresh) {
        if (service.networkConfiguration() == null || service.networkConfiguration().awsvpcConfiguration() == null) {
            return Optional.empty();
        }
        return service.networkConfiguration().awsvpcConfiguration().subnets().stream()
                .min(Comparator.comparingLong(subnet -> fresh.stream().filter(t -> TaskPlane.subnetOf(t).equals(Optional.of(subnet))).count()));
    }

    static Service serviceOf(EcsBackend ecs, String cluster, Task task) {
        if (task.group() == null || !task.group().startsWith("service:")) {
            return null;
        }
        String name = task.group().substring("service:".length());
        return ecs.services(cluster).stream().filter(s -> s.serviceName().equals(name)).findFirst().orElse(null);
    }

    /** Keeps each service of the cluster as its definition says. */
    void services(EcsBackend ecs, String cluster) {
        List<Task> all = ecs.tasks(cluster);
        for (Service service : ecs.services(cluster)) {
            if ("INACTIVE".equals(service.status())) {
                continue;
            }
            List<Task> mine = all.stream().filter(t -> ("service:" + service.serviceName()).equals(t.group())).toList();
            List<Task> live = mine.stream().filter(t -> "RUNNING".equals(t.desiredStatus())).toList();
            if ("DRAINING".equals(service.status())) {
                live.forEach(t -> stop(ecs, cluster, t, "Service was deleted"));
                if (mine.stream().allMatch(t -> "STOPPED".equals(t.lastStatus()))) {
                    ecs.finishDraining(cluster, service.serviceName());
                }
                continue;
            }
            reconcile(ecs, cluster, service, mine, live);
        }
    }

    private void stop(EcsBackend ecs, String cluster, Task t, String reason) {
        ecs.stopByScheduler(cluster, t.taskArn(), reason);
    }

    private void reconcile(EcsBackend ecs, String cluster, Service service, List<Task> mine, List<Task> live) {
        Deployment primary = service.deployments().get(0);
        int desired = service.desiredCount();
        DeploymentConfiguration config = service.deploymentConfiguration();
        int maxTotal = Math.max(desired, (int) Math.floor(desired * (config.maximumPercent() == null ? 200 : config.maximumPercent()) / 100.0));
        int minHealthy = (int) Math.ceil(desired * (config.minimumHealthyPercent() == null ? 100 : config.minimumHealthyPercent()) / 100.0);
        List<Task> fresh = live.stream().filter(t -> deploymentOf(service, t) == primary).toList();
        List<Task> old = live.stream().filter(t -> deploymentOf(service, t) != primary).toList();
        List<ServiceEvent> events = new ArrayList<>(service.events());

        // tasks of the new deployment that died on their own count towards the circuit breaker
        int failed = primary.failedTasks() == null ? 0 : primary.failedTasks();
        for (Task t : mine) {
            TaskProcess r = processes.get(t.taskArn());
            if (r != null && !r.countedAsFailure && deploymentOf(service, t) == primary && "STOPPED".equals(t.lastStatus())
                    && t.stopCode() != TaskStopCode.USER_INITIATED && t.stopCode() != TaskStopCode.SERVICE_SCHEDULER_INITIATED) {
                r.countedAsFailure = true;
                failed++;
            }
        }
        DeploymentCircuitBreaker breaker = config.deploymentCircuitBreaker();
        int threshold = Math.min(200, Math.max(3, (int) Math.ceil(desired * 0.5)));
        if (breaker != null && Boolean.TRUE.equals(breaker.enable()) && failed >= threshold
                && primary.rolloutState() == DeploymentRolloutState.IN_PROGRESS && service.deployments().size() > 1) {
            rollBack(ecs, cluster, service, events, failed);
            return;
        }

        int total = live.size();
        while (fresh.size() < desired && total < maxTotal) {
            Task t = ecs.newTask(cluster, ecs.taskDefinition(primary.taskDefinition()), service.launchTypeAsString(),
                    primary.id(), "service:" + service.serviceName(), null, leastUsedSubnet(service, fresh));
            fresh = new ArrayList<>(fresh);
            fresh.add(t);
            total++;
            events.add(0, event("(service " + service.serviceName() + ") has started 1 tasks: (task " + TaskPlane.taskId(t) + ")."));
        }
        long healthyFresh = fresh.stream().filter(t -> lifecycle.healthy(ecs, t)).count();
        long healthyOld = old.stream().filter(t -> lifecycle.healthy(ecs, t)).count();
        for (Task t : old) {
            boolean countsAsHealthy = lifecycle.healthy(ecs, t);
            if (!countsAsHealthy || healthyFresh + healthyOld - 1 >= minHealthy || desired == 0) {
                stopByScheduler(ecs, cluster, t);
                if (countsAsHealthy) {
                    healthyOld--;
                }
                events.add(0, event("(service " + service.serviceName() + ") has stopped 1 running tasks: (task " + TaskPlane.taskId(t) + ")."));
            }
        }
        for (int i = desired; i < fresh.size(); i++) {
            stopByScheduler(ecs, cluster, fresh.get(i));
        }

        long runningCount = live.stream().filter(t -> "RUNNING".equals(t.lastStatus())).count();
        long pendingCount = live.size() - runningCount;
        List<Deployment> deployments = new ArrayList<>();
        for (Deployment d : service.deployments()) {
            long dRunning = live.stream().filter(t -> deploymentOf(service, t) == d && "RUNNING".equals(t.lastStatus())).count();
            long dPending = live.stream().filter(t -> deploymentOf(service, t) == d && !"RUNNING".equals(t.lastStatus())).count();
            if (d != primary && dRunning + dPending == 0) {
                continue; // an old deployment with no task left is over
            }
            deployments.add(d.toBuilder().runningCount((int) dRunning).pendingCount((int) dPending)
                    .failedTasks(d == primary ? failed : d.failedTasks()).build());
        }
        Deployment first = deployments.get(0);
        boolean steady = deployments.size() == 1 && healthyFresh == desired && fresh.size() == desired;
        if (steady && first.rolloutState() == DeploymentRolloutState.IN_PROGRESS) {
            deployments.set(0, first.toBuilder().rolloutState(DeploymentRolloutState.COMPLETED)
                    .rolloutStateReason("ECS deployment " + first.id() + " completed.").updatedAt(TaskPlane.now()).build());
            events.add(0, event("(service " + service.serviceName() + ") has reached a steady state."));
        }
        Service updated = service.toBuilder().runningCount((int) runningCount).pendingCount((int) pendingCount).deployments(deployments)
                .events(events.size() > 100 ? events.subList(0, 100) : events).build();
        if (!updated.equals(service)) {
            write(ecs, cluster, service, updated);
        }
    }

    /**
     * The deployment a task belongs to: the one that started it (a forced new deployment of the same
     * revision replaces every task), else — that one gone, a rollback's copy in its place — the first
     * of its revision.
     */
    private static Deployment deploymentOf(Service service, Task t) {
        for (Deployment d : service.deployments()) {
            if (d.id().equals(t.startedBy())) {
                return d;
            }
        }
        for (Deployment d : service.deployments()) {
            if (d.taskDefinition().equals(t.taskDefinitionArn())) {
                return d;
            }
        }
        return null;
    }

    private void stopByScheduler(EcsBackend ecs, String cluster, Task t) {
        ecs.stopByScheduler(cluster, t.taskArn(), "Scaling activity initiated by (deployment " + t.startedBy() + ")");
    }

    /** The scheduler's one way to change a service: a compare-and-set on the service it read. */
    private boolean write(EcsBackend ecs, String cluster, Service seen, Service next) {
        hook.beforeWrite(seen.serviceArn(), "status=" + next.status() + " desiredCount=" + next.desiredCount());
        return ecs.transitionService(cluster, seen, next);
    }

    private void rollBack(EcsBackend ecs, String cluster, Service service, List<ServiceEvent> events, int failed) {
        Deployment primary = service.deployments().get(0);
        Deployment previous = service.deployments().get(service.deployments().size() - 1);
        Deployment failedDeployment = primary.toBuilder().status("ACTIVE").rolloutState(DeploymentRolloutState.FAILED).failedTasks(failed)
                .rolloutStateReason("ECS deployment circuit breaker: tasks failed to start.").updatedAt(TaskPlane.now()).build();
        List<Deployment> deployments = new ArrayList<>();
        boolean rollback = Boolean.TRUE.equals(service.deploymentConfiguration().deploymentCircuitBreaker().rollback());
        String taskDefinition = service.taskDefinition();
        if (rollback) {
            deployments.add(previous.toBuilder().id("ecs-svc/" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 10_000_000_000_000_000L))
                    .status("PRIMARY").rolloutState(DeploymentRolloutState.IN_PROGRESS).rolloutStateReason("ECS deployment detected failure. Rolling back.")
                    .desiredCount(service.desiredCount()).failedTasks(0).createdAt(TaskPlane.now()).updatedAt(TaskPlane.now()).build());
            taskDefinition = previous.taskDefinition();
        }
        deployments.add(failedDeployment);
        for (Deployment d : service.deployments()) {
            if (d != primary && !(rollback && d == previous)) {
                deployments.add(d);
            }
        }
        events.add(0, event("(service " + service.serviceName() + ") (deployment " + primary.id()
                + ") deployment failed: tasks failed to start." + (rollback ? " Rolling back to " + previous.taskDefinition() + "." : "")));
        write(ecs, cluster, service, service.toBuilder().deployments(deployments).taskDefinition(taskDefinition).events(events).build());
    }

    private static ServiceEvent event(String message) {
        return ServiceEvent.builder().id(UUID.randomUUID().toString()).createdAt(TaskPlane.now()).message(message).build();
    }
}
