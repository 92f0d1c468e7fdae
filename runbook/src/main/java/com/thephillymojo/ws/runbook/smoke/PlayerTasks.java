package com.thephillymojo.ws.runbook.smoke;

import com.thephillymojo.ws.runbook.infra.Cloud;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * Which task serves each player of a {@link LongMatch}, read where an operator reads it: in the
 * tasks' logs ({@code "event":"connected"} in the task's own log stream, whose name ends with the
 * task's id). And the players placed on different tasks, as the load balancer takes turns.
 */
public final class PlayerTasks {
    private final Cloud cloud;
    private final String cluster;
    private final String logGroup;
    private final LongMatch match;

    public PlayerTasks(Cloud cloud, String cluster, String logGroup, LongMatch match) {
        this.cloud = cloud;
        this.cluster = cluster;
        this.logGroup = logGroup;
        this.match = match;
    }

    /** Reconnects the second player until it is on another task than the first (a few tries). */
    public void separate() throws Exception {
        for (int attempt = 0; taskOf(0).equals(taskOf(1)); attempt++) {
            if (attempt == 4) {
                throw new AssertionError("both players stay on task " + taskOf(0) + " after " + attempt + " reconnections");
            }
            String before = latestConnection(1).map(FilteredLogEvent::eventId).orElse("");
            match.reconnect(1);
            cloud.waitFor("the second player's new connection in the tasks' logs",
                    () -> latestConnection(1).map(e -> !e.eventId().equals(before)).orElse(false));
        }
    }

    /**
     * The running task whose log says this player connected last. A connection the logs do not show
     * yet is waited for: the latest one shown may be on a task that has stopped since.
     */
    public String taskOf(int player) {
        String[] found = new String[1];
        cloud.waitFor("the tasks' logs to show the running task player " + (player + 1) + " is connected to", () -> {
            List<String> running = cloud.ecs.listTasks(r -> r.cluster(cluster).desiredStatus("RUNNING")).taskArns();
            Optional<String> task = latestConnection(player).map(e -> e.logStreamName().substring(e.logStreamName().lastIndexOf('/') + 1))
                    .filter(id -> running.stream().anyMatch(arn -> arn.endsWith("/" + id)));
            task.ifPresent(id -> found[0] = id);
            return task.isPresent();
        });
        return found[0];
    }

    private Optional<FilteredLogEvent> latestConnection(int player) {
        String user = match.userIds().get(player);
        return cloud.logs.filterLogEventsPaginator(r -> r.logGroupName(logGroup)
                        .filterPattern("{ $.event = \"connected\" && $.user = \"" + user + "\" }")).events().stream()
                .max(Comparator.comparingLong(FilteredLogEvent::timestamp).thenComparing(FilteredLogEvent::eventId));
    }
}
