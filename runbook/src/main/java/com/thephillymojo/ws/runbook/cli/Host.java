package com.thephillymojo.ws.runbook.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the executor takes from the machine it runs on, read once in {@code main}: the project's
 * root (the default place of the settings, state, reports and the server's build) and the
 * process's environment variables. Tests give one of their own.
 *
 * @param root      the project's checkout ({@code runbook/bin/runbook} passes it as {@code project.root})
 * @param variables the environment variables; the JVM's {@code aws.profile} property, which the
 *                  SDK honours, counts as {@code AWS_PROFILE} where that is not set
 */
public record Host(Path root, Map<String, String> variables) {
    public Host {
        variables = Map.copyOf(variables);
    }

    /** This process's: only {@code main} calls it. */
    static Host ofProcess() {
        Map<String, String> variables = new HashMap<>(System.getenv());
        String profile = System.getProperty("aws.profile");
        if (profile != null) {
            variables.putIfAbsent("AWS_PROFILE", profile);
        }
        return new Host(Path.of(System.getProperty("project.root", ".")), variables);
    }
}
