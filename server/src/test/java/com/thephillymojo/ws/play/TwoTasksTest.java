package com.thephillymojo.ws.play;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.store.MemoryStore;
import com.thephillymojo.ws.store.PlayStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two tasks (two lobbies) on one store, their connections plain queues of what the server sent.
 * A change reaches the other task through the store's change feed; here that feed is held back
 * (a listener ahead of both tasks' waits) while a player acts on the other task — as when a
 * command, sent on a state one task showed, arrives at a task that has not heard of it yet. And a
 * player connecting to a task while the table changes there is welcomed before anything else; a
 * command refused while the store cannot say how it was first answered is told "unavailable". The
 * store's calls pass through a hook of the test's, which may act in between or fail like a store away.
 */
class TwoTasksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MemoryStore.Shared shared = new MemoryStore.Shared(Clock.systemUTC());
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private volatile CountDownLatch feedHeld = new CountDownLatch(0);

    /** One WebSocket connection, as the lobby sees it: what it was sent, in order. */
    private static final class Connection implements Client {
        private final String id;
        private final Identity identity;
        private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final ShownVersions shown = new ShownVersions();

        Connection(String id, Identity identity) {
            this.id = id;
            this.identity = identity;
        }

        @Override
        public String connectionId() {
            return id;
        }

        @Override
        public Identity identity() {
            return identity;
        }

        @Override
        public void send(String json) {
            try {
                received.add(JSON.readTree(json));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void sendState(String tableId, long version, String json) {
            shown.offer(tableId, version, () -> send(json));
        }

        @Override
        public void close(int code, String reason) {
            send("{\"type\":\"closed\",\"code\":" + code + "}");
        }

        /** The next message this connection was sent that matches, within the wait (the others before it are passed over). */
        JsonNode next(String what, Predicate<JsonNode> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode m = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (m != null && wanted.test(m)) {
                    return m;
                }
            }
            throw new AssertionError("no " + what + " within " + WAIT.toSeconds() + " s");
        }

        JsonNode answer(Lobby lobby, String command) throws InterruptedException {
            String commandId = parse(command).path("id").asText();
            lobby.handle(this, command);
            return next("answer to " + commandId, m -> commandId.equals(m.path("id").asText()));
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a test does before a call of a task's store reaches it (it may throw, as a store away does). */
    @FunctionalInterface
    private interface BeforeCall {
        void before(String method, Object[] args);
    }

    private Lobby task(String name) {
        return task(name, (method, args) -> { });
    }

    private Lobby task(String name, BeforeCall beforeCall) {
        MemoryStore memory = MemoryStore.task(shared, name, Duration.ofSeconds(10), 256, Duration.ofHours(1));
        PlayStore store = (PlayStore) Proxy.newProxyInstance(PlayStore.class.getClassLoader(), new Class<?>[] {PlayStore.class},
                (proxy, method, args) -> {
                    beforeCall.before(method.getName(), args);
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        EventLog log = new EventLog(new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC());
        return new Lobby(PlayConfig.DEFAULTS, () -> DiceSource.seeded(7), log, new Metrics(), "test", store).start(timers);
    }

    private static final Identity ALICE = new Identity("user-alice", "Alice");
    private static final Identity BOB = new Identity("user-bob", "Bob");

    /** Alice and Bob, connected to one task, at the 1-point match Alice created and Bob joined; its first state. */
    private record Match(Connection alice, Connection bob, JsonNode opening) {
        /** Who plays the opening roll. */
        Identity mover() {
            return actor(opening);
        }

        Connection on(Identity who) {
            return who == ALICE ? alice : bob;
        }
    }

    private static Identity actor(JsonNode state) {
        return state.path("players").get(state.path("game").path("toAct").asInt()).path("id").asText().equals(ALICE.id()) ? ALICE : BOB;
    }

    private static boolean isState(JsonNode m) {
        return "state".equals(m.path("type").asText());
    }

    private static String phase(JsonNode state) {
        return state.path("game").path("phase").asText();
    }

    private static String roll(String id) {
        return "{\"type\":\"roll\",\"id\":\"" + id + "\"}";
    }

    /** The play command of the first legal play in {@code state}. */
    private static String firstPlay(JsonNode state, String id) {
        return "{\"type\":\"play\",\"id\":\"" + id + "\",\"play\":\"" + state.path("game").path("legalPlays").get(0).path("play").asText()
                + "\"}";
    }

    private static Match playing(Lobby lobby, String task) throws InterruptedException {
        Connection alice = new Connection("alice-" + task, ALICE);
        Connection bob = new Connection("bob-" + task, BOB);
        lobby.connected(alice, 5);
        lobby.connected(bob, 5);
        JsonNode created = alice.answer(lobby, "{\"type\":\"create\",\"id\":\"c1\",\"matchLength\":1,\"private\":true}");
        assertEquals("ack", created.path("type").asText(), created.toString());
        JsonNode joined = bob.answer(lobby, "{\"type\":\"join\",\"id\":\"j1\",\"code\":\"" + created.path("inviteCode").asText() + "\"}");
        assertEquals("ack", joined.path("type").asText(), joined.toString());
        JsonNode opening = alice.next("the match's first state", m -> "state".equals(m.path("type").asText())
                && "playing".equals(m.path("status").asText()));
        assertEquals("play", opening.path("game").path("phase").asText(), "the opening roll is played by its winner");
        return new Match(alice, bob, opening);
    }

    @AfterEach
    void stop() {
        feedHeld.countDown();
        timers.shutdownNow();
        shared.close();
    }

    @Test
    void aCommandOnAStateTheOtherTaskHasNotHeardOfIsDecidedOnTheStoresTable() throws Exception {
        // the change feed's first listener: while held, no task hears of any change
        MemoryStore.task(shared, "feed", Duration.ofSeconds(10), 256, Duration.ofHours(1)).subscribe(change -> {
            try {
                feedHeld.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Lobby a = task("a");
        Lobby b = task("b");
        Match match = playing(a, "a");
        JsonNode opening = match.opening();

        // who plays the opening roll, who rolls next; the next roller has a second connection, on task b
        Identity roller = match.mover() == ALICE ? BOB : ALICE;
        Connection moverOnA = match.on(match.mover());
        Connection rollerOnA = match.on(roller);
        Connection rollerOnB = new Connection("roller-b", roller);
        b.connected(rollerOnB, 5);
        JsonNode seenOnB = rollerOnB.next("the table on task b", m -> "state".equals(m.path("type").asText()));
        assertEquals(opening.path("version").asLong(), seenOnB.path("version").asLong());

        // the opening play on task a, while task b hears of nothing
        feedHeld = new CountDownLatch(1);
        JsonNode played = moverOnA.answer(a, firstPlay(opening, "p1"));
        assertEquals("ack", played.path("type").asText(), played.toString());

        // the roller, shown that state by task a, rolls through task b: its copy is a version behind
        JsonNode rolled = rollerOnB.answer(b, "{\"type\":\"roll\",\"id\":\"r1\"}");
        assertEquals("ack", rolled.path("type").asText(), "decided on the table as the store has it: " + rolled);
        assertNotNull(rolled.get("dice"));
        assertEquals(opening.path("version").asLong() + 2, rolled.path("version").asLong(), rolled.toString());

        // once the feed flows again, both tasks show the roll; the roll is answered once, whatever the task
        feedHeld.countDown();
        JsonNode afterRoll = moverOnA.next("the roll's state on task a", m -> "state".equals(m.path("type").asText())
                && m.path("version").asLong() == rolled.path("version").asLong());
        assertEquals(roller, actor(afterRoll), afterRoll.toString());
        JsonNode again = rollerOnA.answer(a, "{\"type\":\"roll\",\"id\":\"r1\"}");
        assertEquals(rolled.toString(), again.toString(), "the same id's first answer");
        assertTrue(rolled.path("dice").isArray());
    }

    @Test
    void aConnectionIsWelcomedFirstAndMissesNoChangeMadeWhileItIsWelcomed() throws Exception {
        // task c: Alice has a connection there; when c looks up where Bob sits (Bob connecting), Alice acts on c first
        AtomicReference<Runnable> whileBobConnects = new AtomicReference<>();
        AtomicBoolean bobLookedUp = new AtomicBoolean();
        Lobby c = task("c", (method, args) -> {
            if (method.equals("tableOf") && BOB.id().equals(args[0]) && bobLookedUp.compareAndSet(false, true)) {
                whileBobConnects.get().run();
            }
        });
        Connection aliceOnC = new Connection("alice-c", ALICE);
        c.connected(aliceOnC, 5);
        Lobby a = task("a");
        Match match = playing(a, "a");
        String gameId = match.opening().path("gameId").asText();
        // the two play on task a until Alice is to roll
        JsonNode before = match.opening();
        for (int step = 0; !(actor(before) == ALICE && phase(before).equals("roll")); step++) {
            Connection acting = match.on(actor(before));
            JsonNode done = acting.answer(a, phase(before).equals("play") ? firstPlay(before, "s" + step) : roll("s" + step));
            assertEquals("ack", done.path("type").asText(), done.toString());
            before = acting.next("the state after step " + step, m -> isState(m) && m.path("version").asLong() == done.path("version").asLong());
        }
        // while Bob connects to task c, Alice rolls there and plays
        List<Long> made = new ArrayList<>();
        whileBobConnects.set(() -> {
            try {
                JsonNode rolled = aliceOnC.answer(c, roll("a1"));
                JsonNode after = aliceOnC.next("the state after Alice's roll", m -> isState(m) && m.path("version").asLong() == rolled.path("version").asLong());
                assertEquals("play", phase(after), "Alice has a play after her roll: " + after);
                JsonNode played = aliceOnC.answer(c, firstPlay(after, "a2"));
                made.add(rolled.path("version").asLong());
                made.add(played.path("version").asLong());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        Connection bobOnC = new Connection("bob-c", BOB);
        c.connected(bobOnC, 5);
        assertEquals(List.of(before.path("version").asLong() + 1, before.path("version").asLong() + 2), made, "Alice rolled and played on task c");
        JsonNode first = bobOnC.next("a first message", m -> true);
        assertEquals("welcome", first.path("type").asText(), "a connection's first message is its welcome: " + first);
        assertEquals(gameId, first.path("gameId").asText(), first.toString());
        // and it misses none of the changes made after it opened: its states go forward, through the roll's and the play's
        // (task c may hear of task a's last changes late: those come first)
        List<Long> shown = new ArrayList<>();
        while (!shown.contains(made.get(1))) {
            shown.add(bobOnC.next("the state of Alice's play", TwoTasksTest::isState).path("version").asLong());
        }
        assertEquals(shown.stream().sorted().distinct().toList(), shown, "in order: " + shown);
        assertTrue(shown.containsAll(made), "the changes made while Bob connected: " + made + ", shown " + shown);
    }

    @Test
    void aRefusalThatCannotBeCheckedAgainstTheFirstAnswerIsUnavailableNotAContradiction() throws Exception {
        AtomicBoolean answersAway = new AtomicBoolean();
        Lobby a = task("a", (method, args) -> {
            if (answersAway.get() && method.equals("remember")) {
                throw new PlayStore.Unavailable("the store does not answer", null);
            }
        });
        Match match = playing(a, "a");
        Connection mover = match.on(match.mover());
        String play = firstPlay(match.opening(), "p1");
        JsonNode played = mover.answer(a, play);
        assertEquals("ack", played.path("type").asText(), played.toString());

        // the play sent again (its ack lost, say): the rules refuse it now, but its first answer was the ack
        answersAway.set(true);
        JsonNode whileAway = mover.answer(a, play);
        assertEquals("unavailable", whileAway.path("code").asText(), "not the rules' refusal, which the ack contradicts: " + whileAway);
        answersAway.set(false);
        JsonNode back = mover.answer(a, play);
        assertEquals(played.toString(), back.toString(), "once the store answers, the first answer");
    }
}
