package com.thephillymojo.ws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.game.Game;
import com.thephillymojo.ws.game.GameEvent;
import com.thephillymojo.ws.game.GameOptions;
import com.thephillymojo.ws.game.Match;
import com.thephillymojo.ws.game.RandomMatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A table's stored form reads back to the same table, and the match it holds rebuilds exactly. */
class TableCodecTest {
    static TableRecord tableOf(String id, long version, Match match, Random random) {
        List<List<GameEvent>> games = new ArrayList<>();
        for (Game g : match.games()) {
            games.add(g.log());
        }
        return new TableRecord(id, version, random.nextBoolean() ? "K7QX2M" : "", match.length(), random.nextBoolean(),
                List.of(new TableRecord.Seat(0, "user-alice", "Alice \"Al\" Ünal", true), new TableRecord.Seat(1, "user-bob", "Bob", false)),
                List.of(random.nextBoolean(), random.nextBoolean()), games, match.isOver());
    }

    @Test
    void randomMatchesRoundTripAndRebuild() {
        long seed = Long.getLong("tableCodec.seed", System.nanoTime());
        Random random = new Random(seed);
        long bytes = 0;
        for (int i = 0; i < 300; i++) {
            Match match = RandomMatches.randomMatch(random);
            TableRecord table = tableOf("g-" + i, random.nextInt(1000), match, random);
            String stored = TableCodec.encode(table);
            bytes = Math.max(bytes, stored.length());
            TableRecord back = TableCodec.decode(stored);
            assertEquals(table, back, "seed " + seed + ", table " + i);
            GameOptions options = match.games().get(0).options();   // the first game is never the Crawford game
            Match rebuilt = Match.replay(back.matchLength(), options, back.games(), DiceSource.seeded(1));
            assertEquals(match.matchId(), rebuilt.matchId(), "seed " + seed + ", table " + i);
            assertEquals(match.winner(), rebuilt.winner());
        }
        assertTrue(bytes > 0);
    }

    @Test
    void whatEachChangeAddedRebuildsTheTableFromTheVersionBefore() {
        long seed = Long.getLong("tableCodec.seed", System.nanoTime());
        Random outer = new Random(seed);
        for (int m = 0; m < 100; m++) {
            String context = "seed " + seed + ", match " + m;
            Match match = new Match(1 + outer.nextInt(7), new GameOptions(true, false, false), DiceSource.seeded(outer.nextLong()));
            Random decisions = new Random(outer.nextLong());
            TableRecord before = tableOf("g-d", 0, match, new Random(1));
            for (int i = 0; i < 3000; i++) {
                int games = match.games().size();
                int events = match.game().log().size();
                for (int k = outer.nextInt(3); k >= 0; k--) {
                    RandomMatches.act(match, decisions);   // one change may hold several events (a roll that passes, a game's end)
                }
                TableRecord after = tableOf("g-d", before.version() + 1, match, new Random(1));
                String sent = TableCodec.encode(TableDelta.between(games, events, after));
                assertEquals(after, TableCodec.decodeDelta(sent).applyTo(before).orElseThrow(), context + ", change " + i);
                assertTrue(TableCodec.decodeDelta(sent).applyTo(after).isEmpty(), "a delta applies only to the version before it");
                before = after;
                if (match.isOver()) {
                    break;
                }
            }
        }
    }

    @Test
    void aWaitingTableHasNoGames() {
        TableRecord waiting = new TableRecord("g-1", 0, "ABCDEF", 3, true, List.of(new TableRecord.Seat(0, "user-a", "A", true)),
                List.of(false, false), List.of(), false);
        assertEquals(waiting, TableCodec.decode(TableCodec.encode(waiting)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{}", "{\"id\":\"g\",\"v\":1}",
            "{\"id\":\"g\",\"v\":1,\"code\":\"\",\"len\":1,\"cube\":true,\"seats\":[],\"rematch\":[false,false],\"over\":false,\"games\":[[[\"z\",0]]]}",
            "{\"id\":\"g\",\"v\":-4,\"code\":\"\",\"len\":1,\"cube\":true,\"seats\":[],\"rematch\":[false,false],\"over\":false,\"games\":[]}"})
    void anUnreadableTableIsRefusedWithTheReason(String stored) {
        TableCodec.Unreadable e = assertThrows(TableCodec.Unreadable.class, () -> TableCodec.decode(stored));
        assertTrue(e.getMessage().startsWith("a stored table that cannot be read"), e.getMessage());
    }
}
