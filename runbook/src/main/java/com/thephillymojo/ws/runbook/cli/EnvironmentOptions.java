package com.thephillymojo.ws.runbook.cli;

import com.thephillymojo.ws.runbook.Environment;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes: the environment's name and, where they are not the project's
 * own directories, where its settings, state and reports are and which server build its image is
 * made of. {@link #load} turns them into the {@link Environment} a command works on.
 */
final class EnvironmentOptions {
    @Option(names = "--env", required = true, scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "the environment: its settings are SETTINGS_DIR/NAME.properties")
    String env;

    @Option(names = "--settings-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "default: runbook/env")
    Path settingsDir;

    @Option(names = "--state-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "default: runbook/state")
    Path stateDir;

    @Option(names = "--reports-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "default: runbook/reports")
    Path reportsDir;

    @Option(names = "--server-build", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "the server's build (server.jar, lib/) the image is made of; default: server/target")
    Path serverBuild;

    /** The environment named, its settings read now. */
    Environment load(Host host) {
        return Environment.load(env, settingsDir != null ? settingsDir : host.root().resolve("runbook/env"), stateDir(host), reportsRoot(host),
                serverBuild != null ? serverBuild : host.root().resolve("server/target"), host.variables());
    }

    Path stateDir(Host host) {
        return stateDir != null ? stateDir : host.root().resolve("runbook/state");
    }

    /** Where the reports of all environments go (each its own directory). */
    Path reportsRoot(Host host) {
        return reportsDir != null ? reportsDir : host.root().resolve("runbook/reports");
    }
}
