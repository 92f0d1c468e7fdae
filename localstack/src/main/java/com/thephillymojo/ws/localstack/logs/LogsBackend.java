package com.thephillymojo.ws.localstack.logs;

import com.thephillymojo.ws.localstack.Arns;
import com.thephillymojo.ws.localstack.AwsException;
import com.thephillymojo.ws.localstack.Page;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatchlogs.model.*;

/** CloudWatch Logs in one region: groups, retention, streams and their events. */
public final class LogsBackend {
    private static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
            1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private static final class Group {
        LogGroup group;
        final Map<String, Stream> streams = new LinkedHashMap<>();
    }

    private static final class Stream {
        LogStream stream;
        final List<OutputLogEvent> events = new ArrayList<>();
    }

    private final String region;
    private final String account;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    public LogsBackend(String region, String account) {
        this.region = region;
        this.account = account;
    }

    private Group group(String name) {
        Group g = groups.get(AwsException.require(name, "logGroupName"));
        if (g == null) {
            throw new AwsException("ResourceNotFoundException", "The specified log group does not exist.");
        }
        return g;
    }

    private static Stream stream(Group g, String name) {
        Stream s = g.streams.get(AwsException.require(name, "logStreamName"));
        if (s == null) {
            throw new AwsException("ResourceNotFoundException", "The specified log stream does not exist.");
        }
        return s;
    }

