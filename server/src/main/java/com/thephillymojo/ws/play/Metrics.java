package com.thephillymojo.ws.play;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind /metrics, in Prometheus' text format. */
public final class Metrics {
    private static final double[] BUCKETS_SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};

    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder refusedUpgrades = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLongArray playBuckets = new AtomicLongArray(BUCKETS_SECONDS.length + 1);
    private final LongAdder playCount = new LongAdder();
    private final LongAdder playNanos = new LongAdder();

    void error(String code) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public void refusedUpgrade() {
        refusedUpgrades.increment();
    }

    /** One message written to a client: counted by the transport, so broadcasts count too. */
    public void sent() {
        messagesOut.increment();
    }

    /** Time from a play's arrival to its new state being queued for every client. */
    void playHandled(long nanos) {
        playCount.increment();
        playNanos.add(nanos);
        double seconds = nanos / 1e9;
        int b = 0;
        while (b < BUCKETS_SECONDS.length && seconds > BUCKETS_SECONDS[b]) {
            b++;
        }
        playBuckets.incrementAndGet(b);
    }

    public String prometheus(String instance, int connections, int games, int users, long storeRoundTrips) {
        StringBuilder out = new StringBuilder();
        out.append("# HELP ws_instance_info The process answering (one task of several behind the load balancer)\n# TYPE ws_instance_info gauge\n")
                .append("ws_instance_info{instance=\"").append(instance).append("\"} 1\n");
        gauge(out, "ws_connections", "Open WebSocket connections", connections);
        gauge(out, "ws_users", "Signed-in users with at least one connection", users);
        gauge(out, "ws_games", "Games being played", games);
        java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        gauge(out, "jvm_heap_used_bytes", "Heap in use", heap.getUsed());
        gauge(out, "jvm_heap_committed_bytes", "Heap committed", heap.getCommitted());
        gauge(out, "jvm_heap_max_bytes", "Heap limit (-Xmx)", heap.getMax());
        counter(out, "ws_connections_opened_total", "WebSocket connections opened", connectionsOpened.sum());
        counter(out, "ws_upgrades_refused_total", "Upgrades refused (auth, origin, limits, draining)", refusedUpgrades.sum());
        counter(out, "ws_messages_in_total", "Messages received", messagesIn.sum());
        counter(out, "ws_messages_out_total", "Messages sent", messagesOut.sum());
        counter(out, "ws_store_round_trips_total", "Requests sent to the shared store (Redis); 0 in memory", storeRoundTrips);
        out.append("# HELP ws_errors_total Errors answered, by code\n# TYPE ws_errors_total counter\n");
        new TreeMap<>(errors).forEach((code, n) -> out.append("ws_errors_total{code=\"").append(code).append("\"} ").append(n.sum()).append('\n'));
        out.append("# HELP ws_play_seconds Time from a play's arrival to its state being sent\n# TYPE ws_play_seconds histogram\n");
        long cumulative = 0;
        for (int b = 0; b < BUCKETS_SECONDS.length; b++) {
            cumulative += playBuckets.get(b);
            out.append("ws_play_seconds_bucket{le=\"").append(BUCKETS_SECONDS[b]).append("\"} ").append(cumulative).append('\n');
        }
        cumulative += playBuckets.get(BUCKETS_SECONDS.length);
        out.append("ws_play_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        out.append("ws_play_seconds_sum ").append(playNanos.sum() / 1e9).append('\n');
        out.append("ws_play_seconds_count ").append(playCount.sum()).append('\n');
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }
}
