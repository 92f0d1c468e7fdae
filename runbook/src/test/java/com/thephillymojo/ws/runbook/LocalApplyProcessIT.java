package com.thephillymojo.ws.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.auth.SessionMinter;
import com.thephillymojo.ws.client.PlayerClient;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.localstack.Waiting;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The README's first command as a new user runs it: {@code runbook/bin/runbook --env local apply}
 * in its own process. What it prints — the name's local mapping, the CA file, the API endpoint —
 * is all a WebSocket client in another JVM (this test) needs to sign in to the deployed server.
 * The other commands, run as other processes ("another terminal"), find the running environment
 * on its port and work on it. Stopping the runbook stops the emulator, its tasks and its cache;
 * then a command finds no environment and says so (exit 2).
 */
class LocalApplyProcessIT {
    private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));

    @TempDir
    Path work;

    /** The product's local settings on a free port (a test never takes the local environment's 4566). */
    private Path settings() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(work.resolve("env"));
        Files.writeString(work.resolve("env/local.properties"), Files.readString(ROOT.resolve("runbook/env/local.properties"))
                .replaceAll("(?m)^emulator\\.port=.*$", "emulator.port=" + port));
        return work.resolve("env");
    }

    /** Another terminal: a runbook command as its own process; its exit code and output. */
    private record Run(int code, String output) {
    }

    private Run other(Path settings, String... command) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(ROOT.resolve("runbook/bin/runbook").toString(), "--env", "local",
                "--settings-dir", settings.toString(), "--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString()));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        return new Run(p.exitValue(), output);
    }

    @Test
    void theLocalDeploymentIsReachableFromOutsideThroughThePrintedMappingAndOperatedFromAnotherTerminal() throws Exception {
        Path settings = settings();
        Run none = other(settings, "status");
        assertEquals(2, none.code(), none.output());
        assertTrue(none.output().contains("no local environment runs on 127.0.0.1:"), none.output());
        Process runbook = new ProcessBuilder(ROOT.resolve("runbook/bin/runbook").toString(), "--env", "local", "--settings-dir", settings.toString(),
                "--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString(), "apply")
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> copy(runbook.getInputStream(), lines), "runbook-output");
        reader.start();
        try {
            Waiting.until("the runbook to print 'ready'", Duration.ofSeconds(180), () -> lines.contains("ready") || !runbook.isAlive());
            assertTrue(runbook.isAlive(), "the runbook stopped: " + String.join("\n", lines));
            int port = Integer.parseInt(find(lines, "mapping:\\s+ws\\.thephillymojo\\.com:443 -> 127\\.0\\.0\\.1:(\\d+)"));
            Path ca = Path.of(find(lines, "CA file:\\s+(\\S+)"));
            URI api = URI.create(find(lines, "AWS API:\\s+(\\S+)"));
            List<ProcessHandle> tasks = runbook.descendants().toList();

            String secret;
            try (SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(api).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any"))).build()) {
                secret = secrets.getSecretValue(r -> r.secretId("thephillymojo-ws/nextauth-secret")).secretString();
            }
            HttpClient http = mappedClient(port, ca);
            WebSocketClient ws = new WebSocketClient(http);
            ws.start();
            try {
                PlayerClient player = PlayerClient.await(PlayerClient.connect(ws, URI.create("wss://ws.thephillymojo.com/ws"),
                        new SessionMinter(secret).cookieHeader("https://thephillymojo.com", "user-outside", "Outside", Duration.ofMinutes(5)),
                        "http://localhost:3000", PlayerClient.Options.defaults()), Duration.ofSeconds(20));
                ServerMessage.Welcome welcome = player.awaitType(ServerMessage.Welcome.class);
                assertEquals("user-outside", welcome.user().id());
            } finally {
                ws.stop();
                http.stop();
            }

            Run status = other(settings, "status");
            assertEquals(0, status.code(), status.output());
            assertTrue(status.output().contains("local environment at " + api), status.output());
            assertEquals(2, status.output().lines().filter(l -> l.contains("target") && l.contains("(healthy)")).count(), status.output());
            Run scaled = other(settings, "scale", "--count", "3");
            assertEquals(0, scaled.code(), scaled.output());
            assertEquals(3, other(settings, "status").output().lines().filter(l -> l.contains("target") && l.contains("(healthy)")).count());

            List<ProcessHandle> everything = runbook.descendants().toList();
            runbook.destroy(); // SIGTERM, as Ctrl-C would
            assertTrue(runbook.waitFor(60, TimeUnit.SECONDS), "the runbook did not stop");
            Waiting.until("the emulator's task processes to end", Duration.ofSeconds(60), () -> tasks.stream().noneMatch(ProcessHandle::isAlive));
            Waiting.until("every process it started (tasks, cache nodes) to end", Duration.ofSeconds(60),
                    () -> everything.stream().noneMatch(ProcessHandle::isAlive));
            Run after = other(settings, "status");
            assertEquals(2, after.code(), after.output());
        } finally {
            runbook.destroyForcibly();
            runbook.descendants().forEach(ProcessHandle::destroyForcibly);
            reader.join(10_000);
        }
    }

    private static String find(List<String> lines, String regex) {
        Pattern pattern = Pattern.compile("\\s*" + regex + ".*");
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
        }
        throw new AssertionError("the runbook printed no line like /" + regex + "/:\n" + String.join("\n", lines));
    }

    /** A client that, like curl --connect-to, sends ws.thephillymojo.com:443 to the printed local port and trusts the printed CA. */
    private static HttpClient mappedClient(int port, Path caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("local-ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(trust);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setSocketAddressResolver(new SocketAddressResolver() {
            @Override
            public void resolve(String host, int p, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
                try {
                    // the address keeps the name, so TLS checks the certificate against ws.thephillymojo.com
                    promise.succeeded(List.of(new InetSocketAddress(java.net.InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}), port)));
                } catch (java.net.UnknownHostException e) {
                    promise.failed(e);
                }
            }
        });
        client.start();
        return client;
    }

    private static void copy(InputStream in, List<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (java.io.IOException e) {
            lines.add("(output ended: " + e.getMessage() + ")");
        }
    }
}
