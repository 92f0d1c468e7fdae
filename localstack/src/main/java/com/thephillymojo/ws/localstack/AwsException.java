package com.thephillymojo.ws.localstack;

/**
 * An AWS error as the service returns it: its code (the exception name, e.g.
 * {@code RepositoryNotFoundException}), a message and the HTTP status. Backends throw it; the
 * protocol codecs write it in each protocol's error shape. Whatever threw it changed nothing.
 */
public class AwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final int status;

    public AwsException(String code, String message, int status) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public AwsException(String code, String message) {
        this(code, message, 400);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** A caller error in the "Sender" class of the query protocols; 5xx ones are "Receiver". */
    public boolean isSender() {
        return status < 500;
    }

    public static AwsException validation(String message) {
        return new AwsException("ValidationException", message);
    }

    /** The check AWS makes on a required member: one ValidationException naming it. */
    public static <T> T require(T value, String member) {
        if (value == null || (value instanceof String s && s.isEmpty())) {
            throw validation("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }
}
