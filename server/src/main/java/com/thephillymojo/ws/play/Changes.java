package com.thephillymojo.ws.play;

import com.thephillymojo.ws.log.EventLog;
import com.thephillymojo.ws.game.GameResult;
import com.thephillymojo.ws.game.Match;
import com.thephillymojo.ws.game.Player;
import com.thephillymojo.ws.game.RuleException;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.protocol.ServerMessage;
import com.thephillymojo.ws.store.PlayStore;
import com.thephillymojo.ws.store.PlayStore.TableWrite;
import com.thephillymojo.ws.store.PlayStore.Write;
import com.thephillymojo.ws.store.TableDelta;
import com.thephillymojo.ws.store.TableNews;
import com.thephillymojo.ws.store.TableRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every change to a table — a command, a player leaving or coming back, a forfeit on time — made on
 * this task's copy and written to the store only if nobody changed the table meanwhile: on a conflict
 * the copy is dropped, the table read again and the change decided again. A change's answer is
 * written in the same step (so a command resent with its id is never applied twice); once written,
 * the change is shown here ({@link Feed}) and told to the other tasks with its news.
 */
final class Changes {
    private static final int ATTEMPTS = 10;

    private final PlayStore store;
    private final Copies copies;
    private final Feed feed;
    private final Codec codec;
    private final PlayConfig config;
    private final EventLog log;

    Changes(PlayStore store, Copies copies, Feed feed, Codec codec, PlayConfig config, EventLog log) {
        this.store = store;
        this.copies = copies;
        this.feed = feed;
        this.codec = codec;
        this.config = config;
        this.log = log;
    }

    /**
     * Changes a table: decides on the current copy, writes with the version check, and on a conflict
     * decides again on the table as it now is. The command's answer — the one just given, or the
     * first one when the command was answered already — is sent to it first, then the change's
     * messages and the new state to everyone here at the table (other tasks hear it from the store).
     * Returns the answer, or empty when nothing changed.
     */
    Optional<String> change(String tableId, Outcome.Command command, Outcome.Change change) {
        for (int tries = 0; tries < ATTEMPTS; tries++) {
            Copy c = copies.find(tableId).orElseThrow(() -> new RuleException("not_found", "no game " + tableId));
            synchronized (c) {
                if (c.spoiled) {
                    continue;
                }
                copies.fresh(c, c.version());
                Mark before = new Mark(c.table);
                Outcome outcome;
                try {
                    outcome = change.apply(c.table);
                } catch (RuleException refused) {
                    // a refusal is final on the table as the store has it, not on a copy that has yet to hear of the last change
                    // (a command sent on a state shown by another task can arrive first): such a copy catches up and decides again
                    if (copies.caughtUp(c)) {
                        continue;
                    }
                    // a command sent again after its change was made (its answer lost, or "unavailable" while its change waited
                    // for a replica): its first answer — once that change counts — and the table shown to everyone
                    Optional<String> earlier = command == null ? Optional.empty()
                            : store.confirmAnswer(command.userId(), command.commandId(), tableId);
                    if (earlier.isPresent()) {
                        command.reply().accept(earlier.get());
                        return earlier;
                    }
                    throw refused;
                }
                if (outcome == Outcome.UNCHANGED) {
                    return Optional.empty();
                }
                Attempt attempt = write(c, command, outcome, before);
                if (!attempt.lost()) {
                    return attempt.answer();
                }
            }
        }
        throw new RuleException("busy", "the game changed too often meanwhile; send the command again");
    }

    /** Writes a new table (version 0) and holds it. */
    Write create(Table t, Outcome.Command command, Outcome outcome) {
        Copy c = new Copy(t);
        synchronized (c) {
            Optional<String> answer = answer(t, command, outcome);
            List<String> events = events(outcome);
            Write result = store.compareAndSet(writeOf(c, command, outcome, answer, events, Optional.empty()));
            if (result instanceof Write.Written) {
                copies.hold(c);
                feed.show(c, answer.map(a -> () -> command.reply().accept(a)), events);
            } else if (result instanceof Write.Answered earlier && command != null) {
                command.reply().accept(earlier.answer());
            }
            return result;
        }
    }

