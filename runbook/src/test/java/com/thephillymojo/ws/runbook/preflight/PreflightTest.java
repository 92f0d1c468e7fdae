package com.thephillymojo.ws.runbook.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

class PreflightTest {
    @Test
    void aSessionIsSimulatedAsItsRoleAndTheRootIsNot() {
        assertEquals(Optional.of("arn:aws:iam::123456789012:role/Deployer"),
                new Preflight.Identity("123456789012", "arn:aws:sts::123456789012:assumed-role/Deployer/alice").principal());
        assertEquals(Optional.of("arn:aws:iam::123456789012:user/ops/alice"),
                new Preflight.Identity("123456789012", "arn:aws:iam::123456789012:user/ops/alice").principal());
        Preflight.Identity root = new Preflight.Identity("123456789012", "arn:aws:iam::123456789012:root");
        assertTrue(root.root());
        assertEquals(Optional.empty(), root.principal());
        assertEquals(Optional.empty(), new Preflight.Identity("123456789012", "arn:aws:sts::123456789012:federated-user/bob").principal());
    }

    /** Credentials that run out during a run (an SSO session ends in a long apply) get the preflight's sentence, not the SDK's chain. */
    @Test
    void credentialsTheSdkCannotLoadAreOneSentenceWheneverTheyFail() {
        ProfileFile none = ProfileFile.aggregator().build();
        var chain = AwsCredentialsProviderChain.builder()
                .credentialsProviders(ProfileCredentialsProvider.builder().profileFile(none).profileName("gone").build()).build();
        try (StsClient sts = StsClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(chain).build()) {
            SdkClientException e = assertThrows(SdkClientException.class, sts::getCallerIdentity);
            assertTrue(e.getMessage().startsWith("Unable to load credentials"), e.getMessage());
            String sentence = Preflight.credentialsProblem(Map.of(), new IllegalStateException("a step failed", e)).orElseThrow();
            assertTrue(sentence.endsWith("then run this again"), sentence);
            assertFalse(sentence.contains("AwsCredentialsProviderChain"), sentence);
        }
        assertEquals(Optional.empty(), Preflight.credentialsProblem(Map.of(), new IllegalStateException("something else")));
    }
}
