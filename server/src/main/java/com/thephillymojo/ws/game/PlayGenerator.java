package com.thephillymojo.ws.game;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds every legal play of a roll, exactly as GNU Backgammon 1.07 does.
 *
 * <p>The search visits move sequences in gnubg's order — the dice as rolled, then swapped; sources
 * from the back of the board towards home; with doubles, each further move from the same point or
 * a lower one — and keeps a play only if it uses as many dice, and as many pips of dice, as the
 * best found. Sequences that reach the same position are one play, listed with the first sequence
 * found, so that {@link Notation} prints what gnubg prints.
 *
 * <p>Built for speed: the board is changed in place and restored, a position is identified by an
 * exact 124-bit key kept up to date move by move (the mover's 25 counts in 4 bits each, plus which
 * of the opponent's blots were hit), and nothing is allocated per call once the buffers have grown.
 * One instance is not thread-safe; {@link LegalPlays} keeps one per thread.
 */
public final class PlayGenerator {
    private static final int HIT_SHIFT = 36;

    private final int[] mine = new int[25];
    private final int[] theirs = new int[25];
    private final int[] roll = new int[4];
    private final int[] sequence = new int[8];
    private long keyLo;
    private long keyHi;
    /** The highest point (index) holding a checker of the side on roll: decides bear-off. */
    private int back;
    /** Bit i set: the side on roll has a checker on index i (0..24). */
    private int occupied;
    /** Bit i set: the opponent holds the side on roll's index i (two or more; hits never change it). */
    private int blocked;

    private Position position;
    private int count;
    private int maxMoves;
    private int maxPips;
    private int[] foundMoves = new int[8 * 256];
    private int[] foundMoveCount = new int[256];
    private long[] foundKeys = new long[2 * 256];

    private int[] table = new int[1024];      // index of a found play + 1, valid only when stamp matches
    private int[] tableStamp = new int[1024];
    private int stamp = 1;

    /** Generates the legal plays of {@code dice} in {@code position}; returns how many there are. */
    public int generate(Position position, Dice dice) {
        return generate(position, dice.first(), dice.second());
    }

    public int generate(Position position, int die1, int die2) {
        this.position = position;
        count = 0;
        maxMoves = 0;
        maxPips = 0;
        nextStamp();
        roll[0] = die1;
        roll[1] = die2;
        roll[2] = roll[3] = die1 == die2 ? die1 : 0;
        load(position);
        search(0, 23, 0);
        if (die1 != die2) {
            // the search leaves the board as it found it: no reload
            roll[0] = die2;
            roll[1] = die1;
            search(0, 23, 0);
        }
        return count;
    }

    private void load(Position position) {
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < 25; i++) {
            int n = position.onRoll[i];
            mine[i] = n;
            theirs[i] = position.opponent[i];
            if (i < 16) {
                lo |= (long) n << (4 * i);
            } else {
                hi |= (long) n << (4 * (i - 16));
            }
        }
        keyLo = lo;
        keyHi = hi;
        int occ = 0;
        int blk = 0;
        for (int i = 0; i < 25; i++) {
            if (mine[i] > 0) {
                occ |= 1 << i;
            }
            if (i < 24 && theirs[23 - i] >= 2) {
                blk |= 1 << i;
            }
        }
        occupied = occ;
        blocked = blk;
        back = 0;
        for (int i = 24; i > 0; i--) {
            if (mine[i] > 0) {
                back = i;
                break;
            }
        }
    }

    /** gnubg's recursion: returns true when no move was possible at this depth (the caller saves). */
    private boolean search(int depth, int highestSource, int pips) {
        if (depth > 3 || roll[depth] == 0) {
            return true;
        }
        int die = roll[depth];
        if (mine[24] > 0) {
            if ((blocked >> (24 - die) & 1) != 0) {
                return true;
            }
            step(depth, 24, die, 23, pips);
            return false;
        }
        boolean used = false;
        boolean doubles = roll[0] == roll[1];
        // occupied points from highestSource down, as gnubg's loop visits them (empty ones skipped)
        int candidates = occupied & ((2 << highestSource) - 1);
        while (candidates != 0) {
            int i = 31 - Integer.numberOfLeadingZeros(candidates);
            candidates &= ~(1 << i);
            if (legal(i, die)) {
                step(depth, i, die, doubles ? i : 23, pips);
                used = true;
            }
        }
        return !used;
    }

    private void step(int depth, int from, int die, int nextHighest, int pips) {
        int to = from - die;
        sequence[2 * depth] = from;
        sequence[2 * depth + 1] = to;
        int savedBack = back;
        int savedOccupied = occupied;
        long savedLo = keyLo;
        long savedHi = keyHi;
        boolean hit = apply(from, to);
        int next = depth + 1;
        // the last die: no deeper search, save at once (what the recursion would do, without the call)
        if (next > 3 || roll[next] == 0 || search(next, nextHighest, pips + die)) {
            save(next, pips + die);
        }
        // undo
        mine[from]++;
        if (to >= 0) {
            mine[to]--;
            if (hit) {
                theirs[23 - to] = 1;
                theirs[24]--;
            }
        }
        back = savedBack;
        occupied = savedOccupied;
        keyLo = savedLo;
        keyHi = savedHi;
    }

    private boolean apply(int from, int to) {
        mine[from]--;
        addToKey(from, -1);
        boolean hit = false;
        if (to >= 0) {
            if (theirs[23 - to] == 1) {
                theirs[23 - to] = 0;
                theirs[24]++;
                keyHi |= 1L << (HIT_SHIFT + 23 - to);
                hit = true;
            }
            mine[to]++;
            addToKey(to, 1);
            occupied |= 1 << to;
        }
        if (mine[from] == 0) {
            occupied &= ~(1 << from);
        }
        if (from == back && mine[from] == 0) {
            // the back checker moved: gnubg's "highest occupied point" looks at indexes 24..1 only
            int above = occupied & ~1;
            back = above == 0 ? 0 : 31 - Integer.numberOfLeadingZeros(above);
        }
        return hit;
    }

    private void addToKey(int index, long delta) {
        if (index < 16) {
            keyLo += delta << (4 * index);
        } else {
            keyHi += delta << (4 * (index - 16));
        }
    }

    private boolean legal(int from, int die) {
        int to = from - die;
        if (to >= 0) {
            return (blocked >> to & 1) == 0;
        }
        return back <= 5 && (from == back || to == -1);
    }

    private void save(int moves, int pips) {
        if (moves < maxMoves || pips < maxPips) {
            return;
        }
        if (moves > maxMoves || pips > maxPips) {
            count = 0;
            nextStamp();
        }
        maxMoves = moves;
        maxPips = pips;
        int mask = table.length - 1;
        int slot = hash(keyLo, keyHi) & mask;
        while (tableStamp[slot] == stamp) {
            int found = table[slot] - 1;
            if (foundKeys[2 * found] == keyLo && foundKeys[2 * found + 1] == keyHi) {
                return; // gnubg keeps the first sequence that reached a position
            }
            slot = (slot + 1) & mask;
        }
        if (count == foundMoveCount.length) {
            grow();
        }
        System.arraycopy(sequence, 0, foundMoves, 8 * count, 2 * moves);
        foundMoveCount[count] = moves;
        foundKeys[2 * count] = keyLo;
        foundKeys[2 * count + 1] = keyHi;
        count++;
        if (2 * count > table.length) {
            rehash(table.length * 2);
        } else {
            table[slot] = count;
            tableStamp[slot] = stamp;
        }
    }

    private void nextStamp() {
        stamp++;
        if (stamp == Integer.MAX_VALUE) {
            java.util.Arrays.fill(tableStamp, 0);
            stamp = 1;
        }
    }

    private void grow() {
        int capacity = foundMoveCount.length * 2;
        foundMoves = java.util.Arrays.copyOf(foundMoves, 8 * capacity);
        foundMoveCount = java.util.Arrays.copyOf(foundMoveCount, capacity);
        foundKeys = java.util.Arrays.copyOf(foundKeys, 2 * capacity);
    }

    private void rehash(int capacity) {
        table = new int[capacity];
        tableStamp = new int[capacity];
        stamp = 1;
        int mask = capacity - 1;
        for (int k = 0; k < count; k++) {
            int slot = hash(foundKeys[2 * k], foundKeys[2 * k + 1]) & mask;
            while (tableStamp[slot] == stamp) {
                slot = (slot + 1) & mask;
            }
            table[slot] = k + 1;
            tableStamp[slot] = stamp;
        }
    }

    private static int hash(long lo, long hi) {
        long h = (lo ^ (hi * 0xC2B2AE3D27D4EB4FL)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) ^ (int) h;
    }

    /** How many plays the last {@link #generate} found. */
    public int count() {
        return count;
    }

    /** The moves of play {@code k}, in the order gnubg found them. */
    public List<Move> moves(int k) {
        checkIndex(k);
        int n = foundMoveCount[k];
        List<Move> moves = new ArrayList<>(n);
        for (int m = 0; m < n; m++) {
            int from = foundMoves[8 * k + 2 * m];
            int to = foundMoves[8 * k + 2 * m + 1];
            moves.add(new Move(from + 1, Math.max(to + 1, Position.OFF)));
        }
        return moves;
    }

    /** The position play {@code k} leads to, seen by the side that played it. */
    public Position result(int k) {
        checkIndex(k);
        long lo = foundKeys[2 * k];
        long hi = foundKeys[2 * k + 1];
        byte[] mineAfter = new byte[25];
        for (int i = 0; i < 25; i++) {
            mineAfter[i] = (byte) (i < 16 ? (lo >>> (4 * i)) & 15 : (hi >>> (4 * (i - 16))) & 15);
        }
        byte[] theirsAfter = position.opponent.clone();
        long hits = hi >>> HIT_SHIFT;
        for (int j = 0; j < 24; j++) {
            if ((hits & (1L << j)) != 0) {
                theirsAfter[j] = 0;
                theirsAfter[24]++;
            }
        }
        return new Position(mineAfter, theirsAfter);
    }

    public Play play(int k) {
        return new Play(moves(k), result(k));
    }

    private int checkIndex(int k) {
        if (k < 0 || k >= count) {
            throw new IndexOutOfBoundsException("play " + k + " of " + count);
        }
        return k;
    }
}
