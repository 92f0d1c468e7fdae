package com.thephillymojo.ws.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session cookies minted by the real next-auth and @auth/core packages
 * (server/src/test/node/mint-sessions.mjs → src/test/resources/auth/sessions.json).
 */
public final class SessionFixtures {
    private static final JsonNode ROOT = load();

    private SessionFixtures() {
    }

    private static JsonNode load() {
        try (InputStream in = SessionFixtures.class.getResourceAsStream("/auth/sessions.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String secret() {
        return ROOT.get("secret").asText();
    }

    public static String previousSecret() {
        return ROOT.get("previousSecret").asText();
    }

    /** The cookies of one of the fixture cases (valid, expired, chunked, v5, …) as name → value. */
    public static Map<String, String> cookies(String fixtureCase) {
        return toMap(ROOT.get("cases").get(fixtureCase));
    }

    /** The cookies of a signed-in player (alice, bob, carol, …). */
    public static Map<String, String> player(String name) {
        JsonNode player = ROOT.get("players").get(name);
        if (player == null) {
            throw new IllegalArgumentException("no fixture player " + name);
        }
        return toMap(player.get("cookies"));
    }

    public static String playerId(String name) {
        return ROOT.get("players").get(name).get("sub").asText();
    }

    private static Map<String, String> toMap(JsonNode cookies) {
        if (cookies == null) {
            throw new IllegalArgumentException("no such fixture");
        }
        Map<String, String> map = new LinkedHashMap<>();
        cookies.forEach(c -> map.put(c.get("name").asText(), c.get("value").asText()));
        return map;
    }

    /** The Cookie header a browser would send. */
    public static String header(Map<String, String> cookies) {
        StringBuilder header = new StringBuilder();
        cookies.forEach((k, v) -> header.append(header.length() == 0 ? "" : "; ").append(k).append('=').append(v));
        return header.toString();
    }
}
