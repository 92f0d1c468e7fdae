package com.thephillymojo.ws.localstack;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Where the runbook and the tests point their AWS SDK clients — one setting, three kinds:
 * <ul>
 *   <li>{@code embedded} (the default): our in-process {@link LocalAws} on a free port;</li>
 *   <li>{@code localstack}: a LocalStack container through Testcontainers, given {@code LOCALSTACK_AUTH_TOKEN}
 *       (ECR, ECS and ELBv2 need LocalStack's paid image; without Docker it is refused with a clear message) —
 *       test support only: {@code com.thephillymojo.ws.localstack.testing.TestTargets} (the localstack-testing
 *       artifact) makes it, so Testcontainers never reaches a production classpath;</li>
 *   <li>{@code aws}: real AWS with the default credential chain.</li>
 * </ul>
 */
public final class AwsTarget implements AutoCloseable {
    public enum Kind { EMBEDDED, LOCALSTACK, AWS }

    public static final String SETTING = "AWS_TARGET";

    private final Kind kind;
    private final Region region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final LocalAws emulator;
    private final AutoCloseable container;
    private final EmulatorView view;

    private AwsTarget(Kind kind, Region region, URI endpoint, AwsCredentialsProvider credentials, LocalAws emulator, AutoCloseable container) {
        this(kind, region, endpoint, credentials, emulator, container, emulator);
    }

    private AwsTarget(Kind kind, Region region, URI endpoint, AwsCredentialsProvider credentials, LocalAws emulator, AutoCloseable container,
                      EmulatorView view) {
        this.view = view;
        this.kind = kind;
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.emulator = emulator;
        this.container = container;
    }

    public static Kind parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "":
            case "embedded": return Kind.EMBEDDED;
            case "localstack": return Kind.LOCALSTACK;
            case "aws": return Kind.AWS;
            default:
                throw new IllegalArgumentException(SETTING + " is embedded, localstack or aws, not '" + value + "'");
        }
    }

    public static AwsTarget of(Kind kind, Region region, Map<String, String> env) {
        switch (kind) {
            case EMBEDDED:
                return embedded(LocalAws.start(0), region);
            case LOCALSTACK:
                throw new IllegalStateException("a LocalStack container is test support: make it with "
                        + "com.thephillymojo.ws.localstack.testing.TestTargets (thephillymojo-ws-localstack-testing, test scope)");
            default:
                return new AwsTarget(Kind.AWS, region, null, DefaultCredentialsProvider.builder().build(), null, null);
        }
    }

    /** An emulator already running (the target closes it when closed). */
    public static AwsTarget embedded(LocalAws aws, Region region) {
        return new AwsTarget(Kind.EMBEDDED, region, aws.endpoint(), fakeCredentials(), aws, null);
    }

    /** An emulator someone else owns: closing the target leaves it running. */
    public static AwsTarget embeddedShared(LocalAws aws, Region region) {
        return new AwsTarget(Kind.EMBEDDED, region, aws.endpoint(), fakeCredentials(), null, null, aws);
    }

    /** An emulator another process of this machine runs (the local environment): closing the target leaves it running. */
    public static AwsTarget running(RunningEmulator emulator, Region region) {
        return new AwsTarget(Kind.EMBEDDED, region, emulator.endpoint(), fakeCredentials(), null, null, emulator);
    }

    /** A LocalStack container's endpoint and keys (the target stops the container when closed). */
    public static AwsTarget container(Region region, URI endpoint, String accessKey, String secretKey, AutoCloseable container) {
        return new AwsTarget(Kind.LOCALSTACK, region, endpoint,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)), null, container);
    }

    private static AwsCredentialsProvider fakeCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    /**
     * This target, signing as a session of the role {@code roleName} that holds exactly
     * {@code policyDocument} (made, or its policy replaced, with the account's root keys): for an
     * emulator that enforces IAM. The new target owns what this one owned.
     */
    public AwsTarget asRole(String roleName, String policyDocument) {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                + "\"Action\":\"sts:AssumeRole\"}]}";
        String roleArn;
        try (IamClient iam = client(IamClient.builder()); StsClient sts = client(StsClient.builder())) {
            try {
                iam.createRole(r -> r.roleName(roleName).assumeRolePolicyDocument(trust));
            } catch (EntityAlreadyExistsException exists) {
                // made by an earlier run against the same emulator
            }
            iam.putRolePolicy(r -> r.roleName(roleName).policyName(roleName).policyDocument(policyDocument));
            roleArn = iam.getRole(r -> r.roleName(roleName)).role().arn();
            var session = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("runbook")).credentials();
            return new AwsTarget(kind, region, endpoint, StaticCredentialsProvider.create(AwsSessionCredentials.create(session.accessKeyId(),
                    session.secretAccessKey(), session.sessionToken())), emulator, container, view);
        }
    }

    /** The access key this target's calls are signed with. */
    public String accessKeyId() {
        return credentials.resolveCredentials().accessKeyId();
    }

        /** A client of any service, set up for this target: {@code target.client(EcrClient.builder())}. */
    public <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
        builder.region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    public Kind kind() {
        return kind;
    }

    public Region region() {
        return region;
    }

    /** The embedded emulator, to reach its data plane and registry directly. */
    public Optional<LocalAws> emulator() {
        return Optional.ofNullable(emulator);
    }

    /** The emulator's names and CA, wherever it runs (this JVM or another process); empty on AWS. */
    public Optional<EmulatorView> view() {
        return Optional.ofNullable(view);
    }

    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    @Override
    public void close() {
        if (emulator != null) {
            emulator.close();
        }
        if (container != null) {
            try {
                container.close();
            } catch (Exception e) {
                // the container goes anyway
            }
        }
    }
}
