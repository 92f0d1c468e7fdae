package com.thephillymojo.ws.play;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one connection has been shown: the newest version of each table. A table's state is queued
 * to the connection only when it is newer, and the check and the queueing are one step (the map's
 * lock for that table) — so whichever thread and whichever copy of the table sends, the states a
 * connection receives only go forward.
 */
public final class ShownVersions {
    private final Map<String, Long> newest = new ConcurrentHashMap<>();

    /** Runs {@code send} if {@code version} is newer than any shown of this table (and records it); says whether it ran. */
    public boolean offer(String tableId, long version, Runnable send) {
        boolean[] sent = {false};
        newest.compute(tableId, (id, shown) -> {
            if (shown != null && version <= shown) {
                return shown;
            }
            send.run();
            sent[0] = true;
            return version;
        });
        return sent[0];
    }
}
