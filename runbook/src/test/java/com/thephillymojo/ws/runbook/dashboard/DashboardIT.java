package com.thephillymojo.ws.runbook.dashboard;

import com.thephillymojo.ws.runbook.cli.Host;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.thephillymojo.ws.runbook.HeadlessChromium;
import com.thephillymojo.ws.runbook.cli.Runbook;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium through its chromedriver) on the
 * local environment as the runbook applies it on the embedded emulator, with one task and
 * confirm=true so that every change asks for the environment's name: the printed URL shows one
 * healthy target; scale to 2 and both become healthy; deploy v2 and the rollout completes; roll
 * back; an AWS error is shown with its code; no token and a foreign page's POST are refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
    private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    private static final Duration ACTION_LIMIT = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path work;
    static Runbook runbook;
    static Dashboard dashboard;
    static ChromeDriver browser;
    static final ByteArrayOutputStream output = new ByteArrayOutputStream();
    static final ByteArrayOutputStream dashboardLog = new ByteArrayOutputStream();
    static Path settingsFile;
    static String settings;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(HeadlessChromium.installed(), "DashboardIT " + HeadlessChromium.MISSING);
        settingsFile = work.resolve("env/local.properties");
        Files.createDirectories(settingsFile.getParent());
        settings = Files.readString(ROOT.resolve("runbook/env/local.properties"))
                .replaceAll("(?m)^emulator\\.port=.*$", "emulator.port=0")
                .replaceAll("(?m)^service\\.desiredCount=.*$", "service.desiredCount=1") + "\nconfirm=true\n";
        Files.writeString(settingsFile, settings);
        runbook = new Runbook(new PrintStream(output, true, StandardCharsets.UTF_8), java.io.InputStream.nullInputStream(), false,
                new Host(ROOT, System.getenv()));
        int applied = runbook.commandLine().execute(Stream.concat(Stream.of("--env", "local", "--settings-dir", settingsFile.getParent().toString(),
                "--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString(),
                "--server-build", ROOT.resolve("server/target").toString()), Stream.of("apply", "--yes")).toArray(String[]::new));
        assertEquals(Runbook.OK, applied, output.toString(StandardCharsets.UTF_8));
        dashboard = Dashboard.start(runbook, 0, new PrintStream(dashboardLog, true, StandardCharsets.UTF_8));

        browser = HeadlessChromium.start(List.of("--window-size=1400,2600", "--user-data-dir=" + work.resolve("profile")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (runbook != null) {
            runbook.close();
        }
        System.out.print(output.toString(StandardCharsets.UTF_8));
        System.out.print(dashboardLog.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Order(1)
    void thePrintedUrlShowsOneHealthyTarget() {
        browser.get(dashboard.url().toString());
        until("the page to be live", () -> "live".equals(byId("live").getAttribute("data-state")));
        until("one healthy target", () -> rows("targets").size() == 1 && "healthy".equals(rows("targets").get(0).getAttribute("data-state")));
        until("the verdict healthy", () -> "healthy".equals(byId("verdict").getAttribute("data-state")));
        assertEquals("1", byId("service-desired").getText());
        assertEquals("thephillymojo-ws:1", byId("service-revision").getText());
        assertTrue(byId("service-image").getText().startsWith("v1 ("), byId("service-image").getText());
        List<WebElement> task = rows("tasks").get(0).findElements(By.tagName("td"));
        assertTrue(task.get(2).getText().matches("us-east-1[a-c]"), "the task's zone: " + task.get(2).getText());
        assertTrue(task.get(3).getText().startsWith("subnet-"), "the task's subnet: " + task.get(3).getText());
        assertTrue(byId("cache").getText().contains("available"));
        assertTrue(byId("certificate").getText().contains("ISSUED"));
        assertTrue(byId("load-balancer").getText().contains("HTTPS 443 → forward"));
        assertTrue(byId("secrets").getText().contains("thephillymojo-ws/nextauth-secret"));
        until("the service seen from outside", () -> byId("public-health").getText().startsWith("200 ok"));
    }

    @Test
    @Order(2)
    void withoutTheTokenNothingIsShownAndAForeignPagesPostIsRefused() throws Exception {
        String origin = "http://127.0.0.1:" + dashboard.port();
        browser.get(origin + "/");
        assertTrue(browser.findElement(By.tagName("body")).getText().contains("401 MissingToken"));
        browser.get(origin + "/api/overview?token=" + dashboard.token().replace('A', 'B').replace('a', 'b') + "x");
        assertTrue(browser.findElement(By.tagName("body")).getText().contains("InvalidToken"));

        // a page of another origin, with the token even, POSTs a change as a form or fetch can (no preflight)
        HttpServer foreign = HeadlessChromium.foreignPage("<!doctype html><title>foreign</title><script>fetch('" + origin + "/api/scale?token="
                + dashboard.token() + "', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, "
                + "body: '{\"count\":5,\"confirm\":\"local\"}'}).then(() => document.title = 'sent', (e) => document.title = 'failed ' + e);</script>");
        try {
            browser.get("http://127.0.0.1:" + foreign.getAddress().getPort() + "/");
            until("the foreign page's POST to be answered", () -> "sent".equals(browser.getTitle()));
        } finally {
            foreign.stop(0);
        }
        String log = dashboardLog.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("refused POST /api/scale (403 ForbiddenOrigin): a POST from http://127.0.0.1:" + foreign.getAddress().getPort()), log);
        assertEquals(1, api("/api/overview").path("service").path("desired").asInt(), "nothing changed");
        assertEquals(0, api("/api/actions").size(), "nothing started");
        browser.get(dashboard.url().toString());
        until("the page to be live again", () -> "live".equals(byId("live").getAttribute("data-state")));
    }

    @Test
    @Order(3)
    void scaleToTwoAfterTypingTheEnvironmentsNameAndBothBecomeHealthy() {
        WebElement count = byId("scale-count");
        count.clear();
        count.sendKeys("2");
        String before = actionId();
        byId("scale-button").click();
        until("the confirmation", () -> byId("confirm").isDisplayed());
        assertTrue(byId("confirm-text").getText().contains("This changes local"));
        byId("confirm-input").sendKeys("Local");
        assertFalse(byId("confirm-ok").isEnabled(), "only the exact name unlocks it");
        byId("confirm-input").clear();
        byId("confirm-input").sendKeys("local");
        assertTrue(byId("confirm-ok").isEnabled());
        // a double click on the button that starts it
        ((JavascriptExecutor) browser).executeScript("const b = document.getElementById('confirm-ok'); b.click(); b.click();");
        assertEquals("succeeded", awaitAction(before, "scale"));
        until("two healthy targets", () -> rows("targets").size() == 2
                && rows("targets").stream().allMatch(r -> "healthy".equals(r.getAttribute("data-state"))));
        assertEquals("2", byId("service-desired").getText());
        assertEquals(1, api("/api/actions").size(), "one scale, however many clicks");
    }

    @Test
    @Order(4)
    void deployV2AndWatchTheRolloutComplete() throws Exception {
        String before = actionId();
        byId("deploy-tag").sendKeys("v2");
        byId("deploy-button").click();
        confirm();
        until("the deploy to start", () -> !before.equals(actionId()));
        // one look at the page (a script runs between two renderings): while an action runs, no button starts another
        @SuppressWarnings("unchecked")
        List<Object> look = (List<Object>) ((JavascriptExecutor) browser).executeScript("return [document.getElementById('action').dataset.state, "
                + "...['deploy-button', 'scale-button', 'rollback-button'].map((id) => document.getElementById(id).disabled)];");
        if ("running".equals(look.get(0))) {
            assertEquals(List.of("running", true, true, true), look);
        }
        // the picture for docs/runbook.md: the page during the rollout, when the page shows one (a rollout may be quicker than a look)
        Path shot = ROOT.resolve("runbook/target/dashboard-rollout.png");
        new WebDriverWait(browser, ACTION_LIMIT, Duration.ofMillis(200)).until(d -> rows("deployments").size() > 1
                || !"running".equals(byId("action").getAttribute("data-state")));
        if (rows("deployments").size() > 1) {
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals("succeeded", awaitAction(before, "deploy"));
        until("the service on v2 only, its rollout completed", () -> rows("deployments").size() == 1
                && "thephillymojo-ws:2".equals(rows("deployments").get(0).getAttribute("data-revision"))
                && "COMPLETED".equals(rows("deployments").get(0).getAttribute("data-rollout")));
        until("two healthy targets on v2", () -> byId("service-image").getText().startsWith("v2 (") && rows("targets").size() == 2
                && rows("targets").stream().allMatch(r -> "healthy".equals(r.getAttribute("data-state"))));
        assertTrue(byId("action-lines").getText().contains("rolled out"), byId("action-lines").getText());
        // (an image built from the same server build has v1's digest: one image with both tags)
        until("v2 listed among the images in ECR", () -> rows("images").stream().anyMatch(r -> List.of(r.getAttribute("data-tags").split(" ")).contains("v2")));
    }

    @Test
    @Order(5)
    void rollBackToTheRevisionBefore() {
        String before = actionId();
        byId("rollback-button").click();
        confirm();
        assertEquals("succeeded", awaitAction(before, "rollback"));
        until("the service on revision 1 again", () -> rows("deployments").size() == 1
                && "thephillymojo-ws:1".equals(rows("deployments").get(0).getAttribute("data-revision"))
                && "COMPLETED".equals(rows("deployments").get(0).getAttribute("data-rollout")) && byId("service-image").getText().startsWith("v1 ("));
    }

    @Test
    @Order(6)
    void anAwsErrorIsShownWithItsCode() throws Exception {
        // a task size Fargate does not have: ECS refuses the new revision (the image v2 is in ECR: nothing is built)
        Files.writeString(settingsFile, settings.replaceAll("(?m)^tasks\\.cpu=.*$", "tasks.cpu=256").replaceAll("(?m)^tasks\\.memory=.*$", "tasks.memory=4096"));
        try {
            String before = actionId();
            WebElement tag = byId("deploy-tag");
            tag.clear();
            tag.sendKeys("v2");
            byId("deploy-button").click();
            confirm();
            assertEquals("failed", awaitAction(before, "deploy"));
            String error = byId("action-error").getText();
            assertTrue(error.contains("ClientException: No Fargate configuration exists for given values: 256 CPU, 4096 memory"), error);
        } finally {
            Files.writeString(settingsFile, settings);
        }
        assertEquals("thephillymojo-ws:1", byId("service-revision").getText(), "the service runs what it ran");
        List<String> kinds = api("/api/actions").findValuesAsText("kind");
        assertEquals(List.of("deploy", "rollback", "deploy", "scale"), kinds, "each click started one action");
    }

    // ---- helpers ----

    private void confirm() {
        until("the confirmation", () -> byId("confirm").isDisplayed());
        byId("confirm-input").sendKeys("local");
        byId("confirm-ok").click();
    }

    /** Waits for an action newer than {@code before} to end; its final state. */
    private String awaitAction(String before, String kind) {
        until("a new " + kind + " to start", () -> !before.equals(actionId()));
        until("the " + kind + " to end", ACTION_LIMIT, () -> !"running".equals(byId("action").getAttribute("data-state")));
        assertTrue(byId("action-title").getText().startsWith(kind), byId("action-title").getText());
        return byId("action").getAttribute("data-state");
    }

    private String actionId() {
        String id = byId("action").getAttribute("data-action-id");
        return id == null ? "" : id;
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private List<WebElement> rows(String table) {
        return browser.findElements(By.cssSelector("#" + table + " tbody tr"));
    }

    private void until(String what, java.util.function.BooleanSupplier reached) {
        until(what, Duration.ofSeconds(60), reached);
    }

    private void until(String what, Duration limit, java.util.function.BooleanSupplier reached) {
        HeadlessChromium.until(browser, what, limit, reached);
    }

    private static JsonNode api(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.port() + path))
                    .header("Authorization", "Bearer " + dashboard.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
