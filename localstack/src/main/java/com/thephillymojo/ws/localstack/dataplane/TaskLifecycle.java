package com.thephillymojo.ws.localstack.dataplane;

import com.thephillymojo.ws.localstack.ecs.EcsBackend;
import com.thephillymojo.ws.localstack.elbv2.Elbv2Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.stream.Stream;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.Connectivity;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.NetworkInterface;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeregisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RegisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * A task's states as AWS reports them — PROVISIONING, PENDING, RUNNING, DEACTIVATING, STOPPING,
 * DEPROVISIONING, STOPPED — each step taken when its condition holds: the container started (by the
 * {@link ContainerLauncher}) or failed to; running, registered in its service's target groups; stopped
 * or exited, deregistered and drained; SIGTERM, then SIGKILL after its {@code stopTimeout}; its last
 * lines in the log; stopped, with its reason, code and exit code. Each step is a compare-and-set on
 * the task as read: an API call answered in between wins, and the next round decides again.
 */
final class TaskLifecycle {
    private static final long OUTPUT_GRACE_MILLIS = 5000;

    private final Map<String, TaskProcess> processes;
    private final ContainerLauncher launcher;
    private final Function<String, Elbv2Backend> elb;
    private final ExecutorService threads;
    private final Watchdog watchdog;
    private final WriteHook hook;

    TaskLifecycle(Map<String, TaskProcess> processes, ContainerLauncher launcher, Function<String, Elbv2Backend> elb, ExecutorService threads,
                  Watchdog watchdog, WriteHook hook) {
        this.processes = processes;
        this.launcher = launcher;
        this.elb = elb;
        this.threads = threads;
        this.watchdog = watchdog;
        this.hook = hook;
    }

    /** The lifecycle's one way to change a task: a compare-and-set on the task it read (false: an API call came first). */
    private boolean write(EcsBackend ecs, String cluster, Task seen, Task next) {
        hook.beforeWrite(seen.taskArn(), "lastStatus=" + next.lastStatus() + " desiredStatus=" + next.desiredStatus());
        return ecs.transitionTask(cluster, seen, next);
    }

    /** Takes the task's next step, if its condition holds now. */
    void advance(EcsBackend ecs, String cluster, Task task) {
        TaskProcess r = processes.computeIfAbsent(task.taskArn(), k -> new TaskProcess());
        boolean stopWanted = "STOPPED".equals(task.desiredStatus());
        switch (task.lastStatus()) {
            case "PROVISIONING":
                if (stopWanted) {
                    write(ecs, cluster, task, stopped(task, r, "Task stopped before it started"));
                } else if (write(ecs, cluster, task, task.toBuilder().lastStatus("PENDING").pullStartedAt(TaskPlane.now()).build())) {
                    threads.execute(() -> launcher.start(ecs, task, r));
                }
                return;
            case "PENDING":
                if (r.failure != null) {
                    write(ecs, cluster, task, stopped(task, r, r.failure).toBuilder().stopCode(TaskStopCode.TASK_FAILED_TO_START).build());
                } else if (r.process != null && write(ecs, cluster, task, runningTask(task, r))) {
                    registerTargets(ecs, cluster, task, r);
                }
                return;
            case "RUNNING":
                if (!r.process.isAlive() || stopWanted) {
                    Task.Builder next = task.toBuilder().lastStatus("DEACTIVATING").stoppingAt(TaskPlane.now());
                    if (!r.process.isAlive() && !stopWanted) {
                        r.exitCode = r.process.exitValue();
                        next.desiredStatus("STOPPED").stopCode(TaskStopCode.ESSENTIAL_CONTAINER_EXITED)
                                .stoppedReason("Essential container in task exited");
                    }
                    write(ecs, cluster, task, next.build());
                }
                return;
            case "DEACTIVATING":
                if (drained(task, r)) {
                    write(ecs, cluster, task, task.toBuilder().lastStatus("STOPPING").build());
                }
                return;
            case "STOPPING":
                stopping(ecs, cluster, task, r);
                return;
            case "DEPROVISIONING":
                write(ecs, cluster, task, stopped(task, r, task.stoppedReason() == null ? "Task stopped" : task.stoppedReason()));
                return;
            default:
                // STOPPED
        }
    }

    /** SIGTERM, SIGKILL after the stop timeout, the output read to its end: then DEPROVISIONING. */
    private void stopping(EcsBackend ecs, String cluster, Task task, TaskProcess r) {
        Process p = r.process;
        if (p != null && p.isAlive()) {
            if (r.sigtermAt == 0) {
                r.sigtermAt = System.currentTimeMillis();
                signalTerm(p);
            } else if (System.currentTimeMillis() - r.sigtermAt > stopTimeoutMillis(ecs, task)) {
                p.toHandle().destroyForcibly();             // SIGKILL; what it wrote is still read
            }
            return;
        }
        if (p != null && !r.outputDone.isDone()) {
            // its last lines are still on their way to the log (a grandchild holding the pipe gets a bound)
            r.exitedAt = r.exitedAt == 0 ? System.currentTimeMillis() : r.exitedAt;
            if (System.currentTimeMillis() - r.exitedAt < OUTPUT_GRACE_MILLIS) {
                return;
            }
        }
        if (p != null && r.exitCode == null) {
            r.exitCode = p.exitValue();
        }
        watchdog.ended(TaskPlane.taskId(task));
        write(ecs, cluster, task, task.toBuilder().lastStatus("DEPROVISIONING").build());
    }

