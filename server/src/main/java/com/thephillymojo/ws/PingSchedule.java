package com.thephillymojo.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's pings spread over their interval: each connection has one of the interval's
 * one-second slots (round robin as they open), and each second the connections of one slot are
 * pinged (an interval under a second is one slot, every connection pinged each interval). 10,000 connections at a 25 s interval are 400 pings a second, not a burst of 10,000 every
 * 25 s; each connection is still pinged once an interval (its idle timeout is three).
 */
final class PingSchedule<T> {
    private final int slots;
    private final Duration tick;
    private final List<Set<T>> members = new ArrayList<>();
    private final Map<T, Integer> slotOf = new ConcurrentHashMap<>();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();

    PingSchedule(Duration interval) {
        slots = (int) Math.max(1, interval.toSeconds());
        tick = interval.dividedBy(slots);
        for (int i = 0; i < slots; i++) {
            members.add(ConcurrentHashMap.newKeySet());
        }
    }

    void add(T connection) {
        int slot = (int) (opened.getAndIncrement() % slots);
        slotOf.put(connection, slot);
        members.get(slot).add(connection);
    }

    void remove(T connection) {
        Integer slot = slotOf.remove(connection);
        if (slot != null) {
            members.get(slot).remove(connection);
        }
    }

    /** How often {@link #tick} is to be called: a second (the interval itself when it is shorter). */
    Duration tickEvery() {
        return tick;
    }

    /** The connections due now (call every {@link #tickEvery}). */
    Set<T> tick() {
        return members.get((int) (ticks.getAndIncrement() % slots));
    }
}
