package com.thephillymojo.ws.bench;

import com.thephillymojo.ws.game.Dice;
import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.game.Game;
import com.thephillymojo.ws.game.GameOptions;
import com.thephillymojo.ws.game.LegalPlays;
import com.thephillymojo.ws.game.Play;
import com.thephillymojo.ws.game.PlayGenerator;
import com.thephillymojo.ws.game.Position;
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
 * Legal-play generation over a fixed set of 10,000 (position, roll) pairs taken from random games
 * (seed 42; doubles come up as often as the dice make them). One operation = one generation.
 *
 * <p>Run: {@code server/bin/bench LegalPlaysBenchmark -prof gc} (see docs/performance.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LegalPlaysBenchmark {
    static final int PAIRS = 10_000;

    private Position[] positions;
    private Dice[] rolls;
    private int next;
    private final PlayGenerator generator = new PlayGenerator();

    @Setup
    public void setUp() {
        Random random = new Random(42);
        List<Position> ps = new ArrayList<>();
        List<Dice> ds = new ArrayList<>();
        while (ps.size() < PAIRS) {
            Game game = new Game(GameOptions.MONEY.withCube(false), DiceSource.seeded(random.nextLong()));
            while (!game.isOver() && ps.size() < PAIRS) {
                if (game.phase() == Game.Phase.ROLL) {
                    game.roll(game.onRoll());
                } else {
                    ps.add(game.position());
                    ds.add(game.dice().orElseThrow());
                    List<Play> legal = game.legalPlays();
                    game.play(game.onRoll(), legal.get(random.nextInt(legal.size())).moves());
                }
            }
        }
        positions = ps.toArray(new Position[0]);
        rolls = ds.toArray(new Dice[0]);
    }

    /** The engine's generator: the plays and their resulting positions, into reused buffers. */
    @Benchmark
    public int generate() {
        int i = next;
        next = i + 1 == PAIRS ? 0 : i + 1;
        return generator.generate(positions[i], rolls[i]);
    }

    /** The public API the server calls: an immutable list of Play values with their positions. */
    @Benchmark
    public List<Play> legalPlaysList() {
        int i = next;
        next = i + 1 == PAIRS ? 0 : i + 1;
        return LegalPlays.of(positions[i], rolls[i]);
    }

    /** The opening 3-1, the figure Rust generators quote. */
    @Benchmark
    public int openingThreeOne() {
        return generator.generate(Position.START, 3, 1);
    }
}
