package com.thephillymojo.ws.localstack;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every IAM action the emulator has served, per access key — each API operation, the registry's
 * requests as ECR authorises them, and the permissions AWS checks besides — for the deployer
 * policy's test; and recordings of what one caller is served from a moment on (one command's calls).
 */
public final class ActionLog {
    private final Map<String, Set<String>> served = new ConcurrentHashMap<>();
    private final List<Recording> recordings = new CopyOnWriteArrayList<>();

    ActionLog() {
    }

    void served(String accessKeyId, String action) {
        served.computeIfAbsent(accessKeyId, k -> ConcurrentHashMap.newKeySet()).add(action);
        recordings.forEach(r -> r.heard(accessKeyId, action));
    }

    SortedSet<String> servedTo(String accessKeyId) {
        return new TreeSet<>(served.getOrDefault(accessKeyId, Set.of()));
    }

    Recording record(String accessKeyId) {
        Recording recording = new Recording(accessKeyId);
        recordings.add(recording);
        return recording;
    }

    /** The IAM actions served to one access key from its start until {@link #close()}: what one command called. */
    public final class Recording implements AutoCloseable {
        private final String accessKeyId;
        private final Set<String> actions = ConcurrentHashMap.newKeySet();

        private Recording(String accessKeyId) {
            this.accessKeyId = accessKeyId;
        }

        private void heard(String key, String action) {
            if (key.equals(accessKeyId)) {
                actions.add(action);
            }
        }

        public SortedSet<String> actions() {
            return new TreeSet<>(actions);
        }

        @Override
        public void close() {
            recordings.remove(this);
        }
    }
}
