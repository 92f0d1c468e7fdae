package com.thephillymojo.ws.localstack.dataplane;

import com.thephillymojo.ws.localstack.ecs.EcsBackend;
import com.thephillymojo.ws.localstack.elbv2.Elbv2Backend;
import com.thephillymojo.ws.localstack.logs.LogsBackend;
import com.thephillymojo.ws.localstack.secrets.SecretsBackend;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * ECS's data plane, reading what the ECS backend wants, every 200 ms: tasks run as child processes of
 * the images in the emulated ECR ({@link ContainerLauncher}: JVM images, on this machine's Java), each
 * on its own port of 127.0.0.1 given as {@code PORT}; their states move as AWS reports them
 * ({@link TaskLifecycle}); services keep their desired count, roll out and roll back
 * ({@link ServiceScheduler}).
 */
public final class TaskPlane implements AutoCloseable {
    static final String HOST = "127.0.0.1";

    private final Supplier<List<EcsBackend>> ecsBackends;
    private final Map<String, TaskProcess> processes = new ConcurrentHashMap<>();
    private final TaskLifecycle lifecycle;
    private final ServiceScheduler scheduler;

    public TaskPlane(Supplier<List<EcsBackend>> ecsBackends, Function<String, Elbv2Backend> elb, Function<String, SecretsBackend> secrets,
                     Function<String, LogsBackend> logs, Images images, Supplier<String> registryHost, ScheduledExecutorService timer,
                     ExecutorService threads, Watchdog watchdog, Consumer<List<String>> jvmSetup, Path javaHome, WriteHook hook) {
        this.ecsBackends = ecsBackends;
        ContainerLauncher launcher = new ContainerLauncher(images, registryHost, secrets, logs, threads, watchdog, jvmSetup, javaHome);
        this.lifecycle = new TaskLifecycle(processes, launcher, elb, threads, watchdog, hook);
        this.scheduler = new ServiceScheduler(processes, lifecycle, hook);
        timer.scheduleWithFixedDelay(this::tickQuietly, 200, 200, TimeUnit.MILLISECONDS);
    }

    private void tickQuietly() {
        try {
            for (EcsBackend ecs : ecsBackends.get()) {
                for (String cluster : ecs.clusterNames()) {
                    scheduler.services(ecs, cluster);
                    for (Task task : ecs.tasks(cluster)) {
                        lifecycle.advance(ecs, cluster, task);
                    }
                }
            }
        } catch (RuntimeException e) {
            // the next tick tries again
        }
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static String taskId(Task t) {
        return t.taskArn().substring(t.taskArn().lastIndexOf('/') + 1);
    }

    /** The subnet a task was placed in (its network interface's attachment). */
    static Optional<String> subnetOf(Task task) {
        return task.attachments().stream().flatMap(a -> a.details().stream()).filter(d -> "subnetId".equals(d.name()))
                .map(KeyValuePair::value).findFirst();
    }

    /** Every task process this plane started and that still runs. */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> list = new ArrayList<>();
        for (TaskProcess r : processes.values()) {
            if (r.process != null && r.process.isAlive()) {
                list.add(r.process.toHandle());
            }
        }
        return list;
    }

    @Override
    public synchronized void close() {
        for (TaskProcess r : processes.values()) {
            if (r.process != null && r.process.isAlive()) {
                TaskLifecycle.signalTerm(r.process);
            }
        }
        long deadline = System.currentTimeMillis() + 5000;
        for (TaskProcess r : processes.values()) {
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
