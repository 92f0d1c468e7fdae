package com.thephillymojo.ws.localstack.dataplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * No process of the data plane outlives its emulator: every child (a task, a cache node) is
 * recorded in a pid directory, and one small shell process per emulator waits for the emulator's
 * JVM to go — even killed with -9 — then kills every child still recorded.
 */
public final class Watchdog implements AutoCloseable {
    private final Path pidDirectory;
    private Process watcher;

    public Watchdog(Path pidDirectory) {
        this.pidDirectory = pidDirectory;
    }

    /** Records a child process under a key of the plane's (a task id, a cache node's name). */
    public synchronized void started(String key, long pid) throws IOException {
        Files.writeString(Files.createDirectories(pidDirectory).resolve(key + ".pid"), String.valueOf(pid));
        if (watcher != null && watcher.isAlive()) {
            return;
        }
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; "
                + "for f in '" + pidDirectory + "'/*.pid; do [ -f \"$f\" ] && kill -KILL \"$(cat \"$f\")\" 2>/dev/null; done; "
                + "rm -rf '" + pidDirectory + "'";
        watcher = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The child is gone: the watchdog no longer kills that pid (which the system may give to another process). */
    public void ended(String key) {
        try {
            Files.deleteIfExists(pidDirectory.resolve(key + ".pid"));
        } catch (IOException e) {
            // the watchdog only kills what is still alive
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.destroyForcibly();
        }
    }
}
