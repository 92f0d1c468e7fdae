package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.*;

/** ECR's API through the real AWS SDK v2. */
class EcrTest {
    private static LocalAws aws;
    private static EcrClient ecr;

    @BeforeAll
    static void start() {
        aws = LocalAws.start(0);
        ecr = Clients.of(EcrClient.builder(), aws);
    }

    @AfterAll
    static void stop() {
        ecr.close();
        aws.close();
    }

    @Test
    void createDescribeAndDeleteARepository() {
        Repository repo = ecr.createRepository(r -> r.repositoryName("team/app-one")
                .imageScanningConfiguration(c -> c.scanOnPush(true)).imageTagMutability(ImageTagMutability.IMMUTABLE)
                .tags(Tag.builder().key("env").value("test").build())).repository();
        assertEquals("arn:aws:ecr:us-east-1:000000000000:repository/team/app-one", repo.repositoryArn());
        assertEquals(aws.registryHost() + "/team/app-one", repo.repositoryUri());
        assertEquals("000000000000", repo.registryId());
        assertTrue(repo.imageScanningConfiguration().scanOnPush());
        assertEquals(ImageTagMutability.IMMUTABLE, repo.imageTagMutability());
        assertTrue(repo.createdAt() != null);

        Repository described = ecr.describeRepositories(r -> r.repositoryNames("team/app-one")).repositories().get(0);
        assertEquals(repo, described);
        assertEquals("test", ecr.listTagsForResource(r -> r.resourceArn(repo.repositoryArn())).tags().get(0).value());

        RepositoryAlreadyExistsException dup = assertThrows(RepositoryAlreadyExistsException.class,
                () -> ecr.createRepository(r -> r.repositoryName("team/app-one")));
        assertEquals("RepositoryAlreadyExistsException", dup.awsErrorDetails().errorCode());
        assertEquals(400, dup.statusCode());

        ecr.deleteRepository(r -> r.repositoryName("team/app-one"));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.describeRepositories(r -> r.repositoryNames("team/app-one")));
        assertThrows(RepositoryNotFoundException.class, () -> ecr.deleteRepository(r -> r.repositoryName("team/app-one")));
    }

    @Test
    void badParametersAreRefusedWithAwsCodesAndChangeNothing() {
        int before = ecr.describeRepositories().repositories().size();
        InvalidParameterException bad = assertThrows(InvalidParameterException.class,
                () -> ecr.createRepository(r -> r.repositoryName("Not_Valid!")));
        assertEquals("InvalidParameterException", bad.awsErrorDetails().errorCode());
        EcrException missing = assertThrows(EcrException.class, () -> ecr.createRepository(r -> r.repositoryName(null)));
        assertEquals("ValidationException", missing.awsErrorDetails().errorCode());
        assertEquals(before, ecr.describeRepositories().repositories().size());
    }

    @Test
    void repositoriesArePaginated() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            ecr.createRepository(r -> r.repositoryName("paged-" + n));
        }
        int seen = 0;
        for (DescribeRepositoriesResponse page : ecr.describeRepositoriesPaginator(r -> r.maxResults(2))) {
            assertTrue(page.repositories().size() <= 2);
            seen += (int) page.repositories().stream().filter(x -> x.repositoryName().startsWith("paged-")).count();
        }
        assertEquals(5, seen);
    }

    @Test
    void regionsAreSeparate() {
        try (EcrClient west = Clients.of(EcrClient.builder(), aws, "eu-west-1")) {
            west.createRepository(r -> r.repositoryName("only-in-west"));
            assertThrows(RepositoryNotFoundException.class, () -> ecr.describeRepositories(r -> r.repositoryNames("only-in-west")));
            assertTrue(west.describeRepositories(r -> r.repositoryNames("only-in-west")).repositories().get(0).repositoryArn()
                    .contains(":eu-west-1:"));
        }
    }

    @Test
    void theAuthorizationTokenIsBasicAuthForUserAws() {
        AuthorizationData data = ecr.getAuthorizationToken().authorizationData().get(0);
        String decoded = new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
        assertTrue(decoded.startsWith("AWS:"));
        assertFalse(decoded.substring(4).isEmpty());
        assertEquals("http://" + aws.registryHost(), data.proxyEndpoint());
        assertTrue(data.expiresAt().isAfter(java.time.Instant.now()));
    }

    @Test
    void lifecyclePolicyScanningAndTagMutability() {
        ecr.createRepository(r -> r.repositoryName("settings"));
        assertThrows(LifecyclePolicyNotFoundException.class, () -> ecr.getLifecyclePolicy(r -> r.repositoryName("settings")));
        String policy = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\","
                + "\"countNumber\":10},\"action\":{\"type\":\"expire\"}}]}";
        ecr.putLifecyclePolicy(r -> r.repositoryName("settings").lifecyclePolicyText(policy));
        assertEquals(policy, ecr.getLifecyclePolicy(r -> r.repositoryName("settings")).lifecyclePolicyText());
        assertThrows(InvalidParameterException.class, () -> ecr.putLifecyclePolicy(r -> r.repositoryName("settings").lifecyclePolicyText("nope")));
        ecr.putImageScanningConfiguration(r -> r.repositoryName("settings").imageScanningConfiguration(c -> c.scanOnPush(true)));
        ecr.putImageTagMutability(r -> r.repositoryName("settings").imageTagMutability(ImageTagMutability.IMMUTABLE));
        Repository repo = ecr.describeRepositories(r -> r.repositoryNames("settings")).repositories().get(0);
        assertTrue(repo.imageScanningConfiguration().scanOnPush());
        assertEquals(ImageTagMutability.IMMUTABLE, repo.imageTagMutability());
        assertEquals(0, ecr.listImages(r -> r.repositoryName("settings")).imageIds().size());
        assertThrows(ImageNotFoundException.class, () -> ecr.describeImages(r -> r.repositoryName("settings").imageIds(i -> i.imageTag("x"))));
        BatchGetImageResponse none = ecr.batchGetImage(r -> r.repositoryName("settings").imageIds(i -> i.imageTag("x")));
        assertEquals(ImageFailureCode.IMAGE_NOT_FOUND, none.failures().get(0).failureCode());
    }
}
