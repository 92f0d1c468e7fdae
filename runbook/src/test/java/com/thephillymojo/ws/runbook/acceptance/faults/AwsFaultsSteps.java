package com.thephillymojo.ws.runbook.acceptance.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.runbook.cli.Host;
import com.thephillymojo.ws.runbook.cli.Runbook;
import io.cucumber.java.After;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The glue of features/aws-faults.feature: the runbook's own command line, in this JVM, on the
 * local environment's settings with an emulator of its own (a free port) that injects the faults
 * the scenario names. What each command printed is kept: its exit code, its "waiting for" lines
 * and its "faults:" line, which says what the emulator injected and the SDK retried.
 */
public class AwsFaultsSteps {
    private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    private static final Pattern INJECTED = Pattern.compile("([A-Za-z.]+) ×(\\d+)");

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Map<String, Integer> exits = new LinkedHashMap<>();
    private final StringBuilder printed = new StringBuilder();
    private Runbook runbook;
    private Path work;

    private void run(String... args) {
        output.reset();
        String[] all = Stream.concat(Stream.of("--env", "local", "--settings-dir", work.resolve("env").toString(),
                "--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString(),
                "--server-build", ROOT.resolve("server/target").toString()), Stream.of(args)).toArray(String[]::new);
        var line = runbook.commandLine();
        line.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(output, StandardCharsets.UTF_8), true));
        int code = line.execute(all);
        String text = output.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        printed.append(text);
        exits.put(String.join(" ", args), code);
    }

    @Given("the local environment's emulator injects AWS's faults {string}")
    public void faults(String profile) throws Exception {
        work = Files.createTempDirectory("aws-faults");
        Files.createDirectories(work.resolve("env"));
        Files.writeString(work.resolve("env/local.properties"), Files.readString(ROOT.resolve("runbook/env/local.properties"))
                .replaceAll("(?m)^emulator\\.port=.*$", "emulator.port=0") + "\nemulator.faults=" + profile + "\n");
        runbook = new Runbook(new PrintStream(output, true, StandardCharsets.UTF_8), java.io.InputStream.nullInputStream(), false,
                new Host(ROOT, System.getenv()));
    }

    @When("the runbook applies the environment")
    public void apply() {
        run("apply", "--yes");
    }

    @When("it deploys the image tag {string}")
    public void deploy(String tag) {
        run("deploy", "--tag", tag);
    }

    @When("it scales the service to {int} tasks")
    public void scale(int count) {
        run("scale", "--count", String.valueOf(count));
    }

    @When("it rolls the service back")
    public void rollback() {
        run("rollback");
    }

    @When("it destroys the environment")
    public void destroy() {
        run("destroy", "--yes");
    }

    @Then("each of these commands succeeded")
    public void succeeded() {
        Map<String, Integer> failed = new TreeMap<>(exits);
        failed.values().removeIf(code -> code == Runbook.OK);
        assertEquals(Map.of(), failed, "commands that did not succeed (exit codes)");
        assertEquals(5, exits.size());
    }

    @Then("the runbook met throttling, server errors, IAM's propagation and a security group EC2 did not know yet, and rode each out")
    public void rodeOut() {
        Map<String, Integer> injected = new TreeMap<>();
        long retried = 0;
        Matcher faults = Pattern.compile("(?m)^faults: (\\d+) AWS calls, (\\d+) attempt\\(s\\) retried by the SDK(?:; the emulator injected (.*))?$")
                .matcher(printed);
        while (faults.find()) {
            retried += Long.parseLong(faults.group(2));
            if (faults.group(3) != null) {
                Matcher each = INJECTED.matcher(faults.group(3));
                while (each.find()) {
                    injected.merge(each.group(1), Integer.parseInt(each.group(2)), Integer::sum);
                }
            }
        }
        String all = printed.toString();
        assertTrue(injected.keySet().stream().anyMatch(c -> c.equals("ThrottlingException") || c.equals("Throttling")
                || c.equals("RequestLimitExceeded")), "throttled: " + injected);
        assertTrue(injected.keySet().stream().anyMatch(c -> c.equals("InternalFailure") || c.equals("ServiceUnavailable")
                || c.equals("InternalError") || c.equals("Unavailable")), "server errors: " + injected);
        assertTrue(injected.getOrDefault("InvalidParameterException", 0) > 0 && all.contains("waiting for IAM to let ECS assume the execution role"),
                "IAM's propagation met and waited for: " + injected);
        assertTrue(injected.getOrDefault("InvalidGroup.NotFound", 0) > 0, "a security group not known yet: " + injected);
        int sdkRetried = injected.entrySet().stream().filter(e -> !e.getKey().equals("InvalidParameterException")
                && !e.getKey().equals("InvalidGroup.NotFound")).mapToInt(Map.Entry::getValue).sum();
        assertEquals(sdkRetried, retried, "every throttled or failed call was retried by the SDK, once per fault: " + injected);
    }

    @After
    public void close() throws Exception {
        if (runbook != null) {
            runbook.close();
        }
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
