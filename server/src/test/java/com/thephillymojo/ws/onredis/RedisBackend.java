package com.thephillymojo.ws.onredis;

import com.thephillymojo.ws.features.ServerWorld;
import com.thephillymojo.ws.store.Redis;
import com.thephillymojo.ws.support.RedisProcess;
import io.cucumber.java.AfterAll;
import io.cucumber.java.Before;
import io.cucumber.java.BeforeAll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Glue only the Redis run of the features loads: one redis-server for the run (started here on a
 * free port, stopped at the end), emptied before each scenario, and every server of a scenario
 * keeping its state there.
 */
public class RedisBackend {
    private static RedisProcess redis;
    private static Path dir;

    @BeforeAll
    public static void startRedis() throws Exception {
        dir = Files.createTempDirectory("features-redis");
        redis = RedisProcess.start(dir);
        ServerWorld.useRedis(redis.uri());
    }

    @Before(order = 0)
    public void emptyRedis() {
        try (Redis connection = Redis.connect(redis.uri())) {
            connection.commands().flushall();
        }
    }

    @AfterAll
    public static void stopRedis() throws Exception {
        ServerWorld.useRedis(null);
        if (redis != null) {
            redis.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
