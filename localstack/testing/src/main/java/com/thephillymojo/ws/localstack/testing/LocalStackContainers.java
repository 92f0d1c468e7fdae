package com.thephillymojo.ws.localstack.testing;

import com.thephillymojo.ws.localstack.AwsTarget;

import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.regions.Region;

/**
 * The LocalStack kind of {@link AwsTarget}: LocalStack's Pro image (its ECR, ECS and ELBv2 were
 * never in the free tier, and since March 2026 every image needs {@code LOCALSTACK_AUTH_TOKEN}).
 */
final class LocalStackContainers {
    static final String IMAGE = "localstack/localstack-pro:latest";

    private LocalStackContainers() {
    }

    static AwsTarget start(Region region, Map<String, String> env) {
        String token = env.get("LOCALSTACK_AUTH_TOKEN");
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("AWS_TARGET=localstack needs LOCALSTACK_AUTH_TOKEN (LocalStack's ECR, ECS and ELBv2 are paid features)");
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("AWS_TARGET=localstack needs a Docker engine, and none answers here; use AWS_TARGET=embedded");
        }
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("localstack/localstack"))
                .withEnv("LOCALSTACK_AUTH_TOKEN", token).withEnv("AWS_DEFAULT_REGION", region.id());
        container.start();
        return AwsTarget.container(region, container.getEndpoint(), container.getAccessKey(), container.getSecretKey(), container::stop);
    }
}
