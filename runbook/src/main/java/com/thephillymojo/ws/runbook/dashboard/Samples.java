package com.thephillymojo.ws.runbook.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The service seen from outside, as a player's browser reaches it: {@code https://HOST/health} and
 * {@code /metrics} through the public name (the load balancer). Each request reaches one task; the
 * server names itself in both ({@code instance}), so each round asks /metrics several times on
 * fresh connections and sums the tasks seen: connections and games held, and messages per second
 * from each task's own counters (a difference across two tasks would mean nothing). The last ten
 * minutes are kept.
 */
final class Samples {
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Pattern LINE = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
    private static final Pattern INSTANCE = Pattern.compile("instance=\"([^\"]*)\"");

    /** One round: the public /health's answer, and the sums over the tasks seen lately. */
    record Sample(Instant at, int healthStatus, String health, int instances, long connections, long games, double messagesPerSecond) {
        ObjectNode json() {
            ObjectNode o = Json.object();
            o.put("at", at.toString());
            o.put("healthStatus", healthStatus);
            o.put("health", health);
            o.put("instances", instances);
            o.put("connections", connections);
            o.put("games", games);
            o.put("messagesPerSecond", Math.round(messagesPerSecond * 10) / 10.0);
            return o;
        }
    }

    /** What one task's /metrics said, and when. */
    private record Seen(Instant at, long connections, long games, long messages, double messagesPerSecond) {
    }

    private final HttpClient http;
    private final String base;
    private final Duration period;
    private final Map<String, Seen> instances = new HashMap<>();
    private final Deque<Sample> kept = new ArrayDeque<>();

    Samples(HttpClient http, String host, Duration period) {
        this.http = http;
        this.base = "https://" + host;
        this.period = period;
    }

    /** Takes one round of samples ({@code asks} requests of /metrics) and keeps it. */
    Sample take(int asks) {
        Instant now = Instant.now();
        int healthStatus = 0;
        String health;
        try {
            ContentResponse r = get("/health");
            healthStatus = r.getStatus();
            JsonNode body = Json.MAPPER.readTree(r.getContentAsString());
            health = body.path("status").asText("?") + (body.hasNonNull("reason") ? ": " + body.get("reason").asText() : "");
        } catch (Exception e) {
            health = "unreachable: " + describe(e);
            asks = 0; // nothing answers: the round says so without waiting on /metrics too
        }
        synchronized (this) {
            for (int i = 0; i < asks; i++) {
                try {
                    ContentResponse r = get("/metrics");
                    if (r.getStatus() == 200) {
                        record(r.getContentAsString(), Instant.now());
                    }
                } catch (Exception e) {
                    // an unreachable service shows in the health above; the sums cover the tasks that answered
                }
            }
            Instant recent = now.minus(period.multipliedBy(3));
            instances.values().removeIf(s -> s.at().isBefore(now.minus(WINDOW)));
            long connections = 0;
            long games = 0;
            double rate = 0;
            int live = 0;
            for (Seen s : instances.values()) {
                if (!s.at().isBefore(recent)) {
                    live++;
                    connections += s.connections();
                    games += s.games();
                    rate += s.messagesPerSecond();
                }
            }
            Sample sample = new Sample(now, healthStatus, health, live, connections, games, rate);
            kept.addLast(sample);
            while (!kept.isEmpty() && kept.peekFirst().at().isBefore(now.minus(WINDOW))) {
                kept.removeFirst();
            }
            return sample;
        }
    }

    synchronized ArrayNode json() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        kept.forEach(s -> list.add(s.json()));
        return list;
    }

    private void record(String metrics, Instant at) {
        Map<String, Double> values = new HashMap<>();
        String instance = null;
        Matcher m = LINE.matcher(metrics);
        while (m.find()) {
            if (m.group(1).equals("ws_instance_info") && m.group(2) != null) {
                Matcher i = INSTANCE.matcher(m.group(2));
                if (i.find()) {
                    instance = i.group(1);
                }
            } else if (m.group(2) == null) {
                values.put(m.group(1), Double.parseDouble(m.group(3)));
            }
        }
        if (instance == null) {
            return;
        }
        long messages = (long) (values.getOrDefault("ws_messages_in_total", 0.0) + values.getOrDefault("ws_messages_out_total", 0.0));
        Seen before = instances.get(instance);
        double rate = 0;
        if (before != null && at.isAfter(before.at()) && messages >= before.messages()) {
            rate = (messages - before.messages()) / (Duration.between(before.at(), at).toMillis() / 1000.0);
        }
        if (before != null && Duration.between(before.at(), at).compareTo(period.dividedBy(2)) < 0) {
            // asked twice in one round: keep the earlier reading as the base of the rate
            rate = before.messagesPerSecond();
            instances.put(instance, new Seen(before.at(), values.getOrDefault("ws_connections", 0.0).longValue(),
                    values.getOrDefault("ws_games", 0.0).longValue(), before.messages(), rate));
            return;
        }
        instances.put(instance, new Seen(at, values.getOrDefault("ws_connections", 0.0).longValue(),
                values.getOrDefault("ws_games", 0.0).longValue(), messages, rate));
    }

    private ContentResponse get(String path) throws Exception {
        return http.newRequest(base + path).headers(h -> h.put(HttpHeader.CONNECTION, "close"))
                .timeout(Math.max(2, period.toSeconds()), TimeUnit.SECONDS).send();
    }

    private static String describe(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
