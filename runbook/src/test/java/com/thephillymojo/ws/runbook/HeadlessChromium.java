package com.thephillymojo.ws.runbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's chromium, headless, through Debian's chromedriver (never a driver Selenium Manager would download). */
public final class HeadlessChromium {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    public static final String MISSING = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)";

    private HeadlessChromium() {
    }

    /** A page of another site: {@code html} served at http://127.0.0.1:PORT/ (the caller stops it). */
    public static com.sun.net.httpserver.HttpServer foreignPage(String html) throws java.io.IOException {
        byte[] bytes = html.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** Polls {@code reached} until it holds or {@code limit} passes; elements gone or not there yet while a page changes are looked up again. */
    public static void until(ChromeDriver browser, String what, java.time.Duration limit, java.util.function.BooleanSupplier reached) {
        new org.openqa.selenium.support.ui.WebDriverWait(browser, limit, java.time.Duration.ofMillis(200)).withMessage(what)
                .ignoring(org.openqa.selenium.NoSuchElementException.class).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> reached.getAsBoolean());
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
    }

    /** A browser with these arguments (a profile of its own among them: {@code --user-data-dir=…}). */
    public static ChromeDriver start(List<String> arguments) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--disable-gpu");
        options.addArguments(arguments);
        // the page's console, readable by the test (driver.manage().logs(), LogType.BROWSER)
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        if ("root".equals(System.getProperty("user.name"))) {
            options.addArguments("--no-sandbox"); // Chromium's sandbox refuses to run as root (CI containers)
        }
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build(), options);
    }
}
