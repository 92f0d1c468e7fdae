package com.thephillymojo.ws.localstack;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/** Real AWS SDK v2 clients pointed at an emulator. */
final class Clients {
    private Clients() {
    }

    static <B extends AwsClientBuilder<B, C>, C> C of(B builder, LocalAws aws) {
        return of(builder, aws, "us-east-1");
    }

    static <B extends AwsClientBuilder<B, C>, C> C of(B builder, LocalAws aws, String region) {
        return builder.endpointOverride(aws.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }
}
