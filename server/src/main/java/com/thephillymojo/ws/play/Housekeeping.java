package com.thephillymojo.ws.play;

import com.thephillymojo.ws.log.EventLog;
import com.thephillymojo.ws.game.RuleException;
import com.thephillymojo.ws.store.PlayStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The task's background jobs: its heartbeat (and, when the store was away longer than the heartbeat's
 * TTL, its connections recorded again and its players marked back), the deadlines due on any task
 * (a forfeit, a user whose task died), the reaping of dead tasks, letting go of unwatched tables. While
 * the store cannot be reached they go on trying, and say so once.
 */
final class Housekeeping {
    private static final Duration DEADLINE_LEASE = Duration.ofSeconds(30);
    private static final long TICK_MS = 200;

    private final PlayConfig config;
    private final PlayStore store;
    private final Connections connections;
    private final Copies copies;
    private final Presence presence;
    private final Feed feed;
    private final EventLog log;
    private volatile Optional<String> storeProblem = Optional.empty();
    private long lastReap;
    private long lastSweep;

    Housekeeping(PlayConfig config, PlayStore store, Connections connections, Copies copies, Presence presence, Feed feed, EventLog log) {
        this.config = config;
        this.store = store;
        this.connections = connections;
        this.copies = copies;
        this.presence = presence;
        this.feed = feed;
        this.log = log;
    }

    void start(ScheduledExecutorService timers) {
        long beat = Math.max(100, Math.min(1000, config.heartbeatTtl().toMillis() / 3));
        timers.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Why play cannot go on now, if it cannot (the store is away). */
    Optional<String> problem() {
        return storeProblem;
    }

    private void beat() {
        try {
            boolean wasBeating = store.heartbeat();
            if (!wasBeating) {
                // the store was away longer than the heartbeat's TTL: other tasks may have counted our players out
                log.warn("heartbeat_lapsed", "connections", connections.connections());
                for (Client c : connections.all()) {
                    store.connect(c.identity().id(), c.connectionId(), Integer.MAX_VALUE);
                }
                connections.all().stream().map(c -> c.identity().id()).distinct().forEach(presence::returned);
            }
            if (storeProblem.isPresent()) {
                log.info("store_back");
                storeProblem = Optional.empty();
                feed.resync();
            }
        } catch (RuntimeException e) {
            if (storeProblem.isEmpty()) {
                log.warn("store_unavailable", "error", e.getClass().getSimpleName(), "message", e.getMessage());
            }
            storeProblem = Optional.of("the store cannot be reached: " + e.getMessage());
        }
    }

    /** Acts on due deadlines (on whatever task set them), hands a dead task's users on, lets go of unwatched tables. */
    private void tick() {
        try {
            long now = System.currentTimeMillis();
            if (now - lastReap >= 1000) {
                lastReap = now;
                store.reapDeadTasks(now);
            }
            for (PlayStore.Claim claim : store.claimDue(now, DEADLINE_LEASE, 50)) {
                try {
                    act(claim.name());
                } catch (RuleException e) {
                    // nothing left to act on (the table went, or the match ended): the deadline is done
                    log.info("deadline_moot", "deadline", claim.name(), "reason", e.code());
                }
                store.done(claim);
            }
            if (now - lastSweep >= 60_000) {
                lastSweep = now;
                copies.forgetUnwatched();
            }
        } catch (RuntimeException e) {
            // the store is away (the heartbeat says so, once) or a deadline failed: it is claimed again after its lease
            if (storeProblem.isEmpty()) {
                log.warn("deadlines_failed", "error", e.getClass().getSimpleName(), "message", e.getMessage());
            }
        }
    }

    private void act(String deadline) {
        if (deadline.startsWith("forfeit:")) {
            int seatAt = deadline.lastIndexOf(':');
            presence.forfeitIfAway(deadline.substring("forfeit:".length(), seatAt), Integer.parseInt(deadline.substring(seatAt + 1)));
        } else if (deadline.startsWith("gone:")) {
            String user = deadline.substring("gone:".length());
            if (store.connections(user) == 0) {
                presence.gone(user);
            }
        }
    }
}
