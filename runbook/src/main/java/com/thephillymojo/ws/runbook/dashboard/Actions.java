package com.thephillymojo.ws.runbook.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The operations started from the dashboard: one at a time (a second, or a double click, is
 * refused while one runs), each run by the runbook as its CLI command on a thread of its own, its
 * output kept line by line, and the last few kept when done.
 */
final class Actions implements AutoCloseable {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final int KEPT = 20;
    private static final int LINES = 1_000;

    /** One operation as it runs and ends. */
    static final class Action {
        final String id = UUID.randomUUID().toString();
        final Operator.Operation operation;
        final Instant startedAt = Instant.now();
        private final List<String> lines = new ArrayList<>();
        private Instant endedAt;
        private Operator.Result result;

        Action(Operator.Operation operation) {
            this.operation = operation;
        }

        synchronized void line(String line) {
            if (lines.size() < LINES) {
                lines.add(line);
            }
        }

        synchronized void end(Operator.Result result) {
            this.result = result;
            this.endedAt = Instant.now();
        }

        synchronized boolean running() {
            return result == null;
        }

        synchronized ObjectNode json() {
            ObjectNode o = JSON.createObjectNode();
            o.put("id", id);
            o.put("kind", operation.kind());
            if (operation instanceof Operator.Operation.Deploy d) {
                o.put("tag", d.tag());
            } else if (operation instanceof Operator.Operation.Scale s) {
                o.put("count", s.count());
            }
            o.put("state", result == null ? "running" : result.succeeded() ? "succeeded" : "failed");
            o.put("startedAt", startedAt.toString());
            if (endedAt != null) {
                o.put("endedAt", endedAt.toString());
            }
            o.put("elapsedMs", Duration.between(startedAt, endedAt != null ? endedAt : Instant.now()).toMillis());
            if (result != null) {
                o.put("exitCode", result.exitCode());
                result.failure().ifPresent(f -> o.set("error", Json.failure(f)));
            }
            ArrayNode out = o.putArray("lines");
            lines.forEach(out::add);
            return o;
        }
    }

    private final Operator operator;
    private final java.util.Map<String, String> variables;
    private final Consumer<Action> changed;
    private final AtomicReference<Action> running = new AtomicReference<>();
    private final Deque<Action> kept = new ArrayDeque<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dashboard-action");
        t.setDaemon(true);
        return t;
    });

    /** {@code changed} hears of every line and every start and end (the live page). */
    Actions(Operator operator, java.util.Map<String, String> variables, Consumer<Action> changed) {
        this.operator = operator;
        this.variables = variables;
        this.changed = changed;
    }

    /** Starts the operation unless one runs: then refused (409), naming the one that runs. */
    Action start(Operator.Operation operation) {
        Action action = new Action(operation);
        if (!running.compareAndSet(null, action)) {
            Action busy = running.get();
            throw new ApiError(409, "ActionInProgress", "a " + (busy == null ? "previous" : busy.operation.kind()) + " is in progress"
                    + (busy == null ? "" : " (action " + busy.id + ", started " + busy.startedAt + ")") + "; wait until it ends");
        }
        synchronized (kept) {
            kept.addFirst(action);
            while (kept.size() > KEPT) {
                kept.removeLast();
            }
        }
        changed.accept(action);
        worker.execute(() -> {
            Operator.Result result;
            try {
                result = operator.perform(operation, line -> {
                    action.line(line);
                    changed.accept(action);
                });
            } catch (RuntimeException e) {
                result = new Operator.Result(1, Optional.of(Operator.Failure.of(operation.kind(), Optional.of(e), variables)));
            }
            action.end(result);
            running.set(null);
            changed.accept(action);
        });
        return action;
    }

    Optional<Action> find(String id) {
        synchronized (kept) {
            return kept.stream().filter(a -> a.id.equals(id)).findFirst();
        }
    }

    /** The kept actions, newest first. */
    List<Action> kept() {
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }

    /** Stops taking actions; one that runs is interrupted (its waits end) and the runbook reports it. */
    @Override
    public void close() {
        worker.shutdownNow();
    }
}
