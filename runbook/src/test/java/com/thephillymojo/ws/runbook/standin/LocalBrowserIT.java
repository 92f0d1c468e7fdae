package com.thephillymojo.ws.runbook.standin;

import com.thephillymojo.ws.runbook.cli.Host;
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
import java.util.function.Predicate;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
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
    /** The game pages a test opened, checked after every step. */
    final List<GamePage> pages = new java.util.ArrayList<>();
    /** While the test has broken the pages' connection on purpose: the browser's own lines about it are no error. */
    boolean networkDown;
    /** How long a page may take to find the service again (a release drains; a dead task is replaced and passes its health checks). */
    private static final Duration RECONNECT = Duration.ofSeconds(90);
    /** Where the run leaves a picture of each state (docs/screens/ has them, copied from one run). */
    private static final Path SCREENS = ROOT.resolve("runbook/target/screens");

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(HeadlessChromium.installed(), "LocalBrowserIT " + HeadlessChromium.MISSING);
        Path settings = work.resolve("env/local.properties");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, Files.readString(ROOT.resolve("runbook/env/local.properties"))
                .replaceAll("(?m)^emulator\\.port=.*$", "emulator.port=0")
                .replaceAll("(?m)^service\\.desiredCount=.*$", "service.desiredCount=1"));
        runbook = new Runbook(new PrintStream(output, true, StandardCharsets.UTF_8), java.io.InputStream.nullInputStream(), false,
                new Host(ROOT, System.getenv()));
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

    // ---- the game page, every state a player meets --------------------------------------------

    /** A page of its own for {@code name}, signed in, in a window of this size. */
    private GamePage player(String name, int width, int height) {
        ChromeDriver b = browser(withDomain, name.toLowerCase(java.util.Locale.ROOT));
        b.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
        GamePage page = new GamePage(name, b, SCREENS);
        pages.add(page);
        page.signIn();
        return page;
    }

    /** After every step: no page shows a value it failed to have, and no page's JavaScript raised an error. */
    private void check() {
        pages.forEach(p -> p.checkClean(networkDown));
    }

    /**
     * A private 3-point match from its invite to its rematch, on three pages — Ann on a desktop, Bea
     * on a phone's width, Cy watching — asserted on what each page says: waiting with the code, the
     * opening roll, whose turn, the last move, a double taken and a redouble dropped, the Crawford
     * game, a resignation declined, an opponent away and back, a release (deploy --tag v2) the pages
     * ride out by themselves, a backgammon resigned, the match over with its winner named on all three
     * pages, a rematch, a player leaving (a forfeit), refusals as one short line.
     */
    @Test
    void aMatchFromItsInviteToItsRematchOnThreePages() throws Exception {
        GamePage ann = player("Ann", 1000, 1000);
        GamePage bea = player("Bea", 412, 915);
        GamePage cy = player("Cy", 1000, 1000);
        ann.open("/play");
        bea.open("/play");
        assertTrue(ann.page().contains("Create a table") && ann.page().contains("Find an opponent"), ann.page());
        ann.screenshot("lobby");
        check();

        // a refusal is one short line
        bea.type("join-code", "NOPE42");
        bea.click("join");
        bea.until("the refusal", p -> p.text("refusal").startsWith("Not found:"));
        assertEquals("Not found: no game waits for the code NOPE42.", bea.text("refusal"));
        check();

        // waiting for an opponent: the code to share, a cancel that says what it does, no resignation
        ann.type("create-length", "3");
        ann.click("create");
        ann.bannerShows("Waiting for an opponent");
        String waiting = ann.text("table");
        assertTrue(waiting.contains("Give your opponent this invite code") && waiting.contains("/play?join="), waiting);
        assertTrue(waiting.contains("Cancel table") && waiting.contains("Closes the table: the invite code stops working."), waiting);
        assertTrue(!waiting.contains("Resign") && !waiting.contains("Leave match"), waiting);
        assertEquals("○ Ann (you)", ann.text("player-0"));
        assertEquals("● waiting for a player…", ann.text("player-1"));
        ann.screenshot("waiting");
        check();
        ann.click("leave");
        ann.until("the lobby again", p -> p.shows("lobby") && p.text("page-note").equals("Table closed: its invite code no longer works."));
        check();

        ann.click("create");
        ann.until("the invite code", p -> p.text("invite-code").length() == 6);
        // Bea follows the link Ann's page gives with the code
        String link = ann.text("invite-link");
        assertEquals("https://thephillymojo.com/play?join=" + ann.text("invite-code"), link);
        bea.open(link.substring("https://thephillymojo.com".length()));

        // the opening roll, named on both pages; whose turn at a glance
        for (GamePage p : List.of(ann, bea)) {
            p.bannerShows("Opening roll:");
        }
        bea.until("no refusal left", p -> !p.shows("refusal"));
        GamePage first = ann.banner().contains("Your turn: play") ? ann : bea;
        GamePage second = first == ann ? bea : ann;
        assertTrue(second.banner().matches("Opening roll: .*\\. " + first.name + " to play \\d-\\d"), second.banner());
        assertTrue(first.text("player-" + (first == ann ? 0 : 1)).startsWith("▶ "), "the player to act is marked: " + first.text("scoreboard"));
        assertEquals("Game 1 · match to 3", ann.text("match-line"));
        bea.screenshot("opening");
        check();

        // Cy follows the link a player's page shows, and watches
        java.util.regex.Matcher watch = java.util.regex.Pattern.compile("friends can watch at (\\S+)").matcher(ann.text("details"));
        assertTrue(watch.find(), ann.text("details"));
        cy.open(watch.group(1).substring("https://thephillymojo.com".length()));
        cy.bannerShows(first.name + " to play");
        assertTrue(cy.banner().startsWith("Opening roll: Ann "), cy.banner());
        String watching = cy.text("table");
        assertTrue(watching.contains("Stop watching") && !watching.contains("Roll") && !watching.contains("Resign") && !cy.shows("chat-form"), watching);
        cy.screenshot("spectating");
        check();

        // the opening play, by clicking: a step picked and taken back (Escape) leaves the board as it was; Enter sends
        GamePage.View opening = first.look();
        String board = first.browser.findElement(org.openqa.selenium.By.id("board")).getAttribute("innerHTML");
        JsonNode play = opening.legal().get(0);
        first.pick(List.of(new int[] {play.get(0).get(0).asInt(), play.get(0).get(1).asInt()}));
        assertTrue(first.banner().contains("picked " + play.get(0).get(0).asInt() + "/" + play.get(0).get(1).asInt()), first.banner());
        first.pressEscape();
        first.until("the step undone", p -> p.browser.findElement(org.openqa.selenium.By.id("board")).getAttribute("innerHTML").equals(board));
        first.pick(steps(play));
        first.until("the play complete", p -> p.look().playReady());
        assertTrue(first.banner().contains("press Play (Enter)"), first.banner());
        first.pressEnter();
        first.after(opening.version());
        String lastMove = second.noticeShows("Last move: " + first.name + " played ");
        assertTrue(lastMove.matches("Last move: " + first.name + " played \\d-\\d: [0-9a-z/*() ]+\\."), lastMove);
        assertEquals(lastMove, cy.noticeShows("Last move: "), "the spectator reads the same");
        assertTrue(first.notice().startsWith("Last move: you played "), first.notice());
        assertEquals(second.name + "’s turn to roll", cy.bannerShows("turn to roll"));
        assertEquals("Your turn: roll or double", second.bannerShows("Your turn"));
        assertEquals(second.name + "’s turn to roll", first.bannerShows("turn to roll"));
        assertTrue(!second.browser.findElements(org.openqa.selenium.By.cssSelector(".last-from")).isEmpty(), "the last move is marked on the board");
        second.screenshot("to-roll");
        first.screenshot("opponents-turn");
        check();

        // to roll, to play
        GamePage.View toRoll = second.look();
        second.click("roll");
        second.after(toRoll.version());
        if (second.banner().startsWith("Your turn: play")) {
            second.screenshot("to-play");
            assertTrue(first.bannerShows(second.name + " to play").matches(second.name + " to play \\d-\\d"), first.banner());
        }
        check();
        playUntil(List.of(ann, bea), v -> "roll".equals(v.phase()) && v.toAct().equals(seatOf(first, ann)));

        // the cube: offered, taken
        GamePage.View beforeDouble = first.look();
        first.click("double");
        first.after(beforeDouble.version());
        assertEquals("You doubled to 2: waiting for " + second.name + " to take or drop", first.bannerShows("You doubled"));
        assertEquals(first.name + " doubles to 2: take or drop?", second.bannerShows("doubles to 2"));
        assertEquals(first.name + " doubles to 2: " + second.name + " to take or drop", cy.bannerShows("doubles to 2"));
        assertTrue(second.shows("take") && second.shows("drop"));
        second.screenshot("double-offered");
        check();
        second.click("take");
        assertEquals(second.name + " took the double: the cube is at 2, " + second.name + "’s.", first.noticeShows("took the double"));
        assertEquals("You took the double: the cube is at 2, yours.", second.noticeShows("took the double"));
        assertEquals(second.name + " took the double: the cube is at 2, " + second.name + "’s.", cy.noticeShows("took the double"));
        check();

        // the owner redoubles, the other drops: game over, who won and how much, said at the next game's start
        playUntil(List.of(ann, bea), v -> "roll".equals(v.phase()) && v.toAct().equals(seatOf(second, ann)));
        GamePage.View beforeRedouble = second.look();
        second.click("double");
        first.after(beforeRedouble.version());
        assertEquals(second.name + " doubles to 4: take or drop?", first.bannerShows("doubles to 4"));
        first.click("drop");
        String dropped = "Game 1: " + second.name + " wins 2 points: " + first.name + " dropped the double.";
        assertEquals(dropped, cy.noticeShows("Game 1:"));
        assertEquals("Game 1: " + second.name + " wins 2 points: you dropped the double.", first.noticeShows("Game 1:"));
        assertEquals("Game 1: You win 2 points: " + first.name + " dropped the double.", second.noticeShows("Game 1:"));
        // the Crawford game: nobody may double
        for (GamePage p : List.of(ann, bea, cy)) {
            p.until("the Crawford game", q -> q.text("match-line").equals("Game 2 · match to 3 · Crawford game: no doubling"));
            assertTrue(p.text("player-" + seatOf(second, ann)).contains("2 points"), p.text("scoreboard"));
        }
        first.screenshot("next-game");
        check();

        // chat lines, as said (not numbered)
        ann.type("chat-text", "good luck");
        ann.click("chat-send");
        bea.until("Ann's chat line", p -> p.text("chat-lines").equals("Ann: good luck"));
        check();

        // a resignation offered (either player may, while the game is played) and declined
        GamePage.View beforeOffer = first.look();
        second.resign("single");
        first.after(beforeOffer.version());
        assertEquals(second.name + " offers to resign a single game (1 point): accept or decline?", first.bannerShows("offers to resign"));
        assertEquals("You offered to resign a single game (1 point): waiting for " + first.name, second.bannerShows("You offered"));
        assertEquals(second.name + " offers to resign a single game (1 point): " + first.name + " to answer", cy.bannerShows("offers to resign"));
        first.screenshot("resignation-offered");
        first.click("decline");
        assertEquals(first.name + " declined the resignation: play on.", second.noticeShows("declined"));
        assertEquals(first.name + " declined the resignation: play on.", cy.noticeShows("declined"));
        check();
        GamePage.View beforeGammon = first.look();
        second.resign("gammon");
        first.after(beforeGammon.version());
        assertEquals(second.name + " offers to resign a gammon (2 points): accept or decline?", first.bannerShows("offers to resign"));
        first.click("decline");
        first.until("the offer declined", p -> !p.banner().contains("offers to resign"));
        check();

        // Bea closes her page: away, with the forfeit countdown, on the others' pages; then back
        bea.browser.get("about:blank");
        for (GamePage p : List.of(ann, cy)) {
            p.until("Bea away", q -> q.text("player-1").matches(".*Bea · \\d+ points? · \\d+ pips — away: forfeits in \\d+ s"));
        }
        ann.screenshot("away");
        check();
        bea.open("/play");
        bea.until("the game again", p -> "playing".equals(p.look().status()));
        for (GamePage p : List.of(ann, cy)) {
            p.until("Bea back", q -> q.text("player-1").endsWith("— back") && !q.text("player-1").contains("away"));
        }
        check();

        // a release replaces the task every page is connected to: each moves to the new one by itself, Cy still watching
        long beforeDeploy = ann.look().version();
        assertEquals(Runbook.OK, run("deploy", "--tag", "v2"), output.toString(StandardCharsets.UTF_8));
        for (GamePage p : List.of(ann, bea, cy)) {
            p.until("connected again after the release", RECONNECT, q -> "connected".equals(q.text("connection"))
                    && Integer.parseInt(q.browser.findElement(org.openqa.selenium.By.id("connection")).getAttribute("data-opened")) >= 2
                    && q.look().version() >= beforeDeploy && "playing".equals(q.look().status()));
        }
        check();
        playUntil(List.of(ann, bea), v -> "roll".equals(v.phase()) || "play".equals(v.phase()), 1);

        // a backgammon resigned and accepted: the match is over, its winner named on all three pages
        GamePage.View beforeBackgammon = first.look();
        second.resign("backgammon");
        first.after(beforeBackgammon.version());
        assertEquals(second.name + " offers to resign a backgammon (3 points): accept or decline?", first.bannerShows("offers to resign"));
        first.click("accept");
        assertEquals("You win the match 3–2", first.bannerShows("the match"));
        assertEquals(first.name + " wins the match 3–2", second.bannerShows("the match"));
        assertEquals(first.name + " wins the match 3–2", cy.bannerShows("the match"));
        assertEquals("You win 3 points: " + second.name + " resigned a backgammon.", first.notice());
        assertEquals(first.name + " wins 3 points: you resigned a backgammon.", second.notice());
        assertEquals(first.name + " wins 3 points: " + second.name + " resigned a backgammon.", cy.notice());
        for (GamePage p : List.of(first, second)) {
            assertTrue(p.shows("rematch") && p.text("leave").equals("Back to the lobby") && !p.shows("lobby"), p.page());
        }
        first.screenshot("match-over");
        second.screenshot("match-over-phone");
        cy.screenshot("match-over-spectator");
        check();

        // a rematch: asked by one, accepted by the other
        first.click("rematch");
        assertTrue(first.noticeShows("You asked for a rematch").endsWith("You asked for a rematch: waiting for " + second.name + "."));
        assertTrue(second.noticeShows("wants a rematch").endsWith(first.name + " wants a rematch."));
        assertTrue(cy.noticeShows("wants a rematch").endsWith(first.name + " wants a rematch."));
        assertEquals("Accept the rematch", second.text("rematch"));
        second.screenshot("rematch-offered");
        second.click("rematch");
        for (GamePage p : List.of(ann, bea, cy)) {
            p.bannerShows("Opening roll:");
            assertEquals("Game 1 · match to 3", p.text("match-line"));
        }
        check();

        // leaving a running match forfeits it, after a question that says so
        bea.click("leave");
        assertEquals("Leave? You forfeit the match: Ann wins it.", bea.text("confirm-leave-text"));
        bea.screenshot("leave-question");
        bea.click("confirm-leave-yes");
        bea.until("the lobby", p -> p.shows("lobby"));
        assertEquals("You left the match: Ann wins it.", bea.text("page-note"));
        assertEquals("You win the match 1–0", ann.bannerShows("the match"));
        assertEquals("You win 1 point: Bea forfeited the match.", ann.notice());
        assertEquals("Ann wins the match 1–0", cy.bannerShows("the match"));
        ann.screenshot("forfeit");
        check();
        // no rematch without the opponent: one short line
        ann.click("rematch");
        ann.until("the refusal", p -> p.shows("refusal"));
        assertEquals("Not now: your opponent has left.", ann.text("refusal"));
        ann.screenshot("refused");
        ann.click("leave");
        ann.until("the lobby", p -> p.shows("lobby"));
        cy.click("leave");
        cy.until("the lobby", p -> p.shows("lobby"));
        check();
    }

    /**
     * A quick match, then a roll that cannot be played — shown on both pages, the turn passing — and
     * the task both pages are connected to dying: they come back by themselves to the same game. The
     * players hit and build their home boards (the legal play that puts most of the other's checkers
     * on the bar, then makes most home points, ranked by the rules library from the position the page
     * shows) until someone dances; a 1-point match that ends first is followed by a rematch.
     */
    @Test
    void aRollWithNoMovePassesTheTurnAndAPageRidesOutItsTaskDying() throws Exception {
        GamePage dee = player("Dee", 1000, 1000);
        GamePage eve = player("Eve", 412, 915);
        dee.open("/play");
        eve.open("/play");
        dee.click("quick");
        dee.until("the queue", p -> p.shows("queue"));
        assertEquals("Looking for an opponent for a 1-point match…", dee.text("queue-text"));
        assertEquals("Stop looking", dee.text("leave-queue"));
        dee.screenshot("queue");
        dee.click("leave-queue");
        dee.until("the lobby", p -> p.shows("lobby"));
        check();
        dee.click("quick");
        dee.until("the queue", p -> p.shows("queue"));
        eve.click("quick");
        for (GamePage p : List.of(dee, eve)) {
            p.bannerShows("Opening roll:");
        }
        check();

        GamePage roller = null;
        for (int actions = 0; roller == null; actions++) {
            assertTrue(actions < 2000, "no roll without a legal play in 2000 actions");
            GamePage.View d = dee.look();
            GamePage.View e = eve.look();
            if ("match_over".equals(d.status())) {
                // the 1-point match ended before anyone danced: another one
                dee.click("rematch");
                eve.until("the rematch offered", p -> p.text("rematch").equals("Accept the rematch"));
                eve.click("rematch");
                dee.until("the new match", p -> "playing".equals(p.look().status()));
                continue;
            }
            GamePage actor = d.canAct() ? dee : e.canAct() ? eve : null;
            if (actor == null) {
                dee.until("someone to act", p -> dee.look().canAct() || eve.look().canAct() || "match_over".equals(dee.look().status()));
                continue;
            }
            GamePage.View before = actor.look();
            if (before.canRoll()) {
                actor.click("roll");
                actor.after(before.version());
                if (actor.notice().startsWith("You rolled ")) {
                    roller = actor;
                }
                continue;
            }
            actor.pick(blitz(actor));
            actor.until("the play complete", p -> p.look().playReady());
            actor.click("send");
            actor.until("the play's state", p -> p.look().version() > before.version() && !"play".equals(p.look().phase()));
        }
        GamePage other = roller == dee ? eve : dee;
        java.util.regex.Matcher passed = java.util.regex.Pattern.compile("You rolled (\\d-\\d) and could not move: the turn passes\\.").matcher(roller.notice());
        assertTrue(passed.matches(), roller.notice());
        assertEquals(roller.name + " rolled " + passed.group(1) + " and could not move: the turn passes.", other.noticeShows("could not move"));
        assertEquals("Your turn: roll", other.bannerShows("Your turn").replace(" or double", ""));
        assertEquals(other.name + "’s turn to roll", roller.banner());
        assertEquals(2, other.browser.findElements(org.openqa.selenium.By.cssSelector("#board .die")).size(), "the dice that could not be played are shown");
        other.screenshot("no-move");
        check();

        // the task both pages are on dies (as a crashed container: no draining); they reconnect by themselves
        long version = dee.look().version();
        networkDown = true;
        killTheTask();
        for (GamePage p : List.of(dee, eve)) {
            p.until("connected again after the task died", RECONNECT, q -> "connected".equals(q.text("connection"))
                    && Integer.parseInt(q.browser.findElement(org.openqa.selenium.By.id("connection")).getAttribute("data-opened")) >= 2
                    && q.look().version() >= version);
        }
        check();
        networkDown = false;
        GamePage.View back = other.look();
        assertTrue(back.canRoll(), "the same turn, after the reconnect: " + other.banner());
        other.click("roll");
        other.after(back.version());
        check();
        // a flood of messages (a page sending 120 at once) is refused as one short line; Dee sends nothing after it, so no
        // later command of hers meets the emptied allowance
        dee.browser.executeScript("for (let i = 0; i < 120; i++) { document.getElementById('chat-text').value = 'hi ' + i;"
                + " document.getElementById('chat-form').requestSubmit(); }");
        dee.until("the flood refused", p -> p.shows("refusal"));
        assertEquals("Slow down: too many messages at once.", dee.text("refusal"));
        dee.screenshot("rate-limited");
        check();
        eve.click("leave");
        if (eve.shows("confirm-leave")) {
            eve.click("confirm-leave-yes");
        }
        eve.until("the lobby", p -> p.shows("lobby"));
        check();
    }

    /** The seat of {@code page}'s player, as the page's data says ("0" or "1"), seen from Ann's page (seat 0 created the table). */
    private static String seatOf(GamePage page, GamePage ann) {
        return page == ann ? "0" : "1";
    }

    /** A legal play's steps, as the page lists them: [[from, to], …]. */
    private static List<int[]> steps(JsonNode play) {
        List<int[]> steps = new java.util.ArrayList<>();
        play.forEach(m -> steps.add(new int[] {m.get(0).asInt(), m.get(1).asInt()}));
        return steps;
    }

    /**
     * Plays on — Roll, or the first legal play picked on the board and sent with Play — until the
     * acting page's view satisfies {@code until}, at most {@code limit} actions (0: no limit but the game's).
     */
    private void playUntil(List<GamePage> players, Predicate<GamePage.View> until) throws Exception {
        playUntil(players, until, 0);
    }

    private void playUntil(List<GamePage> players, Predicate<GamePage.View> until, int atLeast) throws Exception {
        for (int actions = 0; actions < 1000; actions++) {
            GamePage actor = null;
            GamePage.View view = null;
            for (GamePage p : players) {
                GamePage.View v = p.look();
                if (v.canAct()) {
                    actor = p;
                    view = v;
                }
            }
            if (actor == null) {
                players.get(0).until("a player to act", p -> players.stream().anyMatch(q -> q.look().canAct()));
                continue;
            }
            if (actions >= atLeast && until.test(view)) {
                return;
            }
            GamePage.View before = view;
            if (view.canRoll()) {
                actor.click("roll");
            } else {
                actor.pick(steps(view.legal().get(0)));
                actor.until("the play complete", p -> p.look().playReady());
                actor.click("send");
            }
            // the action's own state: a later version where the turn or its phase moved on (a presence changes the version too)
            actor.until("the state the action made after version " + before.version(), p -> {
                GamePage.View now = p.look();
                return now.version() > before.version() && (!now.phase().equals(before.phase()) || !now.toAct().equals(before.toAct())
                        || !"playing".equals(now.status()));
            });
            check();
        }
        throw new AssertionError("the game did not get there in 1000 actions");
    }

    /** The play that puts most of the other's checkers on the bar, then makes most points in the mover's home board. */
    private static List<int[]> blitz(GamePage actor) {
        com.thephillymojo.ws.game.Position position = com.thephillymojo.ws.game.Position.fromId(actor.positionId());
        int[] dice = actor.diceToPlay();
        com.thephillymojo.ws.game.Play best = null;
        int bestScore = Integer.MIN_VALUE;
        for (com.thephillymojo.ws.game.Play play : com.thephillymojo.ws.game.LegalPlays.of(position, com.thephillymojo.ws.game.Dice.of(dice[0], dice[1]))) {
            int made = 0;
            for (int point = 1; point <= 6; point++) {
                made += play.result().onRoll(point) >= 2 ? 1 : 0;
            }
            int score = play.result().opponent(com.thephillymojo.ws.game.Position.BAR) * 10 + made;
            if (score > bestScore) {
                bestScore = score;
                best = play;
            }
        }
        List<int[]> steps = new java.util.ArrayList<>();
        best.moves().forEach(m -> steps.add(new int[] {m.from(), m.to()}));
        return steps;
    }

    /** The service's one task dies as a crashed container does: its process killed, nothing drained. */
    private static void killTheTask() {
        String cluster = runbook.recorded().get("name.cluster").orElseThrow();
        String service = runbook.recorded().get("name.service").orElseThrow();
        try (software.amazon.awssdk.services.ecs.EcsClient ecs = runbook.target().client(software.amazon.awssdk.services.ecs.EcsClient.builder())) {
            List<String> arns = ecs.listTasks(r -> r.cluster(cluster).serviceName(service)).taskArns();
            assertEquals(1, arns.size(), arns.toString());
            long pid = Long.parseLong(ecs.describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks().get(0).containers().get(0).runtimeId());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
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
