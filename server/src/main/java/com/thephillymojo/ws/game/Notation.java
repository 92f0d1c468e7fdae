package com.thephillymojo.ws.game;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * GNU Backgammon's move notation, both ways: {@code 24/18(2) 13/7(2)}, {@code bar/22*},
 * {@code 6/off}, {@code 24/20*}{@code /16}.
 *
 * <p>Formatting follows gnubg's rules: moves sorted from the back; the moves of one checker joined,
 * its intermediate points shown only where it hit; identical paths counted as {@code (n)}; a star
 * once per hit point. Parsing accepts any order, spacing, counts, and paths through several points;
 * a play is then the legal play that reaches the same position.
 */
public final class Notation {
    private Notation() {
    }

    /** gnubg's text for {@code play} made from {@code before}. An empty play is the empty string. */
    public static String format(Position before, Play play) {
        return format(before, play.moves());
    }

    public static String format(Position before, List<Move> moves) {
        List<Move> sorted = new ArrayList<>(moves);
        sorted.sort(Comparator.comparingInt(Move::from).thenComparingInt(Move::to).reversed());

        // Join the moves of one checker: a move that starts where an earlier path ends continues it.
        List<List<Integer>> paths = new ArrayList<>();
        boolean[] joined = new boolean[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            if (joined[i]) {
                continue;
            }
            List<Integer> path = new ArrayList<>(List.of(sorted.get(i).from(), sorted.get(i).to()));
            for (int j = i + 1; j < sorted.size(); j++) {
                int end = path.get(path.size() - 1);
                if (!joined[j] && end == sorted.get(j).from()) {
                    if (opponentHeld(before, end)) {
                        path.add(sorted.get(j).to()); // it hit there: keep the point
                    } else {
                        path.set(path.size() - 1, sorted.get(j).to());
                    }
                    joined[j] = true;
                }
            }
            paths.add(path);
        }

        // Count identical paths.
        List<List<Integer>> distinct = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (List<Integer> path : paths) {
            int at = distinct.indexOf(path);
            if (at >= 0) {
                counts.set(at, counts.get(at) + 1);
            } else {
                distinct.add(path);
                counts.add(1);
            }
        }

        StringBuilder text = new StringBuilder();
        boolean[] starred = new boolean[26];
        for (int p = 0; p < distinct.size(); p++) {
            List<Integer> path = distinct.get(p);
            if (p > 0) {
                text.append(' ');
            }
            text.append(point(path.get(0)));
            for (int k = 1; k < path.size() - 1; k++) {
                text.append('/').append(point(path.get(k))).append('*');
                starred[path.get(k)] = true;
            }
            int end = path.get(path.size() - 1);
            text.append('/').append(point(end));
            if (end != Position.OFF && opponentHeld(before, end) && !starred[end]) {
                text.append('*');
                starred[end] = true;
            }
            if (counts.get(p) > 1) {
                text.append('(').append(counts.get(p)).append(')');
            }
        }
        return text.toString();
    }

    private static boolean opponentHeld(Position before, int point) {
        return point >= 1 && point <= 24 && before.opponent(25 - point) > 0;
    }

    private static String point(int point) {
        return point == Position.BAR ? "bar" : point == Position.OFF ? "off" : Integer.toString(point);
    }

    /**
     * The legal play that {@code text} describes, or an {@link IllegalPlayException} that says why
     * there is none: text that is not notation ({@code bad_notation}) or a play the dice do not allow
     * ({@code illegal_play}).
     */
    public static Play parse(Position before, Dice dice, String text) {
        return resolve(before, dice, paths(text), text);
    }

    /** The legal play made of these moves, in any order; multi-point moves are allowed. */
    public static Play resolve(Position before, Dice dice, List<Move> moves) {
        List<int[]> paths = new ArrayList<>();
        for (Move move : moves) {
            paths.add(new int[] {move.from(), move.to()});
        }
        return resolve(before, dice, paths, format(before, moves));
    }

