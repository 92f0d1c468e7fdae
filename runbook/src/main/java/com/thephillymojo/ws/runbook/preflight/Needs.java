package com.thephillymojo.ws.runbook.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a command needs IAM to allow, as calls to simulate: the actions of {@code iam/commands.json}
 * (runbook/iam/commands.json, which RunbookIT keeps true), each with the resource and request
 * context it will have. Most of the runbook's actions act on {@code *}; the IAM ones on the task
 * execution role, {@code iam:PassRole} passes it to ECS tasks, and {@code iam:CreateServiceLinkedRole}
 * names the service whose role it makes — so a policy scoped as deployer-policy.json is, is judged
 * as AWS will judge the calls.
 */
public final class Needs {
    /** The execution role's name, as deploy.feature names it. */
    static final String EXECUTION_ROLE = "thephillymojo-ws-task-execution";
    /** The services that make a service-linked role on their first use in an account, with the role each makes. */
    private static final Map<String, String> LINKED_ROLES = Map.of("ecs.amazonaws.com", "AWSServiceRoleForECS",
            "elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing", "elasticache.amazonaws.com", "AWSServiceRoleForElastiCache");

    /** One simulation: actions on one resource ({@code *} when empty) with a request context. */
    public record Call(List<String> actions, Optional<String> resource, Map<String, String> context) {
        String describe() {
            return resource.orElse("*") + context.entrySet().stream().map(e -> ", " + e.getKey() + "=" + e.getValue()).reduce("", String::concat);
        }
    }

    private Needs() {
    }

    /** The commands and their actions, as the file lists them. */
    public static Map<String, List<String>> byCommand() {
        try (InputStream in = Needs.class.getResourceAsStream("/iam/commands.json")) {
            if (in == null) {
                throw new IllegalStateException("iam/commands.json is not on the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, List<String>> all = new java.util.LinkedHashMap<>();
            root.properties().forEach(e -> {
                if (e.getValue().isArray()) {
                    List<String> actions = new ArrayList<>();
                    e.getValue().forEach(a -> actions.add(a.asText()));
                    all.put(e.getKey(), List.copyOf(actions));
                }
            });
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The simulations for a command in an account (none for a command the file does not list). */
    public static List<Call> of(String command, String account) {
        List<String> actions = byCommand().getOrDefault(command, List.of());
        String role = "arn:aws:iam::" + account + ":role/" + EXECUTION_ROLE;
        List<String> anywhere = new ArrayList<>();
        List<String> onTheRole = new ArrayList<>();
        List<Call> calls = new ArrayList<>();
        for (String action : actions) {
            switch (action) {
                case "iam:PassRole" -> calls.add(new Call(List.of(action), Optional.of(role), Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")));
                case "iam:CreateServiceLinkedRole" -> LINKED_ROLES.forEach((service, name) -> calls.add(new Call(List.of(action),
                        Optional.of("arn:aws:iam::" + account + ":role/aws-service-role/" + service + "/" + name), Map.of("iam:AWSServiceName", service))));
                default -> (action.startsWith("iam:") ? onTheRole : anywhere).add(action);
            }
        }
        if (!onTheRole.isEmpty()) {
            calls.add(0, new Call(onTheRole, Optional.of(role), Map.of()));
        }
        if (!anywhere.isEmpty()) {
            calls.add(0, new Call(anywhere, Optional.empty(), Map.of()));
        }
        return calls;
    }
}
