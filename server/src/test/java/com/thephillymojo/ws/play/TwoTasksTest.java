package com.thephillymojo.ws.play;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.auth.Identity;
import com.thephillymojo.ws.client.Bot;
import com.thephillymojo.ws.client.Commands;
import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.log.EventLog;
import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.protocol.ServerMessage.Ack;
import com.thephillymojo.ws.protocol.ServerMessage.State;
import com.thephillymojo.ws.store.MemoryStore;
import com.thephillymojo.ws.store.PlayStore;
import java.io.OutputStream;
import java.io.PrintStream;
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
    private static final Codec CODEC = new Codec();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MemoryStore.Shared shared = new MemoryStore.Shared(Clock.systemUTC());
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private volatile CountDownLatch feedHeld = new CountDownLatch(0);
    /** While set, a table's change is written and then reported unavailable, as when no replica acknowledged it in time. */
    private final AtomicBoolean unconfirmedWrites = new AtomicBoolean();
    /** A version whose change no task is told of (a change not counted is not published); -1: none. */
    private volatile long untold = -1;

    /** One WebSocket connection, as the lobby sees it: what it was sent, in order. */
    private static final class Connection implements Client {
        private final String id;
        private final Identity identity;
        private final LinkedBlockingQueue<ServerMessage> received = new LinkedBlockingQueue<>();
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
            received.add(CODEC.readMessage(json));
        }

        @Override
        public void sendState(String tableId, long version, String json) {
            shown.offer(tableId, version, () -> send(json));
        }

        @Override
        public void close(int code, String reason) {
            received.add(new ServerMessage.Unreadable("", "closed with " + code));
        }

        /** The next message this connection was sent that matches, within the wait (the others before it are passed over). */
        ServerMessage next(String what, Predicate<ServerMessage> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                ServerMessage m = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (m != null && wanted.test(m)) {
                    return m;
                }
            }
            throw new AssertionError("no " + what + " within " + WAIT.toSeconds() + " s");
        }

        /** The next state this connection was sent that matches. */
        State nextState(String what, Predicate<State> wanted) throws InterruptedException {
            return (State) next(what, m -> m instanceof State s && wanted.test(s));
        }

        /** Sends the command as a client writes it; its answer, an ack or an error. */
        ServerMessage answer(Lobby lobby, ClientCommand command) throws InterruptedException {
            lobby.handle(this, CODEC.write(command));
            return next("answer to " + command.id(), m -> m instanceof Ack ack && ack.id().equals(command.id())
                    || m instanceof ServerMessage.Error error && error.id().equals(java.util.Optional.of(command.id())));
        }

        /** Sends the command; its ack (a refusal fails the test). */
        Ack acked(Lobby lobby, ClientCommand command) throws InterruptedException {
            ServerMessage answer = answer(lobby, command);
            assertTrue(answer instanceof Ack, command + ": " + answer);
            return (Ack) answer;
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
                    if (method.getName().equals("subscribe")) {
                        @SuppressWarnings("unchecked")
                        java.util.function.Consumer<PlayStore.TableChange> listener = (java.util.function.Consumer<PlayStore.TableChange>) args[0];
                        args = new Object[] {(java.util.function.Consumer<PlayStore.TableChange>) change -> {
                            if (change.version() != untold || change.news().isEmpty()) {
                                listener.accept(change);
                            }
                        }};
                    }
                    Object result;
                    try {
                        result = method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("compareAndSet") && result instanceof PlayStore.Write.Written && unconfirmedWrites.get()) {
                        throw new PlayStore.Unavailable("no replica acknowledged the change", null);
                    }
                    return result;
                });
        EventLog log = new EventLog(new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC());
        return new Lobby(PlayConfig.DEFAULTS, () -> DiceSource.seeded(7), log, new Metrics(), "test", store).start(timers);
    }

    private static final Identity ALICE = new Identity("user-alice", "Alice");
    private static final Identity BOB = new Identity("user-bob", "Bob");

    /** Alice and Bob, connected to one task, at the 1-point match Alice created and Bob joined; its first state. */
    private record Match(Connection alice, Connection bob, State opening) {
        /** Who plays the opening roll. */
        Identity mover() {
            return actor(opening);
        }

        Connection on(Identity who) {
            return who == ALICE ? alice : bob;
        }
    }

    private static Identity actor(State state) {
        return state.players().get(toAct(state)).player().orElseThrow().id().equals(ALICE.id()) ? ALICE : BOB;
    }

    private static int toAct(State state) {
        return state.game().orElseThrow().toAct();
    }

    private static String phase(State state) {
        return state.game().orElseThrow().phase();
    }

    /** What the player to act does: roll, or the first legal play. */
    private static ClientCommand next(State state) {
        return Bot.FIRST.next(state, toAct(state)).orElseThrow(() -> new AssertionError("nothing to do on " + state));
    }

    private static Match playing(Lobby lobby, String task) throws InterruptedException {
        Connection alice = new Connection("alice-" + task, ALICE);
        Connection bob = new Connection("bob-" + task, BOB);
        lobby.connected(alice, 5);
        lobby.connected(bob, 5);
        Ack created = alice.acked(lobby, Commands.create(1, true, true));
        bob.acked(lobby, Commands.join(created.inviteCode().orElseThrow()));
        State opening = alice.nextState("the match's first state", s -> "playing".equals(s.status()));
        assertEquals("play", phase(opening), "the opening roll is played by its winner");
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
        State opening = match.opening();

        // who plays the opening roll, who rolls next; the next roller has a second connection, on task b
        Identity roller = match.mover() == ALICE ? BOB : ALICE;
        Connection moverOnA = match.on(match.mover());
        Connection rollerOnA = match.on(roller);
        Connection rollerOnB = new Connection("roller-b", roller);
        b.connected(rollerOnB, 5);
        State seenOnB = rollerOnB.nextState("the table on task b", s -> true);
        assertEquals(opening.version(), seenOnB.version());

        // the opening play on task a, while task b hears of nothing
        feedHeld = new CountDownLatch(1);
        moverOnA.acked(a, next(opening));

        // the roller, shown that state by task a, rolls through task b: its copy is a version behind
        ClientCommand roll = new ClientCommand.Roll("r1");
        ServerMessage answer = rollerOnB.answer(b, roll);
        assertTrue(answer instanceof Ack, "decided on the table as the store has it: " + answer);
        Ack rolled = (Ack) answer;
        assertNotNull(rolled.dice().orElse(null));
        assertEquals(opening.version() + 2, rolled.version().orElseThrow(), rolled.toString());

        // once the feed flows again, both tasks show the roll; the roll is answered once, whatever the task
        feedHeld.countDown();
        State afterRoll = moverOnA.nextState("the roll's state on task a", s -> s.version() == rolled.version().orElseThrow());
        assertEquals(roller, actor(afterRoll), afterRoll.toString());
        ServerMessage again = rollerOnA.answer(a, roll);
        assertEquals(rolled, again, "the same id's first answer");
        assertEquals(2, rolled.dice().orElseThrow().size());
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
        String gameId = match.opening().gameId();
        // the two play on task a until Alice is to roll
        State before = match.opening();
        for (int step = 0; !(actor(before) == ALICE && phase(before).equals("roll")); step++) {
            Connection acting = match.on(actor(before));
            long made = acting.acked(a, next(before)).version().orElseThrow();
            before = acting.nextState("the state after step " + step, s -> s.version() == made);
        }
        // while Bob connects to task c, Alice rolls there and plays
        List<Long> made = new ArrayList<>();
        whileBobConnects.set(() -> {
            try {
                long rolled = aliceOnC.acked(c, Commands.roll()).version().orElseThrow();
                State after = aliceOnC.nextState("the state after Alice's roll", s -> s.version() == rolled);
                assertEquals("play", phase(after), "Alice has a play after her roll: " + after);
                long played = aliceOnC.acked(c, next(after)).version().orElseThrow();
                made.add(rolled);
                made.add(played);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        Connection bobOnC = new Connection("bob-c", BOB);
        c.connected(bobOnC, 5);
        assertEquals(List.of(before.version() + 1, before.version() + 2), made, "Alice rolled and played on task c");
        ServerMessage first = bobOnC.next("a first message", m -> true);
        assertTrue(first instanceof ServerMessage.Welcome, "a connection's first message is its welcome: " + first);
        assertEquals(gameId, ((ServerMessage.Welcome) first).gameId().orElse(""), first.toString());
        // and it misses none of the changes made after it opened: its states go forward, through the roll's and the play's
        // (task c may hear of task a's last changes late: those come first)
        List<Long> shown = new ArrayList<>();
        while (!shown.contains(made.get(1))) {
            shown.add(bobOnC.nextState("the state of Alice's play", s -> true).version());
        }
        assertEquals(shown.stream().sorted().distinct().toList(), shown, "in order: " + shown);
        assertTrue(shown.containsAll(made), "the changes made while Bob connected: " + made + ", shown " + shown);
    }

    @Test
    void aRefusalThatCannotBeCheckedAgainstTheFirstAnswerIsUnavailableNotAContradiction() throws Exception {
        AtomicBoolean answersAway = new AtomicBoolean();
        Lobby a = task("a", (method, args) -> {
            if (answersAway.get() && (method.equals("remember") || method.equals("confirmAnswer"))) {
                throw new PlayStore.Unavailable("the store does not answer", null);
            }
        });
        Match match = playing(a, "a");
        Connection mover = match.on(match.mover());
        ClientCommand play = next(match.opening());
        Ack played = mover.acked(a, play);

        // the play sent again (its ack lost, say): the rules refuse it now, but its first answer was the ack
        answersAway.set(true);
        ServerMessage whileAway = mover.answer(a, play);
        assertEquals("unavailable", whileAway instanceof ServerMessage.Error e ? e.code() : "", "not the rules' refusal, which the ack contradicts: "
                + whileAway);
        answersAway.set(false);
        ServerMessage back = mover.answer(a, play);
        assertEquals(played, back, "once the store answers, the first answer");
    }

    /**
     * A change the store lost (a failover promoted a replica without it): the store's table is
     * behind what the tasks showed. The first task to read it writes the store's table again past
     * every version shown, so both players — on two tasks — move on to the same table, the store's,
     * and play goes on from there: nobody is left on a history the store no longer has.
     */
    @Test
    void aChangeTheStoreLostIsUndoneForEveryPlayerAlike() throws Exception {
        Lobby a = task("a");
        Lobby b = task("b");
        PlayStore probe = MemoryStore.task(shared, "probe", Duration.ofSeconds(10), 256, Duration.ofHours(1));
        Match match = playing(a, "a");
        String gameId = match.opening().gameId();
        Identity other = match.mover() == ALICE ? BOB : ALICE;
        Connection otherOnB = new Connection("other-b", other);
        b.connected(otherOnB, 5);
        otherOnB.nextState("the table on task b", s -> true);

        // the opening play, then the store loses it: its table goes back to the version before
        var before = probe.load(gameId).orElseThrow();
        Connection mover = match.on(match.mover());
        long played = mover.acked(a, next(match.opening())).version().orElseThrow();
        State lost = otherOnB.nextState("the play's state on task b", s -> s.version() == played);
        assertEquals(new PlayStore.Write.Written(before.version()),
                probe.compareAndSet(PlayStore.TableWrite.of(before, Duration.ZERO).over(played)));

        // the other player acts on task b on the state they were shown: task b finds the store behind it
        // (the rules then refuse the act on the store's table; the state that undoes the play is what matters)
        b.handle(otherOnB, CODEC.write(next(lost)));
        State undoneOnB = otherOnB.nextState("the store's table again, on task b", s -> s.version() > played);
        State undoneOnA = mover.nextState("the store's table again, on task a", s -> s.version() > played);
        assertEquals(match.opening().game().orElseThrow().positionId(), undoneOnA.game().orElseThrow().positionId(),
                "the lost play is undone: " + undoneOnA);
        assertEquals(undoneOnA.game().orElseThrow().positionId(), undoneOnB.game().orElseThrow().positionId(), "one history for both");
        assertEquals(match.opening().game().orElseThrow().phase(), undoneOnA.game().orElseThrow().phase());
        assertTrue(probe.load(gameId).orElseThrow().version() > played, "the store's table is past every version shown");

        // and play goes on from the store's table: the mover plays the opening again
        assertEquals(probe.load(gameId).orElseThrow().version(), undoneOnA.version());
        assertEquals(undoneOnA.version() + 1, mover.acked(a, next(undoneOnA)).version().orElseThrow());
        probe.close();
    }

    /**
     * A change written but not counted (no replica acknowledged it in time): its player is told
     * "unavailable" and nobody is shown it. Sent again, the command is refused by the rules — the
     * table moved on with it — so its first answer is looked up, and the change is shown to both
     * players then: nobody is left without a version of the game.
     */
    @Test
    void aChangeNotCountedInTimeIsAnsweredAndShownWhenItsCommandIsSentAgain() throws Exception {
        Lobby a = task("a");
        Match match = playing(a, "a");
        Connection mover = match.on(match.mover());
        Connection other = match.on(match.mover() == ALICE ? BOB : ALICE);
        ClientCommand play = next(match.opening());

        untold = match.opening().version() + 1;
        unconfirmedWrites.set(true);
        ServerMessage first = mover.answer(a, play);
        assertEquals("unavailable", first instanceof ServerMessage.Error e ? e.code() : "", first.toString());
        unconfirmedWrites.set(false);

        long made = match.opening().version() + 1;
        a.handle(mover, CODEC.write(play));
        // its answer and its state, in whichever order they come
        Ack again = null;
        State shown = null;
        while (again == null || shown == null) {
            ServerMessage m = mover.next("the answer and the play's state", x -> x instanceof Ack || x instanceof State);
            if (m instanceof Ack ack) {
                again = ack;
            } else if (((State) m).version() >= made) {
                shown = (State) m;
            }
        }
        assertEquals(play.id(), again.id());
        assertEquals(made, again.version().orElseThrow(), "the first answer, the play having been made: " + again);
        assertEquals(made, shown.version(), "the play, shown to its player");
        assertEquals(made, other.nextState("the play, shown to the other player", x -> x.version() >= made).version());
    }
}
