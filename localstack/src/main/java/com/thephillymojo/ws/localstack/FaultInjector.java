package com.thephillymojo.ws.localstack;

import com.thephillymojo.ws.localstack.ecs.EcsBackend;
import com.thephillymojo.ws.localstack.iam.IamBackend;
import com.thephillymojo.ws.localstack.protocol.Protocol;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.CreateSecurityGroupResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * Applies {@link Faults} to the calls the emulator answers, each in the service's own words:
 * throttling (a token bucket per account and service; {@code ThrottlingException} for awsJson,
 * {@code Throttling} for awsQuery and Route53, 400; EC2's {@code RequestLimitExceeded}, 503), transient
 * server errors ({@code InternalFailure} 500 / {@code ServiceUnavailable} 503; EC2's
 * {@code InternalError} / {@code Unavailable}), ECS that cannot assume an execution role IAM has not
 * propagated yet ({@code InvalidParameterException} from CreateService and UpdateService,
 * {@code ClientException} from RunTask), and a new security group that EC2's next calls do not know
 * yet ({@code InvalidGroup.NotFound}). Counts what it injected, by code.
 */
final class FaultInjector implements com.thephillymojo.ws.localstack.protocol.Dispatcher.Interceptor {
    private final Faults faults;
    private final Random random;
    private final Supplier<IamBackend> iam;
    private final Function<String, EcsBackend> ecs;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    /** Security groups made lately, with when EC2's other calls see them (System.nanoTime). */
    private final Map<String, Long> newGroups = new ConcurrentHashMap<>();
    private final Map<String, Integer> met = new TreeMap<>();

    /** Tokens of one account's calls to one service. */
    private static final class Bucket {
        double tokens;
        long refilled = System.nanoTime();

        Bucket(int burst) {
            tokens = burst;
        }
    }

    FaultInjector(Faults faults, Supplier<IamBackend> iam, Function<String, EcsBackend> ecs) {
        this.faults = faults;
        this.random = new Random(faults.seed());
        this.iam = iam;
        this.ecs = ecs;
    }

    /** The faults injected so far, by AWS's error code. */
    synchronized Map<String, Integer> met() {
        return Map.copyOf(met);
    }

    @Override
    public void before(String signingName, Protocol protocol, String operation, SdkPojo request, RequestContext context) {
        if (!faults.any()) {
            return;
        }
        if (faults.throttleBurst() > 0 && !take(context.account() + "/" + signingName)) {
            throw count(throttled(protocol));
        }
        if (faults.errorRate() > 0) {
            boolean fail;
            boolean unavailable;
            synchronized (random) {
                fail = random.nextDouble() < faults.errorRate();
                unavailable = random.nextBoolean();
            }
            if (fail) {
                throw count(serverError(protocol, unavailable));
            }
        }
        if (!faults.iamPropagation().isZero() && signingName.equals("ecs")) {
            String taskDefinition = request instanceof CreateServiceRequest r ? r.taskDefinition()
                    : request instanceof UpdateServiceRequest r ? r.taskDefinition()
                    : request instanceof RunTaskRequest r ? r.taskDefinition() : null;
            if (taskDefinition != null) {
                unassumable(context.region(), taskDefinition).ifPresent(role -> {
                    throw count(new AwsException(operation.equals("RunTask") ? "ClientException" : "InvalidParameterException",
                            "ECS was unable to assume the role '" + role + "' that was provided for this task. Please verify that the role being "
                                    + "passed has the proper trust relationship and permissions and that your IAM user has permissions to pass "
                                    + "this role.", 400));
                });
            }
        }
        if (!faults.describeLag().isZero() && signingName.equals("ec2")) {
            for (String group : groupsNamed(request)) {
                Long visible = newGroups.get(group);
                if (visible != null && System.nanoTime() < visible) {
                    throw count(new AwsException("InvalidGroup.NotFound", "The security group '" + group + "' does not exist", 400));
                }
            }
        }
    }

    @Override
    public void after(String signingName, SdkPojo response) {
        if (!faults.describeLag().isZero() && response instanceof CreateSecurityGroupResponse made) {
            newGroups.put(made.groupId(), System.nanoTime() + faults.describeLag().toNanos());
        }
    }

    private static java.util.List<String> groupsNamed(SdkPojo request) {
        if (request instanceof AuthorizeSecurityGroupIngressRequest r && r.groupId() != null) {
            return java.util.List.of(r.groupId());
        }
        if (request instanceof RevokeSecurityGroupIngressRequest r && r.groupId() != null) {
            return java.util.List.of(r.groupId());
        }
        if (request instanceof DescribeSecurityGroupsRequest r && r.hasGroupIds()) {
            return r.groupIds();
        }
        return java.util.List.of();
    }

    /** The execution role of a task definition, if IAM has not propagated its latest change yet. */
    private java.util.Optional<String> unassumable(String region, String taskDefinition) {
        String role;
        try {
            role = ecs.apply(region).taskDefinition(taskDefinition).executionRoleArn();
        } catch (AwsException unknown) {
            return java.util.Optional.empty();   // the operation itself says so
        }
        if (role == null) {
            return java.util.Optional.empty();
        }
        OptionalLong changed = iam.get().changedAt(role.substring(role.lastIndexOf('/') + 1));
        boolean fresh = changed.isPresent() && System.nanoTime() - changed.getAsLong() < faults.iamPropagation().toNanos();
        return fresh ? java.util.Optional.of(role) : java.util.Optional.empty();
    }

    private boolean take(String key) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(faults.throttleBurst()));
        synchronized (bucket) {
            long now = System.nanoTime();
            bucket.tokens = Math.min(faults.throttleBurst(), bucket.tokens + (now - bucket.refilled) / 1e9 * faults.throttleRate());
            bucket.refilled = now;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }

    private static AwsException throttled(Protocol protocol) {
        switch (protocol) {
            case AWS_JSON_1_1:
                return new AwsException("ThrottlingException", "Rate exceeded", 400);
            case EC2_QUERY:
                return new AwsException("RequestLimitExceeded", "Request limit exceeded.", 503);
            default:
                return new AwsException("Throttling", "Rate exceeded", 400);
        }
    }

    private static AwsException serverError(Protocol protocol, boolean unavailable) {
        if (protocol == Protocol.EC2_QUERY) {
            return unavailable ? new AwsException("Unavailable", "The server is overloaded and can't handle the request.", 503)
                    : new AwsException("InternalError", "An internal error has occurred.", 500);
        }
        return unavailable ? new AwsException("ServiceUnavailable", "Service is unavailable. Please try again later.", 503)
                : new AwsException("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
    }

    private synchronized AwsException count(AwsException e) {
        met.merge(e.code(), 1, Integer::sum);
        return e;
    }
}
