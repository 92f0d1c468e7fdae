package com.thephillymojo.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PingScheduleTest {
    @Test
    void tenThousandConnectionsAreFourHundredPingsASecondEachOnceAnInterval() {
        PingSchedule<Integer> pings = new PingSchedule<>(Duration.ofSeconds(25));
        for (int c = 0; c < 10_000; c++) {
            pings.add(c);
        }
        Map<Integer, Integer> pinged = new HashMap<>();
        for (int second = 0; second < 25; second++) {
            var due = pings.tick();
            assertEquals(400, due.size(), "second " + second);
            due.forEach(c -> pinged.merge(c, 1, Integer::sum));
        }
        assertEquals(10_000, pinged.size());
        assertTrue(pinged.values().stream().allMatch(n -> n == 1), "each once an interval");
    }

    @Test
    void aClosedConnectionIsPingedNoMoreAndAShortIntervalPingsEveryoneEachSecond() {
        PingSchedule<String> pings = new PingSchedule<>(Duration.ofSeconds(2));
        pings.add("a");
        pings.add("b");
        pings.remove("a");
        assertEquals(0, pings.tick().size());
        assertEquals(java.util.Set.of("b"), pings.tick());
        PingSchedule<String> each = new PingSchedule<>(Duration.ofMillis(500));
        each.add("x");
        each.add("y");
        assertEquals(java.util.Set.of("x", "y"), each.tick());
    }
}
