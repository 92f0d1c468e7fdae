package com.thephillymojo.ws.runbook.smoke;

import com.thephillymojo.ws.client.Bot;
import com.thephillymojo.ws.client.Commands;
import com.thephillymojo.ws.client.PlayerClient;
import com.thephillymojo.ws.protocol.ClientCommand;
import com.thephillymojo.ws.protocol.ServerMessage;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Two signed-in players play one game of backgammon to its end against the deployed service: one
 * opens a private one-point match without the cube, the other joins by its code, and each plays
 * as {@link Bot#FIRST} does (the first legal play the server offers) whenever it is their turn, at most one command every
 * {@value #PACE_MILLIS} ms — under the server's default of 20 messages a second, as a person plays —
 * so a fast machine never meets {@code rate_limited}. Returns the game's result.
 */
public final class SmokeGame {
    static final long PACE_MILLIS = 60;

    /** How the game ended: the winner's seat and the result object the server sent. */
    public record Result(int winner, String kind, int turns, ServerMessage.Result result) {
    }

    private SmokeGame() {
    }

    public static Result play(HttpClient http, URI ws, String origin, String firstCookie, String secondCookie, Duration limit) throws Exception {
        WebSocketClient client = new WebSocketClient(http);
        client.start();
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "smoke-pace");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger turns = new AtomicInteger();
            CompletableFuture<ServerMessage.GameOver> over = new CompletableFuture<>();
            PlayerClient first = join(client, ws, origin, firstCookie, new Player(over, turns, pace), limit);
            PlayerClient second = join(client, ws, origin, secondCookie, new Player(over, turns, pace), limit);
            ServerMessage.Ack created = acked(first, Commands.create(1, false, true), limit);
            String code = created.inviteCode().orElseThrow(() -> new IllegalStateException("the server opened no private table: " + created));
            acked(second, Commands.join(code), limit);
            ServerMessage.Result result = over.get(limit.toMillis(), TimeUnit.MILLISECONDS).result();
            return new Result(result.winner(), result.kind(), turns.get(), result);
        } finally {
            pace.shutdownNow();
            client.stop();
        }
    }

    /** The HTTP status a WebSocket upgrade from {@code origin} gets (101 when it is let in). */
    public static int upgradeStatus(HttpClient http, URI ws, String origin, String cookie, Duration limit) throws Exception {
        WebSocketClient client = new WebSocketClient(http);
        client.start();
        try {
            PlayerClient.await(PlayerClient.connect(client, ws, cookie, origin, PlayerClient.Options.defaults().keep(false)), limit).close();
            return 101;
        } catch (PlayerClient.Refused refused) {
            return refused.status;
        } finally {
            client.stop();
        }
    }

    private static PlayerClient join(WebSocketClient client, URI ws, String origin, String cookie, Player player, Duration limit) throws Exception {
        PlayerClient connection = PlayerClient.await(PlayerClient.connect(client, ws, cookie, origin,
                PlayerClient.Options.defaults().keep(false).pushes(player::onPush)), limit);
        ServerMessage first = player.welcome.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!(first instanceof ServerMessage.Welcome)) {
            throw new IllegalStateException("the server's first message is not a welcome: " + first);
        }
        return connection;
    }

    private static ServerMessage.Ack acked(PlayerClient player, ClientCommand command, Duration limit) throws Exception {
        ServerMessage reply = player.ask(command, limit);
        if (!(reply instanceof ServerMessage.Ack ack)) {
            throw new IllegalStateException("the server refused " + command + ": " + reply);
        }
        return ack;
    }

    /** One player's mind: answers its turns from the states the server pushes. */
    private static final class Player {
        private final CompletableFuture<ServerMessage.GameOver> over;
        private final AtomicInteger turns;
        private final ScheduledExecutorService pace;
        private long nextSendAt;
        final CompletableFuture<ServerMessage> welcome = new CompletableFuture<>();
        private volatile int seat = -1;
        private volatile long actedOn = -1;
        private volatile String myId = "";

        Player(CompletableFuture<ServerMessage.GameOver> over, AtomicInteger turns, ScheduledExecutorService pace) {
            this.over = over;
            this.turns = turns;
            this.pace = pace;
        }

        void onPush(PlayerClient connection, ServerMessage message) {
            if (message instanceof ServerMessage.Welcome w) {
                myId = w.user().id();
            }
            welcome.complete(message);   // the first message, whatever it is: the caller checks that it is the welcome
            if (message instanceof ServerMessage.GameOver o) {
                over.complete(o);
            } else if (message instanceof ServerMessage.State s) {
                onState(connection, s);
            } else if (message instanceof ServerMessage.Unreadable u) {
                over.completeExceptionally(new IllegalStateException("the server sent what the protocol has not (" + u.problem() + "): " + u.text()));
            }
        }

        private synchronized void onState(PlayerClient connection, ServerMessage.State state) {
            seat = Bot.seatOf(state, myId).orElse(seat);
            long version = state.version();
            if (version <= actedOn || seat < 0) {
                return;
            }
            ClientCommand next = Bot.FIRST.next(state, seat).orElse(null);
            if (next instanceof ClientCommand.PlayChecker) {
                turns.incrementAndGet();
            }
            if (next != null) {
                actedOn = version;
                ClientCommand command = next;
                long now = System.nanoTime();
                long delay = Math.max(0, nextSendAt - now);
                nextSendAt = now + delay + TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS);
                pace.schedule(() -> connection.request(command).whenComplete((answer, failure) -> {
                    if (failure != null) {
                        over.completeExceptionally(failure);
                    } else if (!(answer instanceof ServerMessage.Ack)) {
                        over.completeExceptionally(new IllegalStateException("the server refused " + command + ": " + answer));
                    }
                }), delay, TimeUnit.NANOSECONDS);
            }
        }
    }
}
