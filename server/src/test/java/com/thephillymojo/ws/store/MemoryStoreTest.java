package com.thephillymojo.ws.store;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/** The store a server uses without Redis keeps the same promises (its tasks are views of one state). */
class MemoryStoreTest extends PlayStoreContract {
    private MemoryStore.Shared shared;

    @BeforeEach
    void freshState() {
        shared = new MemoryStore.Shared(Clock.systemUTC());
    }

    @Override
    PlayStore newTask(String taskId, Duration heartbeatTtl) {
        return MemoryStore.task(shared, taskId, heartbeatTtl, 256, Duration.ofHours(1));
    }
}
