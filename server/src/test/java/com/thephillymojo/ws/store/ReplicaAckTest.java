package com.thephillymojo.ws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.thephillymojo.ws.store.PlayStore.Answer;
import com.thephillymojo.ws.store.PlayStore.TableChange;
import com.thephillymojo.ws.store.PlayStore.TableWrite;
import com.thephillymojo.ws.store.PlayStore.Write;
import com.thephillymojo.ws.support.RedisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why a change waits for a replica. A primary and its replica, both real redis-servers; the replica
 * is promoted just before a change is made, so that it never receives it, then the primary dies —
 * an ElastiCache failover at its worst moment.
 * <ul>
 *   <li>Waiting for the replica ({@code ackReplicas=1}), the change is not acknowledged: the store
 *       says it is unavailable; after the promotion it is not there, and the command sent again with
 *       its id is applied then, once.</li>
 *   <li>Not waiting ({@code ackReplicas=0}, what the server did before), the same change is
 *       acknowledged — and gone after the promotion: an acknowledged move lost.</li>
 * </ul>
 * With the replica back instead of a promotion, the command sent again is answered as it was first
 * and the change is published then.
 */
class ReplicaAckTest {
    @TempDir
    Path dir;
    private RedisProcess primary;
    private RedisProcess replica;
    private final List<AutoCloseable> opened = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        RedisProcess.assumeInstalled(ReplicaAckTest.class);
        primary = RedisProcess.start(Files.createDirectories(dir.resolve("primary")));
        replica = RedisProcess.startReplicaOf(Files.createDirectories(dir.resolve("replica")), primary);
    }

    @AfterEach
    void stop() throws Exception {
        closeStores();
        replica.close();
        primary.close();
    }

    private RedisStore task(RedisProcess redis, String id, int ackReplicas) {
        RedisStore store = new RedisStore(Redis.connect(redis.uri()), id, Duration.ofSeconds(30), 256, Duration.ofHours(1), ackReplicas);
        opened.add(store);
        return store;
    }

    private static TableRecord table(long version) {
        TableRecord t = new TableRecord("g-1", 0, "ABCDEF", 3, true, List.of(new TableRecord.Seat(0, "user-a", "A", true)), List.of(false, false),
                List.of(), false);
        for (long v = 1; v <= version; v++) {
            t = t.next(t.seats(), List.of(v % 2 == 1, false), t.games(), false);
        }
        return t;
    }

    /** The command "cmd-1" of user-a, which makes version 1 and is answered "ack-1". */
    private static TableWrite move() {
        return TableWrite.of(table(1), Duration.ZERO).answering(new Answer("user-a", "cmd-1", "ack-1"));
    }

    private void closeStores() {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                // a store on the primary that was killed cannot say goodbye; its connection is closed all the same
            }
        }
        opened.clear();
    }

    @Test
    void aChangeOnlyThePrimaryHasIsNotAcknowledgedAndIsAppliedOnceWhenSentAgain() throws Exception {
        RedisStore store = task(primary, "a", 1);
        assertEquals(new Write.Written(0), store.compareAndSet(TableWrite.of(table(0), Duration.ZERO)), "the replica has version 0");
        replica.promote();
        PlayStore.Unavailable refused = assertThrows(PlayStore.Unavailable.class, () -> store.compareAndSet(move()));
        assertEquals("no replica acknowledged the change of table g-1 within 500 ms", refused.getMessage());

        primary.kill();
        RedisStore promoted = task(replica, "b", 0);
        assertEquals(0, promoted.load("g-1").orElseThrow().version(), "what was not acknowledged is not there");
        assertEquals(new Write.Written(1), promoted.compareAndSet(move()), "sent again, the command is applied now");
        assertEquals(new Write.Answered("ack-1"), promoted.compareAndSet(move()), "and once");
    }

    @Test
    void withoutWaitingForTheReplicaAnAcknowledgedChangeIsLostInAFailover() throws Exception {
        task(primary, "setup", 1).compareAndSet(TableWrite.of(table(0), Duration.ZERO));   // the replica has version 0
        RedisStore store = task(primary, "a", 0);
        replica.promote();
        assertEquals(new Write.Written(1), store.compareAndSet(move()), "acknowledged: the primary has it");

        primary.kill();
        RedisStore promoted = task(replica, "b", 0);
        assertEquals(0, promoted.load("g-1").orElseThrow().version(), "the acknowledged change is gone: what ackReplicas=1 prevents");
    }

    @Test
    void aChangeTheReplicaGetsLateIsAnsweredAsItWasFirstAndPublishedThen() throws Exception {
        RedisStore store = task(primary, "a", 1);
        RedisStore other = task(primary, "b", 1);
        LinkedBlockingQueue<TableChange> heard = new LinkedBlockingQueue<>();
        opened.add(other.subscribe(heard::add));
        store.compareAndSet(TableWrite.of(table(0), Duration.ZERO));
        assertEquals(0, heard.poll(10, TimeUnit.SECONDS).version(), "a change the replica has is published");

        replica.pause();
        assertThrows(PlayStore.Unavailable.class, () -> store.compareAndSet(move()));
        assertEquals(null, heard.poll(700, TimeUnit.MILLISECONDS), "a change only the primary has is not published");
        replica.resume();
        assertEquals(new Write.Answered("ack-1"), store.compareAndSet(move()), "sent again: its first answer, now that the replica has it");
        TableChange told = heard.poll(10, TimeUnit.SECONDS);
        assertEquals(1, told.version(), "and the change is told then");
        assertEquals(1, other.load("g-1").orElseThrow().version());
    }
}
