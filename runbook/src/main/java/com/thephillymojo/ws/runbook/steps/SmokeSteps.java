package com.thephillymojo.ws.runbook.steps;

import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.infra.Outcome;
import com.thephillymojo.ws.runbook.smoke.ServiceClient;
import com.thephillymojo.ws.auth.SessionMinter;
import com.thephillymojo.ws.runbook.smoke.SmokeGame;
import io.cucumber.java.After;
import io.cucumber.java.en.Then;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/**
 * The smoke test through the public name, as a browser would come: HTTPS to the load balancer,
 * then two players signed in with session cookies minted for the environment's secret, playing a
 * game over the WebSocket to its end.
 */
public final class SmokeSteps {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private final World world;
    private HttpClient http;

    public SmokeSteps(World world) {
        this.world = world;
    }

    @Then("{string} answers {int} over HTTPS at the service's host name")
    public void answers(String path, int status) throws Exception {
        String url = "https://" + world.cloud.settings.host() + path;
        ContentResponse response = client().GET(url);
        if (response.getStatus() != status) {
            throw new AssertionError(url + " answered " + response.getStatus() + ", not " + status + ": " + response.getContentAsString());
        }
        world.cloud.report(new Outcome(Outcome.Change.OBSERVED, "health", url, response.getStatus() + " " + response.getContentAsString().trim()));
    }

    @Then("two signed-in players play a game to its end over the service's WebSocket")
    public void smokeGame() throws Exception {
        Settings s = world.cloud.settings;
        String secret = world.secrets.value(s.secretName());
        Duration lifetime = Duration.ofMinutes(10);
        // players of their own each run: a smoke test never meets a real player's or an earlier run's game
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        SessionMinter minter = new SessionMinter(secret);
        String first = minter.cookieHeader(s.appUrl(), "smoke-" + run + "-1", "Smoke Test 1", lifetime);
        String second = minter.cookieHeader(s.appUrl(), "smoke-" + run + "-2", "Smoke Test 2", lifetime);
        URI ws = URI.create("wss://" + s.host() + "/ws");
        SmokeGame.Result result = SmokeGame.play(client(), ws, s.allowedOrigins().get(0), first, second, LIMIT);
        if (result.winner() != 0 && result.winner() != 1 || result.kind().isEmpty()) {
            throw new AssertionError("the game ended without a winner: " + result.result());
        }
        world.cloud.report(new Outcome(Outcome.Change.OBSERVED, "smoke game", ws.toString(),
                "seat " + result.winner() + " won a " + result.kind() + " after " + result.turns() + " plays"));
    }

    @Then("a WebSocket upgrade from another site's page is refused with {int}")
    public void foreignOrigin(int status) throws Exception {
        Settings s = world.cloud.settings;
        String cookie = new SessionMinter(world.secrets.value(s.secretName())).cookieHeader(s.appUrl(), "smoke-test-1", "Smoke Test 1",
                Duration.ofMinutes(10));
        int got = SmokeGame.upgradeStatus(client(), URI.create("wss://" + s.host() + "/ws"), "https://evil.example", cookie, LIMIT);
        if (got != status) {
            throw new AssertionError("an upgrade from https://evil.example got " + got + ", not " + status);
        }
        world.cloud.report(new Outcome(Outcome.Change.OBSERVED, "origin check", "https://evil.example", "refused with " + got));
    }

    private HttpClient client() throws Exception {
        if (http == null) {
            http = ServiceClient.start(world.cloud.target.view());
        }
        return http;
    }

    @After
    public void stop() throws Exception {
        if (http != null) {
            http.stop();
        }
    }
}
