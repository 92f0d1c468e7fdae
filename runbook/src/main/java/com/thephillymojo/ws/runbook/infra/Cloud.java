package com.thephillymojo.ws.runbook.infra;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.Waiting;
import com.thephillymojo.ws.runbook.Environment;
import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.State;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * One run's view of an environment: the {@link Environment} (its settings, the server's build,
 * the process's variables), its state, a client per service, whether this
 * run plans or applies, and the journal every action reports to. The actions ({@link Registry},
 * {@link LoadBalancing}, …) take it; nothing in it knows about Cucumber.
 */
public final class Cloud implements AutoCloseable {
    /** A plan finds and compares, and changes nothing; an apply makes the environment as wanted. */
    public enum Mode { PLAN, APPLY }

    public final Environment environment;
    public final Settings settings;
    public final State state;
    public final Journal journal;
    public final AwsTarget target;
    private final Mode mode;

    public final EcrClient ecr;
    public final EcsClient ecs;
    public final ElasticLoadBalancingV2Client elb;
    public final AcmClient acm;
    public final Route53Client route53;
    public final Ec2Client ec2;
    public final IamClient iam;
    public final CloudWatchLogsClient logs;
    public final SecretsManagerClient secrets;
    public final ElastiCacheClient elasticache;

    public Cloud(AwsTarget target, Environment environment, State state, Mode mode, Journal journal) {
        this.target = target;
        this.environment = environment;
        this.settings = environment.settings();
        this.state = state;
        this.mode = mode;
        this.journal = journal;
        ecr = client(EcrClient.builder());
        ecs = client(EcsClient.builder());
        elb = client(ElasticLoadBalancingV2Client.builder());
        acm = client(AcmClient.builder());
        route53 = client(Route53Client.builder());
        ec2 = client(Ec2Client.builder());
        iam = client(IamClient.builder());
        logs = client(CloudWatchLogsClient.builder());
        secrets = client(SecretsManagerClient.builder());
        elasticache = client(ElastiCacheClient.builder());
    }

    /** A client of the target whose failures {@link CallErrors} can name (service, operation, resource). */
    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C> C client(B builder) {
        return CallErrors.client(target, builder);
    }

    public boolean planning() {
        return mode == Mode.PLAN;
    }

    /**
     * The ARN (or id) of a resource a step refers to. A plan may refer to what it would make (a
     * placeholder, in its output only); an apply never sends a placeholder to AWS: a missing
     * prerequisite stops it, saying which.
     */
    public String require(java.util.Optional<String> arn, String what) {
        if (arn.isPresent()) {
            return arn.get();
        }
        if (planning()) {
            return "<" + what + ", once made>";
        }
        throw new IllegalStateException(what + " does not exist, and this step refers to it: "
                + "the step that makes it did not run or did not finish");
    }

    public Outcome report(Outcome outcome) {
        return journal.add(outcome);
    }

    /**
     * The one way a resource is deleted: one that is not there is reported absent; a plan only says
     * it would delete it; otherwise {@code deletion} runs and the deletion is reported.
     */
    public Outcome delete(String kind, String name, boolean exists, String detail, Runnable deletion) {
        if (!exists) {
            return report(new Outcome(Outcome.Change.ABSENT, kind, name, ""));
        }
        if (planning()) {
            return report(new Outcome(Outcome.Change.WOULD_DELETE, kind, name, detail));
        }
        deletion.run();
        return report(new Outcome(Outcome.Change.DELETED, kind, name, detail));
    }

    /** Waits, within the environment's limit, saying what for and how long now and then. */
    public void waitFor(String what, BooleanSupplier reached) {
        Duration poll = target.kind() == AwsTarget.Kind.AWS ? Duration.ofSeconds(5) : Duration.ofMillis(200);
        long start = System.nanoTime();
        try {
            Waiting.until(what, settings.waitLimit(), poll, journal::note, reached);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        if (seconds >= 2) {
            journal.note(what + ": reached after " + seconds + " s");
        }
    }

    /**
     * A call AWS refuses for a while after a change it has not propagated yet — a role ECS cannot
     * assume yet, a new security group EC2 does not know yet — made again until it passes or the
     * environment's wait limit, saying what it waits for. {@code notYet} tells that refusal from
     * any other failure, which goes up at once; past the limit, the last refusal does.
     */
    public <T> T eventually(String what, java.util.function.Predicate<AwsServiceException> notYet, java.util.function.Supplier<T> call) {
        java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<AwsServiceException> refused = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            waitFor(what, () -> {
                try {
                    result.set(call.get());
                    return true;
                } catch (AwsServiceException e) {
                    if (!notYet.test(e)) {
                        throw e;
                    }
                    if (refused.getAndSet(e) == null) {
                        journal.note("waiting for " + what + " (" + code(e) + ": " + e.awsErrorDetails().errorMessage() + ")");
                    }
                    return false;
                }
            });
        } catch (IllegalStateException timedOut) {
            // past the limit, the step fails with AWS's last refusal: it names what never cleared
            throw refused.get() != null ? refused.get() : timedOut;
        }
        return result.get();
    }

    /** AWS's error code of a refusal. */
    public static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
    }

    /** Closes the run's clients (their connection pools); the target itself stays open for the next run. */
    @Override
    public void close() {
        for (SdkAutoCloseable client : List.of(ecr, ecs, elb, acm, route53, ec2, iam, logs, secrets, elasticache)) {
            client.close();
        }
    }
}
