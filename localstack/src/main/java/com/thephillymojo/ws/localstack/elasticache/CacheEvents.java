package com.thephillymojo.ws.localstack.elasticache;

import com.thephillymojo.ws.localstack.AwsException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.elasticache.model.DescribeEventsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeEventsResponse;
import software.amazon.awssdk.services.elasticache.model.Event;
import software.amazon.awssdk.services.elasticache.model.SourceType;

/**
 * ElastiCache's events of one region, as DescribeEvents pages them: oldest first, kept 14 days, the
 * last hour unless a window is asked for. Not thread-safe: the backend calls it under its lock.
 */
final class CacheEvents {
    private static final Duration KEPT = Duration.ofDays(14);
    private final List<Event> events = new ArrayList<>();

    void add(String source, SourceType type, String message) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        events.removeIf(e -> e.date().isBefore(now.minus(KEPT)));
        events.add(Event.builder().sourceIdentifier(source).sourceType(type).message(message).date(now).build());
    }

    DescribeEventsResponse describe(DescribeEventsRequest r) {
        int max = r.maxRecords() == null ? 100 : r.maxRecords();
        if (max < 20 || max > 100) {
            throw new AwsException("InvalidParameterValue", "MaxRecords is 20 to 100, not " + max + ".");
        }
        Instant end = r.endTime() != null ? r.endTime() : Instant.now();
        Instant start = r.startTime() != null ? r.startTime() : end.minus(Duration.ofMinutes(r.duration() == null ? 60 : r.duration()));
        List<Event> matching = events.stream()
                .filter(e -> r.sourceIdentifier() == null || r.sourceIdentifier().equalsIgnoreCase(e.sourceIdentifier()))
                .filter(e -> r.sourceType() == null || r.sourceType() == e.sourceType())
                .filter(e -> !e.date().isBefore(start) && !e.date().isAfter(end)).toList();
        int from;
        try {
            from = r.marker() == null ? 0 : Integer.parseInt(r.marker());
        } catch (NumberFormatException e) {
            throw new AwsException("InvalidParameterValue", "Invalid marker: " + r.marker());
        }
        int to = Math.min(matching.size(), from + max);
        DescribeEventsResponse.Builder page = DescribeEventsResponse.builder().events(from >= matching.size() ? List.of() : matching.subList(from, to));
        return (to < matching.size() ? page.marker(String.valueOf(to)) : page).build();
    }
}
