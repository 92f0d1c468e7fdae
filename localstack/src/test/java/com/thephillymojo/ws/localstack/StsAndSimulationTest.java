package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS (who is calling) and IAM's policy simulator through the real AWS SDK v2. */
class StsAndSimulationTest extends EmulatorTestBase {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:root\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String DEPLOYER = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["ecs:*","elasticloadbalancing:Describe*"],"Resource":"*"},
              {"Effect":"Deny","Action":"ecs:DeleteCluster","Resource":"*"},
              {"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/app-*",
               "Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]}""";

    private StsClient sts(String accessKey, String secret, String token) {
        var credentials = token == null ? AwsBasicCredentials.create(accessKey, secret) : AwsSessionCredentials.create(accessKey, secret, token);
        return StsClient.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }

    @Test
    void anyKeyIsTheRootOfAnAccountAndATwelveDigitKeyNamesItsAccount() {
        try (StsClient sts = sts("test", "test", null); StsClient other = sts("111111111111", "x", null)) {
            GetCallerIdentityResponse me = sts.getCallerIdentity();
            assertEquals("000000000000", me.account());
            assertEquals("arn:aws:iam::000000000000:root", me.arn());
            assertEquals("111111111111", other.getCallerIdentity().account());
            assertEquals("arn:aws:iam::111111111111:root", other.getCallerIdentity().arn());
        }
    }

    @Test
    void aTemporaryKeyStsNeverIssuedIsRefusedByEveryServiceInItsOwnWords() {
        try (StsClient sts = sts("ASIAQXYZ2345ABCDEF67", "x", "token");
             software.amazon.awssdk.services.ecs.EcsClient ecs = software.amazon.awssdk.services.ecs.EcsClient.builder()
                     .endpointOverride(aws.endpoint()).region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                             AwsSessionCredentials.create("ASIAQXYZ2345ABCDEF67", "x", "token"))).build()) {
            StsException refused = assertThrows(StsException.class, sts::getCallerIdentity);
            assertEquals("InvalidClientTokenId", refused.awsErrorDetails().errorCode());
            assertEquals(403, refused.statusCode());
            assertEquals("UnrecognizedClientException", assertThrows(software.amazon.awssdk.services.ecs.model.EcsException.class,
                    ecs::listClusters).awsErrorDetails().errorCode());
        }
    }

    @Test
    void aRoleSessionIsItsOwnCallerAndTheSimulatorEvaluatesTheRolesPolicies() {
        try (IamClient iam = Clients.of(IamClient.builder().region(Region.AWS_GLOBAL), aws); StsClient root = sts("test", "test", null)) {
            String roleArn = iam.createRole(r -> r.roleName("Deployer").path("/ops/").assumeRolePolicyDocument(TRUST)).role().arn();
            assertEquals("arn:aws:iam::000000000000:role/ops/Deployer", roleArn);
            String policyArn = iam.createPolicy(r -> r.policyName("deployer").policyDocument(DEPLOYER)).policy().arn();
            assertThrows(NoSuchEntityException.class, () -> iam.attachRolePolicy(r -> r.roleName("Deployer")
                    .policyArn("arn:aws:iam::000000000000:policy/nope")));
            iam.attachRolePolicy(r -> r.roleName("Deployer").policyArn(policyArn));
            iam.putRolePolicy(r -> r.roleName("Deployer").policyName("logs")
                    .policyDocument("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"logs:Create*\",\"Resource\":\"*\"}}"));
            assertEquals(1, iam.getPolicy(r -> r.policyArn(policyArn)).policy().attachmentCount());
            assertThrows(software.amazon.awssdk.services.iam.model.DeleteConflictException.class, () -> iam.deletePolicy(r -> r.policyArn(policyArn)));

            Credentials keys = root.assumeRole(r -> r.roleArn(roleArn).roleSessionName("alice")).credentials();
            assertTrue(keys.accessKeyId().startsWith("ASIA"), keys.accessKeyId());
            try (StsClient alice = sts(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken())) {
                GetCallerIdentityResponse who = alice.getCallerIdentity();
                assertEquals("arn:aws:sts::000000000000:assumed-role/Deployer/alice", who.arn());
                assertEquals("000000000000", who.account());
                assertTrue(who.userId().endsWith(":alice"), who.userId());
            }
            StsException unknown = assertThrows(StsException.class,
                    () -> root.assumeRole(r -> r.roleArn("arn:aws:iam::000000000000:role/Nobody").roleSessionName("alice")));
            assertEquals("AccessDenied", unknown.awsErrorDetails().errorCode());

            Map<String, String> decisions = iam.simulatePrincipalPolicy(r -> r.policySourceArn(roleArn).actionNames(
                    "ecs:CreateService", "ECS:updateservice", "ecs:DeleteCluster", "elasticloadbalancing:DescribeTargetHealth",
                    "elasticloadbalancing:CreateLoadBalancer", "logs:CreateLogGroup")).evaluationResults().stream()
                    .collect(Collectors.toMap(EvaluationResult::evalActionName, EvaluationResult::evalDecisionAsString));
            assertEquals(Map.of("ecs:CreateService", "allowed", "ECS:updateservice", "allowed", "ecs:DeleteCluster", "explicitDeny",
                    "elasticloadbalancing:DescribeTargetHealth", "allowed", "elasticloadbalancing:CreateLoadBalancer", "implicitDeny",
                    "logs:CreateLogGroup", "allowed"), decisions);

            // a condition needs its key in the context; a resource pattern needs a resource it matches
            EvaluationResult noContext = iam.simulatePrincipalPolicy(r -> r.policySourceArn(roleArn).actionNames("iam:PassRole")
                    .resourceArns("arn:aws:iam::000000000000:role/app-exec")).evaluationResults().get(0);
            assertEquals("implicitDeny", noContext.evalDecisionAsString());
            assertEquals(List.of("iam:PassedToService"), noContext.missingContextValues());
            ContextEntry toEcs = ContextEntry.builder().contextKeyName("iam:PassedToService").contextKeyValues("ecs-tasks.amazonaws.com")
                    .contextKeyType(ContextKeyTypeEnum.STRING).build();
            assertEquals("allowed", iam.simulatePrincipalPolicy(r -> r.policySourceArn(roleArn).actionNames("iam:PassRole")
                    .resourceArns("arn:aws:iam::000000000000:role/app-exec").contextEntries(toEcs)).evaluationResults().get(0).evalDecisionAsString());
            assertEquals("implicitDeny", iam.simulatePrincipalPolicy(r -> r.policySourceArn(roleArn).actionNames("iam:PassRole")
                    .resourceArns("arn:aws:iam::000000000000:role/admin").contextEntries(toEcs)).evaluationResults().get(0).evalDecisionAsString());

            // pages of MaxItems, followed by the SDK's paginator
            List<String> many = java.util.stream.IntStream.range(0, 7).mapToObj(i -> "ecs:Action" + i).toList();
            var first = iam.simulatePrincipalPolicy(r -> r.policySourceArn(roleArn).actionNames(many).maxItems(3));
            assertTrue(first.isTruncated());
            assertEquals(3, first.evaluationResults().size());
            assertEquals(many, iam.simulatePrincipalPolicyPaginator(r -> r.policySourceArn(roleArn).actionNames(many).maxItems(3))
                    .evaluationResults().stream().map(EvaluationResult::evalActionName).toList());

            // bad input: a clear error, nothing else
            assertThrows(InvalidInputException.class, () -> iam.simulatePrincipalPolicy(r -> r.policySourceArn("arn:aws:iam::000000000000:root")
                    .actionNames("ecs:CreateService")));
            assertThrows(NoSuchEntityException.class, () -> iam.simulatePrincipalPolicy(r -> r.policySourceArn("arn:aws:iam::000000000000:role/Deployer")
                    .actionNames("ecs:CreateService")));
            assertFalse(iam.simulatePrincipalPolicy(r -> r.policySourceArn(roleArn).actionNames("ecs:CreateService")).isTruncated());
        }
    }
}
