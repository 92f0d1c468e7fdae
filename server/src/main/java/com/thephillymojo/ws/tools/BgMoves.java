package com.thephillymojo.ws.tools;

import com.thephillymojo.ws.game.Dice;
import com.thephillymojo.ws.game.Notation;
import com.thephillymojo.ws.game.PlayGenerator;
import com.thephillymojo.ws.game.Position;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * {@code bgmoves}: the legal plays of a position and roll, one per line in gnubg notation.
 *
 * <pre>
 *   bgmoves POSITION_ID D1 D2      one query
 *   bgmoves --batch                "POSITION_ID D1 D2" lines on stdin, each answered by its plays and an empty line
 * </pre>
 * Bad input: a message naming the line and the problem on stderr, exit code 2.
 */
public final class BgMoves {
    static final int OK = 0;
    static final int BAD_INPUT = 2;
    private static final String USAGE = "usage: bgmoves POSITION_ID D1 D2 | bgmoves --batch";

    private BgMoves() {
    }

    public static void main(String[] args) throws IOException {
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        int status = run(args, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out, err);
        out.flush();
        System.exit(status);
    }

    static int run(String[] args, BufferedReader in, Writer out, PrintWriter err) throws IOException {
        PlayGenerator generator = new PlayGenerator();
        if (args.length == 1 && args[0].equals("--batch")) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    answer(generator, line.trim().split("\\s+"), out);
                    out.write('\n');
                } catch (IllegalArgumentException e) {
                    out.flush();
                    err.println("bgmoves: line " + number + ": " + e.getMessage());
                    return BAD_INPUT;
                }
            }
            return OK;
        }
        if (args.length == 3) {
            try {
                answer(generator, args, out);
                return OK;
            } catch (IllegalArgumentException e) {
                err.println("bgmoves: " + e.getMessage());
                return BAD_INPUT;
            }
        }
        err.println(USAGE);
        return BAD_INPUT;
    }

    private static void answer(PlayGenerator generator, String[] fields, Writer out) throws IOException {
        if (fields.length != 3) {
            throw new IllegalArgumentException("expected 'POSITION_ID D1 D2', got " + fields.length + " field(s)");
        }
        Position position = Position.fromId(fields[0]);
        Dice dice = new Dice(die(fields[1]), die(fields[2]));
        int n = generator.generate(position, dice);
        for (int k = 0; k < n; k++) {
            out.write(Notation.format(position, generator.moves(k)));
            out.write('\n');
        }
    }

    private static int die(String text) {
        if (!text.matches("[1-6]")) {
            throw new IllegalArgumentException("a die is 1 to 6, not '" + text + "'");
        }
        return Integer.parseInt(text);
    }
}
