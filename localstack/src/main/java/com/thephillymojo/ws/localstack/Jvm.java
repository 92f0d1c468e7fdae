package com.thephillymojo.ws.localstack;

import java.nio.file.Path;

/** The Java this emulator runs on, found from its own executable ({@code …/bin/java}). */
final class Jvm {
    private Jvm() {
    }

    /** The home of this JVM: a task's JVM image runs on it, and its CA certificates are a task's trust roots. */
    static Path home() {
        return ProcessHandle.current().info().command().map(Path::of).map(java -> java.getParent().getParent())
                .orElseThrow(() -> new IllegalStateException("this JVM's executable cannot be found (ProcessHandle.info)"));
    }
}