    public synchronized CreateLogGroupResponse createLogGroup(CreateLogGroupRequest r) {
        String name = AwsException.require(r.logGroupName(), "logGroupName");
        if (!name.matches("[\\.\\-_/#A-Za-z0-9]{1,512}")) {
            throw new AwsException("InvalidParameterException", "1 validation error detected: Value '" + name
                    + "' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
        }
        if (groups.containsKey(name)) {
            throw new AwsException("ResourceAlreadyExistsException", "The specified log group already exists");
        }
        Group g = new Group();
        g.group = LogGroup.builder().logGroupName(name).creationTime(System.currentTimeMillis()).metricFilterCount(0)
                .arn(Arns.of("logs", region, account, "log-group:" + name + ":*")).storedBytes(0L)
                .logGroupArn(Arns.of("logs", region, account, "log-group:" + name)).build();
        groups.put(name, g);
        return CreateLogGroupResponse.builder().build();
    }

    public synchronized DescribeLogGroupsResponse describeLogGroups(DescribeLogGroupsRequest r) {
        List<LogGroup> found = new ArrayList<>();
        for (Group g : groups.values()) {
            if (r.logGroupNamePrefix() == null || g.group.logGroupName().startsWith(r.logGroupNamePrefix())) {
                found.add(g.group);
            }
        }
        Page<LogGroup> page = Page.of(found, r.nextToken(), r.limit(), 50);
        return DescribeLogGroupsResponse.builder().logGroups(page.items()).nextToken(page.nextToken()).build();
    }

    public synchronized PutRetentionPolicyResponse putRetentionPolicy(PutRetentionPolicyRequest r) {
        Group g = group(r.logGroupName());
        Integer days = AwsException.require(r.retentionInDays(), "retentionInDays");
        if (!RETENTION_DAYS.contains(days)) {
            throw new AwsException("InvalidParameterException", "1 validation error detected: Value '" + days
                    + "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: " + RETENTION_DAYS);
        }
        g.group = g.group.toBuilder().retentionInDays(days).build();
        return PutRetentionPolicyResponse.builder().build();
    }

    public synchronized DeleteLogGroupResponse deleteLogGroup(DeleteLogGroupRequest r) {
        group(r.logGroupName());
        groups.remove(r.logGroupName());
        return DeleteLogGroupResponse.builder().build();
    }

    public synchronized CreateLogStreamResponse createLogStream(CreateLogStreamRequest r) {
        Group g = group(r.logGroupName());
        String name = AwsException.require(r.logStreamName(), "logStreamName");
        if (g.streams.containsKey(name)) {
            throw new AwsException("ResourceAlreadyExistsException", "The specified log stream already exists");
        }
        Stream s = new Stream();
        s.stream = LogStream.builder().logStreamName(name).creationTime(System.currentTimeMillis())
                .arn(Arns.of("logs", region, account, "log-group:" + r.logGroupName() + ":log-stream:" + name)).build();   // storedBytes: deprecated by CloudWatch Logs, not sent
        g.streams.put(name, s);
        return CreateLogStreamResponse.builder().build();
    }

    public synchronized DescribeLogStreamsResponse describeLogStreams(DescribeLogStreamsRequest r) {
        Group g = group(r.logGroupName());
        List<LogStream> found = new ArrayList<>();
        for (Stream s : g.streams.values()) {
            if (r.logStreamNamePrefix() == null || s.stream.logStreamName().startsWith(r.logStreamNamePrefix())) {
                found.add(s.stream);
            }
        }
        if (r.orderBy() == OrderBy.LAST_EVENT_TIME) {
            found.sort(java.util.Comparator.comparing(st -> st.lastEventTimestamp() == null ? 0L : st.lastEventTimestamp()));
        } else {
            found.sort(java.util.Comparator.comparing(LogStream::logStreamName));
        }
        if (Boolean.TRUE.equals(r.descending())) {
            java.util.Collections.reverse(found);
        }
        Page<LogStream> page = Page.of(found, r.nextToken(), r.limit(), 50);
        return DescribeLogStreamsResponse.builder().logStreams(page.items()).nextToken(page.nextToken()).build();
    }

    public synchronized PutLogEventsResponse putLogEvents(PutLogEventsRequest r) {
        Stream s = stream(group(r.logGroupName()), r.logStreamName());
        List<InputLogEvent> events = AwsException.require(r.logEvents(), "logEvents");
        if (events.isEmpty()) {
            throw new AwsException("InvalidParameterException", "1 validation error detected: Value '[]' at 'logEvents' "
                    + "failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        long previous = Long.MIN_VALUE;
        for (InputLogEvent e : events) {
            if (e.timestamp() == null || e.message() == null) {
                throw new AwsException("InvalidParameterException", "Each log event needs a timestamp and a message.");
            }
            if (e.timestamp() < previous) {
                throw new AwsException("InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order.");
            }
            previous = e.timestamp();
        }
        long now = System.currentTimeMillis();
        for (InputLogEvent e : events) {
            s.events.add(OutputLogEvent.builder().timestamp(e.timestamp()).message(e.message()).ingestionTime(now).build());
        }
        s.stream = s.stream.toBuilder().firstEventTimestamp(s.events.get(0).timestamp())
                .lastEventTimestamp(previous).lastIngestionTime(now).build();
        return PutLogEventsResponse.builder().nextSequenceToken(String.valueOf(s.events.size())).build();
    }

    /** The data plane appends container output here. */
    public synchronized void append(String group, String stream, long timestamp, String message) {
        Group g = groups.get(group);
        if (g == null) {
            return;
        }
        Stream s = g.streams.get(stream);
        if (s == null) {
            createLogStream(CreateLogStreamRequest.builder().logGroupName(group).logStreamName(stream).build());
            s = g.streams.get(stream);
        }
        long now = System.currentTimeMillis();
        s.events.add(OutputLogEvent.builder().timestamp(timestamp).message(message).ingestionTime(now).build());
        s.stream = s.stream.toBuilder().firstEventTimestamp(s.events.get(0).timestamp()).lastEventTimestamp(timestamp)
                .lastIngestionTime(now).build();
    }

    public synchronized GetLogEventsResponse getLogEvents(GetLogEventsRequest r) {
        Stream s = stream(group(r.logGroupName()), r.logStreamName());
        List<OutputLogEvent> matching = new ArrayList<>();
        for (OutputLogEvent e : s.events) {
            if ((r.startTime() == null || e.timestamp() >= r.startTime()) && (r.endTime() == null || e.timestamp() < r.endTime())) {
                matching.add(e);
            }
        }
        int limit = r.limit() == null ? 10_000 : r.limit();
        int from;
        if (r.nextToken() != null) {
            try {
                from = Integer.parseInt(r.nextToken().substring(2));
            } catch (RuntimeException e) {
                throw new AwsException("InvalidParameterException", "The specified nextToken is invalid.");
            }
        } else {
            from = Boolean.FALSE.equals(r.startFromHead()) || r.startFromHead() == null ? Math.max(0, matching.size() - limit) : 0;
        }
        from = Math.min(from, matching.size());
        int to = Math.min(matching.size(), from + limit);
        return GetLogEventsResponse.builder().events(matching.subList(from, to))
                .nextForwardToken("f/" + to).nextBackwardToken("b/" + Math.max(0, from - limit)).build();
    }

    public synchronized FilterLogEventsResponse filterLogEvents(FilterLogEventsRequest r) {
        Group g = group(r.logGroupName());
        FilterPattern pattern = FilterPattern.parse(r.filterPattern());
        List<FilteredLogEvent> found = new ArrayList<>();
        for (Stream s : g.streams.values()) {
            String streamName = s.stream.logStreamName();
            if (r.hasLogStreamNames() && !r.logStreamNames().isEmpty() && !r.logStreamNames().contains(streamName)) {
                continue;
            }
            if (r.logStreamNamePrefix() != null && !streamName.startsWith(r.logStreamNamePrefix())) {
                continue;
            }
            for (OutputLogEvent e : s.events) {
                if ((r.startTime() == null || e.timestamp() >= r.startTime()) && (r.endTime() == null || e.timestamp() <= r.endTime())
                        && pattern.matches(e.message())) {
                    found.add(FilteredLogEvent.builder().logStreamName(streamName).timestamp(e.timestamp()).message(e.message())
                            .ingestionTime(e.ingestionTime()).eventId(streamName + "-" + e.timestamp() + "-" + found.size()).build());
                }
            }
        }
        found.sort(java.util.Comparator.comparing(FilteredLogEvent::timestamp));
        Page<FilteredLogEvent> page = Page.of(found, r.nextToken(), r.limit(), 10_000);
        return FilterLogEventsResponse.builder().events(page.items()).nextToken(page.nextToken()).build();
    }

}
