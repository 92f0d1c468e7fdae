package com.thephillymojo.ws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.game.GameEvent;
import com.thephillymojo.ws.game.Player;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PlayStore} promises, run against each implementation. A "task" is a view of
 * the store of its own (a connection of its own, for Redis); several share one state.
 */
abstract class PlayStoreContract {
    private final List<PlayStore> opened = new ArrayList<>();

    /** A task's view of this test's shared state, whose heart beats for {@code heartbeatTtl}. */
    abstract PlayStore newTask(String taskId, Duration heartbeatTtl);

    PlayStore task(String taskId) {
        return task(taskId, Duration.ofSeconds(30));
    }

    PlayStore task(String taskId, Duration heartbeatTtl) {
        PlayStore store = newTask(taskId, heartbeatTtl);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeTasks() {
        opened.forEach(PlayStore::close);
    }

    private static TableRecord waiting(String id) {
        return new TableRecord(id, 0, "ABCDEF", 3, true, List.of(new TableRecord.Seat(0, "user-a", "A", true)), List.of(false, false),
                List.of(), false);
    }

    /** The same table one change later, with {@code event} appended to a one-game log. */
    private static TableRecord plus(TableRecord t, GameEvent event) {
        List<GameEvent> log = new ArrayList<>(t.games().isEmpty() ? List.of() : t.games().get(0));
        log.add(event);
        return t.next(t.seats(), t.rematch(), List.of(log), t.matchOverSent());
    }

    // ---- tables ----------------------------------------------------------------------------------

    @Test
    void aTableIsCreatedOnceLoadedAndChangedOnlyFromItsCurrentVersion() {
        PlayStore store = task("a");
        assertEquals(Optional.empty(), store.load("g-none"));
        TableRecord created = waiting("g-1");
        assertEquals(new PlayStore.Write.Written(0), store.compareAndSet(PlayStore.TableWrite.of(created, Duration.ZERO)));
        assertEquals(new PlayStore.Write.Conflict(0), store.compareAndSet(PlayStore.TableWrite.of(created, Duration.ZERO)), "a table is created once");
        assertEquals(Optional.of(created), task("b").load("g-1"), "another task reads it");

        TableRecord seated = created.next(List.of(new TableRecord.Seat(0, "user-a", "A", true), new TableRecord.Seat(1, "user-b", "B", true)),
                created.rematch(), created.games(), false);
        assertEquals(new PlayStore.Write.Written(1), store.compareAndSet(PlayStore.TableWrite.of(seated, Duration.ZERO)));
        assertEquals(new PlayStore.Write.Conflict(1), store.compareAndSet(PlayStore.TableWrite.of(seated, Duration.ZERO)), "a copy of version 0 is not written again");
        assertEquals(Optional.of(seated), store.load("g-1"));
    }

    @Test
    void theLoserOfARaceReloadsAndNothingIsLost() {
        PlayStore a = task("a");
        PlayStore b = task("b");
        TableRecord v0 = waiting("g-race");
        a.compareAndSet(PlayStore.TableWrite.of(v0, Duration.ZERO));
        // task A has read version 0 and decided; task B writes first
        TableRecord fromA = v0.next(v0.seats(), List.of(true, false), v0.games(), false);
        TableRecord fromB = v0.next(v0.seats(), List.of(false, true), v0.games(), false);
        assertEquals(new PlayStore.Write.Written(1), b.compareAndSet(PlayStore.TableWrite.of(fromB, Duration.ZERO)));
        assertEquals(new PlayStore.Write.Conflict(1), a.compareAndSet(PlayStore.TableWrite.of(fromA, Duration.ZERO)));
        // A reloads the current table, applies its change to it, and writes
        TableRecord current = a.load("g-race").orElseThrow();
        TableRecord retried = current.next(current.seats(), List.of(true, current.rematch().get(1)), current.games(), false);
        assertEquals(new PlayStore.Write.Written(2), a.compareAndSet(PlayStore.TableWrite.of(retried, Duration.ZERO)));
        assertEquals(List.of(true, true), b.load("g-race").orElseThrow().rematch(), "both changes stand");
    }

    @Test
    void manyWritersOnOneTableLoseNoUpdate() throws Exception {
        task("setup").compareAndSet(PlayStore.TableWrite.of(waiting("g-busy"), Duration.ZERO));
        int writers = 4;
        int each = 50;
        List<PlayStore> tasks = List.of(task("w0"), task("w1"));
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                PlayStore mine = tasks.get(w % 2);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        while (!(mine.compareAndSet(PlayStore.TableWrite.of(plus(mine.load("g-busy").orElseThrow(), new GameEvent.Took(Player.ZERO)), Duration.ZERO))
                                instanceof PlayStore.Write.Written)) {
                            // lost the race: reload and try again
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        TableRecord last = tasks.get(0).load("g-busy").orElseThrow();
        assertEquals(writers * each, last.version(), "every write applied once, on the version before it");
        assertEquals(writers * each, last.games().get(0).size(), "no change lost");
    }

    @Test
    void everyChangeIsPublishedToEveryTaskAndAFinishedTableExpires() throws Exception {
        PlayStore writer = task("a");
        BlockingQueue<PlayStore.TableChange> seen = new LinkedBlockingQueue<>();
        try (AutoCloseable subscription = task("b").subscribe(seen::add)) {
            TableRecord t = waiting("g-pub");
            writer.compareAndSet(PlayStore.TableWrite.of(t, Duration.ZERO));
            assertEquals(PlayStore.TableChange.written(t, List.of(), Optional.empty()), seen.poll(10, TimeUnit.SECONDS), "with the table as written");
            assertEquals(-1, writer.secondsToLive("g-pub"), "a table in play is kept");
            TableRecord over = t.next(t.seats(), t.rematch(), t.games(), true);
            writer.compareAndSet(PlayStore.TableWrite.of(over, Duration.ofDays(1)));
            assertEquals(PlayStore.TableChange.written(over, List.of(), Optional.empty()), seen.poll(10, TimeUnit.SECONDS));
            long ttl = writer.secondsToLive("g-pub");
            assertTrue(ttl > 86_000 && ttl <= 86_400, "a finished table goes a day later: " + ttl);
            TableRecord rematched = over.next(over.seats(), List.of(true, false), over.games(), false);
            TableNews news = new TableNews(Optional.of(TableDelta.between(0, 0, rematched)), "{\"type\":\"state\",\"version\":2}");
            writer.compareAndSet(PlayStore.TableWrite.of(rematched, Duration.ZERO).telling(news));
            assertEquals(PlayStore.TableChange.written(rematched, List.of(), Optional.of(news)), seen.poll(10, TimeUnit.SECONDS),
                    "the writer's news, as told");
            assertEquals(-1, writer.secondsToLive("g-pub"), "a rematch keeps it again");
            assertEquals(-2, writer.secondsToLive("g-never"));
        }
    }

    @Test
    void changesAndMessagesReachEveryTaskInTheOrderMade() throws Exception {
        PlayStore a = task("a");
        BlockingQueue<PlayStore.TableChange> onB = new LinkedBlockingQueue<>();
        BlockingQueue<PlayStore.TableChange> onC = new LinkedBlockingQueue<>();
        try (AutoCloseable b = task("b").subscribe(onB::add); AutoCloseable c = task("c").subscribe(onC::add)) {
            TableRecord first = waiting("g-0");
            TableRecord t = first;
            a.compareAndSet(PlayStore.TableWrite.of(t, Duration.ZERO));
            for (int i = 0; i < 100; i++) {
                a.publish("g-" + (i % 3), List.of("user-a"), "{\"type\":\"chat\",\"text\":\"line " + i + " with spaces\"}");
                if (i == 50) {
                    t = t.next(t.seats(), List.of(true, false), t.games(), false);
                    a.compareAndSet(PlayStore.TableWrite.of(t, Duration.ZERO).announcing(List.of("{\"type\":\"presence\"}", "x y")));
                }
            }
            TableRecord second = t;
            for (BlockingQueue<PlayStore.TableChange> seen : List.of(onB, onC)) {
                assertEquals(PlayStore.TableChange.written(first, List.of(), Optional.empty()), seen.poll(10, TimeUnit.SECONDS));
                for (int i = 0; i < 100; i++) {
                    assertEquals(PlayStore.TableChange.messages("g-" + (i % 3), List.of("user-a"),
                            List.of("{\"type\":\"chat\",\"text\":\"line " + i + " with spaces\"}")), seen.poll(10, TimeUnit.SECONDS));
                    if (i == 50) {
                        assertEquals(PlayStore.TableChange.written(second, List.of("{\"type\":\"presence\"}", "x y"), Optional.empty()),
                                seen.poll(10, TimeUnit.SECONDS), "a change and its messages, in order with the rest");
                    }
                }
            }
        }
    }

    // ---- seats and invitations -------------------------------------------------------------------

    private static TableRecord table(String id, String code, String... users) {
        List<TableRecord.Seat> seats = new ArrayList<>();
        for (int i = 0; i < users.length; i++) {
            seats.add(new TableRecord.Seat(i, users[i], users[i], true));
        }
        return new TableRecord(id, 0, code, 3, true, seats, List.of(false, false), List.of(), false);
    }

    @Test
    void aPlayerHoldsOneSeatAtATimeAcrossTasksAndAnInviteCodeOpensOneTable() {
        PlayStore a = task("a");
        PlayStore b = task("b");
        TableRecord t1 = table("g-1", "CODE11", "user-a");
        assertEquals(new PlayStore.Write.Written(0), a.compareAndSet(PlayStore.TableWrite.of(t1, Duration.ofDays(1)).claiming(List.of("user-a"))));
        assertEquals(Optional.of("g-1"), b.tableOf("user-a"));
        assertEquals(Optional.of("g-1"), b.invited("CODE11"));
        assertEquals(new PlayStore.Write.Busy("user-a", "g-1"),
                b.compareAndSet(PlayStore.TableWrite.of(table("g-2", "", "user-a"), Duration.ZERO).claiming(List.of("user-a"))),
                "a player waiting at one table cannot sit at another");
        assertEquals(new PlayStore.Write.CodeTaken(),
                b.compareAndSet(PlayStore.TableWrite.of(table("g-3", "CODE11", "user-c"), Duration.ZERO).claiming(List.of("user-c"))));
        assertEquals(Optional.empty(), b.load("g-2"), "a refused write wrote nothing");
        assertEquals(Optional.empty(), b.tableOf("user-c"), "a refused write seated nobody");

        // bob joins by the code: the invitation closes
        TableRecord joined = t1.next(List.of(t1.seats().get(0), new TableRecord.Seat(1, "user-b", "B", true)), t1.rematch(), t1.games(), false);
        assertEquals(new PlayStore.Write.Written(1), b.compareAndSet(PlayStore.TableWrite.of(joined, Duration.ZERO).claiming(List.of("user-b"))));
        assertEquals(Optional.empty(), a.invited("CODE11"));
        assertEquals(Optional.of("g-1"), a.tableOf("user-b"));

        // the match ends: both may sit elsewhere, and still sit here until they do
        TableRecord over = joined.next(joined.seats(), joined.rematch(), joined.games(), true);
        a.compareAndSet(PlayStore.TableWrite.of(over, Duration.ofDays(1)));
        assertEquals(Optional.of("g-1"), a.tableOf("user-a"));
        assertEquals(new PlayStore.Write.Written(0),
                b.compareAndSet(PlayStore.TableWrite.of(table("g-4", "", "user-a", "user-d"), Duration.ZERO).claiming(List.of("user-a", "user-d"))));
        assertEquals(Optional.of("g-4"), a.tableOf("user-a"));
        // bob leaves the old table
        TableRecord left = over.next(over.seats(), over.rematch(), over.games(), true);
        a.compareAndSet(PlayStore.TableWrite.of(left, Duration.ofDays(1)).releasing(List.of("user-b", "user-a")));
        assertEquals(Optional.empty(), a.tableOf("user-b"));
        assertEquals(Optional.of("g-4"), a.tableOf("user-a"), "leaving a table frees only a seat held there");
    }

    @Test
    void aChangeCarriesItsCommandsAnswerAndTheSameIdIsNeverAppliedTwice() {
        PlayStore a = task("a");
        PlayStore b = task("b");
        TableRecord t = table("g-ans", "", "user-a", "user-b");
        a.compareAndSet(PlayStore.TableWrite.of(t, Duration.ZERO));
        TableRecord fromA = t.next(t.seats(), List.of(true, false), t.games(), false);
        PlayStore.Answer answer = new PlayStore.Answer("user-a", "c1", "{\"type\":\"ack\",\"id\":\"c1\"}");
        assertEquals(new PlayStore.Write.Written(1), a.compareAndSet(PlayStore.TableWrite.of(fromA, Duration.ZERO).answering(answer)));
        assertEquals(Optional.of(answer.text()), b.answered("user-a", "c1"));
        // the client resends c1 to task B, which read version 1 and decided again
        TableRecord fromB = fromA.next(fromA.seats(), List.of(true, true), fromA.games(), false);
        assertEquals(new PlayStore.Write.Answered(answer.text()), b.compareAndSet(PlayStore.TableWrite.of(fromB, Duration.ZERO)
                .answering(new PlayStore.Answer("user-a", "c1", "{\"type\":\"ack\",\"id\":\"c1\",\"second\":true}"))));
        assertEquals(1, b.load("g-ans").orElseThrow().version(), "the resent command changed nothing");
    }

    @Test
    void theUsersOfATaskThatDiedBecomeDueDeadlinesOnce() throws Exception {
        PlayStore a = task("task-a", Duration.ofMillis(500));
        PlayStore b = task("task-b");
        a.heartbeat();
        b.heartbeat();
        a.connect("user-alice", "c1", 5);
        a.connect("user-bob", "c2", 5);
        a.connect("user-carol", "c3", 5);
        a.disconnect("user-carol", "c3", true);
        b.connect("user-dave", "c4", 5);
        assertEquals(0, b.reapDeadTasks(1_000), "no task died");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int handed;
        while ((handed = b.reapDeadTasks(1_000)) == 0) {
            assertTrue(System.nanoTime() < deadline, "task A's death is not seen 10 s after its last heartbeat");
            Thread.sleep(50);
        }
        assertEquals(2, handed, "the users connected on A when it died");
        assertEquals(0, b.reapDeadTasks(1_000), "a dead task is reaped once");
        assertEquals(Set.of("gone:user-alice", "gone:user-bob"), names(b.claimDue(1_000, Duration.ofSeconds(10), 10)));
    }

    // ---- deadlines -------------------------------------------------------------------------------

    @Test
    void aDeadlineSetByATaskThatDiedFiresOnAnotherAndAnUnfinishedClaimIsTakenAgain() {
        PlayStore setter = task("a");
        setter.setDeadline("forfeit:g-1:0", 1_000);
        setter.setDeadline("forfeit:g-2:1", 5_000);
        setter.close();   // the task that set them is gone
        PlayStore b = task("b");
        assertEquals(java.util.OptionalLong.of(5_000), b.deadline("forfeit:g-2:1"), "any task reads when a deadline is due");
        assertEquals(java.util.OptionalLong.empty(), b.deadline("forfeit:g-3:0"));
        assertEquals(List.of(), b.claimDue(999, Duration.ofSeconds(10), 10), "nothing is due before its time");
        assertEquals(List.of(new PlayStore.Claim("forfeit:g-1:0", 11_000)), b.claimDue(1_000, Duration.ofSeconds(10), 10));
        assertEquals(List.of(), b.claimDue(2_000, Duration.ofSeconds(10), 10), "a claimed deadline is held for its lease");
        // the claimer died before acting: when the lease is over, it is claimed again
        assertEquals(Set.of("forfeit:g-1:0", "forfeit:g-2:1"), names(b.claimDue(11_000, Duration.ofSeconds(10), 10)));
        List<PlayStore.Claim> again = b.claimDue(21_000, Duration.ofSeconds(10), 10);
        b.setDeadline("forfeit:g-2:1", 40_000);
        assertTrue(b.done(claimOf(again, "forfeit:g-1:0")), "acted on: gone");
        assertFalse(b.done(claimOf(again, "forfeit:g-2:1")), "a deadline set again after its claim stays");
        assertEquals(Set.of("forfeit:g-2:1"), names(b.claimDue(40_000, Duration.ofSeconds(10), 10)));
        b.cancelDeadline("forfeit:g-2:1");
        assertEquals(java.util.OptionalLong.empty(), b.deadline("forfeit:g-2:1"), "a cancelled deadline is gone");
        assertEquals(List.of(), b.claimDue(1_000_000, Duration.ofSeconds(10), 10));
    }

    private static Set<String> names(List<PlayStore.Claim> claims) {
        return Set.copyOf(claims.stream().map(PlayStore.Claim::name).toList());
    }

    private static PlayStore.Claim claimOf(List<PlayStore.Claim> claims, String name) {
        return claims.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void twoTasksClaimingTogetherGetEachDeadlineOnce() throws Exception {
        PlayStore a = task("a");
        PlayStore b = task("b");
        for (int i = 0; i < 200; i++) {
            a.setDeadline("race:" + i, 50_000 + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> claims = new ArrayList<>();
            for (PlayStore t : List.of(a, b)) {
                claims.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int round = 0; round < 100; round++) {
                        t.claimDue(60_000, Duration.ofMinutes(5), 3).forEach(c -> mine.add(c.name()));
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

    // ---- remembered answers ----------------------------------------------------------------------

    @Test
    void aResentCommandIdIsAnsweredWithTheFirstAnswerOnAnyTaskAndOnlyTheLast256AreKept() {
        PlayStore a = task("a");
        PlayStore b = task("b");
        assertEquals("{\"type\":\"ack\",\"id\":\"p1\"}", a.remember("user-alice", "p1", "{\"type\":\"ack\",\"id\":\"p1\"}"));
        assertEquals(Optional.of("{\"type\":\"ack\",\"id\":\"p1\"}"), b.answered("user-alice", "p1"), "another task knows it");
        assertEquals("{\"type\":\"ack\",\"id\":\"p1\"}", b.remember("user-alice", "p1", "{\"type\":\"error\",\"id\":\"p1\"}"),
                "a task that raced on the same id gets the first answer back");
        for (int i = 2; i <= 300; i++) {
            a.remember("user-alice", "p" + i, "answer " + i);
        }
        assertEquals(Optional.empty(), b.answered("user-alice", "p44"), "older ids are forgotten");
        assertEquals(Optional.of("answer 45"), b.answered("user-alice", "p45"), "the last 256 are kept");
        assertEquals(Optional.empty(), b.answered("user-bob", "p45"), "answers are per user");
    }

    // ---- presence --------------------------------------------------------------------------------

    @Test
    void aDeadTasksConnectionsStopCountingWithinItsHeartbeatAndTheCapHoldsAcrossTasks() throws Exception {
        PlayStore a = task("task-a", Duration.ofMillis(800));
        PlayStore b = task("task-b");
        a.heartbeat();
        b.heartbeat();
        assertEquals(1, a.connect("user-alice", "c1", 2));
        assertEquals(2, b.connect("user-alice", "c2", 2));
        assertEquals(-2, b.connect("user-alice", "c3", 2), "the cap counts the connections on every task");
        assertEquals(2, b.connections("user-alice"));
        // task A stops beating (it died): its connection stops counting within the TTL
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (b.connections("user-alice") != 1) {
            assertTrue(System.nanoTime() < deadline, "task A's connection still counts 10 s after its last heartbeat");
            Thread.sleep(50);
        }
        assertEquals(2, b.connect("user-alice", "c3", 2), "the freed place can be taken");
        b.disconnect("user-alice", "c2", false);
        b.disconnect("user-alice", "c3", true);
        assertEquals(0, b.connections("user-alice"));
        PlayStore c = task("task-c");
        c.heartbeat();
        c.connect("user-bob", "c4", 5);
        c.close();
        assertEquals(0, b.connections("user-bob"), "a task that stops takes its connections with it at once");
    }

    // ---- quick match -----------------------------------------------------------------------------

    @Test
    void quickMatchPairsEveryWaitingPlayerOnceWhateverTaskTheyAskOn() throws Exception {
        PlayStore a = task("a");
        PlayStore b = task("b");
        assertEquals(Optional.empty(), a.pairOrWait(3, "user-dave"));
        assertEquals(Optional.empty(), a.pairOrWait(3, "user-dave"), "asking again does not pair a player with themself");
        assertEquals(Optional.of("user-dave"), b.pairOrWait(3, "user-erin"));
        assertEquals(0, a.waiting(3));
        a.pairOrWait(5, "user-frank");
        b.leaveQueue(5, "user-frank");
        assertEquals(0, a.waiting(5));

        List<String> users = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            users.add("user-" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                PlayStore store = t == 0 ? a : b;
                List<String> mine = users.subList(t * 50, t * 50 + 50);
                results.add(pool.submit(() -> {
                    List<String> seated = new ArrayList<>();
                    for (String u : mine) {
                        store.pairOrWait(7, u).ifPresent(other -> {
                            seated.add(u);
                            seated.add(other);
                        });
                    }
                    return seated;
                }));
            }
            List<String> seated = new ArrayList<>(results.get(0).get(60, TimeUnit.SECONDS));
            seated.addAll(results.get(1).get(60, TimeUnit.SECONDS));
            Collections.sort(seated);
            List<String> expected = new ArrayList<>(users);
            Collections.sort(expected);
            assertEquals(expected, seated, "fifty pairs, each player seated exactly once");
            assertEquals(0, a.waiting(7));
        } finally {
            pool.shutdownNow();
        }
    }
}
