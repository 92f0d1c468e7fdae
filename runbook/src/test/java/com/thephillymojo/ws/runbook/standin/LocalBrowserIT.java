package com.thephillymojo.ws.runbook.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.localstack.Waiting;
import com.thephillymojo.ws.runbook.HeadlessChromium;
import com.thephillymojo.ws.runbook.cli.Runbook;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The deployment page's "important" note, proven in a real browser (Debian's headless Chromium) on
 * the local environment the runbook applies: signed in at https://thephillymojo.com by the app's
 * stand-in, the session cookie rides the upgrade to wss://ws.thephillymojo.com only because its
 * domain is .thephillymojo.com — host-only, it stays behind and the server refuses with 401; and a
 * page of another site cannot open the socket (403). Names map to the local listeners; the
 * certificates are trusted by their public keys (Chromium's SPKI allowlist), not ignored.
 */
class LocalBrowserIT {
    private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    @TempDir
    static Path work;
    static Runbook runbook;
    static LocalAws aws;
    static AppStandIn withDomain;
    static AppStandIn hostOnly;
    static String logGroup;
    static final ByteArrayOutputStream output = new ByteArrayOutputStream();
    /** The browsers a test opened (each quits after it). */
    final List<ChromeDriver> browsers = new java.util.ArrayList<>();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(HeadlessChromium.installed(), "LocalBrowserIT " + HeadlessChromium.MISSING);
        System.setProperty("cucumber.publish.quiet", "true");
        Path settings = work.resolve("env/local.properties");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, Files.readString(ROOT.resolve("runbook/env/local.properties"))
                .replaceAll("(?m)^emulator\\.port=.*$", "emulator.port=0")
                .replaceAll("(?m)^service\\.desiredCount=.*$", "service.desiredCount=1"));
        runbook = new Runbook(new PrintStream(output, true, StandardCharsets.UTF_8), java.io.InputStream.nullInputStream(), false);
        assertEquals(Runbook.OK, run("apply"), output.toString(StandardCharsets.UTF_8));
        aws = runbook.target().emulator().orElseThrow();
        String secret;
        try (SecretsManagerClient secrets = runbook.target().client(SecretsManagerClient.builder())) {
            secret = secrets.getSecretValue(r -> r.secretId("thephillymojo-ws/nextauth-secret")).secretString();
        }
        URI app = URI.create("https://thephillymojo.com");
        withDomain = new AppStandIn(app, Optional.of(".thephillymojo.com"), secret, aws.certificateAuthority(), 0);
        hostOnly = new AppStandIn(app, Optional.empty(), secret, aws.certificateAuthority(), 0);
        logGroup = runbook.recorded().get("name.logGroup").orElseThrow();
    }

    /** A runbook command on this test's local environment, as an operator runs it. */
    private static int run(String... command) {
        return runbook.commandLine().execute(Stream.concat(Stream.of("--env", "local", "--settings-dir", work.resolve("env").toString(),
                "--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString(),
                "--server-build", ROOT.resolve("server/target").toString()), Stream.of(command)).toArray(String[]::new));
    }

    @AfterAll
    static void stop() throws Exception {
        if (withDomain != null) {
            withDomain.close();
            hostOnly.close();
        }
        if (runbook != null) {
            runbook.close();
        }
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(ChromeDriver::quit);
    }

    /** A browser of its own (a fresh profile) with thephillymojo.com served by {@code app}. */
    private ChromeDriver browser(AppStandIn app, String profile) {
        return browser(app, profile, "");
    }

    /** … with {@code extraRules} ("MAP name:port 127.0.0.1:port, ") before the others. */
    private ChromeDriver browser(AppStandIn app, String profile, String extraRules) {
        InetSocketAddress ws = aws.resolve("ws.thephillymojo.com", 443).orElseThrow();
        List<String> arguments = new java.util.ArrayList<>(BrowserCommand.arguments(
                Map.of("thephillymojo.com", app.address(), "ws.thephillymojo.com", ws), aws.trustStore(), work.resolve(profile).toString()));
        arguments.replaceAll(a -> a.startsWith("--host-resolver-rules=") ? "--host-resolver-rules=" + extraRules + a.substring(a.indexOf('=') + 1) : a);
        ChromeDriver browser = HeadlessChromium.start(arguments);
        browsers.add(browser);
        return browser;
    }

    private void signIn(ChromeDriver b, String name) {
        b.get("https://thephillymojo.com/signin");
        assertEquals("Sign in · thephillymojo.com (local stand-in)", b.getTitle(), "the page itself, not a certificate error");
        b.findElement(By.id("name")).sendKeys(name);
        b.findElement(By.id("signin")).click();
        until(b, "the game page", () -> b.getCurrentUrl().equals("https://thephillymojo.com/play"));
        b.get("https://thephillymojo.com/");
        until(b, "signed in", () -> b.findElement(By.id("who")).getText().equals(name));
    }

    private String check(ChromeDriver b) {
        b.get("https://thephillymojo.com/check");
        until(b, "the connection's outcome", () -> !"connecting".equals(b.findElement(By.id("result")).getAttribute("data-state")));
        return b.findElement(By.id("result")).getAttribute("data-state");
    }

    @Test
    void withTheDomainTheCookieRidesTheUpgrade() {
        ChromeDriver b = browser(withDomain, "domain");
        signIn(b, "Ann");
        assertEquals("welcome", check(b));
        assertEquals("local-ann", b.findElement(By.id("result")).getAttribute("data-user"));
        // signed out, the game server does not know the browser any more
        b.get("https://thephillymojo.com/");
        b.findElement(By.cssSelector("#signout button")).click();
        until(b, "signed out", () -> b.findElement(By.id("signed-out")).isDisplayed());
        assertEquals("refused", check(b));
    }

    @Test
    void hostOnlyTheCookieStaysBehindAndTheUpgradeIsRefusedWith401() throws Exception {
        long before = refusals(401);
        ChromeDriver b = browser(hostOnly, "host-only");
        signIn(b, "Bea");
        assertEquals("refused", check(b));
        Waiting.until("the server to log a 401", Duration.ofSeconds(30), () -> refusals(401) > before);
    }

    @Test
    void aPageOfAnotherSiteCannotOpenTheSocket() throws Exception {
        HttpServer foreign = HeadlessChromium.foreignPage("<!doctype html><title>foreign</title><p id=result>connecting</p><script>"
                + "const s = new WebSocket('wss://ws.thephillymojo.com/ws');"
                + "s.onmessage = () => document.getElementById('result').textContent = 'welcome';"
                + "s.onclose = () => { if (document.getElementById('result').textContent !== 'welcome') document.getElementById('result').textContent = 'refused'; };"
                + "</script>");
        try {
            ChromeDriver b = browser(withDomain, "foreign", "MAP evil.example:80 127.0.0.1:" + foreign.getAddress().getPort() + ", ");
            signIn(b, "Cy");
            assertEquals("welcome", check(b), "signed in, the game's own page connects");
            long before = refusals(403);
            b.get("http://evil.example/");
            until(b, "the foreign page's socket to end", () -> !"connecting".equals(b.findElement(By.id("result")).getText()));
            assertEquals("refused", b.findElement(By.id("result")).getText());
            Waiting.until("the server to log a 403", Duration.ofSeconds(30), () -> refusals(403) > before);
        } finally {
            foreign.stop(0);
        }
    }

    @Test
    void twoPlayersPlayAGameToItsEndByClicking() throws Exception {
        ChromeDriver ann = browser(withDomain, "ann");
        ChromeDriver bea = browser(withDomain, "bea");
        ann.manage().window().setSize(new org.openqa.selenium.Dimension(1000, 900));
        // Bea plays on a phone-sized screen
        bea.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        signIn(ann, "Ann");
        signIn(bea, "Bea");
        ann.get("https://thephillymojo.com/play");
        bea.get("https://thephillymojo.com/play");
        until(ann, "Ann's page connected", () -> "open".equals(ann.findElement(By.id("connection")).getAttribute("data-state")));
        until(bea, "Bea's page connected", () -> "open".equals(bea.findElement(By.id("connection")).getAttribute("data-state")));
        // Ann opens a private 1-point match without the cube; Bea joins with the code Ann reads her
        ann.findElement(By.id("create-cube")).click();
        ann.findElement(By.id("create")).click();
        until(ann, "the invite code", () -> ann.findElement(By.id("invite-code")).getText().length() >= 4);
        String code = ann.findElement(By.id("invite-code")).getText();
        bea.findElement(By.id("join-code")).sendKeys(code);
        bea.findElement(By.id("join")).click();
        for (ChromeDriver b : List.of(ann, bea)) {
            until(b, "the match to begin", () -> "playing".equals(b.findElement(By.id("status")).getAttribute("data-status")));
        }
        // a chat line from one page reaches the other
        ann.findElement(By.id("chat-text")).sendKeys("good luck!");
        ann.findElement(By.id("chat-send")).click();
        until(bea, "Ann's chat line", () -> bea.findElement(By.id("chat-lines")).getText().contains("Ann: good luck!"));
        assertEquals(Boolean.TRUE, bea.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"
                + " && document.getElementById('board').getBoundingClientRect().width <= window.innerWidth"), "the page fits a phone's width");
        int actions = 0;
        int checkerClicks = 0;
        boolean deployed = false;
        while (true) {
            Map<String, Object> annSees = look(ann);
            Map<String, Object> beaSees = look(bea);
            if ("match_over".equals(annSees.get("status"))) {
                break;
            }
            assertTrue(actions < 1000, "a game of backgammon ends");
            ChromeDriver actor = canAct(annSees) ? ann : canAct(beaSees) ? bea : null;
            if (actor == null) {
                // the state after the last action is on its way to the pages
                until(ann, "one player to act", () -> canAct(look(ann)) || canAct(look(bea)) || "match_over".equals(look(ann).get("status")));
                continue;
            }
            if (actions == 12 && !deployed) {
                // mid-game, a release replaces the task both pages are connected to: they reconnect on their own
                Files.copy(ann.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(), ROOT.resolve("runbook/target/game.png"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                assertEquals(Runbook.OK, run("deploy", "--tag", "v2"), output.toString(StandardCharsets.UTF_8));
                deployed = true;
                for (ChromeDriver b : List.of(ann, bea)) {
                    until(b, "the page connected again", () -> "open".equals(b.findElement(By.id("connection")).getAttribute("data-state"))
                            && Integer.parseInt(b.findElement(By.id("connection")).getAttribute("data-opened")) >= 2);
                }
                continue;
            }
            Map<String, Object> sees = actor == ann ? annSees : beaSees;
            long version = Long.parseLong((String) sees.get("version"));
            actions++;
            if (Boolean.TRUE.equals(sees.get("roll"))) {
                actor.findElement(By.id("roll")).click();
            } else {
                JsonNode first = JSON.readTree((String) sees.get("legal")).get(0).get(0);
                if (checkerClicks == 0) {
                    // a step picked and taken back before sending: the board is as it was
                    String before = actor.findElement(By.id("board")).getAttribute("innerHTML");
                    clickPoint(actor, first.get(0).asInt());
                    clickPoint(actor, first.get(1).asInt());
                    assertTrue(actor.findElement(By.id("undo")).isEnabled());
                    actor.findElement(By.id("undo")).click();
                    assertEquals(before, actor.findElement(By.id("board")).getAttribute("innerHTML"));
                }
                for (JsonNode move : JSON.readTree((String) sees.get("legal")).get(0)) {
                    clickPoint(actor, move.get(0).asInt());
                    clickPoint(actor, move.get(1).asInt());
                    checkerClicks += 2;
                }
                assertEquals(Boolean.TRUE, look(actor).get("sendEnabled"), "the legal play picked in full, Play is enabled");
                actor.findElement(By.id("send")).click();
            }
            // the action's own state: a later version where the turn or its phase moved on (a player's presence changes the
            // version too, and is no sign that the roll or the play was taken)
            new WebDriverWait(actor, Duration.ofSeconds(30), Duration.ofMillis(100))
                    .withMessage(() -> "the state the action made after version " + version + " (Ann: " + describe(ann) + " / Bea: " + describe(bea) + ")")
                    .until(d -> {
                        Map<String, Object> now = look(actor);
                        return Long.parseLong((String) now.get("version")) > version && (!now.get("phase").equals(sees.get("phase"))
                                || !now.get("toAct").equals(sees.get("toAct")) || !"playing".equals(now.get("status")));
                    });
        }
        for (ChromeDriver b : List.of(ann, bea)) {
            until(b, "the end shown on both pages", () -> "match_over".equals(b.findElement(By.id("status")).getAttribute("data-status")));
        }
        assertTrue(deployed, "the game outlived a deploy");
        assertTrue(checkerClicks > 40, "the game was played by clicking checkers: " + checkerClicks);
        String score = ann.findElement(By.id("score")).getText();
        // one player won the 1-point match: a single, a gammon or a backgammon (1, 2 or 3 points), the other nothing
        assertTrue(score.matches("score ([123])–0 of 1|score 0–([123]) of 1"), score);
    }

    /**
     * A click on a point of the board, as a player's. The page draws the board again on every state
     * (a player's presence changes the version too), so a point looked up may be replaced before the
     * click lands: then nothing was clicked, and the point is looked up again.
     */
    private static void clickPoint(ChromeDriver b, int point) {
        new WebDriverWait(b, Duration.ofSeconds(10), Duration.ofMillis(50)).withMessage("point " + point + " to click")
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    d.findElement(By.cssSelector("[data-point='" + point + "']")).click();
                    return true;
                });
    }

    /** What a page shows, in one look: whether it offers Roll or Play, the state's version, status, phase and who acts, the legal plays. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> look(ChromeDriver b) {
        return (Map<String, Object>) b.executeScript("const s = document.getElementById('status').dataset;"
                + "return {roll: !document.getElementById('roll').hidden, send: !document.getElementById('send').hidden,"
                + " sendEnabled: !document.getElementById('send').disabled, version: s.version || '-1', status: s.status || '',"
                + " phase: s.phase || '', toAct: s.toAct || '', legal: document.getElementById('board').dataset.legal || '[]'};");
    }

    private static String describe(ChromeDriver b) {
        return b.findElement(By.id("connection")).getText() + "; " + b.findElement(By.id("status")).getText() + "; "
                + b.findElement(By.id("error")).getText();
    }

    private static boolean canAct(Map<String, Object> sees) {
        return Boolean.TRUE.equals(sees.get("roll")) || Boolean.TRUE.equals(sees.get("send"));
    }

    /** The upgrades the deployed server refused with {@code status}, as its log in CloudWatch Logs says. */
    private static long refusals(int status) {
        try (CloudWatchLogsClient logs = runbook.target().client(CloudWatchLogsClient.builder())) {
            return logs.filterLogEvents(r -> r.logGroupName(logGroup).filterPattern("upgrade_refused")).events().stream()
                    .filter(e -> e.message().contains("\"status\":" + status)).count();
        }
    }

    private static void until(ChromeDriver b, String what, java.util.function.BooleanSupplier reached) {
        HeadlessChromium.until(b, what, Duration.ofSeconds(30), reached);
    }

}
