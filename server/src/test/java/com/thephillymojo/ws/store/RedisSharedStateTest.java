package com.thephillymojo.ws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What tasks share besides tables — deadlines, remembered answers, presence, quick-match queues —
 * in a real Redis, each "task" with a connection of its own.
 */
class RedisSharedStateTest extends RedisTestBase {
    @Test
    void aDeadlineSetByATaskThatDiedFiresOnAnotherAndAnUnfinishedClaimIsTakenAgain() {
        try (Redis a = Redis.connect(redis.uri()); Redis b = Redis.connect(redis.uri())) {
            new RedisDeadlines(a).set("forfeit:g-1:0", 1_000);
            new RedisDeadlines(a).set("forfeit:g-2:1", 5_000);
            a.close();   // the task that set them is gone
            RedisDeadlines deadlines = new RedisDeadlines(b);
            assertEquals(List.of(), deadlines.claimDue(999, Duration.ofSeconds(10), 10), "nothing is due before its time");
            List<RedisDeadlines.Claim> claimed = deadlines.claimDue(1_000, Duration.ofSeconds(10), 10);
            assertEquals(List.of(new RedisDeadlines.Claim("forfeit:g-1:0", 11_000)), claimed);
            assertEquals(List.of(), deadlines.claimDue(2_000, Duration.ofSeconds(10), 10), "a claimed deadline is held for its lease");
            // the claimer died before acting: when the lease is over, it is claimed again
            assertEquals(Set.of("forfeit:g-1:0", "forfeit:g-2:1"),
                    Set.copyOf(deadlines.claimDue(11_000, Duration.ofSeconds(10), 10).stream().map(RedisDeadlines.Claim::name).toList()));
            // acted on: gone; set again after the claim: kept
            List<RedisDeadlines.Claim> again = deadlines.claimDue(21_000, Duration.ofSeconds(10), 10);
            RedisDeadlines.Claim first = again.stream().filter(c -> c.name().equals("forfeit:g-1:0")).findFirst().orElseThrow();
            RedisDeadlines.Claim second = again.stream().filter(c -> c.name().equals("forfeit:g-2:1")).findFirst().orElseThrow();
            deadlines.set("forfeit:g-2:1", 40_000);
            assertTrue(deadlines.done(first));
            assertEquals(false, deadlines.done(second), "a deadline set again after its claim stays");
            assertEquals(List.of("forfeit:g-2:1"), deadlines.claimDue(40_000, Duration.ofSeconds(10), 10).stream().map(RedisDeadlines.Claim::name).toList());
        }
    }

