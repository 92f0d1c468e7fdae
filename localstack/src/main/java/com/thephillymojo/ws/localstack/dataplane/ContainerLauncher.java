package com.thephillymojo.ws.localstack.dataplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.localstack.ecs.EcsBackend;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Starts a task's container as a process of this machine: the image pulled from the emulated ECR and
 * unpacked, a JVM image's entrypoint run on this machine's Java with its absolute paths and classpath
 * pointed into the unpacked image, the image's and the task definition's environment, its secrets from
 * Secrets Manager (JSON keys included), the container's or RunTask's overrides, a port of its own as
 * {@code PORT}, the task's view of the VPC (names, trust roots); and its output, line by line, into its
 * awslogs group, read until the process has exited.
 */
final class ContainerLauncher {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Images images;
    private final Supplier<String> registryHost;
    private final Function<String, SecretsBackend> secrets;
    private final Function<String, LogsBackend> logs;
    private final ExecutorService threads;
    private final Watchdog watchdog;
    private final Consumer<List<String>> jvmSetup;
    private final Path java;

    ContainerLauncher(Images images, Supplier<String> registryHost, Function<String, SecretsBackend> secrets, Function<String, LogsBackend> logs,
                      ExecutorService threads, Watchdog watchdog, Consumer<List<String>> jvmSetup, Path javaHome) {
        this.images = images;
        this.registryHost = registryHost;
        this.secrets = secrets;
        this.logs = logs;
        this.threads = threads;
        this.watchdog = watchdog;
        this.jvmSetup = jvmSetup;
        this.java = javaHome.resolve("bin/java");
    }

    /** Pulls, unpacks and starts the task's container; on failure, records why (the task stops with it). */
    void start(EcsBackend ecs, Task task, TaskProcess r) {
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
            command.set(0, java.toString());
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
            environment(builder.environment(), ecs.region(), image, c, override);
            builder.environment().put("PORT", String.valueOf(port));
            builder.environment().put("ECS_TASK_ARN", task.taskArn());
            builder.redirectErrorStream(true);
            Process process = builder.start();
            watchdog.started(TaskPlane.taskId(task), process.pid());
            r.hostPort = port;
            threads.execute(() -> pump(process.getInputStream(), ecs.region(), c, task, r.outputDone));
            r.process = process;
        } catch (Images.CannotRun e) {
            r.failure = e.getMessage();
        } catch (IOException | RuntimeException e) {
            r.failure = "CannotStartContainerError: " + e.getMessage();
        }
    }

    /** The container's environment: the image's, the task definition's, the override's, the secrets', the region. */
    private void environment(Map<String, String> env, String region, Images.Unpacked image, ContainerDefinition c, ContainerOverride override) {
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
            env.put(s.name(), secretValue(region, s.valueFrom()));
        }
        env.put("AWS_REGION", region);
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

    /** A secret's value as ECS gives it: the secret's string, or one JSON key of it ({@code arn:…:secret:NAME:KEY::}). */
    private String secretValue(String region, String valueFrom) {
        String id = valueFrom;
        String jsonKey = null;
        String[] parts = valueFrom.split(":");
        if (valueFrom.startsWith("arn:") && parts.length > 7) {
            id = String.join(":", Arrays.copyOfRange(parts, 0, 7));
            jsonKey = parts[7].isEmpty() ? null : parts[7];
        }
        String value = secrets.apply(region).currentValue(id);
        if (jsonKey != null) {
            try {
                value = JSON.readTree(value).path(jsonKey).asText();
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
        String stream = prefix + "/" + c.name() + "/" + TaskPlane.taskId(task);
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
}