    private static Play resolve(Position before, Dice dice, List<int[]> paths, String described) {
        List<Play> legal = LegalPlays.of(before, dice);
        String why = null;
        try {
            Position result = literalResult(before, paths);
            for (Play play : legal) {
                if (play.result().equals(result)) {
                    return play;
                }
            }
        } catch (IllegalArgumentException e) {
            why = e.getMessage();
        }
        throw IllegalPlayException.notLegal(before, dice, described, why, legal);
    }

    /** Moves the checkers along the paths as written, hitting blots where they land or stop. */
    private static Position literalResult(Position before, List<int[]> paths) {
        int[] mine = new int[25];
        int[] theirs = new int[25];
        for (int i = 0; i < 25; i++) {
            mine[i] = before.onRoll[i];
            theirs[i] = before.opponent[i];
        }
        for (int[] path : paths) {
            for (int k = 0; k + 1 < path.length; k++) {
                int from = path[k];
                int to = path[k + 1];
                if (mine[from - 1] == 0) {
                    throw new IllegalArgumentException("there is no checker to move from " + point(from));
                }
                mine[from - 1]--;
                if (to != Position.OFF) {
                    int theirIndex = 24 - to;
                    if (theirs[theirIndex] > 1) {
                        throw new IllegalArgumentException("point " + to + " is held by the opponent");
                    }
                    if (theirs[theirIndex] == 1) {
                        theirs[theirIndex] = 0;
                        theirs[24]++;
                    }
                    mine[to - 1]++;
                }
            }
        }
        byte[] a = new byte[25];
        byte[] b = new byte[25];
        for (int i = 0; i < 25; i++) {
            a[i] = (byte) mine[i];
            b[i] = (byte) theirs[i];
        }
        return new Position(a, b);
    }

    /** Splits notation into checker paths, each repeated as its count says. */
    static List<int[]> paths(String text) {
        if (text == null) {
            throw IllegalPlayException.badNotation("no play given");
        }
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        List<int[]> paths = new ArrayList<>();
        if (trimmed.isEmpty()) {
            return paths;
        }
        for (String token : trimmed.split("\\s+")) {
            int times = 1;
            String body = token;
            int paren = token.indexOf('(');
            if (paren >= 0) {
                if (!token.endsWith(")")) {
                    throw IllegalPlayException.badNotation("'" + token + "' has an unclosed count");
                }
                String n = token.substring(paren + 1, token.length() - 1);
                if (!n.matches("[1-4]")) {
                    throw IllegalPlayException.badNotation("'" + token + "' has a count that is not 1 to 4");
                }
                times = Integer.parseInt(n);
                body = token.substring(0, paren);
            }
            String[] parts = body.split("/", -1);
            if (parts.length < 2) {
                throw IllegalPlayException.badNotation("'" + token + "' is not a move like 13/7 or bar/22*");
            }
            int[] path = new int[parts.length];
            for (int k = 0; k < parts.length; k++) {
                path[k] = pointOf(parts[k], token);
                if (k > 0 && path[k] >= path[k - 1]) {
                    throw IllegalPlayException.badNotation("'" + token + "' does not move towards home");
                }
            }
            if (path[path.length - 1] == Position.BAR) {
                throw IllegalPlayException.badNotation("'" + token + "' ends on the bar");
            }
            for (int k = 0; k < times; k++) {
                paths.add(path);
            }
        }
        return paths;
    }

    private static int pointOf(String part, String token) {
        String p = part.endsWith("*") ? part.substring(0, part.length() - 1) : part;
        switch (p) {
            case "bar":
                return Position.BAR;
            case "off":
                return Position.OFF;
            default:
                if (!p.matches("[0-9]{1,2}")) {
                    throw IllegalPlayException.badNotation("'" + token + "': '" + part + "' is not a point");
                }
                int n = Integer.parseInt(p);
                if (n < 1 || n > 24) {
                    throw IllegalPlayException.badNotation("'" + token + "': points are 1 to 24, bar and off");
                }
                return n;
        }
    }
}
