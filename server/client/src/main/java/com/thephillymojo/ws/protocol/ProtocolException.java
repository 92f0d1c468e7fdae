package com.thephillymojo.ws.protocol;

/** A message the protocol refuses, with the stable code the client sees. Nothing was applied. */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final String id;

    public ProtocolException(String code, String message, String id) {
        super(message);
        this.code = code;
        this.id = id;
    }

    public String code() {
        return code;
    }

    /** The command's id when it could be read, so the error can repeat it; else null. */
    public String id() {
        return id;
    }
}
