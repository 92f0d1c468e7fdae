package com.thephillymojo.ws.runbook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the runbook made in one environment: names, ARNs, DNS names and image digests, kept in
 * {@code runbook/state/NAME.json} (one key per output, sorted, written after every change so an
 * interrupted run leaves a true record). The actions find resources through the APIs by name; the
 * state is their record and what {@code status}, {@code rollback} and {@code destroy} start from.
 */
public final class State {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final TreeMap<String, String> outputs;
    private final boolean persistent;

    private State(Path file, TreeMap<String, String> outputs, boolean persistent) {
        this.file = file;
        this.outputs = outputs;
        this.persistent = persistent;
    }

    /** A copy that is never written back: what a plan works on. */
    public synchronized State detached() {
        return new State(file, new TreeMap<>(outputs), false);
    }

    public static State open(Path directory, String environment) {
        Path file = directory.resolve(environment + ".json");
        TreeMap<String, String> outputs = new TreeMap<>();
        if (Files.exists(file)) {
            try {
                JSON.readTree(file.toFile()).properties().forEach(e -> outputs.put(e.getKey(), e.getValue().asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the state file " + file, e);
            }
        }
        return new State(file, outputs, true);
    }

    public synchronized Optional<String> get(String key) {
        return Optional.ofNullable(outputs.get(key));
    }

    public synchronized void put(String key, String value) {
        if (!value.equals(outputs.put(key, value))) {
            save();
        }
    }

    /** Forgets every output whose key starts with {@code prefix} (a resource deleted). */
    public synchronized void forget(String prefix) {
        if (outputs.keySet().removeIf(k -> k.startsWith(prefix))) {
            save();
        }
    }

    public synchronized TreeMap<String, String> outputs() {
        return new TreeMap<>(outputs);
    }

    public Path file() {
        return file;
    }

    private void save() {
        if (!persistent) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(temporary.toFile(), outputs);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state file " + file, e);
        }
    }
}
