package com.thephillymojo.ws.localstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.localstack.Backend;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/** The one setting that points clients at the embedded emulator, a LocalStack container or real AWS. */
@ExtendWith(LocalAwsExtension.class)
class AwsTargetTest {

    @Test
    void theEmbeddedKindIsTheDefaultAndItsClientsWork() {
        try (AwsTarget target = TestTargets.fromSettings(java.util.Optional.empty(), Map.of(), Region.US_EAST_1);
             EcrClient ecr = target.client(EcrClient.builder())) {
            assertEquals(AwsTarget.Kind.EMBEDDED, target.kind());
            assertTrue(target.emulator().isPresent());
            assertEquals("app", ecr.createRepository(r -> r.repositoryName("app")).repository().repositoryName());
        }
    }

    @Test
    void theSettingNamesOneOfThreeKinds() {
        assertEquals(AwsTarget.Kind.LOCALSTACK, AwsTarget.parse("LocalStack"));
        assertEquals(AwsTarget.Kind.AWS, AwsTarget.parse("aws"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AwsTarget.parse("moto"));
        assertTrue(e.getMessage().contains("embedded, localstack or aws"));
        try (AwsTarget aws = AwsTarget.of(AwsTarget.Kind.AWS, Region.EU_WEST_1, Map.of())) {
            assertTrue(aws.endpoint().isEmpty(), "real AWS: the SDK's own endpoints");
            assertEquals(Region.EU_WEST_1, aws.region());
        }
    }

    @Test
    void theLocalStackKindSaysWhatItNeeds() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestTargets.of(AwsTarget.Kind.LOCALSTACK, Region.US_EAST_1, Map.of()));
        assertTrue(e.getMessage().contains("LOCALSTACK_AUTH_TOKEN"), e.getMessage());
    }

    @Test
    void theExtensionSharesOneEmulatorAcrossTheRun(LocalAws aws, AwsTarget target) {
        assertEquals(aws.endpoint(), target.endpoint().orElseThrow());
        try (EcsClient ecs = target.client(EcsClient.builder())) {
            assertEquals("ACTIVE", ecs.createCluster(r -> r.clusterName("shared")).cluster().status());
        }
        assertEquals(1, aws.backend(Backend.ECS, "us-east-1").clusterNames().size());
    }
}
