package com.thephillymojo.ws.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis for one test: Debian's {@code redis-server} on a free port of 127.0.0.1, no
 * persistence, its files in a directory of the test's; ready once it answers PING; stopped (and
 * killed if it must be) on close. No test uses a Redis it did not start.
 */
public final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final int tlsPort;

    private RedisProcess(Process process, int port, int tlsPort) {
        this.process = process;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /** The redis-server on the PATH (installed by .ci/run), if any. */
    public static Optional<Path> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Skips the calling test class, saying why, where redis-server is not installed (.ci/run installs it). */
    public static void assumeInstalled(Class<?> test) {
        if (binary().isEmpty()) {
            System.err.println(test.getSimpleName() + ": redis-server is not installed (Debian package 'redis-server'); skipping");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(binary().isPresent(), "redis-server is not installed");
    }

    public static RedisProcess start(Path dir) throws Exception {
        return start(dir, List.of(), 0);
    }

    /** A replica of {@code primary} (it copies the primary for real, as ElastiCache's replicas do), ready once it is in sync. */
    public static RedisProcess startReplicaOf(Path dir, RedisProcess primary) throws Exception {
        RedisProcess replica = start(dir, List.of("--replicaof", "127.0.0.1", String.valueOf(primary.port())), 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // in sync: a write on the primary is acknowledged by the replica (WAIT on the writing connection);
        // just after its first sync a replica answers no WAIT for a moment
        while (!primary.cliScript("SET", "replica-ready", "1", "\n", "WAIT", "1", "100").endsWith("1")) {
            if (System.nanoTime() > deadline) {
                replica.close();
                throw new IllegalStateException("the replica did not sync with its primary within 20 s: " + replica.info("replication"));
            }
        }
        primary.cli("DEL", "replica-ready");
        return replica;
    }

    /**
     * A Redis as ElastiCache runs one with transit encryption and an auth token: TLS on its own port
     * with a certificate for 127.0.0.1 signed by a CA made here ({@code dir/ca.pem}, for
     * {@code REDIS_CA_FILE}), and the user {@code user} with {@code password} (the default user is off).
     */
    public static RedisProcess startTls(Path dir, String user, String password) throws Exception {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=test redis CA");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
                "-days", "1", "-extfile", "san.ext");
        int tls = freePort();
        return start(dir, List.of("--tls-port", String.valueOf(tls), "--tls-cert-file", dir.resolve("server.pem").toString(),
                "--tls-key-file", dir.resolve("server.key").toString(), "--tls-ca-cert-file", dir.resolve("ca.pem").toString(),
                "--tls-auth-clients", "no", "--user", "default", "off", "--user", user, "on", ">" + password, "~*", "&*", "+@all"), tls);
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static RedisProcess start(Path dir, List<String> extra, int tlsPort) throws Exception {
        Path binary = binary().orElseThrow(() -> new IllegalStateException("redis-server is not installed (Debian package 'redis-server')"));
        int port = freePort();
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                // a replica syncs at once (a primary otherwise waits 5 s for more replicas to sync with together)
                "--repl-diskless-sync-delay", "0"));
        command.addAll(extra);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisProcess redis = new RedisProcess(process, port, tlsPort);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!redis.answersPing()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                redis.close();
                throw new IllegalStateException("redis-server did not answer PING within 10 s: " + Files.readString(dir.resolve("redis.log")));
            }
            Thread.sleep(20);
        }
        return redis;
    }

    /** One plain command's whole reply, as redis-cli prints it (no auth; for INFO, REPLICAOF and the like). */
    public String cli(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-cli " + String.join(" ", args) + " did not end");
        }
        return out;
    }

    /** Several commands on one connection (lines of arguments split at "\n"), as redis-cli reads them; the whole output. */
    private String cliScript(String... words) throws Exception {
        Process p = new ProcessBuilder("redis-cli", "-p", String.valueOf(port)).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(String.join(" ", words).replace(" \n ", "\n").concat("\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-cli did not end");
        }
        return out;
    }

    private String info(String section) throws Exception {
        return cli("INFO", section);
    }

    /**
     * This replica becomes a primary, as a failover promotes one ({@code REPLICAOF NO ONE}); what it
     * had not received from the old primary is not in it.
     */
    public void promote() throws Exception {
        String answer = cli("REPLICAOF", "NO", "ONE");
        if (!answer.equals("OK")) {
            throw new IllegalStateException("REPLICAOF NO ONE answered " + answer);
        }
    }

    /** Kills the process where it stands (SIGKILL), as a failed node dies. */
    public void kill() throws Exception {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("redis-server " + process.pid() + " did not die");
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[7];
            int n = in.readNBytes(answer, 0, 7);
            String reply = new String(answer, 0, n, StandardCharsets.US_ASCII);
            return reply.equals("+PONG\r\n") || reply.startsWith("-NOAUTH");   // up, and asking for a password
        } catch (IOException e) {
            return false;
        }
    }

    /** rediss://USER:PASSWORD@127.0.0.1:TLS-PORT for a {@link #startTls} Redis. */
    public String tlsUri(String user, String password) {
        return "rediss://" + user + ":" + password + "@127.0.0.1:" + tlsPort;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Stops the process where it is (SIGSTOP): connections stay open and nothing is answered — Redis unreachable. */
    public void pause() throws Exception {
        signal("STOP");
    }

    /** Lets a paused process go on (SIGCONT). */
    public void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            resume();   // a paused Redis would not hear SIGTERM
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
