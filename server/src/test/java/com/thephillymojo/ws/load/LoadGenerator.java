package com.thephillymojo.ws.load;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.thephillymojo.ws.client.Bot;
import com.thephillymojo.ws.client.Commands;
import com.thephillymojo.ws.client.PlayerClient;
import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.store.Redis;
import com.thephillymojo.ws.support.RedisProcess;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Load generator: starts server/bin/ws-server as its own process (heap capped) — or several sharing
 * a redis-server it starts, each game's two players on different ones — then either plays
 * N concurrent games over real WebSocket connections — two bots a game, each rolling and choosing
 * a random legal play from the state the server pushes — or opens N idle signed-in connections.
 * Reports plays/s, command round trips (send → ack) p50/p99/max, and the server's heap and RSS.
 *
 * <pre>
 *   server/bin/loadgen --games 1000 --seconds 30 --think-ms 100
 *   server/bin/loadgen --idle 10000
 *   server/bin/loadgen --games 1000 --instances 2 --redis yes --think-ms 500
 *   server/bin/loadgen --games 1000 --instances 2 --redis yes --replica yes --ack 1   (a change counts once the replica has it)
 *   server/bin/loadgen --capacity yes --cpus 0.5 --heap 768m --redis yes --replica yes   (how many games one task holds)
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
    private final List<Process> servers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<CpuQuota> quotas = new ArrayList<>();
    /** Connections that closed while the generator did not close them. */
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closing;
    private RedisProcess redis;
    private RedisProcess replica;
    private Path redisDir;

    private LoadGenerator(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new ConcurrentHashMap<>(Map.of("games", "1000", "seconds", "30", "think-ms", "100",
                "heap", "512m", "idle", "0", "jfr", "", "instances", "1", "redis", "no", "warmup", "0"));
        options.put("replica", "no");
        options.put("ack", "");
        options.put("jvm", "");
        options.putAll(Map.of("capacity", "no", "step", "250", "step-seconds", "20", "objective-ms", "50", "max-games", "20000", "cpus", ""));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !options.containsKey(args[i].substring(2))) {
                System.err.println("loadgen: unknown option " + args[i] + "; options: --games N --seconds S --think-ms T --idle N --heap SIZE --jfr FILE --instances N --redis yes|no --replica yes|no --ack 0|1 --warmup S --capacity yes --step N --step-seconds S --objective-ms MS --max-games N --cpus 0.5 --jvm 'FLAGS'");
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
            return idle > 0 ? idle(client, idle) : options.get("capacity").equals("yes") ? capacity(client) : games(client);
        } finally {
            think.shutdownNow();
            client.stop();
        }
    }

    // ---- the server process ------------------------------------------------------------------------

    /** The servers: one, or several sharing a redis-server this generator starts (on loopback, free ports). */
    private void startServer() throws Exception {
        int instances = Integer.parseInt(options.get("instances"));
        boolean shared = options.get("redis").equals("yes");
        if (instances > 1 && !shared) {
            throw new IllegalArgumentException("several instances share their state in Redis: add --redis yes");
        }
        if (shared) {
            redisDir = Files.createTempDirectory("loadgen-redis");
            redis = RedisProcess.start(Files.createDirectories(redisDir.resolve("primary")));
            System.out.printf("redis: pid %d, port %d%n", redis.pid(), redis.port());
            if (options.get("replica").equals("yes")) {
                replica = RedisProcess.startReplicaOf(Files.createDirectories(redisDir.resolve("replica")), redis);
                System.out.printf("redis replica: pid %d, port %d%n", replica.pid(), replica.port());
            }
        }
        for (int i = 0; i < instances; i++) {
            int port;
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
            if (shared) {
                env.put("REDIS_URL", redis.uri());
                if (!options.get("ack").isEmpty()) {
                    env.put("REDIS_ACK_REPLICAS", options.get("ack"));
                }
            }
            String file = instances == 1 ? options.get("jfr") : options.get("jfr").replaceFirst("(\\.jfr)?$", "-" + i + ".jfr");
            String jfr = options.get("jfr").isEmpty() ? "" : " -XX:StartFlightRecording=filename=" + file + ",settings=profile";
            // a task's share of a core: the JVM sizes its threads as it would under that quota (a whole processor at 0.5)
            String cpus = options.get("cpus").isEmpty() ? "" : " -XX:ActiveProcessorCount=" + (int) Math.ceil(Double.parseDouble(options.get("cpus")));
            env.put("JAVA_OPTS", "-Xmx" + options.get("heap") + " -Xms" + options.get("heap") + cpus + jfr
                    + (options.get("jvm").isEmpty() ? "" : " " + options.get("jvm")));
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process server = builder.start();
            servers.add(server);
            ports.add(port);
            if (!options.get("cpus").isEmpty()) {
                CpuQuota quota = CpuQuota.of("loadgen-server-" + i, Double.parseDouble(options.get("cpus")));
                quotas.add(quota);
                quota.add(server.pid());   // `exec java`: the script's process is the JVM
            }
        }
        for (int i = 0; i < instances; i++) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    if (http(i, "/health").statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline || !servers.get(i).isAlive()) {
                    throw new IllegalStateException("server " + i + " did not start");
                }
                Thread.sleep(50);
            }
            System.out.printf("server %d: pid %d, port %d, heap %s, state %s%s%n", i, servers.get(i).pid(), ports.get(i), options.get("heap"),
                    shared ? "in Redis" : "in memory", options.get("cpus").isEmpty() ? "" : ", " + options.get("cpus") + " of a core (CFS quota)");
        }
    }

    private void stopServer() throws Exception {
        for (Process server : servers) {
            if (server.isAlive()) {
                server.destroy();
                if (!server.waitFor(40, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
        for (CpuQuota quota : quotas) {
            try {
                quota.close();
            } catch (IOException e) {
                System.err.println("loadgen: a cgroup was left behind: " + e.getMessage());   // and Redis is stopped all the same
            }
        }
        if (replica != null) {
            replica.close();
        }
        if (redis != null) {
            redis.close();
            try (var files = Files.walk(redisDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private HttpResponse<String> http(int instance, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(instance) + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A metric summed over the instances. */
    private long metric(String name) throws Exception {
        long sum = 0;
        for (int i = 0; i < ports.size(); i++) {
            sum += metric(i, name);
        }
        return sum;
    }

    private long metric(int instance, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(http(instance, "/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    /** User and system CPU the server processes have used, in clock ticks (1/100 s on Linux). */
    private long serversCpuTicks() throws IOException {
        long ticks = 0;
        for (Process server : servers) {
            ticks += cpuTicks(server.pid());
        }
        return ticks;
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime, stime
    }

    private double redisCpuSeconds() throws IOException {
        return cpuTicks(redis.pid()) / 100.0;
    }

    private static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static void fullGc(long pid) throws Exception {
        Process jcmd = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), "GC.run").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        jcmd.waitFor(60, TimeUnit.SECONDS);
    }

    /** The server's own view: time from a play's arrival to its state being queued for every client. */
    private void reportPlayHistogram() throws Exception {
        String text = http(0, "/metrics").body();
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
        for (int i = 0; i < servers.size(); i++) {
            long heapNow = metric(i, "jvm_heap_used_bytes");
            fullGc(servers.get(i).pid());
            System.out.printf("server %d heap: %.0f MiB in use (%.0f MiB after a full GC), limit %.0f MiB; RSS %.0f MiB%n", i,
                    heapNow / 1048576.0, metric(i, "jvm_heap_used_bytes") / 1048576.0, metric(i, "jvm_heap_max_bytes") / 1048576.0,
                    rssBytes(servers.get(i).pid()) / 1048576.0);
        }
    }

    /** The mean MEMORY USAGE of up to 200 table keys. */
    private double tableKeyKib() {
        try (Redis connection = Redis.connect(redis.uri())) {
            var scan = connection.commands().scan(io.lettuce.core.ScanArgs.Builder.matches("table:*").limit(500));
            long bytes = 0;
            int n = 0;
            for (String key : scan.getKeys()) {
                if (n == 200) {
                    break;
                }
                Long usage = connection.commands().memoryUsage(key);
                if (usage != null) {
                    bytes += usage;
                    n++;
                }
            }
            return n == 0 ? 0 : bytes / 1024.0 / n;
        }
    }

    /** Redis's memory in use and the commands it ran (INFO), read over a connection of the generator's own. */
    private long redisInfo(String field) {
        try (Redis connection = Redis.connect(redis.uri())) {
            Matcher m = Pattern.compile("(?m)^" + field + ":(\\d+)").matcher(connection.commands().info());
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    // ---- connections ---------------------------------------------------------------------------

    private CompletableFuture<PlayerClient> connect(WebSocketClient client, String user, PlayerClient.Options options) throws IOException {
        return connect(client, 0, user, options);
    }

    /** Connects to one instance, as the load balancer would have chosen it. */
    private CompletableFuture<PlayerClient> connect(WebSocketClient client, int instance, String user, PlayerClient.Options options)
            throws IOException {
        return PlayerClient.connect(client, URI.create("ws://127.0.0.1:" + ports.get(instance) + "/ws"),
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
        List<Player> bots = new ArrayList<>();
        int instances = ports.size();
        long redisMemoryBefore = redis == null ? 0 : redisInfo("used_memory");
        for (int g = 0; g < n; g++) {
            startGame(client, g, bots);
        }
        int warmup = Integer.parseInt(options.get("warmup"));
        if (warmup > 0) {
            System.out.printf("games: %d games started (%d connections); playing %d s before measuring (the JIT's warm-up)%n",
                    n, bots.size(), warmup);
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup)); // the bots play meanwhile; nothing is measured
        }
        System.out.printf("games: %d games started (%d connections); measuring for %d s, think time %s ms%n",
                n, bots.size(), seconds, options.get("think-ms"));
        long playsBefore = plays.sum();
        long commandsBefore = commands.sum();
        long tripsBefore = metric("ws_store_round_trips_total");
        long redisInBefore = redis == null ? 0 : redisInfo("total_net_input_bytes");
        long redisOutBefore = redis == null ? 0 : redisInfo("total_net_output_bytes");
        long cpuBefore = serversCpuTicks();
        double redisCpuBefore = redis == null ? 0 : redisCpuSeconds();
        sampleCount.set(0);
        measuring = true;
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // the measuring window
        measuring = false;
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] rtt = window();
        System.out.printf("plays: %.0f/s; commands: %.0f/s (%d in %.1f s)%n", (plays.sum() - playsBefore) / elapsed,
                (commands.sum() - commandsBefore) / elapsed, commands.sum() - commandsBefore, elapsed);
        if (rtt.length > 0) {
            System.out.printf("round trip (send -> ack): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms over %d commands%n",
                    ms(rtt, 0.5), ms(rtt, 0.99), ms(rtt, 0.999), rtt[rtt.length - 1] / 1e6, rtt.length);
        }
        System.out.println("errors: " + errors);
        double cpuSeconds = (serversCpuTicks() - cpuBefore) / 100.0;
        long measured = commands.sum() - commandsBefore;
        System.out.printf("servers' CPU: %.1f s in %.1f s (%.0f %% of one core), %.0f µs per command (redis-server: %.1f s meanwhile)%n",
                cpuSeconds, elapsed, cpuSeconds / elapsed * 100, cpuSeconds * 1e6 / Math.max(1, measured),
                redis == null ? 0 : redisCpuSeconds() - redisCpuBefore);
        System.out.printf("server: %.2f messages sent per message received (whole run)%n",
                metric("ws_messages_out_total") / (double) Math.max(1, metric("ws_messages_in_total")));
        if (redis != null) {
            long trips = metric("ws_store_round_trips_total") - tripsBefore;
            long sent = commands.sum() - commandsBefore;
            System.out.printf("redis: %.2f round trips per command (%d requests from %d servers for %d commands, heartbeats and "
                    + "deadline polls included)%n", trips / (double) Math.max(1, sent), trips, instances, sent);
            // the primary's traffic: the servers' requests and answers, the published changes, and the replica's stream
            System.out.printf("redis: %.0f bytes in and %.0f bytes out per command at the primary (requests, answers, the change feed to %d "
                    + "subscribers%s)%n", (redisInfo("total_net_input_bytes") - redisInBefore) / (double) Math.max(1, sent),
                    (redisInfo("total_net_output_bytes") - redisOutBefore) / (double) Math.max(1, sent), instances,
                    replica == null ? "" : ", the replica's stream");
            System.out.printf("redis: %.0f MiB in use; %.1f KiB per table (used_memory growth over %d tables, with their "
                    + "answers, seats and presence); a table's own key: %.1f KiB (MEMORY USAGE, mean of %s)%n",
                    redisInfo("used_memory") / 1048576.0, (redisInfo("used_memory") - redisMemoryBefore) / 1024.0 / n, n,
                    tableKeyKib(), "up to 200 tables");
        }
        reportPlayHistogram();
        reportServer();
        closing = true;
        for (Player bot : bots) {
            bot.client.drop();
        }
        return errors.isEmpty() ? 0 : 1;
    }

    /** Game {@code g}: two players connected (on different servers when there are several), one creates, the other joins. */
    private void startGame(WebSocketClient client, int g, List<Player> bots) throws Exception {
        int instances = ports.size();
        Player a = new Player("user-a-" + g, new Random(g));
        Player b = new Player("user-b-" + g, new Random(-g - 1));
        a.client = connect(client, g % instances, a.user, a.options()).get(30, TimeUnit.SECONDS);
        b.client = connect(client, (g + 1) % instances, b.user, b.options()).get(30, TimeUnit.SECONDS);
        for (Player p : List.of(a, b)) {
            p.client.whenClosed().whenComplete((code, failure) -> {
                if (!closing) {
                    dropped.increment();
                }
            });
        }
        ServerMessage created = a.request(Commands.create(1, true, true)).get(30, TimeUnit.SECONDS);
        b.request(Commands.join(((ServerMessage.Ack) created).inviteCode().orElseThrow())).get(30, TimeUnit.SECONDS);
        bots.add(a);
        bots.add(b);
    }

    /**
     * Capacity: games added a step at a time (two players each, a command per player per think time),
     * each level held for a window, until the objective breaks — the round trip's p99 over
     * {@code --objective-ms}, any error, or a connection dropped. Prints each window's figures and
     * the highest level sustained.
     */
    private int capacity(WebSocketClient client) throws Exception {
        int step = Integer.parseInt(options.get("step"));
        int window = Integer.parseInt(options.get("step-seconds"));
        double objective = Double.parseDouble(options.get("objective-ms"));
        int max = Integer.parseInt(options.get("max-games"));
        double cpus = options.get("cpus").isEmpty() ? Runtime.getRuntime().availableProcessors() : Double.parseDouble(options.get("cpus"));
        List<Player> bots = new ArrayList<>();
        int sustained = 0;
        String broke = "the generator's limit (--max-games " + max + ")";
        double sustainedP99 = 0;
        double sustainedCpu = 0;
        System.out.printf("capacity: +%d games a step, %d s a window, objective p99 <= %.0f ms, no error, no dropped connection; "
                + "think time %s ms%n", step, window, objective, options.get("think-ms"));
        while (bots.size() / 2 + step <= max) {
            int from = bots.size() / 2;
            try {
                for (int g = from; g < from + step; g++) {
                    startGame(client, g, bots);
                }
            } catch (Exception e) {
                broke = "starting game " + (bots.size() / 2 + 1) + ": " + e;
                break;
            }
            int games = bots.size() / 2;
            int warmup = Integer.parseInt(options.get("warmup"));
            if (from == 0 && warmup > 0) {
                System.out.printf("capacity: %d games playing %d s before the first window (the JIT's warm-up, under the quota)%n", games, warmup);
                Thread.sleep(TimeUnit.SECONDS.toMillis(warmup)); // the bots play meanwhile; nothing is measured
            }
            long commandsBefore = commands.sum();
            long cpuBefore = serversCpuTicks();
            long droppedBefore = dropped.sum();
            long throttledBefore = throttledMillis();
            errors.clear();
            sampleCount.set(0);
            measuring = true;
            long start = System.nanoTime();
            for (int part = 1; part <= window / 5; part++) {
                Thread.sleep(5_000); // one progress line every 5 s of the window
                System.out.printf("  %d games: %d s, p99 so far %.1f ms%n", games, part * 5, ms(window(), 0.99));
            }
            measuring = false;
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] rtt = window();
            double p99 = ms(rtt, 0.99);
            double cpu = (serversCpuTicks() - cpuBefore) / 100.0 / elapsed / servers.size() / cpus * 100;
            long drops = dropped.sum() - droppedBefore;
            long throttled = throttledMillis() - throttledBefore;
            System.out.printf("capacity: %d games (%d players): %.0f commands/s, p50 %.1f ms, p99 %.1f ms, server CPU %.0f %% of its %s core(s)%s, "
                    + "errors %s, dropped %d%n", games, games * 2, (commands.sum() - commandsBefore) / elapsed, ms(rtt, 0.5), p99,
                    cpu, options.get("cpus").isEmpty() ? String.valueOf((int) cpus) : options.get("cpus"),
                    quotas.isEmpty() ? "" : String.format(" (held back %.1f s by the quota)", throttled / 1000.0), errors, drops);
            if (p99 > objective || !errors.isEmpty() || drops > 0) {
                broke = p99 > objective ? String.format("p99 %.1f ms at %d games", p99, games)
                        : !errors.isEmpty() ? "errors " + errors + " at " + games + " games" : drops + " connection(s) dropped at " + games + " games";
                break;
            }
            sustained = games;
            sustainedP99 = p99;
            sustainedCpu = cpu;
        }
        for (int i = 0; i < quotas.size(); i++) {
            long[] t = quotas.get(i).throttled();
            System.out.printf("server %d: the quota held it back in %d periods (%.1f s in all)%n", i, t[0], t[1] / 1000.0);
        }
        System.out.printf("sustained: %d games (%d players) on %d server(s) at p99 %.1f ms, server CPU %.0f %%; broke at: %s%n",
                sustained, sustained * 2, servers.size(), sustainedP99, sustainedCpu, broke);
        reportServer();
        closing = true;
        for (Player bot : bots) {
            bot.client.drop();
        }
        return 0;
    }

    /** How long the quotas have held the servers back so far, in ms (0 without quotas). */
    private long throttledMillis() throws IOException {
        long total = 0;
        for (CpuQuota quota : quotas) {
            total += quota.throttled()[1];
        }
        return total;
    }

    /** The round trips sampled in the window so far, sorted (nanoseconds). */
    private long[] window() {
        long[] rtt = Arrays.copyOf(samples, Math.min(sampleCount.get(), samples.length));
        Arrays.sort(rtt);
        return rtt;
    }

    /** A percentile of sorted round trips, in ms (0 with none). */
    private static double ms(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

        /** One player: answers every state in which it is to act (as the {@link Bot} plays it), after the think time. */
    public final class Player {
        final String user;
        final Bot bot;
        volatile PlayerClient client;
        long actedOnVersion = -1;
        boolean rematchAsked;
        int seat = -1;

        Player(String user, Random random) {
            this.user = user;
            this.bot = Bot.random(random);
        }

        /**
         * A bot reads in full only the states it acts on: the generator shares the machine's cores
         * with the server, and parsing every state of every table would measure the generator.
         */
        PlayerClient.Options options() {
            return PlayerClient.Options.defaults().keep(false)
                    .read(text -> text.startsWith("{\"type\":\"state\"") && mayAct(text))
                    .pushes((c, message) -> {
                        if (message instanceof ServerMessage.State state) {
                            onState(state);
                        }
                    });
        }

        CompletableFuture<ServerMessage> request(ClientCommand command) {
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
                if (answer instanceof ServerMessage.Error error) {
                    errors.computeIfAbsent(error.code(), k -> new LongAdder()).increment();
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

        private synchronized void onState(ServerMessage.State state) {
            long version = state.version();
            if (version <= actedOnVersion || state.game().isEmpty()) {
                return;
            }
            if (seat < 0) {
                seat = Bot.seatOf(state, user).orElse(1);
            }
            ClientCommand next = null;
            if ("playing".equals(state.status())) {
                rematchAsked = false;
                next = bot.next(state, seat).orElse(null);
                if (next instanceof ClientCommand.PlayChecker) {
                    plays.increment();
                }
            } else if ("match_over".equals(state.status())
                    && !rematchAsked && !state.match().standing().orElseThrow().rematch().get(seat)) {
                next = Commands.rematch();
                rematchAsked = true;
            }
            if (next == null) {
                return;
            }
            actedOnVersion = version;
            ClientCommand command = next;
            long delay = Long.parseLong(options.get("think-ms"));
            if (delay > 0) {
                think.schedule(() -> request(command), delay, TimeUnit.MILLISECONDS);
            } else {
                request(command);
            }
        }
    }
}
