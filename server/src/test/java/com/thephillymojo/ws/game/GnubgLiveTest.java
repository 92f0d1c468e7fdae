package com.thephillymojo.ws.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Asks the real GNU Backgammon, when it is installed, for the legal plays of positions from fresh
 * random games (a new seed each run, printed so a failure can be replayed) and compares. Skipped,
 * with a message, where gnubg is not installed.
 */
class GnubgLiveTest {
    private static final Pattern PLAY = Pattern.compile("^\\s*\\d+\\.\\s+Cube(?:ful|less)\\s+\\d+-ply\\s+(.+?)\\s+Eq\\.:", Pattern.MULTILINE);

    @Test
    void gnubgAgreesOnPositionsFromRandomGames() throws Exception {
        Path gnubg = GnubgCorpus.gnubg();
        if (gnubg == null) {
            System.err.println("GnubgLiveTest: gnubg is not installed (Debian package 'gnubg'); skipping the live comparison");
        }
        assumeTrue(gnubg != null, "gnubg is not installed (Debian package 'gnubg'): live comparison skipped");

        long seed = System.nanoTime();
        System.err.println("GnubgLiveTest: seed " + seed);
        Random random = new Random(seed);
        List<GnubgCorpus.Case> cases = new ArrayList<>();
        while (cases.size() < 300) {
            Game game = new Game(GameOptions.MONEY.withCube(false), DiceSource.seeded(random.nextLong()));
            while (!game.isOver() && cases.size() < 300) {
                if (game.phase() == Game.Phase.ROLL) {
                    game.roll(game.onRoll());
                } else {
                    Dice dice = game.dice().orElseThrow();
                    cases.add(new GnubgCorpus.Case(game.position().id(), dice.first(), dice.second(), "live", Set.of()));
                    List<Play> legal = game.legalPlays();
                    game.play(game.onRoll(), legal.get(random.nextInt(legal.size())).moves());
                }
            }
        }
        List<Set<String>> answers = ask(gnubg, cases);
        for (int i = 0; i < cases.size(); i++) {
            GnubgCorpus.Case c = cases.get(i);
            Position position = Position.fromId(c.positionId());
            Set<String> ours = new TreeSet<>();
            for (Play play : LegalPlays.of(position, c.dice())) {
                ours.add(Notation.format(position, play));
            }
            assertEquals(answers.get(i), ours, "seed " + seed + ", " + c);
        }
    }

    private static List<Set<String>> ask(Path gnubg, List<GnubgCorpus.Case> cases) throws Exception {
        StringBuilder script = new StringBuilder("set player 0 human\nset player 1 human\nnew game\n"
                + "set evaluation chequerplay evaluation plies 0\nset evaluation chequerplay evaluation prune off\n");
        for (GnubgCorpus.Case c : cases) {
            script.append("set board ").append(c.positionId()).append('\n')
                    .append("set dice ").append(c.die1()).append(' ').append(c.die2()).append('\n')
                    .append("hint 10000\n");
        }
        Process process = new ProcessBuilder(gnubg.toString(), "-t", "-q").redirectErrorStream(true).start();
        try {
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            process.getOutputStream().write(script.toString().getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "gnubg did not finish within 120 s");
            String[] blocks = new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8).split("The dice have been set to");
            assertEquals(cases.size() + 1, blocks.length, "gnubg answered every case");
            List<Set<String>> answers = new ArrayList<>();
            for (int i = 1; i < blocks.length; i++) {
                Set<String> plays = new TreeSet<>();
                Matcher m = PLAY.matcher(blocks[i]);
                while (m.find()) {
                    plays.add(m.group(1));
                }
                answers.add(plays);
            }
            return answers;
        } finally {
            process.destroyForcibly();
        }
    }
}
