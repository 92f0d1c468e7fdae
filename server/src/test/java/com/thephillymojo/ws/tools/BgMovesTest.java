package com.thephillymojo.ws.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.game.Dice;
import com.thephillymojo.ws.game.LegalPlays;
import com.thephillymojo.ws.game.Position;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bgmoves in-process: output format, batch mode, bad input. */
class BgMovesTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, String... args) throws Exception {
        return BgMoves.run(args, new BufferedReader(new StringReader(stdin)), out, new PrintWriter(err, true));
    }

    @Test
    void oneQueryPrintsEveryPlayOnALine() throws Exception {
        assertEquals(0, run("", "4HPwATDgc/ABMA", "3", "1"));
        List<String> lines = out.toString().lines().toList();
        assertEquals(16, lines.size());
        assertTrue(lines.contains("8/5 6/5"));
        assertEquals("", err.toString());
    }

    @Test
    void noLegalPlayPrintsNothing() throws Exception {
        // one checker on 13 facing a held 9-point with 4-4
        assertEquals(0, run("", "AIABAIAAAAAAAA", "4", "4"));
        assertEquals("", out.toString());
    }

    @Test
    void batchAnswersEachLineWithABlockAndAnEmptyLine() throws Exception {
        assertEquals(0, run("4HPwATDgc/ABMA 3 1\nAIABAIAAAAAAAA 4 4\n\n4HPwATDgc/ABMA 6 6\n", "--batch"));
        String[] blocks = out.toString().split("\n", -1);
        List<String> lines = Arrays.asList(blocks);
        int firstEmpty = lines.indexOf("");
        assertEquals(16, firstEmpty);
        assertEquals("", lines.get(firstEmpty + 1), "the 4-4 has no play: an empty block");
        assertTrue(out.toString().endsWith("\n\n"));
        int sixSix = LegalPlays.of(Position.START, Dice.of(6, 6)).size();
        assertEquals(16 + 1 + 1 + sixSix + 1 + 1, lines.size(), out.toString());
    }

    @Test
    void badInputNamesTheLineAndExitsWithTwo() throws Exception {
        assertEquals(2, run("4HPwATDgc/ABMA 3 1\n4HPwATDgc/ABMA 7 1\n", "--batch"));
        assertTrue(err.toString().contains("line 2"), err.toString());
        assertTrue(err.toString().contains("a die is 1 to 6"), err.toString());
        assertTrue(out.toString().contains("8/5 6/5"), "answers before the bad line are written");

        StringWriter e2 = new StringWriter();
        assertEquals(2, BgMoves.run(new String[] {"nonsense!!!!!!", "3", "1"}, new BufferedReader(new StringReader("")),
                new StringWriter(), new PrintWriter(e2, true)));
        assertTrue(e2.toString().contains("invalid Position ID"), e2.toString());
        assertEquals(2, run("", "only-one-arg"));
    }
}
