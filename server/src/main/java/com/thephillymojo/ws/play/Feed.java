package com.thephillymojo.ws.play;

import com.thephillymojo.ws.log.EventLog;
import com.thephillymojo.ws.protocol.Codec;
import com.thephillymojo.ws.store.PlayStore;
import com.thephillymojo.ws.store.PlayStore.TableChange;
import com.thephillymojo.ws.store.TableNews;
import com.thephillymojo.ws.store.TableRecord;
import java.util.List;
import java.util.Optional;

/**
 * Every change of a table, made on any task, to the connections here that sit at it or watch it, in
 * order: its messages, then its state. A change this task wrote is shown as it is written; another
 * task's arrives through the store, with that task's news — what it added (applied to the copy here
 * when the copy is at the version before) and its state message (sent on as is). What each copy has
 * been shown ({@link Copy#pushed}) keeps a change from being shown twice; the state of a copy that
 * could not catch up is read from the store when a player here acts on it.
 */
final class Feed {
    private final Copies copies;
    private final Connections connections;
    private final Codec codec;
    private final EventLog log;

    Feed(Copies copies, Connections connections, Codec codec, EventLog log) {
        this.copies = copies;
        this.connections = connections;
        this.codec = codec;
        this.log = log;
    }

    /** The state message of the copy's version, made once (its monitor held). */
    String view(Copy c) {
        return c.view(() -> codec.write(TableView.of(c.table)));
    }

    /** A change this task wrote (the copy's monitor held): its answer first, then its messages, then its state. */
    void show(Copy c, Optional<Runnable> answer, List<String> events) {
        answer.ifPresent(Runnable::run);
        List<String> seated = c.table.seated();
        for (String event : events) {
            connections.sendToTable(c.id(), seated, event);
        }
        push(c);
    }

    /**
     * Sends a table's state to one connection (a player back, a spectator arriving) under the copy's
     * monitor, as every change is pushed: a change pushed to that connection meanwhile cannot be
     * overtaken by this older state.
     */
    void showTo(Client client, Copy c) {
        synchronized (c) {
            copies.fresh(c, c.version());
            copies.known(c.id(), c.version());
            client.sendState(c.id(), c.version(), view(c));
        }
    }

    private void push(Copy c) {
        c.pushed = c.version();
        copies.known(c.id(), c.version());
        connections.sendStateToTable(c.id(), c.table.seated(), c.version(), view(c));
    }

    /** A change from any task (the store's subscription, in order): the connections here that care get it. */
    void changed(TableChange change) {
        if (change.id().equals(PlayStore.MISSED)) {
            resync();
            return;
        }
        if (!connections.interested(change.id(), change.seated())) {
            if (change.version() >= 0) {
                copies.letGo(change.id());
            }
            return;
        }
        if (change.version() < 0) {
            for (String event : change.events()) {
                connections.sendToTable(change.id(), change.seated(), event);
            }
            return;
        }
        Optional<Copy> held = copies.held(change.id()).or(() -> copies.find(change.id()));   // read once per table watched here
        if (held.isEmpty()) {
            return;
        }
        Copy c = held.get();
        copies.known(change.id(), change.version());
        synchronized (c) {
            if (change.version() <= c.pushed) {
                return;   // shown here already: written by this task, or heard before
            }
            for (String event : change.events()) {
                connections.sendToTable(change.id(), change.seated(), event);
            }
            if (change.news().isPresent()) {
                told(c, change.version(), change.news().get());
                connections.sendStateToTable(change.id(), change.seated(), change.version(), change.news().get().state());
            } else {
                copies.fresh(c, change.version());
                if (c.version() > c.pushed) {
                    push(c);
                }
            }
        }
    }

    /**
     * Another task's change, told with its news: the copy takes what the change added when it holds
     * the version before, and keeps the writer's state message; otherwise it notes the version, to be
     * read from the store when a player here acts.
     */
    private void told(Copy c, long version, TableNews news) {
        if (news.delta().isPresent() && !c.spoiled && c.version() == version - 1) {
            try {
                Optional<TableRecord> next = news.delta().get().applyTo(c.table.record());
                next.ifPresent(record -> c.catchUp(record, copies.liveDice()));
            } catch (RuntimeException e) {
                log.warn("delta_unusable", "game", c.id(), "version", version, "error", e.getClass().getSimpleName());
            }
        }
        if (c.version() == version) {
            c.keepView(news.state());
        } else {
            c.heard = Math.max(c.heard, version);
        }
        c.pushed = version;
    }

    /** Changes may have been missed (the store's connection came back): every table held here is read again. */
    void resync() {
        for (Copy c : copies.all()) {
            try {
                Optional<TableRecord> record = copies.stored(c.id());
                synchronized (c) {
                    if (record.isEmpty()) {
                        copies.release(c);
                    } else if (c.catchUp(record.get(), copies.liveDice()) && c.version() > c.pushed
                            && connections.interested(c.id(), c.table.seated())) {
                        push(c);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("resync_failed", "game", c.id(), "error", e.getClass().getSimpleName());
                return;
            }
        }
    }
}
