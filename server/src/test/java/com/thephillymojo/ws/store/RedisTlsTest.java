package com.thephillymojo.ws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.support.RedisProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store reaches a Redis as ElastiCache serves one with transit encryption and an auth token:
 * {@code rediss://user:password@host:port}, the server's certificate checked against the system's
 * CAs plus {@code REDIS_CA_FILE}. A real redis-server with TLS, started by the test.
 */
class RedisTlsTest {
    @TempDir
    static Path dir;
    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        RedisProcess.assumeInstalled(RedisTlsTest.class);
        redis = RedisProcess.startTls(dir, "ws-app", "token-0123456789abcdef");
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void overTlsWithTheCaFileAndTheTokenTheStoreWorks() {
        try (Redis connection = Redis.connect(redis.tlsUri("ws-app", "token-0123456789abcdef"), Optional.of(dir.resolve("ca.pem")));
             RedisStore store = new RedisStore(connection, "task-a", Duration.ofSeconds(30), 256, Duration.ofHours(1))) {
            assertEquals("PONG", connection.commands().ping());
            TableRecord table = new TableRecord("g-tls", 0, "", 1, true, List.of(new TableRecord.Seat(0, "user-a", "A", true)),
                    List.of(false, false), List.of(), false);
            assertEquals(new PlayStore.Write.Written(0), store.compareAndSet(PlayStore.TableWrite.of(table, Duration.ZERO)));
            assertEquals(Optional.of(table), store.load("g-tls"));
        }
    }

    @Test
    void aCertificateNotTrustedOrAWrongTokenIsRefused() {
        // without the CA file the server's certificate is signed by no CA the system trusts
        assertThrows(RuntimeException.class, () -> Redis.connect(redis.tlsUri("ws-app", "token-0123456789abcdef")).close());
        assertThrows(RuntimeException.class,
                () -> Redis.connect(redis.tlsUri("ws-app", "a-wrong-token"), Optional.of(dir.resolve("ca.pem"))).close());
    }

    @Test
    void aUrlThatIsNotRedisSaysWhatIsWrongWithoutItsPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Redis.parse("mysql://app:hunter2@db:3306"));
        assertTrue(e.getMessage().contains("redis://"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class, () -> Redis.parse("app:hunter2@cache:6379"));
        assertFalse(plain.getMessage().contains("hunter2"), plain.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Redis.connect("redis://127.0.0.1:6379", Optional.of(dir.resolve("redis.log"))),
                "a CA file with no certificate is refused before connecting");
    }
}
