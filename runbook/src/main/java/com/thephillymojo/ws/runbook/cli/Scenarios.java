package com.thephillymojo.ws.runbook.cli;

import com.thephillymojo.ws.runbook.steps.Request;
import com.thephillymojo.ws.runbook.steps.ScenarioFactory;
import io.cucumber.core.options.CommandlineOptionsParser;
import io.cucumber.core.options.RuntimeOptions;
import io.cucumber.core.runtime.Runtime;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One Cucumber run of the runbook's scenarios: the features (in the runbook's jar) filtered by a
 * tag expression, run by the runbook's glue with Cucumber's HTML and JSON reports. It is the
 * runtime Cucumber's own CLI builds, given two objects the CLI cannot take: the
 * {@link ScenarioFactory} that hands the run's {@link Request} to each scenario, and the
 * {@link FailureReport} that says the first failure in one line. Cucumber's properties files,
 * environment variables and publishing play no part: the command line below is the whole
 * configuration.
 */
final class Scenarios {
    private static final String GLUE = "com.thephillymojo.ws.runbook.steps";

    private Scenarios() {
    }

    /** Runs the scenarios; true when every one passed. */
    static boolean run(Request request, String tags, List<String> features, Path html, Path json, PrintStream out) {
        // no summary: Cucumber's prints each failure's stack trace; FailureReport says it in one line, the reports keep the trace
        List<String> argv = new ArrayList<>(List.of("--glue", GLUE, "--tags", tags, "--monochrome", "--no-summary",
                "--plugin", "html:" + html, "--plugin", "json:" + json));
        argv.addAll(features);
        RuntimeOptions options = new CommandlineOptionsParser(out).parse(argv.toArray(String[]::new)).build();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ScenarioFactory scenarios = new ScenarioFactory(request);
        Runtime runtime = Runtime.builder().withRuntimeOptions(options).withClassLoader(() -> loader)
                .withObjectFactorySupplier(() -> scenarios).withAdditionalPlugins(new FailureReport(request)).build();
        runtime.run();
        return runtime.exitStatus() == 0;
    }
}
