package com.thephillymojo.ws.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.auth.SessionMinter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.thephillymojo.ws.client.PlayerClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Load generator: starts server/bin/ws-server as its own process (heap capped), then either plays
 * N concurrent games over real WebSocket connections — two bots a game, each rolling and choosing
 * a random legal play from the state the server pushes — or opens N idle signed-in connections.
 * Reports plays/s, command round trips (send → ack) p50/p99/max, and the server's heap and RSS.
 *
 * <pre>
 *   server/bin/loadgen --games 1000 --seconds 30 --think-ms 100
 *   server/bin/loadgen --idle 10000
 * </pre>
 * Traffic goes to 127.0.0.1 only; every loop is bounded in count and time.
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN = "http://load.test";

    private final Map<String, String> options;
    private final String secret = "load-test-secret-" + UUID.randomUUID();
    private final SessionMinter minter = new SessionMinter(secret);
    private final long[] samples = new long[8_000_000];
    private final AtomicInteger sampleCount = new AtomicInteger();
    private final LongAdder plays = new LongAdder();
    private final LongAdder commands = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final ScheduledExecutorService think = Executors.newScheduledThreadPool(2);
    private volatile boolean measuring;
    private Process server;
    private int port;

    private LoadGenerator(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new ConcurrentHashMap<>(Map.of("games", "1000", "seconds", "30", "think-ms", "100",
                "heap", "512m", "idle", "0", "jfr", ""));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !options.containsKey(args[i].substring(2))) {
                System.err.println("loadgen: unknown option " + args[i] + "; options: --games N --seconds S --think-ms T --idle N --heap SIZE --jfr FILE");
                System.exit(2);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        LoadGenerator load = new LoadGenerator(options);
        int status;
        try {
            status = load.run();
        } finally {
            load.stopServer();
        }
        System.exit(status);
    }

    private int run() throws Exception {
        startServer();
        WebSocketClient client = new WebSocketClient();
        client.setMaxTextMessageSize(8 * 1024 * 1024);
        client.setIdleTimeout(Duration.ofMinutes(5));
        client.start();
        try {
            int idle = Integer.parseInt(options.get("idle"));
            return idle > 0 ? idle(client, idle) : games(client);
        } finally {
            think.shutdownNow();
            client.stop();
        }
    }

    // ---- the server process ------------------------------------------------------------------------

    private void startServer() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path script = Paths.get(System.getProperty("project.root", "."), "server", "bin", "ws-server");
        ProcessBuilder builder = new ProcessBuilder(script.toString());
        Map<String, String> env = builder.environment();
        env.put("PORT", String.valueOf(port));
        env.put("NEXTAUTH_SECRET", secret);
        env.put("NEXTAUTH_URL", "http://load.test");
        env.put("ALLOWED_ORIGINS", ORIGIN);
        env.put("MESSAGES_PER_SECOND", "1000");
        String jfr = options.get("jfr").isEmpty() ? "" : " -XX:StartFlightRecording=filename=" + options.get("jfr") + ",settings=profile";
        env.put("JAVA_OPTS", "-Xmx" + options.get("heap") + " -Xms" + options.get("heap") + jfr);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        server = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (http("/health").statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !server.isAlive()) {
                    throw new IllegalStateException("the server did not start");
                }
                Thread.sleep(50);
            }
        }
        System.out.printf("server: pid %d, port %d, heap %s%n", server.pid(), port, options.get("heap"));
    }

    private void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(40, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> http(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long metric(String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(http("/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/" + server.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private void fullGc() throws Exception {
        Process jcmd = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(server.pid()), "GC.run").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        jcmd.waitFor(60, TimeUnit.SECONDS);
    }

    /** The server's own view: time from a play's arrival to its state being queued for every client. */
    private void reportPlayHistogram() throws Exception {
        String text = http("/metrics").body();
        Matcher m = Pattern.compile("(?m)^ws_play_seconds_bucket\\{le=\"([^\"]+)\"\\} (\\d+)$").matcher(text);
        List<String> les = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        while (m.find()) {
            les.add(m.group(1));
            counts.add(Long.parseLong(m.group(2)));
        }
        long total = counts.isEmpty() ? 0 : counts.get(counts.size() - 1);
        String p50 = "?";
        String p99 = "?";
        for (int i = counts.size() - 1; i >= 0; i--) {
            if (counts.get(i) >= total * 0.99) {
                p99 = les.get(i);
            }
            if (counts.get(i) >= total * 0.5) {
                p50 = les.get(i);
            }
        }
        System.out.printf("server-side play handling (arrival -> state queued, whole run): p50 <= %s s, p99 <= %s s over %d plays%n",
                p50, p99, total);
    }

    private void reportServer() throws Exception {
        long heapNow = metric("jvm_heap_used_bytes");
        fullGc();
        System.out.printf("server heap: %.0f MiB in use (%.0f MiB after a full GC), limit %.0f MiB; RSS %.0f MiB%n",
                heapNow / 1048576.0, metric("jvm_heap_used_bytes") / 1048576.0, metric("jvm_heap_max_bytes") / 1048576.0,
                rssBytes() / 1048576.0);
    }

    // ---- connections ---------------------------------------------------------------------------

    private CompletableFuture<PlayerClient> connect(WebSocketClient client, String user, PlayerClient.Options options) throws IOException {
        return PlayerClient.connect(client, URI.create("ws://127.0.0.1:" + port + "/ws"),
                "next-auth.session-token=" + minter.mint(user, user, Duration.ofHours(1)), ORIGIN, options);
    }

    private int idle(WebSocketClient client, int n) throws Exception {
        Semaphore inFlight = new Semaphore(200);
        AtomicInteger welcomed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<PlayerClient> sessions = new ArrayList<>();
        // an idle connection counts its welcome, then does nothing
        PlayerClient.Options idle = PlayerClient.Options.defaults().keep(false).read(text -> text.startsWith("{\"type\":\"welcome\""))
                .pushes((c, welcome) -> welcomed.incrementAndGet());
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            connect(client, "user-idle-" + i, idle).whenComplete((s, e) -> {
                inFlight.release();
                if (e != null) {
                    failed.incrementAndGet();
                } else {
                    synchronized (sessions) {
                        sessions.add(s);
                    }
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (welcomed.get() + failed.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long serverSide = metric("ws_connections");
        System.out.printf("idle: %d connections opened and welcomed in %.1f s (%d failed); the server counts %d%n",
                welcomed.get(), seconds, failed.get(), serverSide);
        reportServer();
        synchronized (sessions) {
            for (PlayerClient c : sessions) {
                c.drop();
            }
        }
        return welcomed.get() == n && serverSide == n ? 0 : 1;
    }

    // ---- games ---------------------------------------------------------------------------------

    private int games(WebSocketClient client) throws Exception {
        int n = Integer.parseInt(options.get("games"));
        int seconds = Integer.parseInt(options.get("seconds"));
        List<Bot> bots = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            Bot a = new Bot("user-a-" + g, new Random(g));
            Bot b = new Bot("user-b-" + g, new Random(-g - 1));
            a.client = connect(client, a.user, a.options()).get(30, TimeUnit.SECONDS);
            b.client = connect(client, b.user, b.options()).get(30, TimeUnit.SECONDS);
            JsonNode created = a.request(command("create").put("matchLength", 1).put("private", true)).get(30, TimeUnit.SECONDS);
            b.request(command("join").put("code", created.path("inviteCode").asText())).get(30, TimeUnit.SECONDS);
            bots.add(a);
            bots.add(b);
        }
        System.out.printf("games: %d games started (%d connections); measuring for %d s, think time %s ms%n",
                n, bots.size(), seconds, options.get("think-ms"));
        long playsBefore = plays.sum();
        long commandsBefore = commands.sum();
        sampleCount.set(0);
        measuring = true;
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // the measuring window
        measuring = false;
        double elapsed = (System.nanoTime() - start) / 1e9;
        int count = Math.min(sampleCount.get(), samples.length);
        long[] rtt = Arrays.copyOf(samples, count);
        Arrays.sort(rtt);
        System.out.printf("plays: %.0f/s; commands: %.0f/s (%d in %.1f s)%n", (plays.sum() - playsBefore) / elapsed,
                (commands.sum() - commandsBefore) / elapsed, commands.sum() - commandsBefore, elapsed);
        if (count > 0) {
            System.out.printf("round trip (send -> ack): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms over %d commands%n",
                    rtt[count / 2] / 1e6, rtt[(int) (count * 0.99)] / 1e6, rtt[(int) (count * 0.999)] / 1e6, rtt[count - 1] / 1e6, count);
        }
        System.out.println("errors: " + errors);
        reportPlayHistogram();
        reportServer();
        for (Bot bot : bots) {
            bot.client.drop();
        }
        return errors.isEmpty() ? 0 : 1;
    }

    private static ObjectNode command(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** One player: answers every state in which it is to act, after the think time. */
    public final class Bot {
        final String user;
        final Random random;
        volatile PlayerClient client;
        long actedOnVersion = -1;
        boolean rematchAsked;
        int seat = -1;

        Bot(String user, Random random) {
            this.user = user;
            this.random = random;
        }

        /**
         * A bot reads in full only the states it acts on: the generator shares the machine's cores
         * with the server, and parsing every state of every table would measure the generator.
         */
        PlayerClient.Options options() {
            return PlayerClient.Options.defaults().keep(false)
                    .read(text -> text.startsWith("{\"type\":\"state\"") && mayAct(text))
                    .pushes((c, state) -> onState(state));
        }

        CompletableFuture<JsonNode> request(ObjectNode command) {
            long sent = System.nanoTime();
            return client.request(command).whenComplete((answer, failure) -> {
                if (failure != null) {
                    if (measuring) {
                        errors.computeIfAbsent("socket_" + failure.getClass().getSimpleName(), k -> new LongAdder()).increment();
                    }
                    return;
                }
                if (measuring) {
                    int i = sampleCount.getAndIncrement();
                    if (i < samples.length) {
                        samples[i] = System.nanoTime() - sent;
                    }
                }
                commands.increment();
                if ("error".equals(answer.path("type").asText())) {
                    errors.computeIfAbsent(answer.path("code").asText(), k -> new LongAdder()).increment();
                }
            });
        }

        /** A cheap look at a state's text: is this bot to act, or is the match over? */
        private boolean mayAct(String state) {
            if (seat < 0 || state.contains("\"status\":\"match_over\"")) {
                return true;
            }
            int at = state.indexOf("\"toAct\":");
            return at >= 0 && state.charAt(at + 8) - '0' == seat;
        }

        private synchronized void onState(JsonNode state) {
            long version = state.path("version").asLong();
            if (version <= actedOnVersion || !state.has("game")) {
                return;
            }
            if (seat < 0) {
                JsonNode players = state.path("players");
                seat = user.equals(players.get(0).path("id").asText()) ? 0 : 1;
            }
            JsonNode game = state.path("game");
            ObjectNode next = null;
            if ("playing".equals(state.path("status").asText())) {
                rematchAsked = false;
            }
            if ("match_over".equals(state.path("status").asText())) {
                if (!rematchAsked && !state.path("match").path("rematch").path(seat).asBoolean()) {
                    next = command("rematch");
                    rematchAsked = true;
                }
            } else if (game.path("toAct").asInt() == seat) {
                switch (game.path("phase").asText()) {
                    case "roll":
                        next = command("roll");
                        break;
                    case "play":
                        JsonNode legal = game.path("legalPlays");
                        next = command("play");
                        next.set("moves", legal.get(random.nextInt(legal.size())).path("moves"));
                        plays.increment();
                        break;
                    default:
                        break;
                }
            }
            if (next == null) {
                return;
            }
            actedOnVersion = version;
            ObjectNode command = next;
            long delay = Long.parseLong(options.get("think-ms"));
            if (delay > 0) {
                think.schedule(() -> request(command), delay, TimeUnit.MILLISECONDS);
            } else {
                request(command);
            }
        }
    }
}
