package com.thephillymojo.ws.runbook.infra;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * An AWS call that failed, in one line an operator reads: the service, the operation, AWS's error
 * code and message and the resource it concerned ({@code ELBv2 CreateLoadBalancer:
 * TooManyLoadBalancers — … (Name thephillymojo-ws-alb)}), or which endpoint did not answer. The
 * runbook's clients carry {@link #INTERCEPTOR}, which remembers for each failure the call it came
 * from (the exception alone does not name its operation); the stack trace stays in the report.
 */
public final class CallErrors {
    /** The call behind a failure. */
    public record Call(String service, String operation, Optional<String> resource, String endpoint) {
        public String name() {
            return service + " " + operation;
        }
    }

    private static final Map<Throwable, Call> CALLS = Collections.synchronizedMap(new WeakHashMap<>());

    /** The SDK's service names, as AWS's consoles and docs say them. */
    private static final Map<String, String> SERVICES = Map.ofEntries(Map.entry("Ecr", "ECR"), Map.entry("Ecs", "ECS"),
            Map.entry("ElasticLoadBalancingV2", "ELBv2"), Map.entry("Acm", "ACM"), Map.entry("Route53", "Route53"), Map.entry("Ec2", "EC2"),
            Map.entry("Iam", "IAM"), Map.entry("CloudWatchLogs", "CloudWatch Logs"), Map.entry("SecretsManager", "Secrets Manager"),
            Map.entry("ElastiCache", "ElastiCache"), Map.entry("Sts", "STS"));

    /** The members that name what a request is about, most telling first. */
    private static final List<String> NAMES = List.of("Name", "RepositoryName", "ServiceName", "Service", "Family", "TaskDefinition",
            "RoleName", "PolicyName", "GroupName", "GroupId", "LogGroupName", "SecretId", "ReplicationGroupId", "CacheSubnetGroupName",
            "DomainName", "CertificateArn", "LoadBalancerArn", "TargetGroupArn", "ListenerArn", "HostedZoneId", "Id", "ClusterName", "Cluster",
            "PolicySourceArn");

    public static final ExecutionInterceptor INTERCEPTOR = new ExecutionInterceptor() {
        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
            String endpoint = context.httpRequest().map(r -> r.protocol() + "://" + r.host() + (r.port() == 443 || r.port() == 80 ? "" : ":" + r.port()))
                    .orElse("its endpoint");
            CALLS.put(context.exception(), new Call(SERVICES.getOrDefault(service, service),
                    attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), resource(context.request()), endpoint));
        }
    };

    /** Calls made, and attempts sent (more than calls when the SDK retried), by this process's runbook clients. */
    private static final java.util.concurrent.atomic.AtomicLong CALLS_MADE = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong ATTEMPTS = new java.util.concurrent.atomic.AtomicLong();

    private static final ExecutionInterceptor RETRIES = new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            CALLS_MADE.incrementAndGet();
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            ATTEMPTS.incrementAndGet();
        }
    };

    /** Calls and attempts so far: {@code [calls, attempts]} (their difference is what the SDK retried). */
    public static long[] attempts() {
        return new long[] {CALLS_MADE.get(), ATTEMPTS.get()};
    }

    private CallErrors() {
    }

    /** A client of the target whose failed calls this class can name. */
    public static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C> C client(
            com.thephillymojo.ws.localstack.AwsTarget target, B builder) {
        // AWS's throttling and 5xx are retried with backoff, and a throttled client slows itself down (the SDK's
        // adaptive mode): six attempts in all, a few seconds at most between the last ones
        builder.overrideConfiguration(o -> o.addExecutionInterceptor(INTERCEPTOR).addExecutionInterceptor(RETRIES)
                .retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.adaptiveRetryStrategy().toBuilder().maxAttempts(6).build()));
        return target.client(builder);
    }

    /** The call a failure (or one of its causes) came from, if it came from one of the runbook's clients. */
    public static Optional<Call> call(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Call call = CALLS.get(t);
            if (call != null) {
                return Optional.of(call);
            }
        }
        return Optional.empty();
    }

    /**
     * One line for the terminal: an AWS error with its code, a network failure with its endpoint,
     * credentials that could not be loaded as {@link Credentials#missing} says (an SSO session may end
     * during a long apply), else the message. {@code env}: the process's environment variables.
     */
    public static String describe(Throwable failure, Map<String, String> env) {
        Optional<SdkClientException> unloadable = cause(failure, SdkClientException.class).filter(Credentials::unloadable);
        if (unloadable.isPresent()) {
            return Credentials.missing(env, unloadable.get());
        }
        Optional<Call> call = call(failure);
        Optional<AwsServiceException> aws = cause(failure, AwsServiceException.class);
        if (aws.isPresent()) {
            AwsServiceException e = aws.get();
            String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : String.valueOf(e.statusCode());
            String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null ? e.awsErrorDetails().errorMessage() : "";
            return call.map(c -> c.name() + ": ").orElse("") + code + " — " + message.strip()
                    + call.flatMap(Call::resource).map(r -> " (" + r + ")").orElse("");
        }
        Optional<String> network = network(failure);
        if (network.isPresent() && call.isPresent()) {
            return call.get().name() + ": no answer from " + call.get().endpoint() + " (" + network.get() + ")";
        }
        String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
        return call.map(c -> c.name() + ": ").orElse("") + message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Why a call got no answer, if that is what happened: an unknown host, a refused connection, a timeout. */
    public static Optional<String> network(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return Optional.of("unknown host " + t.getMessage());
            }
            if (t instanceof ConnectException) {
                return Optional.of("connection refused");
            }
            if (t instanceof SocketTimeoutException || t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException
                    || t instanceof java.net.http.HttpTimeoutException) {
                return Optional.of("timed out");
            }
        }
        return Optional.empty();
    }

    static <T extends Throwable> Optional<T> cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> resource(SdkRequest request) {
        for (String name : NAMES) {
            for (SdkField<?> field : request.sdkFields()) {
                if (field.memberName().equalsIgnoreCase(name)) {
                    Object value = field.getValueOrDefault(request);
                    if (value instanceof String s && !s.isEmpty()) {
                        return Optional.of(name + " " + s);   // AWS's member name as the docs spell it
                    }
                }
            }
        }
        return Optional.empty();
    }
}
