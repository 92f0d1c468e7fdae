package com.thephillymojo.ws.runbook.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The executor's exchanges with the person at the terminal: a value an operation refuses, the
 * environment's name typed to confirm a change, and waiting until they stop the process.
 */
final class Prompt {
    private Prompt() {
    }

    /** Whether the operation refuses the option's value; it says why, as the dashboard does. */
    static boolean refuses(PrintStream out, String option, Runnable operation) {
        try {
            operation.run();
            return false;
        } catch (IllegalArgumentException e) {
            out.println("runbook: " + option + ": " + e.getMessage());
            return true;
        }
    }

    /** Asks to type the environment's name; true when it was. */
    static boolean confirmed(PrintStream out, InputStream in, String environment, String what) throws IOException {
        out.print("Type the environment's name (" + environment + ") " + what + ": ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.trim().equals(environment);
    }

    /** Blocks until the process is asked to stop (Ctrl-C, SIGTERM); {@code onStop} runs in the shutdown hook first. */
    static void awaitStop(Runnable onStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            onStop.run();
            stopped.countDown();
        }, "runbook-stop"));
        stopped.await();
    }
}
