package com.thephillymojo.ws.localstack.dataplane;

/**
 * The tiny JVM app the data-plane test deploys as an ECS task: it listens on {@code PORT}, names
 * its task and version on /, answers /health, echoes WebSocket frames on /ws, and exits at once
 * with code 3 when {@code CRASH} is set (to trip the deployment circuit breaker); with
 * {@code IGNORE_SIGTERM} its shutdown never finishes, so only SIGKILL stops it; with
 * {@code DRAIN_MILLIS} it takes that long to drain after SIGTERM and says so when done (as our
 * server logs its drain), to prove that what a task prints while stopping reaches its log.
 */
public final class EchoApp {
    private EchoApp() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getenv("CRASH") != null) {
            System.out.println("crashing on purpose");
            System.exit(3);
        }
        String task = System.getenv().getOrDefault("ECS_TASK_ARN", "local");
        String name = task.substring(task.lastIndexOf('/') + 1) + "@" + System.getenv().getOrDefault("APP_VERSION", "v0");
        int port = Integer.parseInt(System.getenv("PORT"));
        EchoBackend backend = new EchoBackend(name, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping on SIGTERM");
            String drain = System.getenv("DRAIN_MILLIS");
            if (drain != null) {
                try {
                    Thread.sleep(Long.parseLong(drain)); // the work a real drain does (closing connections) takes this long
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("drained after SIGTERM");
            }
            if (System.getenv("IGNORE_SIGTERM") != null) {
                try {
                    Thread.sleep(600_000); // a shutdown that never ends: only SIGKILL stops this one
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                backend.close();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
        // announced once the shutdown hook is in place, so that a SIGTERM after this line finds it
        System.out.println("listening on " + port + " as " + name + "; secret of " + System.getenv().getOrDefault("APP_SECRET", "").length() + " chars");
        Thread.currentThread().join();
    }
}
