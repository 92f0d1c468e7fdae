package com.thephillymojo.ws.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.support.RedisProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store in a real Redis: Debian's redis-server, started by this test on a free port and
 * emptied before each test; every task a connection of its own.
 */
class RedisStoreTest extends PlayStoreContract {
    @TempDir
    static Path dir;
    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        RedisProcess.assumeInstalled(RedisStoreTest.class);
        redis = RedisProcess.start(dir);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void emptyRedis() {
        try (Redis connection = Redis.connect(redis.uri())) {
            connection.commands().flushall();
        }
    }

    @Override
    PlayStore newTask(String taskId, Duration heartbeatTtl) {
        return new RedisStore(Redis.connect(redis.uri()), taskId, heartbeatTtl, 256, Duration.ofHours(1));
    }

    @Test
    void answersAndUserStateExpire() {
        PlayStore store = task("a");
        store.remember("user-alice", "p1", "answer");
        try (Redis connection = Redis.connect(redis.uri())) {
            long ttl = connection.commands().pttl("answers:user-alice");
            assertTrue(ttl > 0 && ttl <= 3_600_000, "a user's answers expire an hour after their last command: " + ttl);
        }
    }
}
