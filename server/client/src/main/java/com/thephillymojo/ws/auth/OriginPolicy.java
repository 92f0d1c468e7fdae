package com.thephillymojo.ws.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which pages may open a WebSocket: browsers send cookies with a cross-site upgrade and WebSockets
 * get no CORS, so the {@code Origin} header is checked against an exact list (cross-site WebSocket
 * hijacking). A missing Origin is refused too.
 */
public final class OriginPolicy {
    private final Set<String> allowed;

    public OriginPolicy(Set<String> allowed) {
        this.allowed = allowed.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    public boolean allows(Optional<String> origin) {
        return origin.map(o -> allowed.contains(normalise(o))).orElse(false);
    }

    public Set<String> allowed() {
        return allowed;
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