    @Test
    void twoTasksClaimingTogetherGetEachDeadlineOnce() throws Exception {
        try (Redis a = Redis.connect(redis.uri()); Redis b = Redis.connect(redis.uri())) {
            RedisDeadlines setter = new RedisDeadlines(a);
            for (int i = 0; i < 200; i++) {
                setter.set("race:" + i, 50_000 + i);
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<String>>> claims = new ArrayList<>();
                for (Redis task : List.of(a, b)) {
                    claims.add(pool.submit(() -> {
                        List<String> mine = new ArrayList<>();
                        RedisDeadlines deadlines = new RedisDeadlines(task);
                        for (int round = 0; round < 100; round++) {
                            deadlines.claimDue(60_000, Duration.ofMinutes(5), 3).forEach(c -> mine.add(c.name()));
                        }
                        return mine;
                    }));
                }
                List<String> first = claims.get(0).get(60, TimeUnit.SECONDS);
                List<String> second = claims.get(1).get(60, TimeUnit.SECONDS);
                Set<String> both = new HashSet<>(first);
                both.retainAll(second);
                assertEquals(Set.of(), both, "no deadline claimed by both");
                assertEquals(200, first.size() + second.size(), "every deadline claimed once");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aResentCommandIdIsAnsweredWithTheFirstAnswerOnAnyTaskAndOnlyTheLast256AreKept() {
        try (Redis a = Redis.connect(redis.uri()); Redis b = Redis.connect(redis.uri())) {
            RedisAnswers onA = new RedisAnswers(a, 256, Duration.ofHours(1));
            RedisAnswers onB = new RedisAnswers(b, 256, Duration.ofHours(1));
            assertEquals("{\"type\":\"ack\",\"id\":\"p1\"}", onA.remember("user-alice", "p1", "{\"type\":\"ack\",\"id\":\"p1\"}"));
            assertEquals(Optional.of("{\"type\":\"ack\",\"id\":\"p1\"}"), onB.answered("user-alice", "p1"), "another task knows it");
            assertEquals("{\"type\":\"ack\",\"id\":\"p1\"}", onB.remember("user-alice", "p1", "{\"type\":\"error\",\"id\":\"p1\"}"),
                    "a task that raced on the same id gets the first answer back");
            for (int i = 2; i <= 300; i++) {
                onA.remember("user-alice", "p" + i, "answer " + i);
            }
            assertEquals(Optional.empty(), onB.answered("user-alice", "p44"), "older ids are forgotten");
            assertEquals(Optional.of("answer 45"), onB.answered("user-alice", "p45"), "the last 256 are kept");
            assertEquals(Optional.empty(), onB.answered("user-bob", "p45"), "answers are per user");
            long ttl = a.commands().pttl("answers:user-alice");
            assertTrue(ttl > 0 && ttl <= 3_600_000, "they expire: " + ttl);
        }
    }

    @Test
    void aDeadTasksConnectionsStopCountingWithinItsHeartbeatAndTheCapHoldsAcrossTasks() throws Exception {
        try (Redis a = Redis.connect(redis.uri()); Redis b = Redis.connect(redis.uri())) {
            RedisPresence taskA = new RedisPresence(a, "task-a", Duration.ofMillis(800));
            RedisPresence taskB = new RedisPresence(b, "task-b", Duration.ofSeconds(30));
            taskA.heartbeat();
            taskB.heartbeat();
            assertEquals(1, taskA.connect("user-alice", "c1", 2));
            assertEquals(2, taskB.connect("user-alice", "c2", 2));
            assertEquals(-2, taskB.connect("user-alice", "c3", 2), "the cap counts the connections on every task");
            assertEquals(2, taskB.connections("user-alice"));
            // task A stops beating (it died): its connection stops counting within the TTL
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (taskB.connections("user-alice") != 1) {
                assertTrue(System.nanoTime() < deadline, "task A's connection still counts 10 s after its last heartbeat");
                Thread.sleep(50);
            }
            assertEquals(2, taskB.connect("user-alice", "c3", 2), "the freed place can be taken");
            taskB.disconnect("user-alice", "c2");
            taskB.disconnect("user-alice", "c3");
            assertEquals(0, taskB.connections("user-alice"));
            taskB.stop();
        }
    }

    @Test
    void quickMatchPairsEveryWaitingPlayerOnceWhateverTaskTheyAskOn() throws Exception {
        try (Redis a = Redis.connect(redis.uri()); Redis b = Redis.connect(redis.uri())) {
            RedisQueues onA = new RedisQueues(a);
            RedisQueues onB = new RedisQueues(b);
            assertEquals(Optional.empty(), onA.pairOrWait(3, "user-dave"));
            assertEquals(Optional.empty(), onA.pairOrWait(3, "user-dave"), "asking again does not pair a player with themself");
            assertEquals(Optional.of("user-dave"), onB.pairOrWait(3, "user-erin"));
            assertEquals(0, onA.waiting(3));
            onA.pairOrWait(5, "user-frank");
            onB.leave(5, "user-frank");
            assertEquals(0, onA.waiting(5));

            List<String> users = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                users.add("user-" + i);
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<String>>> results = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    RedisQueues queues = t == 0 ? onA : onB;
                    List<String> mine = users.subList(t * 50, t * 50 + 50);
                    results.add(pool.submit(() -> {
                        List<String> seated = new ArrayList<>();
                        for (String u : mine) {
                            queues.pairOrWait(7, u).ifPresent(other -> {
                                seated.add(u);
                                seated.add(other);
                            });
                        }
                        return seated;
                    }));
                }
                List<String> seated = new ArrayList<>(results.get(0).get(60, TimeUnit.SECONDS));
                seated.addAll(results.get(1).get(60, TimeUnit.SECONDS));
                assertEquals(100, seated.size(), "fifty pairs");
                Collections.sort(seated);
                List<String> expected = new ArrayList<>(users);
                Collections.sort(expected);
                assertEquals(expected, seated, "each player seated exactly once");
                assertEquals(0, onA.waiting(7));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
