#!/usr/bin/env python3
"""Builds the legal-play corpus the rules engine is tested against, from GNU Backgammon itself.

It makes (position, dice) cases -- fixed classics plus random positions drawn on purpose to hit the
hard rules (bar entry blocked or partial, bear-off with higher dice, a forced die or order, doubles
partly playable, hits on intermediate points) -- asks `gnubg -t -q` for every legal play of each
(`hint` at 0 ply with pruning off lists each distinct resulting position once), and writes:

    POSITION_ID D1 D2 KIND
    <one legal play per line, gnubg notation, sorted>
    <empty line>

The Position IDs are computed here, independently of the Java code, and checked against the ID
gnubg prints after `set board`.

    python3 server/src/test/gnubg/make_corpus.py [--cases N] [--seed S] [--out FILE]
"""
import argparse
import base64
import random
import re
import subprocess
import sys

GNUBG = "/usr/games/gnubg"
HEADER = [
    "set player 0 human",
    "set player 1 human",
    "new game",
    "set evaluation chequerplay evaluation plies 0",
    "set evaluation chequerplay evaluation prune off",
]


def position_id(on_roll, opponent):
    """gnubg Position ID: side not on roll first; 1 per checker, 0 after each point; 80 bits LE."""
    bits = []
    for side in (opponent, on_roll):
        for n in side:
            bits.extend([1] * n)
            bits.append(0)
    bits.extend([0] * (80 - len(bits)))
    key = bytearray(10)
    for i, b in enumerate(bits):
        if b:
            key[i // 8] |= 1 << (i % 8)
    return base64.b64encode(bytes(key)).decode().rstrip("=")


class Board:
    """Two sides of 25 counts (index 0..23 = points 1..24 from that side, 24 = bar)."""

    def __init__(self):
        self.me = [0] * 25
        self.them = [0] * 25

    def free_for_me(self, i):
        return i == 24 or self.them[23 - i] == 0

    def free_for_them(self, j):
        return j == 24 or self.me[23 - j] == 0

    def place(self, rng, side, n, allowed, clumps):
        """Puts n checkers of `side` on a few points drawn from `allowed`, in clumps."""
        free = self.free_for_me if side is self.me else self.free_for_them
        spots = [i for i in allowed if free(i)]
        if not spots:
            return n
        chosen = rng.sample(spots, min(len(spots), clumps))
        for _ in range(n):
            side[rng.choice(chosen)] += 1
        return 0


def checkers(rng, low=0, high=15):
    return rng.randint(low, high)


def make_case(rng, kind):
    b = Board()
    me_n = 15 - (rng.choice([0, 0, 0, 1, 2, 4]) if kind not in ("bearoff", "endgame") else 0)
    them_n = 15 - rng.choice([0, 0, 0, 0, 2, 5])
    if kind == "contact":
        b.place(rng, b.me, me_n, range(24), rng.randint(3, 8))
        b.place(rng, b.them, them_n, range(24), rng.randint(3, 8))
        if rng.random() < 0.2:
            b.me[24] += 1
            b.me[max(range(24), key=lambda i: b.me[i])] -= 1
    elif kind == "bar":
        # opponent's home board (their 0..5 = my 19..24) holds points; I have 1-4 on the bar
        made = rng.sample(range(6), rng.randint(2, 6))
        for j in made:
            b.them[j] = 2
        rest = them_n - 2 * len(made)
        b.place(rng, b.them, rest, range(6, 24), rng.randint(1, 4))
        on_bar = rng.randint(1, 4)
        b.me[24] = on_bar
        b.place(rng, b.me, me_n - on_bar, range(24), rng.randint(2, 6))
    elif kind == "bearoff":
        me_home = rng.randint(1, 15)
        b.place(rng, b.me, me_home, range(6), rng.randint(1, 6))
        b.place(rng, b.them, them_n, range(24), rng.randint(2, 7))
        if rng.random() < 0.3:
            # one straggler just outside: bear-off not yet allowed, or allowed after moving in
            straggler = rng.choice([6, 7, 8, 9, 11])
            if b.free_for_me(straggler):
                b.me[straggler] += 1
    elif kind == "prime":
        start = rng.randint(0, 17)
        length = rng.randint(4, 6)
        for j in range(start, min(start + length, 24)):
            b.them[j] = 2
        used = sum(b.them)
        b.place(rng, b.them, max(0, them_n - used), range(24), 2)
        # my checkers behind the prime: their j = my 23-j, behind = higher my index
        behind = range(max(0, 23 - start), 24)
        b.place(rng, b.me, rng.randint(1, 4), behind, 2)
        b.place(rng, b.me, me_n - sum(b.me), range(24), rng.randint(2, 6))
    elif kind == "blots":
        for j in rng.sample(range(24), rng.randint(4, 10)):
            b.them[j] = 1
        b.place(rng, b.them, max(0, them_n - sum(b.them)), range(24), 2)
        b.place(rng, b.me, me_n, range(24), rng.randint(2, 8))
        if rng.random() < 0.3:
            b.me[24] += 1
    elif kind == "forced":
        # one or two checkers facing a board full of held points: a die, or an order, is forced
        for j in rng.sample(range(24), rng.randint(5, 9)):
            b.them[j] = 2
        b.place(rng, b.me, rng.randint(1, 2), range(6, 24), 2)
        if rng.random() < 0.3:
            b.me[24] += 1
    elif kind == "endgame":
        b.place(rng, b.me, rng.randint(1, 6), range(rng.randint(6, 24)), rng.randint(1, 4))
        b.place(rng, b.them, rng.randint(1, 6), range(24), rng.randint(1, 4))
    if sum(b.me) == 0 or sum(b.them) == 0 or sum(b.me) > 15 or sum(b.them) > 15 or min(b.me) < 0:
        return None
    for i in range(24):
        if b.me[i] and b.them[23 - i]:
            return None
    if rng.random() < 0.3:
        d = rng.randint(1, 6)
        dice = (d, d)
    else:
        dice = (rng.randint(1, 6), rng.randint(1, 6))
    return position_id(b.me, b.them), dice, kind


def fixed_cases():
    start = "4HPwATDgc/ABMA"
    for d1 in range(1, 7):
        for d2 in range(1, 7):
            yield start, (d1, d2), "start"
    yield "AACAkCRJqqoAAA", (1, 1), "fixed"


def ask_gnubg(cases):
    script = list(HEADER)
    for pid, (d1, d2), _ in cases:
        script += [f"set board {pid}", f"set dice {d1} {d2}", "hint 10000"]
    out = subprocess.run([GNUBG, "-t", "-q"], input="\n".join(script) + "\n", capture_output=True,
                         text=True, check=True).stdout
    ids = re.findall(r"Position ID: (\S+)", out)
    blocks = out.split("The dice have been set to")[1:]
    if len(blocks) != len(cases):
        sys.exit(f"gnubg answered {len(blocks)} of {len(cases)} cases")
    answers = []
    for (pid, dice, _), block in zip(cases, blocks):
        plays = re.findall(r"^\s*\d+\.\s+Cube(?:ful|less)\s+\d+-ply\s+(.+?)\s+Eq\.:", block, re.M)
        if not plays and "There are no legal moves" not in block:
            sys.exit(f"cannot read gnubg's answer for {pid} {dice}:\n{block}")
        answers.append(sorted(plays))
    for pid, _, _ in cases:
        if pid not in ids:
            sys.exit(f"gnubg never showed Position ID {pid}: our encoding disagrees with gnubg's")
    return answers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--out", default="server/src/test/resources/gnubg/legal-plays.txt")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    kinds = ["contact", "bar", "bearoff", "prime", "blots", "endgame", "forced"]
    cases = list(fixed_cases())
    seen = {(c[0], c[1]) for c in cases}
    while len(cases) < args.cases:
        case = make_case(rng, kinds[len(cases) % len(kinds)])
        if case and (case[0], case[1]) not in seen:
            seen.add((case[0], case[1]))
            cases.append(case)
    version = subprocess.run([GNUBG, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    with open(args.out, "w") as f:
        f.write(f"# Legal plays as {version} lists them ('hint' at 0 ply, no pruning).\n")
        f.write(f"# Made by server/src/test/gnubg/make_corpus.py --cases {args.cases} --seed {args.seed}\n")
        f.write("# POSITION_ID D1 D2 KIND, then one play a line (sorted), then an empty line.\n\n")
        for i in range(0, len(cases), 250):
            chunk = cases[i:i + 250]
            for (pid, (d1, d2), kind), plays in zip(chunk, ask_gnubg(chunk)):
                f.write(f"{pid} {d1} {d2} {kind}\n")
                for p in plays:
                    f.write(p + "\n")
                f.write("\n")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
