package com.thephillymojo.ws.localstack.dataplane;

/**
 * The tiny JVM app the data-plane test deploys as an ECS task: it listens on {@code PORT}, names
 * its task and version on /, answers /health, echoes WebSocket frames on /ws, and exits at once
 * with code 3 when {@code CRASH} is set (to trip the deployment circuit breaker).
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
        System.out.println("listening on " + port + " as " + name + "; secret of " + System.getenv().getOrDefault("APP_SECRET", "").length() + " chars");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping on SIGTERM");
            try {
                backend.close();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
        Thread.currentThread().join();
    }
}
