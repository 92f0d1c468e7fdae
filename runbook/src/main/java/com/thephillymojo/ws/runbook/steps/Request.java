package com.thephillymojo.ws.runbook.steps;

import com.thephillymojo.ws.runbook.infra.Cloud;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One Cucumber run of the runbook, as the executor asks for it and every scenario's {@link World}
 * receives it ({@link ScenarioFactory}): the environment as a {@link Cloud}, what the operator
 * asked for on the command line, and the run's first failure — the step that failed and its error
 * (once a scenario fails, the later ones, which build on it, do not run).
 */
public record Request(Cloud cloud, Optional<String> tag, OptionalInt count, AtomicReference<String> firstFailure,
                      AtomicReference<Throwable> firstError) {
    public Request(Cloud cloud, Optional<String> tag, OptionalInt count) {
        this(cloud, tag, count, new AtomicReference<>(), new AtomicReference<>());
    }
}