    /**
     * SIGTERM through the process handle: {@code Process.destroy()} would also close our end of the
     * container's output, and what it prints while shutting down would be lost. ECS's awslogs driver
     * keeps reading until the container exits; so do we.
     */
    static void signalTerm(Process p) {
        p.toHandle().destroy();
    }

    private static long stopTimeoutMillis(EcsBackend ecs, Task task) {
        ContainerDefinition c = ecs.taskDefinition(task.taskDefinitionArn()).containerDefinitions().get(0);
        return (c.stopTimeout() == null ? 30 : c.stopTimeout()) * 1000L;
    }

    private static Task stopped(Task task, TaskProcess r, String reason) {
        List<Container> containers = new ArrayList<>();
        for (Container c : task.containers()) {
            containers.add(c.toBuilder().lastStatus("STOPPED").exitCode(r.exitCode).reason(r.failure).build());
        }
        return task.toBuilder().lastStatus("STOPPED").desiredStatus("STOPPED").stoppedAt(TaskPlane.now()).executionStoppedAt(TaskPlane.now())
                .stoppedReason(task.stoppedReason() == null ? reason : task.stoppedReason()).containers(containers)
                .stopCode(task.stopCode() == null ? TaskStopCode.USER_INITIATED : task.stopCode()).build();
    }

    private static Task runningTask(Task task, TaskProcess r) {
        List<Container> containers = new ArrayList<>();
        for (Container c : task.containers()) {
            containers.add(c.toBuilder().lastStatus("RUNNING").runtimeId(String.valueOf(r.process.pid()))
                    .networkBindings(NetworkBinding.builder().bindIP(TaskPlane.HOST).hostPort(r.hostPort).containerPort(r.hostPort).protocol("tcp")
                            .build())
                    .networkInterfaces(NetworkInterface.builder().privateIpv4Address(TaskPlane.HOST).build()).build());
        }
        return task.toBuilder().lastStatus("RUNNING").pullStoppedAt(TaskPlane.now()).startedAt(TaskPlane.now())
                .connectivity(Connectivity.CONNECTED).connectivityAt(TaskPlane.now()).containers(containers)
                .attachments(Attachment.builder().id(UUID.randomUUID().toString()).type("ElasticNetworkInterface").status("ATTACHED")
                        .details(Stream.concat(TaskPlane.subnetOf(task).map(id -> KeyValuePair.builder().name("subnetId").value(id).build()).stream(),
                                Stream.of(KeyValuePair.builder().name("privateIPv4Address").value(TaskPlane.HOST).build(),
                                        KeyValuePair.builder().name("hostPort").value(String.valueOf(r.hostPort)).build())).toList()).build()).build();
    }

    private void registerTargets(EcsBackend ecs, String cluster, Task task, TaskProcess r) {
        Service service = ServiceScheduler.serviceOf(ecs, cluster, task);
        if (service == null) {
            return;
        }
        for (software.amazon.awssdk.services.ecs.model.LoadBalancer lb : service.loadBalancers()) {
            if (lb.targetGroupArn() != null) {
                elb.apply(ecs.region()).registerTargets(RegisterTargetsRequest.builder().targetGroupArn(lb.targetGroupArn())
                        .targets(TargetDescription.builder().id(TaskPlane.HOST).port(r.hostPort).build()).build());
                r.registered.add(lb.targetGroupArn());
            }
        }
    }

    /** Deregisters a task's targets, and says whether the load balancer has let them go (draining over). */
    private boolean drained(Task task, TaskProcess r) {
        String region = task.taskArn().split(":")[3];
        Elbv2Backend balancer = elb.apply(region);
        if (!r.deregistered) {
            r.deregistered = true;
            for (String group : r.registered) {
                try {
                    balancer.deregisterTargets(DeregisterTargetsRequest.builder().targetGroupArn(group)
                            .targets(TargetDescription.builder().id(TaskPlane.HOST).port(r.hostPort).build()).build());
                } catch (RuntimeException e) {
                    // the group is gone
                }
            }
        }
        for (String group : r.registered) {
            if (balancer.targets(group).stream().anyMatch(t -> t.target().port() == r.hostPort
                    && t.targetHealth().state() == TargetHealthStateEnum.DRAINING)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a running task counts as healthy for its service: healthy in every target group it is in (or in none). */
    boolean healthy(EcsBackend ecs, Task task) {
        TaskProcess r = processes.get(task.taskArn());
        if (r == null || !"RUNNING".equals(task.lastStatus())) {
            return false;
        }
        for (String group : r.registered) {
            boolean ok = elb.apply(ecs.region()).targets(group).stream().anyMatch(t -> t.target().port() == r.hostPort
                    && t.targetHealth().state() == TargetHealthStateEnum.HEALTHY);
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
