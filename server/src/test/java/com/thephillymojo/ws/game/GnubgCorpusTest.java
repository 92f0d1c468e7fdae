package com.thephillymojo.ws.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our legal plays against the committed GNU Backgammon corpus: same set, same notation, every case. */
class GnubgCorpusTest {
    private static List<GnubgCorpus.Case> corpus;

    @BeforeAll
    static void load() {
        corpus = GnubgCorpus.load();
    }

    private static Set<String> ours(GnubgCorpus.Case c) {
        Position position = Position.fromId(c.positionId());
        Set<String> plays = new TreeSet<>();
        for (Play play : LegalPlays.of(position, c.dice())) {
            plays.add(Notation.format(position, play));
        }
        return plays;
    }

    @Test
    void everyCaseListsExactlyTheLegalPlaysGnubgLists() {
        assertTrue(corpus.size() >= 1000, "the corpus has " + corpus.size() + " cases");
        List<String> wrong = new ArrayList<>();
        for (GnubgCorpus.Case c : corpus) {
            Set<String> ours = ours(c);
            if (!ours.equals(c.plays())) {
                Set<String> missing = new TreeSet<>(c.plays());
                missing.removeAll(ours);
                Set<String> extra = new TreeSet<>(ours);
                extra.removeAll(c.plays());
                wrong.add(c + ": missing " + missing + ", not legal " + extra);
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())), wrong.size() + " cases disagree");
    }

    @Test
    void everyNotationInTheCorpusParsesBackToItsPlay() {
        int checked = 0;
        for (GnubgCorpus.Case c : corpus) {
            Position position = Position.fromId(c.positionId());
            for (String text : c.plays()) {
                Play play = Notation.parse(position, c.dice(), text);
                assertEquals(text, Notation.format(position, play), c.toString());
                checked++;
            }
        }
        assertTrue(checked > 10_000, "checked " + checked + " notations");
    }

    /** The corpus covers the hard cases on purpose; this keeps it so if it is ever regenerated. */
    @Test
    void theCorpusCoversTheHardCases() {
        assertCovers("no legal play", (c, plays) -> plays.isEmpty());
        assertCovers("bar entry blocked with checkers on the bar", (c, plays) ->
                plays.isEmpty() && Position.fromId(c.positionId()).onBar());
        assertCovers("partial bar entry: two or more on the bar, not all enter",
                (c, plays) -> Position.fromId(c.positionId()).onRoll(Position.BAR) >= 2 && !plays.isEmpty()
                        && plays.get(0).result().onBar());
        assertCovers("enter and move on", (c, plays) -> plays.stream().anyMatch(p ->
                p.moves().get(0).from() == Position.BAR && p.moves().size() > 1
                        && p.moves().get(1).from() == p.moves().get(0).to()));
        assertCovers("bear-off with a higher die", (c, plays) -> plays.stream().anyMatch(p -> p.moves().stream()
                .anyMatch(m -> m.to() == Position.OFF && m.from() != c.die1() && m.from() != c.die2())));
        assertCovers("only one die playable, either could be: the larger", (c, plays) -> singleDie(c, plays)
                && plays.get(0).moves().get(0).distance() > c.dice().low()
                && !LegalPlays.of(Position.fromId(c.positionId()), Dice.of(c.dice().low(), c.dice().low())).isEmpty());
        assertCovers("only the smaller die playable", (c, plays) -> singleDie(c, plays)
                && plays.get(0).moves().get(0).distance() == c.dice().low());
        assertCovers("doubles partly playable", (c, plays) -> c.die1() == c.die2() && !plays.isEmpty()
                && plays.get(0).moves().size() < 4);
        assertCovers("a hit on an intermediate point", (c, plays) -> c.plays().stream().anyMatch(t -> t.contains("*/")));
        assertCovers("a hit when entering", (c, plays) -> c.plays().stream().anyMatch(t -> t.startsWith("bar/") && t.contains("*")));
    }

    private static boolean singleDie(GnubgCorpus.Case c, List<Play> plays) {
        return !c.dice().isDouble() && !plays.isEmpty() && plays.get(0).moves().size() == 1;
    }

    private interface CaseTest {
        boolean test(GnubgCorpus.Case c, List<Play> plays);
    }

    private static void assertCovers(String what, CaseTest test) {
        long n = corpus.stream()
                .filter(((Predicate<GnubgCorpus.Case>) c -> test.test(c, LegalPlays.of(Position.fromId(c.positionId()), c.dice()))))
                .count();
        assertTrue(n >= 5, "the corpus has " + n + " cases of: " + what);
    }
}
