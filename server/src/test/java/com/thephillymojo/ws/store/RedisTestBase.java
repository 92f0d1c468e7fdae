package com.thephillymojo.ws.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.thephillymojo.ws.support.RedisProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One real redis-server per test class, started on a free port and stopped after it; skipped with a message without one. */
abstract class RedisTestBase {
    @TempDir
    static Path redisDir;
    static RedisProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        if (RedisProcess.binary().isEmpty()) {
            System.err.println("redis-server is not installed (Debian package 'redis-server'): skipping the Redis store's tests");
        }
        assumeTrue(RedisProcess.binary().isPresent(), "redis-server is not installed");
        redis = RedisProcess.start(redisDir);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
