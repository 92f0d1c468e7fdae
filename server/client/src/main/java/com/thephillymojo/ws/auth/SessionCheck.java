package com.thephillymojo.ws.auth;

/** The outcome of checking a session cookie: a signed-in identity, or why there is none. */
public sealed interface SessionCheck {
    record SignedIn(Identity identity) implements SessionCheck { }

    /** No identity. {@code reason} is safe to log: it never contains a token or a cookie. */
    record Refused(String reason) implements SessionCheck { }
}
