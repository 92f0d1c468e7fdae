package com.thephillymojo.ws.runbook.infra;

import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/** The CloudWatch Logs group the tasks write to (the awslogs driver), with its retention. */
public final class LogGroups {
    private final Cloud cloud;

    public LogGroups(Cloud cloud) {
        this.cloud = cloud;
    }

    public Optional<LogGroup> find(String name) {
        return cloud.logs.describeLogGroups(r -> r.logGroupNamePrefix(name)).logGroups().stream()
                .filter(g -> g.logGroupName().equals(name)).findFirst();
    }

    public Outcome ensure(String name) {
        int days = cloud.settings.logRetentionDays();
        Optional<LogGroup> found = find(name);
        if (found.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate("log group", name, "retention " + days + " days"));
            }
            cloud.logs.createLogGroup(r -> r.logGroupName(name));
            cloud.logs.putRetentionPolicy(r -> r.logGroupName(name).retentionInDays(days));
            cloud.state.put("logs.group", name);
            return cloud.report(Outcome.created("log group", name, "retention " + days + " days"));
        }
        cloud.state.put("logs.group", name);
        Integer current = found.get().retentionInDays();
        if (current != null && current == days) {
            return cloud.report(Outcome.unchanged("log group", name));
        }
        String detail = "retention " + (current == null ? "never expire" : current + " days") + " → " + days + " days";
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldChange("log group", name, detail));
        }
        cloud.logs.putRetentionPolicy(r -> r.logGroupName(name).retentionInDays(days));
        return cloud.report(Outcome.changed("log group", name, detail));
    }

    public Outcome destroy(String name) {
        return cloud.delete("log group", name, find(name).isPresent(), "with its logs", () -> {
            cloud.logs.deleteLogGroup(r -> r.logGroupName(name));
            cloud.state.forget("logs.");
        });
    }
}
