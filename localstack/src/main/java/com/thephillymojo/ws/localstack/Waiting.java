package com.thephillymojo.ws.localstack;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Waiting for a state to be reached: polls with a deadline and, when it runs out, says what it
 * waited for and how long. For tests and for the runbook's long waits alike; the runbook's waits
 * also report, every 15 s, what they wait for and how long they have waited.
 */
public final class Waiting {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(15);

    private Waiting() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier reached) throws InterruptedException {
        until(what, timeout, POLL, message -> { }, reached);
    }

    /** Polls every {@code poll}; tells {@code progress} "waiting for …: 45 s of 600 s" now and then. */
    public static void until(String what, Duration timeout, Duration poll, Consumer<String> progress, BooleanSupplier reached)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextReport = start + REPORT_EVERY.toNanos();
        while (!reached.getAsBoolean()) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException("waited " + timeout.toSeconds() + " s for " + what);
            }
            if (now > nextReport) {
                progress.accept("waiting for " + what + ": " + Duration.ofNanos(now - start).toSeconds() + " s of " + timeout.toSeconds() + " s");
                nextReport = now + REPORT_EVERY.toNanos();
            }
            Thread.sleep(poll.toMillis());
        }
    }
}
