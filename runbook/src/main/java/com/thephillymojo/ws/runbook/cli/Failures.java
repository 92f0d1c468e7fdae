package com.thephillymojo.ws.runbook.cli;

import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.infra.CallErrors;
import com.thephillymojo.ws.runbook.preflight.Preflight;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * How a command that throws ends: bad settings, a missing local environment and a preflight stop
 * exit 2, anything else 1; the terminal gets one line ({@link CallErrors#describe}), the stack
 * trace goes to a file of the environment's reports, named by the command and the time.
 */
final class Failures implements IExecutionExceptionHandler {
    private final Supplier<Path> reports;
    private final Supplier<String> environment;
    private final Map<String, String> variables;

    /**
     * @param reports     the environment's reports directory (known once the command line is parsed)
     * @param environment its name
     * @param variables   the process's environment variables
     */
    Failures(Supplier<Path> reports, Supplier<String> environment, Map<String, String> variables) {
        this.reports = reports;
        this.environment = environment;
        this.variables = variables;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (e instanceof Settings.SettingsException || e instanceof Targets.NoEnvironment) {
            cmd.getErr().println("runbook: " + e.getMessage());
            return Runbook.USAGE;
        }
        String whole = keepTrace(cmd.getCommandName(), e).map(t -> " (the whole error: " + t + ")").orElse("");
        if (e instanceof Preflight.Stop) {
            cmd.getErr().println("runbook: " + e.getMessage() + (e.getCause() != null ? whole : ""));
            return Runbook.USAGE;
        }
        cmd.getErr().println("runbook: " + CallErrors.describe(e, variables) + whole);
        return Runbook.FAILED;
    }

    /** Keeps a failure's stack trace in the run's reports; empty when it could not be written. */
    private Optional<Path> keepTrace(String command, Throwable e) {
        try {
            Path directory = reports.get();
            Files.createDirectories(directory);
            Path file = directory.resolve(stem(command) + "-error.txt");
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            Files.writeString(file, "runbook " + command + " — " + environment.get() + "\n" + trace);
            return Optional.of(file);
        } catch (IOException | RuntimeException io) {
            return Optional.empty();
        }
    }

    /** A report's name: the command and when it ran. */
    static String stem(String command) {
        return command + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
