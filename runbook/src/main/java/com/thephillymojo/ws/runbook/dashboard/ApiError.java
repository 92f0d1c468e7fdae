package com.thephillymojo.ws.runbook.dashboard;

/**
 * A call the API refuses: the HTTP status, a code a program can switch on (docs/dashboard-api.md
 * lists them) and a sentence for a person. Nothing has changed when one is thrown.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;

    ApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }
}
