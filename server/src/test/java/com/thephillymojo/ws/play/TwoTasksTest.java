package com.thephillymojo.ws.play;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.store.MemoryStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two tasks (two lobbies) on one store, their connections plain queues of what the server sent.
 * A change reaches the other task through the store's change feed; here that feed is held back
 * (a listener ahead of both tasks' waits) while a player acts on the other task — as when a
 * command, sent on a state one task showed, arrives at a task that has not heard of it yet.
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

    private Lobby task(String name) {
        MemoryStore store = MemoryStore.task(shared, name, Duration.ofSeconds(10), 256, Duration.ofHours(1));
        EventLog log = new EventLog(new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC());
        return new Lobby(PlayConfig.DEFAULTS, DiceSource::secure, log, new Metrics(), "test", store).start(timers);
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
        Identity alice = new Identity("user-alice", "Alice");
        Identity bob = new Identity("user-bob", "Bob");
        Connection aliceOnA = new Connection("alice-a", alice);
        Connection bobOnA = new Connection("bob-a", bob);
        a.connected(aliceOnA, 5);
        a.connected(bobOnA, 5);
        JsonNode created = aliceOnA.answer(a, "{\"type\":\"create\",\"id\":\"c1\",\"matchLength\":1,\"private\":true}");
        assertEquals("ack", created.path("type").asText(), created.toString());
        JsonNode joined = bobOnA.answer(a, "{\"type\":\"join\",\"id\":\"j1\",\"code\":\"" + created.path("inviteCode").asText() + "\"}");
        assertEquals("ack", joined.path("type").asText(), joined.toString());
        JsonNode opening = aliceOnA.next("the match's first state", m -> "state".equals(m.path("type").asText())
                && "playing".equals(m.path("status").asText()));
        assertEquals("play", opening.path("game").path("phase").asText(), "the opening roll is played by its winner");

        // who plays the opening roll, who rolls next; the next roller has a second connection, on task b
        int mover = opening.path("game").path("toAct").asInt();
        Identity moverId = opening.path("players").get(mover).path("id").asText().equals(alice.id()) ? alice : bob;
        Identity roller = moverId == alice ? bob : alice;
        Connection moverOnA = moverId == alice ? aliceOnA : bobOnA;
        Connection rollerOnA = moverId == alice ? bobOnA : aliceOnA;
        Connection rollerOnB = new Connection("roller-b", roller);
        b.connected(rollerOnB, 5);
        JsonNode seenOnB = rollerOnB.next("the table on task b", m -> "state".equals(m.path("type").asText()));
        assertEquals(opening.path("version").asLong(), seenOnB.path("version").asLong());

        // the opening play on task a, while task b hears of nothing
        feedHeld = new CountDownLatch(1);
        String play = opening.path("game").path("legalPlays").get(0).path("play").asText();
        JsonNode played = moverOnA.answer(a, "{\"type\":\"play\",\"id\":\"p1\",\"play\":\"" + play + "\"}");
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
        assertEquals(roller.id(), afterRoll.path("players").get(afterRoll.path("game").path("toAct").asInt()).path("id").asText(),
                afterRoll.toString());
        JsonNode again = rollerOnA.answer(a, "{\"type\":\"roll\",\"id\":\"r1\"}");
        assertEquals(rolled.toString(), again.toString(), "the same id's first answer");
        assertTrue(rolled.path("dice").isArray());
    }
}