    /**
     * After a change to the match: a finished game is scored, and the next begins; the messages that
     * announces (a game's end), logged.
     */
    List<ServerMessage> settle(Table t) {
        List<ServerMessage> events = new ArrayList<>();
        Optional<GameResult> ended = t.settle();
        if (ended.isPresent()) {
            GameResult result = ended.get();
            events.add(TableView.gameOver(t, result));
            log.info("game_over", "game", t.id, "winner", t.seats[result.winner().index()].userId(), "points", result.points(),
                    "ending", result.ending().name());
        }
        Match match = t.match;
        if (match.isOver()) {
            log.info("match_over", "game", t.id, "winner", t.seats[match.winner().orElseThrow().index()].userId(),
                    "score0", match.score(Player.ZERO), "score1", match.score(Player.ONE));
        }
        return events;
    }

    /** Where a copy's match stood before a change: what the change adds is told to the other tasks from there. */
    private record Mark(Match match, int games, int events) {
        Mark(Table t) {
            this(t.match, t.match == null ? 0 : t.match.games().size(), t.match == null ? 0 : t.match.game().log().size());
        }

        /** What the change added, or empty when it cannot be told from here (a new match replaced the old one). */
        Optional<TableDelta> delta(Table t, TableRecord after) {
            if (match != null && t.match != match) {
                return Optional.empty();
            }
            return Optional.of(TableDelta.between(games, events, after));
        }
    }

    /** A write's end: lost a race (decide again), or done, with the answer given (the command's, or its id's first). */
    private record Attempt(boolean lost, Optional<String> answer) {
        static final Attempt LOST = new Attempt(true, Optional.empty());
    }

    /** Writes a change made on the copy (its monitor is ours). */
    private Attempt write(Copy c, Outcome.Command command, Outcome outcome, Mark before) {
        Table t = c.table;
        t.version++;
        Optional<String> answer = answer(t, command, outcome);
        List<String> events = events(outcome);
        Write result;
        try {
            result = store.compareAndSet(writeOf(c, command, outcome, answer, events, Optional.of(before)));
        } catch (RuntimeException e) {
            copies.spoil(c);   // written or not, the store knows; this copy no longer does
            throw e;
        }
        if (result instanceof Write.Written) {
            feed.show(c, answer.map(a -> () -> command.reply().accept(a)), events);
            return new Attempt(false, answer);
        }
        copies.spoil(c);
        if (result instanceof Write.Answered earlier) {
            if (command != null) {
                command.reply().accept(earlier.answer());
            }
            return new Attempt(false, Optional.of(earlier.answer()));
        }
        if (result instanceof Write.Busy busy) {
            throw new RuleException("already_playing", (busy.userId().equals(command == null ? "" : command.userId()) ? "you are"
                    : "your opponent is") + " already in game " + busy.tableId() + "; leave it first");
        }
        return Attempt.LOST;   // a conflict (or a code another table took meanwhile): decide again on the table as it is
    }

    /** The command's answer, as its text, at the version the change makes. */
    private Optional<String> answer(Table t, Outcome.Command command, Outcome outcome) {
        if (command == null || outcome.reply().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(codec.write(outcome.reply().get().to(command.commandId(), t.version)));
    }

    private List<String> events(Outcome outcome) {
        return outcome.events().stream().map(codec::write).toList();
    }

    /**
     * The write of a change, with its news for the other tasks when any share the store: what it
     * added to the table (from {@code before}; none for a new table) and its state message.
     */
    private TableWrite writeOf(Copy c, Outcome.Command command, Outcome outcome, Optional<String> answer, List<String> events,
                               Optional<Mark> before) {
        Table t = c.table;
        TableRecord next = t.record();
        TableWrite w = TableWrite.of(next, retention(t)).claiming(outcome.claims()).releasing(outcome.releases()).announcing(events);
        if (store.shared()) {
            w = w.telling(new TableNews(before.flatMap(m -> m.delta(t, next)), feed.view(c)));
        }
        if (answer.isPresent()) {
            w = w.answering(new PlayStore.Answer(command.userId(), command.commandId(), answer.get()));
        }
        return w;
    }

    /** Tables in play are kept; a finished or abandoned table goes a while after its last change. */
    private Duration retention(Table t) {
        return t.active() ? Duration.ZERO : config.finishedRetention();
    }
}
