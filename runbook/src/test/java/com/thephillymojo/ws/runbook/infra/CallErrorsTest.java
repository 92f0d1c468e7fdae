package com.thephillymojo.ws.runbook.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.thephillymojo.ws.localstack.LocalAws;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.sts.StsClient;

/** A failed call in one line, from real SDK clients: an AWS error from the emulator, a port nobody listens on, credentials none could load. */
class CallErrorsTest {
    private static <B extends AwsClientBuilder<B, C>, C> C client(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(CallErrors.INTERCEPTOR).retryStrategy(RetryMode.STANDARD)).build();
    }

    @Test
    void anAwsErrorNamesServiceOperationCodeMessageAndResource() {
        try (LocalAws aws = LocalAws.start(LocalAws.Options.defaults().dataPlane(false)); EcrClient ecr = client(EcrClient.builder(), aws.endpoint())) {
            RepositoryNotFoundException e = assertThrows(RepositoryNotFoundException.class,
                    () -> ecr.describeImages(r -> r.repositoryName("nowhere")));
            assertEquals("ECR DescribeImages: RepositoryNotFoundException — " + e.awsErrorDetails().errorMessage() + " (RepositoryName nowhere)",
                    CallErrors.describe(e, Map.of()));
        }
    }

    @Test
    void aCallNobodyAnswersNamesTheEndpoint() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port);
        try (StsClient sts = client(StsClient.builder(), closed)) {
            Exception e = assertThrows(Exception.class, sts::getCallerIdentity);
            assertEquals("STS GetCallerIdentity: no answer from " + closed + " (connection refused)", CallErrors.describe(e, Map.of()));
        }
    }

    /** Credentials that run out during a run (an SSO session ends in a long apply) get the sentence of Credentials.missing, not the SDK's chain. */
    @Test
    void credentialsTheSdkCannotLoadAreOneSentenceWheneverTheyFail() {
        ProfileFile none = ProfileFile.aggregator().build();
        var chain = AwsCredentialsProviderChain.builder()
                .credentialsProviders(ProfileCredentialsProvider.builder().profileFile(none).profileName("gone").build()).build();
        try (StsClient sts = StsClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(chain).build()) {
            SdkClientException e = assertThrows(SdkClientException.class, sts::getCallerIdentity);
            assertTrue(e.getMessage().startsWith("Unable to load credentials"), e.getMessage());
            String sentence = CallErrors.describe(new IllegalStateException("a step failed", e), Map.of());
            assertTrue(sentence.endsWith("then run this again"), sentence);
            assertFalse(sentence.contains("AwsCredentialsProviderChain"), sentence);
        }
        assertEquals("something else", CallErrors.describe(new IllegalStateException("something else"), Map.of()));
    }
}
