package com.thephillymojo.ws.runbook.dashboard;

import com.thephillymojo.ws.runbook.Environment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.localstack.Waiting;
import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.State;
import com.thephillymojo.ws.runbook.infra.Cloud;
import com.thephillymojo.ws.runbook.infra.Journal;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The dashboard's JSON API with a plain HTTP client, every refusal included, on a real emulator.
 * The runbook's operations are scripted here (an operation waits until the test lets it end), so
 * "one at a time" is checked without depending on how long a real deploy takes; the real ones run
 * in DashboardIT.
 */
class DashboardApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEXTAUTH_VALUE = "nextauth-value-that-must-never-reach-the-page";
    private static final String CACHE_VALUE = "cache-token-that-must-never-reach-the-page";
    @TempDir
    static Path work;
    static LocalAws aws;
    static Scripted operator;
    static Dashboard dashboard;
    static ByteArrayOutputStream log = new ByteArrayOutputStream();
    static HttpClient http = HttpClient.newHttpClient();

    /** The runbook's side, scripted: each operation waits for {@link #release} and ends as told. */
    static final class Scripted implements Operator {
        final AwsTarget target;
        final Path settingsDir;
        final Path stateDir;
        final List<Operation> performed = new CopyOnWriteArrayList<>();
        volatile CountDownLatch release = new CountDownLatch(1);
        volatile Result ending = new Result(0, Optional.empty());

        Scripted(AwsTarget target, Path settingsDir, Path stateDir) {
            this.target = target;
            this.settingsDir = settingsDir;
            this.stateDir = stateDir;
        }

        @Override
        public String environment() {
            return "local";
        }

        @Override
        public Settings settings() {
            return Settings.load(settingsDir, "local");
        }

        @Override
        public Cloud observe() {
            Environment environment = new Environment(settings(), settingsDir.resolve("local.properties"), stateDir, work, work, java.util.Map.of());
            return new Cloud(target, environment, recorded(), Cloud.Mode.PLAN, new Journal(new PrintStream(OutputStream.nullOutputStream())));
        }

        @Override
        public State recorded() {
            return State.open(stateDir, "local").detached();
        }

        @Override
        public Result perform(Operation operation, Consumer<String> lines) {
            performed.add(operation);
            lines.accept("  … " + operation.kind() + " began");
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.accept("  … " + operation.kind() + " ended");
            return ending;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        aws = LocalAws.start(0);
        AwsTarget target = AwsTarget.embedded(aws, Region.US_EAST_1);
        Path root = Path.of(System.getProperty("project.root", ".."));
        Files.createDirectories(work.resolve("env"));
        Files.writeString(work.resolve("env/local.properties"), Files.readString(root.resolve("runbook/env/local.properties"))
                .replaceAll("(?m)^emulator\\.port=.*$", "emulator.port=0"));
        // what apply would have recorded: the cache secret's name (the service itself is not there: "apply first")
        Files.createDirectories(work.resolve("state"));
        Files.writeString(work.resolve("state/local.json"), "{\"name.cacheSecret\":\"thephillymojo-ws/cache\",\"name.cluster\":\"c\",\"name.service\":\"s\"}");
        try (SecretsManagerClient secrets = target.client(SecretsManagerClient.builder())) {
            secrets.createSecret(r -> r.name("thephillymojo-ws/nextauth-secret").secretString(NEXTAUTH_VALUE));
            secrets.createSecret(r -> r.name("thephillymojo-ws/cache").secretString("{\"authToken\":\"" + CACHE_VALUE + "\"}"));
        }
        operator = new Scripted(target, work.resolve("env"), work.resolve("state"));
        dashboard = Dashboard.start(operator, 0, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        operator.release.countDown();
        dashboard.close();
        aws.close();
    }

    private static String base() {
        return "http://127.0.0.1:" + dashboard.port();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String type, String body, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + dashboard.token()).POST(HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, "application/json", body, base());
    }

    private static void assertRefused(int status, String code, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertEquals(code, error.path("code").asText(), response.body());
        assertFalse(error.path("message").asText().isBlank());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void everyCallNeedsTheToken() throws Exception {
        HttpResponse<String> bare = get("/", null);
        assertEquals(401, bare.statusCode());
        assertTrue(bare.body().contains("401 MissingToken"), "a person at the bare address reads what to do: " + bare.body());
        for (String path : List.of("/api/overview", "/api/actions", "/api/samples", "/api/events", "/assets/dashboard.js", "/nope")) {
            HttpResponse<String> none = get(path, null);
            assertRefused(401, "MissingToken", none);
            assertEquals("Bearer realm=\"runbook dashboard\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertRefused(401, "InvalidToken", get(path, dashboard.token() + "x"));
            assertRefused(401, "InvalidToken", get(path + "?token=" + dashboard.token().substring(1), null));
        }
        assertRefused(401, "MissingToken", http.send(HttpRequest.newBuilder(URI.create(base() + "/api/scale"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"count\":1}")).build(),
                HttpResponse.BodyHandlers.ofString()));
        // the token in the query serves the page and what it loads (a browser cannot set a header there)
        HttpResponse<String> page = get("/?token=" + dashboard.token(), null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<meta name=\"dashboard-token\" content=\"" + dashboard.token() + "\">"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""), "the token in the URL never leaves in a Referer");
        HttpResponse<String> script = get("/assets/uPlot.iife.min.js?token=" + dashboard.token(), null);
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("uPlot"));
        assertEquals(dashboard.url(), URI.create(base() + "/?token=" + dashboard.token()));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("refused GET /api/overview (401 MissingToken)"));
    }

    @Test
    void onlyItsOwnHostNames() throws Exception {
        // a page on another site whose name was rebound to 127.0.0.1 sends its own name as Host
        try (Socket socket = new Socket("127.0.0.1", dashboard.port())) {
            socket.getOutputStream().write(("GET /api/overview?token=" + dashboard.token() + " HTTP/1.1\r\nHost: evil.example:" + dashboard.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 403 Forbidden", status);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("(403 ForbiddenHost)"));
    }

    @Test
    void badCallsAreRefusedAndStartNothing() throws Exception {
        int before = operator.performed.size();
        assertRefused(403, "ForbiddenOrigin", post("/api/scale", "application/json", "{\"count\":2}", "https://evil.example"));
        assertRefused(403, "ForbiddenOrigin", post("/api/rollback", "text/plain", "{}", "http://127.0.0.1:1"));
        assertRefused(405, "MethodNotAllowed", get("/api/deploy", dashboard.token()));
        assertRefused(405, "MethodNotAllowed", post("/api/overview", "{}"));
        assertRefused(404, "NotFound", get("/api/nothing", dashboard.token()));
        assertRefused(404, "NoSuchAction", get("/api/actions/no-such-id", dashboard.token()));
        assertRefused(415, "UnsupportedMediaType", post("/api/scale", "text/plain", "{\"count\":2}", base()));
        assertRefused(415, "UnsupportedMediaType", post("/api/scale", null, "{\"count\":2}", null));
        assertRefused(413, "PayloadTooLarge", post("/api/deploy", "{\"tag\":\"" + "a".repeat(20_000) + "\"}"));
        assertRefused(400, "MalformedJson", post("/api/scale", "{\"count\":"));
        assertRefused(400, "MalformedJson", post("/api/scale", "[2]"));
        assertRefused(400, "ValidationError", post("/api/scale", "{\"count\":2,\"force\":true}"));
        for (String count : List.of("-1", "101", "\"2\"", "2.5", "null", "99999999999")) {
            assertRefused(400, "ValidationError", post("/api/scale", "{\"count\":" + count + "}"));
        }
        assertRefused(400, "ValidationError", post("/api/scale", "{}"));
        for (String tag : List.of("\"bad tag\"", "\"-v2\"", "\".v2\"", "\"\"", "\"" + "v".repeat(129) + "\"", "2")) {
            assertRefused(400, "ValidationError", post("/api/deploy", "{\"tag\":" + tag + "}"));
        }
        assertRefused(400, "ValidationError", post("/api/deploy", "{}"));
        assertRefused(400, "ConfirmationRequired", post("/api/rollback", "{\"confirm\":\"production\"}"));
        assertRefused(400, "ValidationError", post("/api/rollback", "{\"confirm\":7}"));
        assertEquals(before, operator.performed.size(), "no refused call reached the runbook");
    }

    @Test
    void whereTheSettingsSaySoAChangeNamesTheEnvironment() throws Exception {
        Path file = work.resolve("env/local.properties");
        String settings = Files.readString(file);
        Files.writeString(file, settings + "\nconfirm=true\n");
        try {
            int before = operator.performed.size();
            assertRefused(400, "ConfirmationRequired", post("/api/scale", "{\"count\":2}"));
            assertRefused(400, "ConfirmationRequired", post("/api/scale", "{\"count\":2,\"confirm\":\"Local\"}"));
            assertEquals(before, operator.performed.size());
            // the page learns it with the next reading of the environment (every second here)
            Waiting.until("the overview to say changes need the name", Duration.ofSeconds(10),
                    () -> body("/api/overview").path("environment").path("confirmChanges").asBoolean());
            operator.release = new CountDownLatch(0);
            HttpResponse<String> started = post("/api/scale", "{\"count\":2,\"confirm\":\"local\"}");
            assertEquals(202, started.statusCode(), started.body());
            String id = JSON.readTree(started.body()).path("id").asText();
            Waiting.until("the scale to end", Duration.ofSeconds(10), () -> !body("/api/actions/" + id).path("state").asText().equals("running"));
            assertEquals(new Operator.Operation.Scale(2), operator.performed.get(operator.performed.size() - 1));
        } finally {
            restore(file, settings);
        }
    }

    @Test
    void settingsTheRunbookRefusesRefuseEveryChange() throws Exception {
        Path file = work.resolve("env/local.properties");
        String settings = Files.readString(file);
        Files.writeString(file, settings.replaceAll("(?m)^tasks\\.cpu=.*$", "tasks.cpu=many"));
        try {
            int before = operator.performed.size();
            HttpResponse<String> refused = post("/api/scale", "{\"count\":2}");
            assertRefused(503, "SettingsInvalid", refused);
            assertTrue(refused.body().contains("tasks.cpu"), refused.body());
            assertEquals(before, operator.performed.size());
            Waiting.until("the overview to say what is wrong", Duration.ofSeconds(10),
                    () -> body("/api/overview").path("environment").path("settingsError").asText().contains("tasks.cpu"));
        } finally {
            restore(file, settings);
        }
    }

    @Test
    void oneActionAtATimeWithItsProgressAndItsAwsError() throws Exception {
        operator.release = new CountDownLatch(1);
        // the ending: an AWS error as the emulator gives it, on its wire protocol
        try (EcsClient ecs = operator.target.client(EcsClient.builder())) {
            ecs.registerTaskDefinition(r -> r.family("f").networkMode("awsvpc").requiresCompatibilitiesWithStrings("FARGATE").cpu("256")
                    .memory("4096").containerDefinitions(c -> c.name("ws").image("i:1")));
            throw new AssertionError("the emulator took a Fargate size that does not exist");
        } catch (EcsException e) {
            operator.ending = new Operator.Result(1, Optional.of(Operator.Failure.of("the service is updated to a task definition revision running it",
                    Optional.of(new IllegalStateException("wrapped", e)), java.util.Map.of())));
        }
        int before = operator.performed.size();
        HttpResponse<String> started = post("/api/deploy", "{\"tag\":\"v2\"}");
        assertEquals(202, started.statusCode(), started.body());
        JsonNode action = JSON.readTree(started.body());
        assertEquals("deploy", action.path("kind").asText());
        assertEquals("v2", action.path("tag").asText());
        assertEquals("running", action.path("state").asText());
        String id = action.path("id").asText();

        // a second call (a double click, another page) while it runs: refused, naming the one that runs
        HttpResponse<String> second = post("/api/scale", "{\"count\":3}");
        assertRefused(409, "ActionInProgress", second);
        assertTrue(second.body().contains(id));
        assertRefused(409, "ActionInProgress", post("/api/deploy", "{\"tag\":\"v2\"}"));
        Waiting.until("the action's first line", Duration.ofSeconds(10), () -> body("/api/actions/" + id).path("lines").size() >= 1);
        assertEquals("running", body("/api/actions/" + id).path("state").asText());
        assertEquals(before + 1, operator.performed.size(), "the refused ones never ran");
        assertEquals(new Operator.Operation.Deploy("v2"), operator.performed.get(before));

        operator.release.countDown();
        Waiting.until("the action to end", Duration.ofSeconds(10), () -> !body("/api/actions/" + id).path("state").asText().equals("running"));
        JsonNode ended = body("/api/actions/" + id);
        assertEquals("failed", ended.path("state").asText());
        assertEquals(1, ended.path("exitCode").asInt());
        assertEquals("ClientException", ended.path("error").path("code").asText());
        assertEquals("Ecs", ended.path("error").path("service").asText());
        assertTrue(ended.path("error").path("message").asText().startsWith("No Fargate configuration exists for given values: 256 CPU, 4096 memory"));
        assertEquals("[\"  … deploy began\",\"  … deploy ended\"]", ended.path("lines").toString());
        assertTrue(ended.path("elapsedMs").asLong() >= 0);
        assertEquals(id, JSON.readTree(get("/api/actions", dashboard.token()).body()).get(0).path("id").asText(), "newest first");

        // once it ended, the next one starts
        operator.ending = new Operator.Result(0, Optional.empty());
        operator.release = new CountDownLatch(0);
        HttpResponse<String> next = post("/api/rollback", "{}");
        assertEquals(202, next.statusCode(), next.body());
        String nextId = JSON.readTree(next.body()).path("id").asText();
        Waiting.until("the rollback to succeed", Duration.ofSeconds(10), () -> body("/api/actions/" + nextId).path("state").asText().equals("succeeded"));
    }

    @Test
    void theOverviewNamesSecretsButNeverTheirValues() throws Exception {
        HttpResponse<String> response = get("/api/overview", dashboard.token());
        assertEquals(200, response.statusCode());
        JsonNode doc = JSON.readTree(response.body());
        assertEquals("local", doc.path("environment").path("name").asText());
        assertEquals("https://ws.thephillymojo.com", doc.path("environment").path("publicUrl").asText());
        assertTrue(doc.path("service").path("absent").asText().contains("apply first"), doc.path("service").toString());
        assertEquals(List.of("thephillymojo-ws/nextauth-secret", "thephillymojo-ws/cache"), doc.path("secrets").findValuesAsText("name"));
        assertTrue(doc.path("secrets").get(0).path("exists").asBoolean());
        for (String body : List.of(response.body(), get("/?token=" + dashboard.token(), null).body(), stream(3))) {
            assertFalse(body.contains(NEXTAUTH_VALUE) || body.contains(CACHE_VALUE), "a secret's value was sent");
        }
    }

    @Test
    void theStreamStartsWithTheWholePicture() throws Exception {
        String events = stream(3);
        assertTrue(events.startsWith("retry: 2000"), events);
        List<String> names = events.lines().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).limit(3).toList();
        assertEquals(List.of("overview", "samples", "actions"), names);
    }

    /** Puts the settings back and waits until the dashboard has read them (the other tests see the usual environment). */
    private static void restore(Path file, String settings) throws Exception {
        Files.writeString(file, settings);
        Waiting.until("the overview to read the settings as they were", Duration.ofSeconds(10), () -> {
            JsonNode environment = body("/api/overview").path("environment");
            return !environment.has("settingsError") && !environment.path("confirmChanges").asBoolean();
        });
    }

    /** The first {@code count} events of a fresh stream, as text. */
    private static String stream(int count) throws Exception {
        HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/events?token=" + dashboard.token()))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        StringBuilder text = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            int seen = 0;
            for (String line = in.readLine(); line != null && seen < count; line = in.readLine()) {
                text.append(line).append('\n');
                if (line.startsWith("data: ")) {
                    seen++;
                }
            }
        }
        return text.toString();
    }

    private static JsonNode body(String path) {
        try {
            return JSON.readTree(get(path, dashboard.token()).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
