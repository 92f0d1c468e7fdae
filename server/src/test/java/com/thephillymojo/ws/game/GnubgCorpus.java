package com.thephillymojo.ws.game;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The committed corpus of legal plays as GNU Backgammon lists them (see make_corpus.py). */
final class GnubgCorpus {
    record Case(String positionId, int die1, int die2, String kind, Set<String> plays) {
        Dice dice() {
            return Dice.of(die1, die2);
        }

        @Override
        public String toString() {
            return positionId + " " + die1 + " " + die2 + " (" + kind + ")";
        }
    }

    static final String RESOURCE = "/gnubg/legal-plays.txt";

    private GnubgCorpus() {
    }

    static List<Case> load() {
        try (var in = GnubgCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test resources");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> parse(List<String> lines) {
        List<Case> cases = new ArrayList<>();
        String[] header = null;
        Set<String> plays = new TreeSet<>();
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            if (header == null) {
                if (!line.isBlank()) {
                    header = line.trim().split("\\s+");
                }
            } else if (line.isEmpty()) {
                cases.add(new Case(header[0], Integer.parseInt(header[1]), Integer.parseInt(header[2]),
                        header.length > 3 ? header[3] : "", plays));
                header = null;
                plays = new TreeSet<>();
            } else {
                plays.add(line);
            }
        }
        return cases;
    }

    /** gnubg's own executable, if installed: Debian puts it in /usr/games, which is not always on PATH. */
    static Path gnubg() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/games").split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Paths.get(dir, "gnubg");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
