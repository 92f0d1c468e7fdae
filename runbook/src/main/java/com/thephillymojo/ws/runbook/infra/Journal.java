package com.thephillymojo.ws.runbook.infra;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The report of one run: every action's outcome and every long wait's progress, printed as it
 * happens and kept for the executor's summary (and exit code).
 */
public final class Journal {
    private final PrintStream out;
    private final List<Outcome> outcomes = new ArrayList<>();
    private Consumer<String> mirror = line -> { };

    public Journal(PrintStream out) {
        this.out = out;
    }

    public synchronized Outcome add(Outcome outcome) {
        outcomes.add(outcome);
        mirror(outcome.line());
        out.println("  " + outcome.line());
        out.flush();
        return outcome;
    }

    public synchronized void note(String line) {
        out.println("  … " + line);
        mirror(line);
        out.flush();
    }

    /** Also writes every line to {@code sink} (the running scenario's Cucumber report). */
    public synchronized void mirrorTo(Consumer<String> sink) {
        mirror = sink;
    }

    private void mirror(String line) {
        try {
            mirror.accept(line);
        } catch (IllegalStateException e) {
            // between steps Cucumber's report takes no lines: the console has it
        }
    }

    public synchronized List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }
}
