package com.thephillymojo.ws.localstack.testing;

import com.thephillymojo.ws.localstack.AwsTarget;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS target a test run points at, as {@code AWS_TARGET} names it (or a test's own setting, e.g.
 * a JUnit configuration parameter): the embedded emulator (the default), a LocalStack container, or
 * real AWS.
 */
public final class TestTargets {
    private TestTargets() {
    }

    /** The kind {@code setting} names, else AWS_TARGET in {@code env} (default: embedded). */
    public static AwsTarget fromSettings(Optional<String> setting, Map<String, String> env, Region region) {
        return of(AwsTarget.parse(setting.orElse(env.getOrDefault(AwsTarget.SETTING, "embedded"))), region, env);
    }

    /** A target of this kind; the LocalStack kind is a container (Docker, and LOCALSTACK_AUTH_TOKEN). */
    public static AwsTarget of(AwsTarget.Kind kind, Region region, Map<String, String> env) {
        return kind == AwsTarget.Kind.LOCALSTACK ? LocalStackContainers.start(region, env) : AwsTarget.of(kind, region, env);
    }
}
