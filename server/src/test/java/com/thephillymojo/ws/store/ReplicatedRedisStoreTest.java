package com.thephillymojo.ws.store;

import com.thephillymojo.ws.support.RedisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's whole contract again, on a Redis with a replica and every change waiting for it
 * ({@code REDIS_ACK_REPLICAS=1}, as ElastiCache with Multi-AZ runs): the answers, the races and the
 * change feed are the same when a change is published only once the replica has it.
 */
class ReplicatedRedisStoreTest extends PlayStoreContract {
    @TempDir
    static Path dir;
    private static RedisProcess primary;
    private static RedisProcess replica;

    @BeforeAll
    static void startRedis() throws Exception {
        RedisProcess.assumeInstalled(ReplicatedRedisStoreTest.class);
        primary = RedisProcess.start(Files.createDirectories(dir.resolve("primary")));
        replica = RedisProcess.startReplicaOf(Files.createDirectories(dir.resolve("replica")), primary);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (replica != null) {
            replica.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    @BeforeEach
    void emptyRedis() {
        try (Redis connection = Redis.connect(primary.uri())) {
            connection.commands().flushall();
        }
    }

    @Override
    PlayStore newTask(String taskId, Duration heartbeatTtl) {
        return new RedisStore(Redis.connect(primary.uri()), taskId, heartbeatTtl, 256, Duration.ofHours(1), 1);
    }
}
