package com.thephillymojo.ws.localstack.dataplane;

import com.thephillymojo.ws.localstack.ecs.EcsBackend;
import com.thephillymojo.ws.localstack.elbv2.Elbv2Backend;
import com.thephillymojo.ws.localstack.logs.LogsBackend;
import com.thephillymojo.ws.localstack.secrets.SecretsBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;

import java.util.List;
import java.util.stream.Stream;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecs.model.*;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeregisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RegisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * ECS's data plane, reading what the ECS backend wants: tasks run as child processes of the
 * images in the emulated ECR (JVM images, on this machine's Java), each on its own port of
 * 127.0.0.1 given as {@code PORT}; their output goes to their awslogs group; their states move as
 * AWS reports them. Services keep their desired count, replace tasks that exit, register tasks in
 * their target groups (and drain them before stopping), roll out new revisions within
 * minimum-healthy / maximum percent, and roll back when the circuit breaker trips.
 */
public final class TaskPlane implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final long OUTPUT_GRACE_MILLIS = 5000;

    /** One task's process and what the plane did to it. */
    private static final class Running {
        volatile Process process;
        volatile int hostPort;
        volatile String failure;
        volatile Integer exitCode;
        volatile long sigtermAt;
        volatile long exitedAt;
        /** Completes when the container's output has reached its end (every line is in the log). */
        final CompletableFuture<Void> outputDone = new CompletableFuture<>();
        final List<String> registered = new ArrayList<>();     // target group ARNs
        boolean deregistered;
        boolean countedAsFailure;
    }

    private final Supplier<List<EcsBackend>> ecsBackends;
    private final Function<String, Elbv2Backend> elb;
    private final Function<String, SecretsBackend> secrets;
    private final Function<String, LogsBackend> logs;
    private final Images images;
    private final Supplier<String> registryHost;
    private final ExecutorService threads;
    private final Watchdog watchdog;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final WriteHook hook;
    private final java.util.function.Consumer<List<String>> jvmSetup;

    public TaskPlane(Supplier<List<EcsBackend>> ecsBackends, Function<String, Elbv2Backend> elb, Function<String, SecretsBackend> secrets,
                     Function<String, LogsBackend> logs, Images images, Supplier<String> registryHost, ScheduledExecutorService scheduler,
                     ExecutorService threads, Watchdog watchdog, java.util.function.Consumer<List<String>> jvmSetup, WriteHook hook) {
        this.hook = hook;
        this.ecsBackends = ecsBackends;
        this.elb = elb;
        this.secrets = secrets;
        this.logs = logs;
        this.images = images;
        this.registryHost = registryHost;
        this.threads = threads;
        this.watchdog = watchdog;
        this.jvmSetup = jvmSetup;
        scheduler.scheduleWithFixedDelay(this::tickQuietly, 200, 200, TimeUnit.MILLISECONDS);
    }

    private void tickQuietly() {
        try {
            for (EcsBackend ecs : ecsBackends.get()) {
                for (String cluster : ecs.clusterNames()) {
                    services(ecs, cluster);
                    for (Task task : ecs.tasks(cluster)) {
                        advance(ecs, cluster, task);
                    }
                }
            }
        } catch (RuntimeException e) {
            // the next tick tries again
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String taskId(Task t) {
        return t.taskArn().substring(t.taskArn().lastIndexOf('/') + 1);
    }

    // ---- tasks ---------------------------------------------------------------------------------

    /** The plane's one way to change a task: a compare-and-set on the task it read (false: an API call came first). */
    private boolean write(EcsBackend ecs, String cluster, Task seen, Task next) {
        hook.beforeWrite(seen.taskArn(), "lastStatus=" + next.lastStatus() + " desiredStatus=" + next.desiredStatus());
        return ecs.transitionTask(cluster, seen, next);
    }

    private void advance(EcsBackend ecs, String cluster, Task task) {
        Running r = running.computeIfAbsent(task.taskArn(), k -> new Running());
        boolean stopWanted = "STOPPED".equals(task.desiredStatus());
        switch (task.lastStatus()) {
            case "PROVISIONING":
                if (stopWanted) {
                    write(ecs, cluster, task, stopped(task, r, "Task stopped before it started"));
                } else if (write(ecs, cluster, task, task.toBuilder().lastStatus("PENDING").pullStartedAt(now()).build())) {
                    threads.execute(() -> start(ecs, task, r));
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
                    Task.Builder next = task.toBuilder().lastStatus("DEACTIVATING").stoppingAt(now());
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
            case "STOPPING": {
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
                watchdog.ended(taskId(task));
                write(ecs, cluster, task, task.toBuilder().lastStatus("DEPROVISIONING").build());
                return;
            }
            case "DEPROVISIONING":
                write(ecs, cluster, task, stopped(task, r, task.stoppedReason() == null ? "Task stopped" : task.stoppedReason()));
                return;
            default:
                // STOPPED
        }
    }

    /**
     * SIGTERM through the process handle: {@code Process.destroy()} would also close our end of the
     * container's output, and what it prints while shutting down would be lost. ECS's awslogs driver
     * keeps reading until the container exits; so do we.
     */
    private static void signalTerm(Process p) {
        p.toHandle().destroy();
    }

    private long stopTimeoutMillis(EcsBackend ecs, Task task) {
        ContainerDefinition c = ecs.taskDefinition(task.taskDefinitionArn()).containerDefinitions().get(0);
        return (c.stopTimeout() == null ? 30 : c.stopTimeout()) * 1000L;
    }

    private static Task stopped(Task task, Running r, String reason) {
        List<Container> containers = new ArrayList<>();
        for (Container c : task.containers()) {
            containers.add(c.toBuilder().lastStatus("STOPPED").exitCode(r.exitCode).reason(r.failure).build());
        }
        return task.toBuilder().lastStatus("STOPPED").desiredStatus("STOPPED").stoppedAt(now()).executionStoppedAt(now())
                .stoppedReason(task.stoppedReason() == null ? reason : task.stoppedReason()).containers(containers)
                .stopCode(task.stopCode() == null ? TaskStopCode.USER_INITIATED : task.stopCode()).build();
    }

    /** ECS spreads a service's tasks over its subnets' zones: the next one goes where the fewest of the new deployment run. */
    private static Optional<String> leastUsedSubnet(Service service, List<Task> fresh) {
        if (service.networkConfiguration() == null || service.networkConfiguration().awsvpcConfiguration() == null) {
            return Optional.empty();
        }
        return service.networkConfiguration().awsvpcConfiguration().subnets().stream()
                .min(java.util.Comparator.comparingLong(subnet -> fresh.stream().filter(t -> subnetOf(t).equals(Optional.of(subnet))).count()));
    }

    private static Optional<String> subnetOf(Task task) {
        return task.attachments().stream().flatMap(a -> a.details().stream()).filter(d -> "subnetId".equals(d.name()))
                .map(KeyValuePair::value).findFirst();
    }

    private Task runningTask(Task task, Running r) {
        List<Container> containers = new ArrayList<>();
        for (Container c : task.containers()) {
            containers.add(c.toBuilder().lastStatus("RUNNING").runtimeId(String.valueOf(r.process.pid()))
                    .networkBindings(NetworkBinding.builder().bindIP(HOST).hostPort(r.hostPort).containerPort(r.hostPort).protocol("tcp").build())
                    .networkInterfaces(NetworkInterface.builder().privateIpv4Address(HOST).build()).build());
        }
        return task.toBuilder().lastStatus("RUNNING").pullStoppedAt(now()).startedAt(now()).connectivity(Connectivity.CONNECTED)
                .connectivityAt(now()).containers(containers)
                .attachments(Attachment.builder().id(UUID.randomUUID().toString()).type("ElasticNetworkInterface").status("ATTACHED")
                        .details(Stream.concat(subnetOf(task).map(id -> KeyValuePair.builder().name("subnetId").value(id).build()).stream(),
                                Stream.of(KeyValuePair.builder().name("privateIPv4Address").value(HOST).build(),
                                        KeyValuePair.builder().name("hostPort").value(String.valueOf(r.hostPort)).build())).toList()).build()).build();
    }

    /** Pulls, unpacks and starts the task's container; on failure, records why (the task stops with it). */
    private void start(EcsBackend ecs, Task task, Running r) {
        try {
            TaskDefinition def = ecs.taskDefinition(task.taskDefinitionArn());
            ContainerDefinition c = def.containerDefinitions().get(0);
            Images.Unpacked image = images.pull(c.image(), registryHost.get());
            List<String> command = new ArrayList<>(c.hasEntryPoint() && !c.entryPoint().isEmpty() ? c.entryPoint() : image.entrypoint());
            List<String> args = c.hasCommand() && !c.command().isEmpty() ? c.command() : image.cmd();
            ContainerOverride override = task.overrides() == null ? null : task.overrides().containerOverrides().stream()
                    .filter(o -> c.name().equals(o.name())).findFirst().orElse(null);
            if (override != null && override.hasCommand() && !override.command().isEmpty()) {
                args = override.command();
            }
            command.addAll(args);
            if (command.isEmpty() || !(command.get(0).equals("java") || command.get(0).endsWith("/java"))) {
                throw new Images.CannotRun("CannotStartContainerError: this emulator runs JVM images (an entrypoint that starts with java) "
                        + "on the host's Java; this image starts with " + (command.isEmpty() ? "nothing" : "'" + command.get(0) + "'"));
            }
            command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (int i = 1; i < command.size(); i++) {
                command.set(i, rooted(image.root(), command.get(i)));
            }
            // the task's view of the VPC: its names and the trust roots of its TLS peers
            List<String> setup = new ArrayList<>();
            jvmSetup.accept(setup);
            command.addAll(1, setup);
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.directory(image.workingDir().isEmpty() ? image.root().toFile()
                    : image.root().resolve(image.workingDir().substring(1)).toFile());
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
            for (String kv : image.env()) {
                int eq = kv.indexOf('=');
                if (eq > 0 && !kv.startsWith("PATH=")) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            c.environment().forEach(kv -> env.put(kv.name(), kv.value()));
            if (override != null) {
                override.environment().forEach(kv -> env.put(kv.name(), kv.value()));
            }
            for (software.amazon.awssdk.services.ecs.model.Secret s : c.secrets()) {
                env.put(s.name(), secretValue(ecs.region(), s.valueFrom()));
            }
            env.put("PORT", String.valueOf(port));
            env.put("AWS_REGION", ecs.region());
            env.put("ECS_TASK_ARN", task.taskArn());
            builder.redirectErrorStream(true);
            Process process = builder.start();
            watchdog.started(taskId(task), process.pid());
            r.hostPort = port;
            threads.execute(() -> pump(process.getInputStream(), ecs.region(), c, task, r.outputDone));
            r.process = process;
        } catch (Images.CannotRun e) {
            r.failure = e.getMessage();
        } catch (IOException | RuntimeException e) {
            r.failure = "CannotStartContainerError: " + e.getMessage();
        }
    }

    /** Absolute paths of the image (and classpath entries) are made to point into the unpacked root. */
    private static String rooted(Path root, String arg) {
        if (arg.startsWith("/") && arg.contains(":")) {
            List<String> parts = new ArrayList<>();
            for (String part : arg.split(":")) {
                parts.add(rooted(root, part));
            }
            return String.join(":", parts);
        }
        if (arg.startsWith("/")) {
            String bare = arg.endsWith("/*") ? arg.substring(0, arg.length() - 2) : arg;
            if (Files.exists(root.resolve(bare.substring(1)))) {
                return root.resolve(arg.substring(1)).toString();
            }
        }
        if (arg.startsWith("@/") && Files.exists(root.resolve(arg.substring(2)))) {
            return "@" + root.resolve(arg.substring(2));
        }
        return arg;
    }

    private String secretValue(String region, String valueFrom) {
        String id = valueFrom;
        String jsonKey = null;
        String[] parts = valueFrom.split(":");
        if (valueFrom.startsWith("arn:") && parts.length > 7) {
            id = String.join(":", java.util.Arrays.copyOfRange(parts, 0, 7));
            jsonKey = parts[7].isEmpty() ? null : parts[7];
        }
        String value = secrets.apply(region).currentValue(id);
        if (jsonKey != null) {
            try {
                value = new com.fasterxml.jackson.databind.ObjectMapper().readTree(value).path(jsonKey).asText();
            } catch (IOException e) {
                throw new IllegalStateException("ResourceInitializationError: secret " + id + " is not JSON");
            }
        }
        return value;
    }

    /** The container's output, line by line, into its awslogs group and stream (prefix/container/task-id). */
    private void pump(InputStream output, String region, ContainerDefinition c, Task task, CompletableFuture<Void> done) {
        LogConfiguration config = c.logConfiguration();
        boolean awslogs = config != null && config.logDriver() == LogDriver.AWSLOGS;
        String group = awslogs ? config.options().get("awslogs-group") : null;
        String prefix = awslogs ? config.options().getOrDefault("awslogs-stream-prefix", "ecs") : null;
        String stream = prefix + "/" + c.name() + "/" + taskId(task);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (group != null) {
                    logs.apply(region).append(group, stream, System.currentTimeMillis(), line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended
        } finally {
            done.complete(null);
        }
    }

    private void registerTargets(EcsBackend ecs, String cluster, Task task, Running r) {
        Service service = serviceOf(ecs, cluster, task);
        if (service == null) {
            return;
        }
        for (software.amazon.awssdk.services.ecs.model.LoadBalancer lb : service.loadBalancers()) {
            if (lb.targetGroupArn() != null) {
                elb.apply(ecs.region()).registerTargets(RegisterTargetsRequest.builder().targetGroupArn(lb.targetGroupArn())
                        .targets(TargetDescription.builder().id(HOST).port(r.hostPort).build()).build());
                r.registered.add(lb.targetGroupArn());
            }
        }
    }

    /** Deregisters a task's targets, and says whether the load balancer has let them go (draining over). */
    private boolean drained(Task task, Running r) {
        String region = task.taskArn().split(":")[3];
        Elbv2Backend balancer = elb.apply(region);
        if (!r.deregistered) {
            r.deregistered = true;
            for (String group : r.registered) {
                try {
                    balancer.deregisterTargets(DeregisterTargetsRequest.builder().targetGroupArn(group)
                            .targets(TargetDescription.builder().id(HOST).port(r.hostPort).build()).build());
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

    private boolean healthy(EcsBackend ecs, Task task) {
        Running r = running.get(task.taskArn());
        if (r == null || !"RUNNING".equals(task.lastStatus())) {
            return false;
        }
        if (r.registered.isEmpty()) {
            return true;
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

    // ---- services ------------------------------------------------------------------------------

    private static Service serviceOf(EcsBackend ecs, String cluster, Task task) {
        if (task.group() == null || !task.group().startsWith("service:")) {
            return null;
        }
        String name = task.group().substring("service:".length());
        return ecs.services(cluster).stream().filter(s -> s.serviceName().equals(name)).findFirst().orElse(null);
    }

    private void services(EcsBackend ecs, String cluster) {
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
        List<Task> fresh = live.stream().filter(t -> t.taskDefinitionArn().equals(primary.taskDefinition())).toList();
        List<Task> old = live.stream().filter(t -> !t.taskDefinitionArn().equals(primary.taskDefinition())).toList();
        List<ServiceEvent> events = new ArrayList<>(service.events());

        // tasks of the new deployment that died on their own count towards the circuit breaker
        int failed = primary.failedTasks() == null ? 0 : primary.failedTasks();
        for (Task t : mine) {
            Running r = running.get(t.taskArn());
            if (r != null && !r.countedAsFailure && t.taskDefinitionArn().equals(primary.taskDefinition()) && "STOPPED".equals(t.lastStatus())
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
            events.add(0, event("(service " + service.serviceName() + ") has started 1 tasks: (task " + taskId(t) + ")."));
        }
        long healthyFresh = fresh.stream().filter(t -> healthy(ecs, t)).count();
        long healthyOld = old.stream().filter(t -> healthy(ecs, t)).count();
        for (Task t : old) {
            boolean countsAsHealthy = healthy(ecs, t);
            if (!countsAsHealthy || healthyFresh + healthyOld - 1 >= minHealthy || desired == 0) {
                stopByScheduler(ecs, cluster, t);
                if (countsAsHealthy) {
                    healthyOld--;
                }
                events.add(0, event("(service " + service.serviceName() + ") has stopped 1 running tasks: (task " + taskId(t) + ")."));
            }
        }
        for (int i = desired; i < fresh.size(); i++) {
            stopByScheduler(ecs, cluster, fresh.get(i));
        }

        long runningCount = live.stream().filter(t -> "RUNNING".equals(t.lastStatus())).count();
        long pendingCount = live.size() - runningCount;
        List<Deployment> deployments = new ArrayList<>();
        for (Deployment d : service.deployments()) {
            long dRunning = live.stream().filter(t -> t.taskDefinitionArn().equals(d.taskDefinition()) && "RUNNING".equals(t.lastStatus())).count();
            long dPending = live.stream().filter(t -> t.taskDefinitionArn().equals(d.taskDefinition()) && !"RUNNING".equals(t.lastStatus())).count();
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
                    .rolloutStateReason("ECS deployment " + first.id() + " completed.").updatedAt(now()).build());
            events.add(0, event("(service " + service.serviceName() + ") has reached a steady state."));
        }
        Service updated = service.toBuilder().runningCount((int) runningCount).pendingCount((int) pendingCount).deployments(deployments)
                .events(events.size() > 100 ? events.subList(0, 100) : events).build();
        if (!updated.equals(service)) {
            write(ecs, cluster, service, updated);
        }
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
                .rolloutStateReason("ECS deployment circuit breaker: tasks failed to start.").updatedAt(now()).build();
        List<Deployment> deployments = new ArrayList<>();
        boolean rollback = Boolean.TRUE.equals(service.deploymentConfiguration().deploymentCircuitBreaker().rollback());
        String taskDefinition = service.taskDefinition();
        if (rollback) {
            deployments.add(previous.toBuilder().id("ecs-svc/" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 10_000_000_000_000_000L))
                    .status("PRIMARY").rolloutState(DeploymentRolloutState.IN_PROGRESS).rolloutStateReason("ECS deployment detected failure. Rolling back.")
                    .desiredCount(service.desiredCount()).failedTasks(0).createdAt(now()).updatedAt(now()).build());
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
        return ServiceEvent.builder().id(UUID.randomUUID().toString()).createdAt(now()).message(message).build();
    }

    /** Every task process this plane started and that still runs. */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> list = new ArrayList<>();
        for (Running r : running.values()) {
            if (r.process != null && r.process.isAlive()) {
                list.add(r.process.toHandle());
            }
        }
        return list;
    }

    @Override
    public synchronized void close() {
        for (Running r : running.values()) {
            if (r.process != null && r.process.isAlive()) {
                signalTerm(r.process);
            }
        }
        long deadline = System.currentTimeMillis() + 5000;
        for (Running r : running.values()) {
            if (r.process != null) {
                try {
                    if (!r.process.waitFor(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
                        r.process.toHandle().destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    r.process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

}
