package com.thephillymojo.ws.play;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ShownVersionsTest {
    @Test
    void anOlderOrTheSameVersionIsNotSentAgainAndTablesAreApart() {
        ShownVersions shown = new ShownVersions();
        List<String> sent = new ArrayList<>();
        assertTrue(shown.offer("g-1", 5, () -> sent.add("g-1@5")));
        assertFalse(shown.offer("g-1", 4, () -> sent.add("g-1@4")), "older");
        assertFalse(shown.offer("g-1", 5, () -> sent.add("g-1@5 again")), "the same");
        assertTrue(shown.offer("g-2", 1, () -> sent.add("g-2@1")), "another table has its own versions");
        assertTrue(shown.offer("g-1", 7, () -> sent.add("g-1@7")), "a gap is fine: newer is newer");
        assertEquals(List.of("g-1@5", "g-2@1", "g-1@7"), sent);
    }

    /**
     * Threads offering interleaved versions of one table (as the writer's thread and the store's
     * listener do): what is queued is strictly increasing, and the newest offered is queued.
     */
    @Test
    void whateverThreadsOfferWhatIsQueuedOnlyGoesForward() throws Exception {
        ShownVersions shown = new ShownVersions();
        List<Long> queued = new CopyOnWriteArrayList<>();
        int threads = 4;
        int perThread = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int offset = w;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long v = offset; v < (long) threads * perThread; v += threads) {
                    long version = v;
                    shown.offer("g-1", version, () -> queued.add(version));
                }
            });
            t.start();
            workers.add(t);
        }
        start.countDown();
        for (Thread t : workers) {
            t.join();
        }
        for (int i = 1; i < queued.size(); i++) {
            assertTrue(queued.get(i) > queued.get(i - 1), "queued " + queued.get(i) + " after " + queued.get(i - 1));
        }
        assertEquals((long) threads * perThread - 1, queued.get(queued.size() - 1), "the newest offered was queued");
    }
}
