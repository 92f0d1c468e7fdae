package com.thephillymojo.ws.runbook.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.runbook.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One player's (or spectator's) game page in a real browser, read as the player reads it: the
 * visible text of its parts. What the test needs to act and to wait — the version a page shows,
 * whether it offers Roll or Play, the legal steps it would take clicks for — comes from the data the
 * page puts on its elements; every claim about the page is about its text.
 */
final class GamePage {
    /** A word a page must never show (a value the page failed to have), as a word of its own, not inside an id. */
    private static final Pattern LEAK = Pattern.compile("(?<![\\w+/])(undefined|null|NaN)(?![\\w+/])");
    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final ChromeDriver browser;
    private final Path screens;
    private final List<String> consoleErrors = new ArrayList<>();

    GamePage(String name, ChromeDriver browser, Path screens) {
        this.name = name;
        this.browser = browser;
        this.screens = screens;
    }

    // ---- signing in and opening the game -------------------------------------------------------

    void signIn() {
        browser.get("https://thephillymojo.com/signin");
        assertEquals("Sign in · thephillymojo.com (local stand-in)", browser.getTitle(), "the page itself, not a certificate error");
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("signin")).click();
        until("the game page", p -> browser.getCurrentUrl().startsWith("https://thephillymojo.com/play"));
    }

    /** Opens {@code path} (the game, or a link to one) and waits for the page's connection. */
    void open(String path) {
        browser.get("https://thephillymojo.com" + path);
        until("the page connected", p -> "open".equals(attribute("connection", "data-state")) && !text("me").isEmpty());
    }

    // ---- what the page shows ------------------------------------------------------------------

    /** The visible text of the element with this id ("" when it is hidden). */
    String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    String banner() {
        return text("banner");
    }

    String notice() {
        return text("notice");
    }

    /** Everything the page shows. */
    String page() {
        return browser.findElement(By.tagName("body")).getText();
    }

    boolean shows(String id) {
        return browser.findElement(By.id(id)).isDisplayed();
    }

    private String attribute(String id, String attribute) {
        String value = browser.findElement(By.id(id)).getAttribute(attribute);
        return value == null ? "" : value;
    }

    /** The table as the page holds it, in one look (the data behind the banner and the board). */
    record View(long version, String status, String phase, String toAct, boolean canRoll, boolean canPlay, boolean playReady, JsonNode legal) {
        boolean canAct() {
            return canRoll || canPlay;
        }
    }

    @SuppressWarnings("unchecked")
    View look() {
        Map<String, Object> seen = (Map<String, Object>) browser.executeScript("const b = document.getElementById('banner').dataset;"
                + "return {version: b.version || '-1', status: b.status || '', phase: b.phase || '', toAct: b.toAct || '',"
                + " roll: !document.getElementById('table').hidden && !document.getElementById('roll').hidden,"
                + " send: !document.getElementById('table').hidden && !document.getElementById('send').hidden,"
                + " ready: !document.getElementById('send').disabled, legal: document.getElementById('board').dataset.legal || '[]'};");
        try {
            return new View(Long.parseLong((String) seen.get("version")), (String) seen.get("status"), (String) seen.get("phase"),
                    (String) seen.get("toAct"), Boolean.TRUE.equals(seen.get("roll")), Boolean.TRUE.equals(seen.get("send")),
                    Boolean.TRUE.equals(seen.get("ready")), JSON.readTree((String) seen.get("legal")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The dice the banner says are to be played ("play 6-5"). */
    int[] diceToPlay() {
        Matcher m = Pattern.compile("play (\\d)-(\\d)").matcher(banner());
        assertTrue(m.find(), name + "'s banner names no dice to play: " + banner());
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** The gnubg Position ID the page shows under the board. */
    String positionId() {
        Matcher m = Pattern.compile("gnubg position (\\S+)").matcher(text("details"));
        assertTrue(m.find(), text("details"));
        return m.group(1);
    }

    // ---- what the player does -----------------------------------------------------------------

    void click(String id) {
        browser.findElement(By.id(id)).click();
    }

    void type(String id, String text) {
        browser.findElement(By.id(id)).clear();
        browser.findElement(By.id(id)).sendKeys(text);
    }

    /** A key pressed with the focus on the page (not in a field). */
    void press(CharSequence key) {
        new Actions(browser).sendKeys(key).perform();
    }

    void pressEnter() {
        press(Keys.ENTER);
    }

    void pressEscape() {
        press(Keys.ESCAPE);
    }

    /**
     * A click on a point of the board, as a player's. The page draws the board again on every state
     * (a player's presence changes the version too), so a point looked up may be replaced before the
     * click lands: then nothing was clicked, and the point is looked up again.
     */
    void clickPoint(int point) {
        new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(50)).withMessage(name + ": point " + point + " to click")
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    d.findElement(By.cssSelector("[data-point='" + point + "']")).click();
                    return true;
                });
    }

    /** Offers to resign at {@code level} (single, gammon, backgammon). */
    void resign(String level) {
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("resign-level"))).selectByValue(level);
        click("resign");
    }

    /** Picks a play step by step on the board (a checker, then where it goes). */
    void pick(List<int[]> steps) {
        for (int[] step : steps) {
            clickPoint(step[0]);
            clickPoint(step[1]);
        }
    }

    // ---- waiting and checking -----------------------------------------------------------------

    void until(String what, Predicate<GamePage> reached) {
        until(what, Duration.ofSeconds(30), reached);
    }

    void until(String what, Duration limit, Predicate<GamePage> reached) {
        HeadlessChromium.until(browser, name + ": " + what, limit, () -> reached.test(this));
    }

    /** Waits until the banner shows a text containing {@code words}; returns the banner. */
    String bannerShows(String words) {
        until("the banner to say '" + words + "' (it says '" + banner() + "')", p -> p.banner().contains(words));
        return banner();
    }

    String noticeShows(String words) {
        until("the notice to say '" + words + "' (it says '" + notice() + "')", p -> p.notice().contains(words));
        return notice();
    }

    /** Waits for a state after {@code version}. */
    View after(long version) {
        until("a state after version " + version, p -> p.look().version() > version);
        return look();
    }

    /**
     * The page's text has no value it failed to have, and its JavaScript raised no error; with
     * {@code networkDown}, the browser's own lines about a connection the test broke are allowed.
     */
    void checkClean(boolean networkDown) {
        String text = page();
        Matcher leak = LEAK.matcher(text);
        if (leak.find()) {
            throw new AssertionError(name + "'s page shows '" + leak.group() + "': " + text);
        }
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() < java.util.logging.Level.SEVERE.intValue()) {
                continue;
            }
            boolean brokenSocket = entry.getMessage().contains("WebSocket connection to 'wss://ws.thephillymojo.com/ws' failed");
            if (!(networkDown && brokenSocket)) {
                consoleErrors.add(entry.getMessage());
            }
        }
        assertEquals(List.of(), consoleErrors, name + "'s browser console");
    }

    /** A picture of the page as the player sees it now, as docs/screens/NAME.png will have it. */
    void screenshot(String file) throws java.io.IOException {
        Files.createDirectories(screens);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screens.resolve(file + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
