package com.thephillymojo.ws.runbook.steps;

import com.thephillymojo.ws.runbook.infra.Cloud;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How the executor hands a run to the glue. Cucumber builds the glue itself (PicoContainer, one
 * world per scenario), so the run's environment and the operator's request cross over here, set
 * for the length of one Cucumber run. Everything scenario-scoped lives in {@link World}.
 */
public final class Handoff {
    /**
     * One run: the environment as a {@link Cloud}, what the operator asked for on the command line,
     * and the first failure (once a scenario fails, the later ones, which build on it, do not run):
     * the step that failed and its error.
     */
    public record Request(Cloud cloud, Optional<String> tag, OptionalInt count, AtomicReference<String> firstFailure,
                          AtomicReference<Throwable> firstError) {
        public Request(Cloud cloud, Optional<String> tag, OptionalInt count) {
            this(cloud, tag, count, new AtomicReference<>(), new AtomicReference<>());
        }
    }

    private static volatile Request current;

    private Handoff() {
    }

    public static synchronized <T> T during(Request request, java.util.concurrent.Callable<T> run) throws Exception {
        current = request;
        try {
            return run.call();
        } finally {
            current = null;
        }
    }

    public static Request current() {
        Request request = current;
        if (request == null) {
            throw new IllegalStateException("the runbook's steps run from the executor (runbook/bin/runbook), which sets up the environment");
        }
        return request;
    }
}
