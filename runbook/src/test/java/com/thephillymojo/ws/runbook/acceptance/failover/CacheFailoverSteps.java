package com.thephillymojo.ws.runbook.acceptance.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.auth.SessionMinter;
import com.thephillymojo.ws.game.Game;
import com.thephillymojo.ws.game.GameEvent;
import com.thephillymojo.ws.game.GameOptions;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.cli.Host;
import com.thephillymojo.ws.runbook.cli.Runbook;
import com.thephillymojo.ws.runbook.infra.Cloud;
import com.thephillymojo.ws.runbook.infra.Secrets;
import com.thephillymojo.ws.runbook.smoke.LongMatch;
import com.thephillymojo.ws.runbook.smoke.PlayerTasks;
import com.thephillymojo.ws.runbook.smoke.ServiceClient;
import com.thephillymojo.ws.store.TableCodec;
import com.thephillymojo.ws.store.TableRecord;
import io.cucumber.java.After;
import io.cucumber.java.AfterAll;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.client.HttpClient;
import software.amazon.awssdk.services.elasticache.model.NodeGroupMember;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

/**
 * The glue of features/cache-failover.feature. The local environment is applied once, by the
 * runbook (its settings with an emulator of this run's own on a free port), and serves both
 * scenarios; the players are the runbook's {@link LongMatch}, placed on two tasks as the drill
 * places them; the match as the cache keeps it is read from the cache's primary with redis-cli (TLS,
 * the emulator's CA, the token from the cache's secret) and decoded with the server's own codec.
 */
public class CacheFailoverSteps {
    private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    private static final String CACHE = "thephillymojo-ws";
    private static final Duration PACE = Duration.ofMillis(100);
    private static final Duration FAST = Duration.ofMillis(30);
    /** The local environment, applied by the first scenario, used by the next. */
    private static Runbook runbook;
    private static Path work;
    private static final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private Cloud cloud;
    private HttpClient http;
    private LongMatch match;
    /** How often each player had connected again once both were on their tasks, before the failover. */
    private List<Integer> reconnectsBefore;

    private static int runbook(String... args) {
        output.reset();
        String[] all = Stream.concat(Stream.of("--env", "local", "--settings-dir", work.resolve("env").toString(),
                "--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString(),
                "--server-build", ROOT.resolve("server/target").toString()), Stream.of(args)).toArray(String[]::new);
        int code = runbook.commandLine().execute(all);
        System.out.print(output.toString(StandardCharsets.UTF_8));
        return code;
    }

    @Given("the local environment is applied, with two tasks and a cache of a primary and a replica")
    public void applied() throws Exception {
        if (runbook == null) {
            work = Files.createTempDirectory("cache-failover");
            Files.createDirectories(work.resolve("env"));
            Files.writeString(work.resolve("env/local.properties"), Files.readString(ROOT.resolve("runbook/env/local.properties"))
                    .replaceAll("(?m)^emulator\\.port=.*$", "emulator.port=0"));
            runbook = new Runbook(new PrintStream(output, true, StandardCharsets.UTF_8), java.io.InputStream.nullInputStream(), false,
                    new Host(ROOT, System.getenv()));
            assertEquals(Runbook.OK, runbook("apply", "--yes"), "the local environment is applied");
        }
        cloud = runbook.observe();
        Settings settings = cloud.settings;
        assertEquals(2, settings.desiredCount());
        assertEquals(2, settings.cache().nodes());
    }

    @Given("two signed-in players are in the middle of a {int}-point match, connected through different tasks")
    public void matchInFlight(int points) throws Exception {
        Settings s = cloud.settings;
        SessionMinter minter = new SessionMinter(new Secrets(cloud).value(s.secretName()));
        String run = UUID.randomUUID().toString().substring(0, 8);
        http = ServiceClient.start(cloud.target.view());
        match = LongMatch.start(http, URI.create("wss://" + s.host() + "/ws"), s.allowedOrigins().get(0),
                minter.cookieHeader(s.appUrl(), "failover-" + run + "-1", "Player 1", Duration.ofHours(1)),
                minter.cookieHeader(s.appUrl(), "failover-" + run + "-2", "Player 2", Duration.ofHours(1)), points, PACE);
        match.playUpTo(8);
        new PlayerTasks(cloud, CACHE, "/ecs/thephillymojo-ws", match).separate();
        cloud.waitFor("the match to be under way", () -> match.version() >= 8);
        reconnectsBefore = match.reconnects();
    }

    @When("the cache fails over with ElastiCache's TestFailover while the players play on")
    public void testFailover() {
        String before = primaryMember();
        match.playUpTo(match.version() + 40);
        assertEquals(Runbook.OK, runbook("failover"), "runbook failover");
        assertTrue(!primaryMember().equals(before), "the replica is the primary now");
        assertTrue(!match.isOver(), "the match was in flight through the failover");
    }

    @When("the process of the cache's primary is killed while the players play on")
    public void primaryKilled() throws Exception {
        String before = primaryMember();
        ReplicationGroup group = group();
        String name = group.nodeGroups().get(0).primaryEndpoint().address();
        LocalAws aws = runbook.target().emulator().orElseThrow();
        InetSocketAddress address = aws.resolve(name, 6379).orElseThrow();
        ProcessHandle primary = aws.cacheProcesses().stream()
                .filter(p -> commandLine(p).contains(address.getAddress().getHostAddress() + ":6379")).findFirst()
                .orElseThrow(() -> new AssertionError("no redis-server listens at " + address));
        match.playUpTo(match.version() + 40);
        primary.destroyForcibly();
        cloud.waitFor("the cache to fail over by itself", () -> {
            ReplicationGroup now = group();
            return now.status().equals("available") && !primaryMember(now).equals(before);
        });
        assertTrue(!match.isOver(), "the match was in flight through the failover");
    }

