package com.thephillymojo.ws.localstack;

import java.time.Duration;
import java.util.Locale;

/**
 * What AWS does to a deploy that a kind emulator does not, as faults to switch on: IAM's
 * propagation (a role ECS cannot assume yet), throttling (a token bucket per account and service),
 * transient server errors, and a just-created resource not yet visible to the next call. All off
 * by default ({@link #NONE}); {@link #realistic(long)} turns each on at rates a deploy meets on AWS;
 * the seed makes the 5xx draws repeat, so a failure can be replayed.
 *
 * @param seed           the random draws' seed
 * @param iamPropagation how long after a role is made, or its policies changed, ECS cannot assume it
 *                       (AWS: "changes that you make in IAM … might not be immediately visible", seconds)
 * @param throttleBurst  the bucket's size per account and service: calls in a burst (0: no throttling)
 * @param throttleRate   its refill, calls a second
 * @param errorRate      the share of calls answered 500 {@code InternalFailure} or 503 {@code ServiceUnavailable}
 * @param describeLag    how long a new security group is unknown to EC2's next calls ({@code InvalidGroup.NotFound})
 */
public record Faults(long seed, Duration iamPropagation, int throttleBurst, double throttleRate, double errorRate, Duration describeLag) {
    public static final Faults NONE = new Faults(0, Duration.ZERO, 0, 0, 0, Duration.ZERO);

    /**
     * AWS-like: IAM 5 s (ECS's "unable to assume role" after a new execution role lasts seconds), a
     * bucket of 10 calls refilled at 4 a second per service (AWS's buckets are larger, 20–100, but
     * the emulator's clock polls up to 25 times faster, so waits meet it as they do on AWS), one call
     * in 50 a 5xx, a new security group unknown for 1 s (EC2's documented eventual consistency).
     */
    public static Faults realistic(long seed) {
        return new Faults(seed, Duration.ofSeconds(5), 10, 4, 0.02, Duration.ofSeconds(1));
    }

    /** Whether any fault is on. */
    public boolean any() {
        return !iamPropagation.isZero() || throttleBurst > 0 || errorRate > 0 || !describeLag.isZero();
    }

    /**
     * {@code none}; {@code realistic} or {@code realistic:SEED}; faults one by one,
     * {@code iam=5s,throttle=10/4,errors=0.02,lag=1s,seed=42} (each omitted one off); or the profile
     * with some changed: {@code realistic:42,iam=30s}.
     */
    public static Faults parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("none")) {
            return NONE;
        }
        Faults f = NONE;
        String rest = t;
        if (t.startsWith("realistic")) {
            int comma = t.indexOf(',');
            String profile = comma < 0 ? t : t.substring(0, comma);
            rest = comma < 0 ? "" : t.substring(comma + 1);
            if (profile.equals("realistic")) {
                f = realistic(0);
            } else if (profile.startsWith("realistic:")) {
                f = realistic(number(profile.substring("realistic:".length()), "the seed"));
            } else {
                throw new IllegalArgumentException("faults: '" + profile + "' is not realistic or realistic:SEED");
            }
        }
        for (String part : rest.isEmpty() ? new String[0] : rest.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("faults: '" + part + "' is not NAME=VALUE");
            }
            String v = kv[1].trim();
            switch (kv[0].trim()) {
                case "seed" -> f = new Faults(number(v, "seed"), f.iamPropagation, f.throttleBurst, f.throttleRate, f.errorRate, f.describeLag);
                case "iam" -> f = new Faults(f.seed, duration(v), f.throttleBurst, f.throttleRate, f.errorRate, f.describeLag);
                case "lag" -> f = new Faults(f.seed, f.iamPropagation, f.throttleBurst, f.throttleRate, f.errorRate, duration(v));
                case "errors" -> {
                    double rate = decimal(v, "errors");
                    if (rate < 0 || rate > 1) {
                        throw new IllegalArgumentException("faults: errors is a share between 0 and 1, not " + v);
                    }
                    f = new Faults(f.seed, f.iamPropagation, f.throttleBurst, f.throttleRate, rate, f.describeLag);
                }
                case "throttle" -> {
                    String[] br = v.split("/", 2);
                    if (br.length != 2) {
                        throw new IllegalArgumentException("faults: throttle is BURST/RATE (e.g. 10/4), not " + v);
                    }
                    int burst = (int) number(br[0], "throttle's burst");
                    double rate = decimal(br[1], "throttle's rate");
                    if (burst < 1 || rate <= 0) {
                        throw new IllegalArgumentException("faults: throttle's burst and rate are above 0, not " + v);
                    }
                    f = new Faults(f.seed, f.iamPropagation, burst, rate, f.errorRate, f.describeLag);
                }
                default -> throw new IllegalArgumentException("faults: no fault '" + kv[0].trim() + "' (iam, throttle, errors, lag, seed)");
            }
        }
        return f;
    }

    private static long number(String v, String what) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("faults: " + what + " is a whole number, not '" + v + "'");
        }
    }

    private static double decimal(String v, String what) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("faults: " + what + " is a number, not '" + v + "'");
        }
    }

    /** {@code 5s}, {@code 500ms}. */
    private static Duration duration(String v) {
        String s = v.trim();
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("faults: a duration is like 5s or 500ms, not '" + v + "'");
    }
}
