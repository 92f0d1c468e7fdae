package com.thephillymojo.ws.auth;

import java.util.Objects;

/** Who is connected: the NextAuth user id ({@code sub}) and a display name. */
public record Identity(String id, String name) {
    public Identity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
