package com.thephillymojo.ws.runbook;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One environment as one command sees it, read once when the command starts and passed down to
 * everything it runs: its settings and their file, where its state, its reports and the server's
 * build are, and the process's environment variables ({@code NEXTAUTH_SECRET},
 * {@code AWS_PROFILE}, {@code AWS_ENDPOINT_URL}, …). Nothing below the executor's {@code main}
 * reads the process's environment or its system properties: it asks this.
 */
public record Environment(Settings settings, Path settingsFile, Path stateDir, Path reportsDir, Path serverBuild,
                          Map<String, String> variables) {
    public Environment {
        variables = Map.copyOf(variables);
    }

    /** Reads the settings of environment {@code name} from {@code settingsDir/NAME.properties}. */
    public static Environment load(String name, Path settingsDir, Path stateDir, Path reportsDir, Path serverBuild,
                                   Map<String, String> variables) {
        return new Environment(Settings.load(settingsDir, name), settingsDir.resolve(name + ".properties"), stateDir, reportsDir,
                serverBuild, variables);
    }

    public String name() {
        return settings.name();
    }

    /** An environment variable that is set and not blank. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
    }

    /** Where this environment's reports go: its HTML and JSON reports, its error traces. */
    public Path reports() {
        return reportsDir.resolve(name());
    }

    /** What apply recorded for this environment, as its state file says now. */
    public State state() {
        return State.open(stateDir, name());
    }
}