    @Then("the match goes on to its end, every game borne off, every command answered")
    public void toTheEnd() throws Exception {
        match.pace(FAST);
        match.playToTheEnd();
        match.awaitEnd(Duration.ofMinutes(5));
        assertEquals(List.of(), match.problems(), "the match went on as one");
    }

    @Then("neither player had to connect again")
    public void noReconnection() {
        // a failover closes no player's socket (the tasks keep them, answering "unavailable" meanwhile): the
        // protocol asks a client to connect again only when its connection drops or its server drains
        assertEquals(reconnectsBefore, match.reconnects(), () -> "connections made again since the players were on their tasks; "
                + "the servers logged: " + serverLog());
    }

    /** What the servers logged about the two players, and their warnings: why a connection closed. */
    private List<String> serverLog() {
        List<String> lines = new ArrayList<>();
        for (String user : match.userIds()) {
            cloud.logs.filterLogEventsPaginator(r -> r.logGroupName("/ecs/thephillymojo-ws").filterPattern("{ $.user = \"" + user + "\" }"))
                    .events().forEach(e -> lines.add(e.logStreamName().substring(e.logStreamName().lastIndexOf('/') + 1) + " " + e.message()));
        }
        cloud.logs.filterLogEventsPaginator(r -> r.logGroupName("/ecs/thephillymojo-ws").filterPattern("{ $.level = \"warn\" }"))
                .events().forEach(e -> lines.add(e.logStreamName().substring(e.logStreamName().lastIndexOf('/') + 1) + " " + e.message()));
        return lines;
    }

    @Then("every move either player saw acknowledged is in the match the cache keeps")
    public void everyAcknowledgedMoveIsKept() throws Exception {
        TableRecord table = TableCodec.decode(cache("HGET", "table:" + match.gameId(), "t"));
        List<List<String>> acknowledged = match.acknowledged();
        for (int player = 0; player < 2; player++) {
            String user = match.userIds().get(player);
            int seat = table.seats().stream().filter(x -> x.userId().equals(user)).findFirst().orElseThrow().seat();
            List<String> kept = movesOf(table, seat);
            assertTrue(acknowledged.get(player).size() > 10, "the player played: " + acknowledged.get(player));
            assertEquals(acknowledged.get(player), kept, "player " + (player + 1) + ": what was acknowledged is what the cache keeps");
        }
    }

    /** A seat's rolls and plays in the cache's match, as its acks name them. */
    private static List<String> movesOf(TableRecord table, int seat) {
        GameOptions options = new GameOptions(table.cube(), false, false);
        List<String> moves = new ArrayList<>();
        for (List<GameEvent> log : table.games()) {
            for (int i = 0; i < log.size(); i++) {
                GameEvent e = log.get(i);
                if (e instanceof GameEvent.Rolled r && r.player().index() == seat) {
                    moves.add("roll " + r.dice().first() + " " + r.dice().second());
                } else if (e instanceof GameEvent.Played p && p.player().index() == seat) {
                    moves.add("play " + Game.replay(options, log.subList(0, i + 1)).lastPlay().orElseThrow().notation());
                }
            }
        }
        return moves;
    }

    private ReplicationGroup group() {
        return cloud.elasticache.describeReplicationGroups(r -> r.replicationGroupId(CACHE)).replicationGroups().get(0);
    }

    private String primaryMember() {
        return primaryMember(group());
    }

    private static String primaryMember(ReplicationGroup group) {
        return group.nodeGroups().get(0).nodeGroupMembers().stream().filter(m -> "primary".equals(m.currentRole()))
                .map(NodeGroupMember::cacheClusterId).findFirst().orElse("");
    }

    /** redis-cli against the cache's primary by its name, over TLS with the token; the raw answer. */
    private String cache(String... command) throws Exception {
        LocalAws aws = runbook.target().emulator().orElseThrow();
        String name = group().nodeGroups().get(0).primaryEndpoint().address();
        InetSocketAddress address = aws.resolve(name, 6379).orElseThrow();
        String token = new ObjectMapper().readTree(cloud.secrets.getSecretValue(r -> r.secretId("thephillymojo-ws/cache")).secretString())
                .path("authToken").asText();
        List<String> argv = new ArrayList<>(List.of("redis-cli", "-h", address.getAddress().getHostAddress(), "-p", "6379", "--tls",
                "--sni", name, "--cacert", aws.caFile().toString()));
        argv.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("REDISCLI_AUTH", token);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "redis-cli ended");
        return out;
    }

    /** A process's command line as Linux shows it: redis-server writes its address there ("redis-server 127.1.2.3:6379"). */
    private static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    @After
    public void stopPlayers() throws Exception {
        if (match != null) {
            match.close();
        }
        if (http != null) {
            http.stop();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    @AfterAll
    public static void stopEnvironment() {
        if (runbook != null) {
            runbook.close();
            runbook = null;
        }
    }
}
