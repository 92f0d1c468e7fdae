package com.thephillymojo.ws.bench;

import com.thephillymojo.ws.game.Game;
import com.thephillymojo.ws.game.GameEvent;
import com.thephillymojo.ws.game.Match;
import com.thephillymojo.ws.game.RandomMatches;
import com.thephillymojo.ws.store.TableCodec;
import com.thephillymojo.ws.store.TableDelta;
import com.thephillymojo.ws.store.TableRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The table codec on what a command costs the store: a table written whole ({@code encode}), read
 * whole ({@code decode}), and a change's delta (what one move added: encoded by the writer, decoded
 * and applied by every other task). Over 1,000 tables of random matches (seed 42), each with all its
 * games; a delta is the table's last event. One operation = one table or one delta.
 *
 * <p>Run: {@code server/bin/bench TableCodecBenchmark -prof gc} (see docs/performance.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TableCodecBenchmark {
    static final int TABLES = 1_000;

    private TableRecord[] tables;
    private String[] encoded;
    private TableRecord[] before;
    private String[] deltas;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        tables = new TableRecord[TABLES];
        encoded = new String[TABLES];
        before = new TableRecord[TABLES];
        deltas = new String[TABLES];
        for (int i = 0; i < TABLES; i++) {
            Match match = RandomMatches.randomMatch(random);
            List<List<GameEvent>> games = new ArrayList<>();
            for (Game g : match.games()) {
                games.add(g.log());
            }
            List<TableRecord.Seat> seats = List.of(new TableRecord.Seat(0, "user-a-" + i, "Alice", true), new TableRecord.Seat(1, "user-b-" + i, "Bob", true));
            TableRecord table = new TableRecord("g-" + i, 100 + i, "", match.length(), true, seats, List.of(false, false), games, match.isOver());
            // the table one event earlier: what the other tasks held before the last move
            List<List<GameEvent>> earlier = new ArrayList<>(games);
            List<GameEvent> last = earlier.get(earlier.size() - 1);
            earlier.set(earlier.size() - 1, last.subList(0, last.size() - 1));
            TableRecord previous = new TableRecord("g-" + i, 99 + i, "", match.length(), true, seats, List.of(false, false), earlier, false);
            tables[i] = table;
            encoded[i] = TableCodec.encode(table);
            before[i] = previous;
            deltas[i] = TableCodec.encode(TableDelta.between(earlier.size(), earlier.get(earlier.size() - 1).size(), table));
        }
    }

    private int index() {
        int i = next;
        next = (i + 1) % TABLES;
        return i;
    }

    /** A table written whole, as COMPARE_AND_SET stores it. */
    @Benchmark
    public String encode() {
        return TableCodec.encode(tables[index()]);
    }

    /** A table read whole, as a task that missed a change reads it. */
    @Benchmark
    public TableRecord decode() {
        return TableCodec.decode(encoded[index()]);
    }

    /** What one move added, as the writer publishes it. */
    @Benchmark
    public String encodeDelta() {
        int i = index();
        return TableCodec.encode(TableDelta.between(before[i].games().size(), before[i].games().get(before[i].games().size() - 1).size(),
                tables[i]));
    }

    /** A delta read and applied to the table as another task holds it. */
    @Benchmark
    public Object decodeAndApplyDelta() {
        int i = index();
        return TableCodec.decodeDelta(deltas[i]).applyTo(before[i]).orElseThrow();
    }
}
