package com.thephillymojo.ws.localstack.testing;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.regions.Region;

/**
 * JUnit 5: {@code @ExtendWith(LocalAwsExtension.class)} gives tests a {@link LocalAws} or an
 * {@link AwsTarget} parameter. One emulator serves the whole test run; it is closed when the run ends.
 */
public final class LocalAwsExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalAwsExtension.class);

    /** Closes the run's emulator when JUnit closes the root store. */
    private static final class Running implements AutoCloseable {
        final LocalAws aws = LocalAws.start(0);

        @Override
        public void close() {
            aws.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalAws.class || type == AwsTarget.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalAws aws = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, k -> new Running(), Running.class).aws;
        if (parameter.getParameter().getType() == LocalAws.class) {
            return aws;
        }
        return AwsTarget.embeddedShared(aws, Region.US_EAST_1);
    }
}
