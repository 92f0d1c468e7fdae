package com.thephillymojo.ws.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * What IAM checks for one call: the operation's own action on the resource AWS names for it, and
 * what the call implies besides — passing a role to ECS ({@code iam:PassRole}, with
 * {@code iam:PassedToService}) and a service's first use in an account, which creates its
 * service-linked role ({@code iam:CreateServiceLinkedRole}, with {@code iam:AWSServiceName}).
 * <p>
 * The resource is the ARN of what the request names, as the service's authorization reference
 * forms it (a role, a repository, a log group, a cluster or service, a load balancer's parts, a
 * replication group or subnet group, a security group, a hosted zone, a certificate, a secret by
 * its name); an operation on no single resource (Describe… of all, Create… of a new one the ARN
 * is not known of yet for most services) is checked on {@code *}, as AWS checks those.
 */
public final class Permissions {
    /** One check: an action on a resource with the request's condition keys. */
    public record Check(String action, String resource, Map<String, List<String>> context) {
    }

    /** The service-linked role a service creates on first use, by the action that uses it first. */
    private static final Map<String, String> LINKED = Map.of(
            "ecs:CreateCluster", "ecs.amazonaws.com",
            "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing.amazonaws.com",
            "elasticache:CreateReplicationGroup", "elasticache.amazonaws.com");

    private Permissions() {
    }

    /** The action of an operation: {@code ecs:CreateService}. */
    public static String action(String signingName, String operation) {
        return signingName + ":" + operation;
    }

    /** The checks of one call, its own action first. */
    public static List<Check> of(String signingName, String operation, SdkPojo request, String region, String account) {
        String action = action(signingName, operation);
        List<Check> checks = new ArrayList<>();
        checks.add(new Check(action, resource(signingName, operation, request, region, account), Map.of()));
        if (action.equals("ecs:RegisterTaskDefinition")) {
            for (String member : List.of("executionRoleArn", "taskRoleArn")) {
                member(request, member).ifPresent(role -> checks.add(new Check("iam:PassRole", role,
                        Map.of("iam:passedtoservice", List.of("ecs-tasks.amazonaws.com")))));
            }
        }
        return checks;
    }

    /**
     * The actions a call needs besides its own, as AWS checks them: {@code iam:PassRole} for each role
     * a task definition names, {@code iam:CreateServiceLinkedRole} where a service makes its role on
     * first use (listed for every such call: what a policy must grant, whether or not the role exists).
     */
    public static List<String> implied(String signingName, String operation, SdkPojo request, String region, String account) {
        List<String> actions = new ArrayList<>();
        of(signingName, operation, request, region, account).stream().skip(1).map(Check::action).forEach(actions::add);
        linkedService(action(signingName, operation)).ifPresent(service -> actions.add("iam:CreateServiceLinkedRole"));
        return actions;
    }

    /** The service whose linked role a first call of this action creates, if it does. */
    public static Optional<String> linkedService(String action) {
        return Optional.ofNullable(LINKED.get(action));
    }

    /** The check of creating a service's linked role. */
    public static Check createLinkedRole(String service, String account) {
        String name = switch (service) {
            case "ecs.amazonaws.com" -> "AWSServiceRoleForECS";
            case "elasticloadbalancing.amazonaws.com" -> "AWSServiceRoleForElasticLoadBalancing";
            default -> "AWSServiceRoleForElastiCache";
        };
        return new Check("iam:CreateServiceLinkedRole", "arn:aws:iam::" + account + ":role/aws-service-role/" + service + "/" + name,
                Map.of("iam:awsservicename", List.of(service)));
    }

    private static String resource(String service, String operation, SdkPojo r, String region, String account) {
        String prefix = "arn:aws:" + service + ":" + region + ":" + account + ":";
        switch (service) {
            case "iam": {
                Optional<String> role = member(r, "roleName");
                if (role.isPresent()) {
                    return "arn:aws:iam::" + account + ":role" + member(r, "path").orElse("/") + role.get();
                }
                return member(r, "policySourceArn").or(() -> member(r, "policyArn"))
                        .or(() -> member(r, "policyName").map(name -> "arn:aws:iam::" + account + ":policy" + member(r, "path").orElse("/") + name))
                        .orElse("*");
            }
            case "sts":
                return member(r, "roleArn").orElse("*");
            case "ecr":
                return member(r, "repositoryName").map(name -> prefix + "repository/" + name).orElse("*");
            case "logs":
                return member(r, "logGroupName").map(name -> prefix + "log-group:" + name).orElse("*");
            case "secretsmanager":
                return member(r, "secretId").or(() -> member(r, "name"))
                        .map(id -> id.startsWith("arn:") ? id : prefix + "secret:" + id).orElse("*");
            case "ecs": {
                Optional<String> cluster = member(r, "cluster").or(() -> member(r, "clusterName"))
                        .map(c -> c.startsWith("arn:") ? c.substring(c.lastIndexOf('/') + 1) : c);
                if (operation.endsWith("Service") && !operation.startsWith("List")) {
                    Optional<String> name = member(r, "service").or(() -> member(r, "serviceName"));
                    if (name.isPresent()) {
                        return name.get().startsWith("arn:") ? name.get() : prefix + "service/" + cluster.orElse("default") + "/" + name.get();
                    }
                }
                if (operation.endsWith("Cluster")) {
                    return prefix + "cluster/" + cluster.orElse("default");
                }
                return "*";
            }
            case "elasticloadbalancing":
                return member(r, "listenerArn").or(() -> member(r, "targetGroupArn")).or(() -> member(r, "loadBalancerArn")).orElse("*");
            case "elasticache":
                return member(r, "replicationGroupId").map(id -> prefix + "replicationgroup:" + id)
                        .or(() -> member(r, "cacheSubnetGroupName").map(name -> prefix + "subnetgroup:" + name))
                        .or(() -> member(r, "cacheClusterId").map(id -> prefix + "cluster:" + id)).orElse("*");
            case "ec2":
                return member(r, "groupId").map(id -> prefix + "security-group/" + id).orElse("*");
            case "route53":
                return member(r, "id").map(id -> id.replaceFirst("^/", ""))
                        .map(id -> "arn:aws:route53:::" + (operation.equals("GetChange") ? "change/" : "hostedzone/") + id.replaceFirst("^(hostedzone|change)/", ""))
                        .orElse("*");
            case "acm":
                return member(r, "certificateArn").orElse("*");
            default:
                return "*";
        }
    }

    /** A string member of a request by the SDK's member name (case as the model has it, first letter either case). */
    private static Optional<String> member(SdkPojo request, String name) {
        for (SdkField<?> field : request.sdkFields()) {
            if (field.memberName().equalsIgnoreCase(name)) {
                Object value = field.getValueOrDefault(request);
                return value instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
