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

    public static boolean installed() {
        return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
    }

    /** A browser with these arguments (a profile of its own among them: {@code --user-data-dir=…}). */
    public static ChromeDriver start(List<String> arguments) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--disable-gpu");
        options.addArguments(arguments);
        if ("root".equals(System.getProperty("user.name"))) {
            options.addArguments("--no-sandbox"); // Chromium's sandbox refuses to run as root (CI containers)
        }
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build(), options);
    }
}
