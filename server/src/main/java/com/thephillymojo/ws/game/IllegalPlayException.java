package com.thephillymojo.ws.game;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A play or an action the rules refuse. {@link #code()} is the stable code the outside world sees
 * ({@code illegal_play}, {@code bad_notation}, {@code not_your_turn}, …); nothing was changed.
 */
public class IllegalPlayException extends RuleException {
    private static final long serialVersionUID = 1L;
    private final List<String> legalPlays;

    IllegalPlayException(String code, String message, List<String> legalPlays) {
        super(code, message);
        this.legalPlays = List.copyOf(legalPlays);
    }

    static IllegalPlayException badNotation(String message) {
        return new IllegalPlayException("bad_notation", message, List.of());
    }

    /** Refuses a play, naming why when it is plain (a blocked point, an empty one) and listing the legal plays. */
    static IllegalPlayException notLegal(Position before, Dice dice, String described, String why, List<Play> legal) {
        List<String> texts = legal.stream().map(p -> Notation.format(before, p)).collect(Collectors.toList());
        String message = "'" + described + "' is not a legal play of " + dice
                + (why == null ? "" : ": " + why)
                + (legal.isEmpty() ? "; nothing can be played" : "");
        return new IllegalPlayException("illegal_play", message, texts);
    }

    /** The legal plays, in gnubg notation, when the play was refused for not being one of them. */
    public List<String> legalPlays() {
        return legalPlays;
    }
}
