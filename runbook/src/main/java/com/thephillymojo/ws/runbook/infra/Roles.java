package com.thephillymojo.ws.runbook.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * The task execution role: what ECS itself uses to start the task — pull the image from ECR,
 * write to CloudWatch Logs (AWS's managed AmazonECSTaskExecutionRolePolicy) and read the one
 * secret the task definition names (an inline policy for that ARN only).
 */
public final class Roles {
    static final String MANAGED_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
    static final String SECRET_POLICY = "read-nextauth-secret";
    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},\
            "Action":"sts:AssumeRole"}]}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cloud cloud;

    public Roles(Cloud cloud) {
        this.cloud = cloud;
    }

    public Optional<Role> find(String name) {
        try {
            return Optional.of(cloud.iam.getRole(r -> r.roleName(name)).role());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    /** The role, trusted by ECS tasks, with the managed policy and read access to {@code secretArns} (those only). */
    public Outcome ensureExecutionRole(String name, List<String> secretArns) {
        String kind = "execution role";
        String secretPolicy = secretPolicy(secretArns);
        Optional<Role> found = find(name);
        if (found.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate(kind, name, "AmazonECSTaskExecutionRolePolicy, read the secrets"));
            }
            Role role = cloud.iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(TRUST)
                    .description("ECS starts thephillymojo-ws tasks with it: image pull, logs, the NextAuth and cache secrets")).role();
            cloud.iam.attachRolePolicy(r -> r.roleName(name).policyArn(MANAGED_POLICY));
            cloud.iam.putRolePolicy(r -> r.roleName(name).policyName(SECRET_POLICY).policyDocument(secretPolicy));
            cloud.state.put("role.arn", role.arn());
            return cloud.report(Outcome.created(kind, name, role.arn()));
        }
        cloud.state.put("role.arn", found.get().arn());
        List<String> differences = new ArrayList<>();
        boolean attached = cloud.iam.listAttachedRolePolicies(r -> r.roleName(name)).attachedPolicies().stream()
                .anyMatch(p -> p.policyArn().equals(MANAGED_POLICY));
        if (!attached) {
            differences.add("attach AmazonECSTaskExecutionRolePolicy");
        }
        if (!inlinePolicy(name).equals(Optional.of(parse(secretPolicy)))) {
            differences.add("grant reading exactly the secrets " + secretArns.stream().map(a -> a.substring(a.lastIndexOf(':') + 1)).toList());
        }
        if (differences.isEmpty()) {
            return cloud.report(Outcome.unchanged(kind, name));
        }
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldChange(kind, name, String.join(", ", differences)));
        }
        if (!attached) {
            cloud.iam.attachRolePolicy(r -> r.roleName(name).policyArn(MANAGED_POLICY));
        }
        cloud.iam.putRolePolicy(r -> r.roleName(name).policyName(SECRET_POLICY).policyDocument(secretPolicy));
        return cloud.report(Outcome.changed(kind, name, String.join(", ", differences)));
    }

    /** Detaches and deletes the role's policies, then the role (IAM refuses a role that still has them). */
    public Outcome destroy(String name) {
        return cloud.delete("execution role", name, find(name).isPresent(), "", () -> {
            cloud.iam.listAttachedRolePolicies(r -> r.roleName(name)).attachedPolicies()
                    .forEach(p -> cloud.iam.detachRolePolicy(r -> r.roleName(name).policyArn(p.policyArn())));
            cloud.iam.listRolePolicies(r -> r.roleName(name)).policyNames()
                    .forEach(p -> cloud.iam.deleteRolePolicy(r -> r.roleName(name).policyName(p)));
            cloud.iam.deleteRole(r -> r.roleName(name));
            cloud.state.forget("role.");
        });
    }

    private Optional<JsonNode> inlinePolicy(String role) {
        try {
            String document = cloud.iam.getRolePolicy(r -> r.roleName(role).policyName(SECRET_POLICY)).policyDocument();
            // IAM answers with the document URL-encoded
            return Optional.of(parse(URLDecoder.decode(document, StandardCharsets.UTF_8)));
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    static String secretPolicy(List<String> secretArns) {
        var statement = JSON.createObjectNode().put("Effect", "Allow").put("Action", "secretsmanager:GetSecretValue");
        secretArns.forEach(statement.putArray("Resource")::add);
        var policy = JSON.createObjectNode().put("Version", "2012-10-17");
        policy.putArray("Statement").add(statement);
        return policy.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("an IAM policy is not JSON: " + e.getMessage(), e);
        }
    }
}
