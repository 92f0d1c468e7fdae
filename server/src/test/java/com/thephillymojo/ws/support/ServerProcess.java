package com.thephillymojo.ws.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * server/bin/ws-server as ECS runs it: a process of its own configured by its environment, on a
 * free port of 127.0.0.1, its log lines kept; stopped with SIGTERM as ECS stops a task, or SIGKILL
 * as a crash. Closing kills what is still running.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Path SCRIPT = Paths.get(System.getProperty("project.root", ".."), "server", "bin", "ws-server");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.reader = lines(process.getInputStream(), log, "ws-server-log-" + port);
        lines(process.getErrorStream(), errors, "ws-server-stderr-" + port);
    }

    /** A daemon thread keeping every line of {@code stream} in {@code into} until the process ends. */
    private static Thread lines(java.io.InputStream stream, List<String> into, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * The server script with exactly these settings (none of this JVM's auth or port variables leak
     * in); not waited for. For a server that is expected to refuse its configuration.
     */
    public static Process launch(Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString());
        builder.environment().keySet().removeIf(k -> k.startsWith("NEXTAUTH") || k.startsWith("AUTH_") || k.equals("PORT")
                || k.equals("ALLOWED_ORIGINS") || k.startsWith("REDIS_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Starts a server on a free port with these settings and waits until it answers /health (up to 60 s). */
    public static ServerProcess start(Map<String, String> settings) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(settings);
        env.put("PORT", String.valueOf(port));
        ServerProcess server = new ServerProcess(launch(env), port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                server.health();
                return server;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !server.process.isAlive()) {
                    server.close();
                    throw new IllegalStateException("the server did not answer /health within 60 s; its log: " + server.log);
                }
                Thread.sleep(50);
            }
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> health() throws IOException, InterruptedException {
        return get("/health");
    }

    /** The log lines so far, one JSON object each. */
    public List<String> log() {
        return List.copyOf(log);
    }

    /** What the server wrote on stderr so far (Jetty's own warnings, as text). */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** SIGTERM, as ECS's StopTask sends it (Process.destroy would also close our end of its pipes). */
    public void terminate() throws Exception {
        signal("TERM");
    }

    /** SIGKILL: the task dies at once, telling no one. */
    public void kill() throws Exception {
        signal("KILL");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Waits for the process to end; its exit code. */
    public int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server (pid " + process.pid() + ") still runs after " + limit.toSeconds() + " s");
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
