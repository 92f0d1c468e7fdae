package com.thephillymojo.ws.localstack;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a state to be reached: polls with a deadline and, when it runs out, says what it
 * waited for and how long. For tests and for the runbook's long waits alike.
 */
public final class Waiting {
    private static final long POLL_MILLIS = 100;

    private Waiting() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier reached) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!reached.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + timeout.toSeconds() + " s for " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
