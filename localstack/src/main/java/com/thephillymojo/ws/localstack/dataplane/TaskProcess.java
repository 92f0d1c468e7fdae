package com.thephillymojo.ws.localstack.dataplane;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One task's container process, and what the data plane did to it (the task itself lives in the ECS backend). */
final class TaskProcess {
    volatile Process process;
    volatile int hostPort;
    /** Why the container could not start (the task stops with it). */
    volatile String failure;
    volatile Integer exitCode;
    volatile long sigtermAt;
    volatile long exitedAt;
    /** Completes when the container's output has reached its end (every line is in the log). */
    final CompletableFuture<Void> outputDone = new CompletableFuture<>();
    /** The target groups the task is registered in. */
    final List<String> registered = new ArrayList<>();
    boolean deregistered;
    /** Counted once towards its deployment's circuit breaker. */
    boolean countedAsFailure;
}
