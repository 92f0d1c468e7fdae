package com.thephillymojo.ws.game;

/**
 * Something the rules refuse, with the stable code that names it for the outside world. Whatever
 * threw it changed nothing.
 */
public class RuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public RuleException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
