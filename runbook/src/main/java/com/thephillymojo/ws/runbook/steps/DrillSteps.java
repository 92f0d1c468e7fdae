package com.thephillymojo.ws.runbook.steps;

import com.thephillymojo.ws.auth.SessionMinter;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.infra.Containers;
import com.thephillymojo.ws.runbook.infra.Outcome;
import com.thephillymojo.ws.runbook.smoke.LongMatch;
import com.thephillymojo.ws.runbook.smoke.PlayerTasks;
import com.thephillymojo.ws.runbook.smoke.ServiceClient;
import io.cucumber.java.After;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.client.HttpClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The drill of operations.feature: a match in flight while the service is released, scaled out,
 * its cache fails over and it loses a task. The players are {@link LongMatch}'s (they reconnect
 * and resend as the reference client does); which task holds a player is read in the tasks' logs
 * ({@link PlayerTasks}).
 */
public final class DrillSteps {
    /**
     * Until the last step the players play a few versions on during each step and wait there: 48
     * versions at most, while a game takes more than 26 (13 turns at the least, each a roll and a
     * play) and a 5-point match two games at the least — so the match is in flight throughout,
     * however fast or slow the machine. Then they play on to its end.
     */
    private static final int MATCH_POINTS = 5;
    private static final int VERSIONS_PER_STEP = 8;
    private static final Duration PACE = Duration.ofMillis(100);
    private static final Duration FAST = Duration.ofMillis(30);
    private final World world;
    private HttpClient http;
    private LongMatch match;
    private PlayerTasks tasks;
    private long versionBefore;

    public DrillSteps(World world) {
        this.world = world;
    }

    @Given("two signed-in players are in the middle of a match, connected through different tasks")
    public void matchInFlight() throws Exception {
        Settings s = world.cloud.settings;
        SessionMinter minter = new SessionMinter(world.secrets.value(s.secretName()));
        String run = UUID.randomUUID().toString().substring(0, 8);
        http = ServiceClient.start(world.cloud.target.view());
        match = LongMatch.start(http, URI.create("wss://" + s.host() + "/ws"), s.allowedOrigins().get(0),
                minter.cookieHeader(s.appUrl(), "drill-" + run + "-1", "Drill 1", Duration.ofHours(1)),
                minter.cookieHeader(s.appUrl(), "drill-" + run + "-2", "Drill 2", Duration.ofHours(1)), MATCH_POINTS, PACE);
        match.playUpTo(VERSIONS_PER_STEP);
        // the load balancer takes turns: a second player on the first one's task connects again, to the next task
        tasks = new PlayerTasks(world.cloud, world.name("cluster"), world.name("logGroup"), match);
        tasks.separate();
        world.cloud.waitFor("the match to be under way", () -> match.version() >= VERSIONS_PER_STEP);
        match.playUpTo(match.version() + VERSIONS_PER_STEP);   // and on, during the release
        report("players", match.userIds() + " on tasks " + tasks.taskOf(0) + " and " + tasks.taskOf(1) + ", at version " + match.version());
    }

    @When("the task of one of the players dies")
    public void killATask() throws Exception {
        requireInFlight("the task died");
        match.playUpTo(match.version() + VERSIONS_PER_STEP);
        String taskId = tasks.taskOf(0);
        Task task = world.cloud.ecs.describeTasks(r -> r.cluster(world.name("cluster")).tasks(taskId)).tasks().get(0);
        versionBefore = match.version();
        // the drill runs on the local environment, where a task is a process: it dies as a crashed container does, without draining
        long pid = Long.parseLong(task.containers().get(0).runtimeId());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        report("task", taskId + " of " + match.userIds().get(0) + " killed at version " + versionBefore);
    }

    @Then("the service runs that many healthy tasks again")
    public void replaced() {
        world.cloud.waitFor("the service to replace the task", () -> {
            Containers.ServiceStatus status = world.containers.status(world.name("cluster"), world.name("service"));
            return status.running() == status.desired() && status.healthyTargets() == status.desired();
        });
        requireInFlight("the task was replaced");
    }

    @Then("the match is still being played")
    public void stillPlayed() {
        long before = match.version();
        match.playUpTo(before + VERSIONS_PER_STEP);
        world.cloud.waitFor("the players to play on", () -> match.version() >= before + VERSIONS_PER_STEP || match.isOver());
        requireInFlight("the players played on");
    }

    @Then("the match goes on to its end: every version shown in order, no game forfeited, every command answered")
    public void toTheEnd() throws Exception {
        match.pace(FAST);
        match.playToTheEnd();
        ServerMessage.GameOver end = match.awaitEnd(Duration.ofMinutes(5));
        List<String> problems = match.problems();
        if (!problems.isEmpty()) {
            throw new AssertionError("the match did not go on as one: " + problems + "; the servers warned: " + warnings());
        }
        if (match.reconnects().stream().anyMatch(n -> n == 0)) {
            throw new AssertionError("a player never had to reconnect (" + match.reconnects() + "): the drill did not reach both");
        }
        report("match", match.gamesOver().size() + " game(s), score [" + end.score().get(0) + "," + end.score().get(1) + "], every game borne off, versions up to "
                + match.version() + " in order, reconnections " + match.reconnects());
    }

    private void requireInFlight(String when) {
        if (match.isOver()) {
            try {
                match.awaitEnd(Duration.ZERO);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("the match broke off before " + when + ": " + e.getCause().getMessage(), e.getCause());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            throw new AssertionError("the match ended before " + when + ": the drill proves nothing");
        }
    }

    /** The servers' warnings in their logs (the last 20), for the operator to read when the drill fails. */
    private List<String> warnings() {
        List<String> lines = world.cloud.logs.filterLogEventsPaginator(r -> r.logGroupName(world.name("logGroup"))
                .filterPattern("{ $.level = \"warn\" }")).events().stream().map(e -> e.message()).toList();
        return lines.subList(Math.max(0, lines.size() - 20), lines.size());
    }

    private void report(String kind, String detail) {
        world.cloud.report(new Outcome(Outcome.Change.OBSERVED, kind, "drill", detail));
    }

    @After
    public void stop() throws Exception {
        if (match != null) {
            match.close();
        }
        if (http != null) {
            http.stop();
        }
    }
}
