package com.thephillymojo.ws.play;

import com.thephillymojo.ws.auth.Identity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/** What the lobby knows of one user across connections: where they play, what they watch, what they asked. */
final class UserState {
    final Identity identity;
    final Set<Client> connections = new CopyOnWriteArraySet<>();
    volatile Room room;            // where the user holds a seat
    volatile Room watching;        // where the user spectates
    Integer queuedFor;             // match length waited for in quick match (guarded by the lobby)
    private final Map<String, String> answers;

    UserState(Identity identity, int remembered) {
        this.identity = identity;
        this.answers = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > remembered;
            }
        };
    }

    /** The answer already given to this command id, if any: a repeated id is answered again, not applied. */
    synchronized String answered(String id) {
        return answers.get(id);
    }

    synchronized void remember(String id, String answer) {
        answers.put(id, answer);
    }

    void sendAll(String json) {
        for (Client c : connections) {
            c.send(json);
        }
    }
}
