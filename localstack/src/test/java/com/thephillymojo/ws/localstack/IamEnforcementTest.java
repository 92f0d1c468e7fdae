package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * IAM enforced on calls ({@code Options.enforceIam}): a role's session may do what its policies
 * allow and no more, and each service refuses the rest in its own words — the codes, statuses and
 * messages AWS answers, read by the real SDK. The root keys may do everything.
 */
class IamEnforcementTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:root\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String POLICY = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["ecs:CreateCluster","ecs:RegisterTaskDefinition","ecr:CreateRepository",
                                          "ecr:GetAuthorizationToken","elasticache:Describe*"],"Resource":"*"},
              {"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*",
               "Condition":{"StringEquals":{"iam:AWSServiceName":"ecs.amazonaws.com"}}},
              {"Effect":"Allow","Action":["iam:CreateRole","iam:GetRole"],"Resource":"arn:aws:iam::*:role/app-*"},
              {"Effect":"Deny","Action":"iam:GetRole","Resource":"arn:aws:iam::*:role/app-secret"},
              {"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/app-*",
               "Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]}""";
    private static final String SESSION = "arn:aws:sts::000000000000:assumed-role/deployer/test-session";

    static LocalAws aws;
    static Credentials session;

    @BeforeAll
    static void start() {
        aws = LocalAws.start(LocalAws.Options.defaults().dataPlane(false).enforceIam(true));
        try (IamClient iam = Clients.of(IamClient.builder().region(Region.AWS_GLOBAL), aws); StsClient sts = Clients.of(StsClient.builder(), aws)) {
            String role = iam.createRole(r -> r.roleName("deployer").assumeRolePolicyDocument(TRUST)).role().arn();
            iam.putRolePolicy(r -> r.roleName("deployer").policyName("deploy").policyDocument(POLICY));
            iam.createRole(r -> r.roleName("other").assumeRolePolicyDocument(TRUST));
            session = sts.assumeRole(r -> r.roleArn(role).roleSessionName("test-session")).credentials();
        }
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    private static <B extends AwsClientBuilder<B, C>, C> C as(B builder, Region region) {
        return builder.endpointOverride(aws.endpoint()).region(region).credentialsProvider(StaticCredentialsProvider.create(
                AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken()))).build();
    }

    private static void refused(AwsServiceException e, String code, int status, String message) {
        assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
        assertEquals(status, e.statusCode());
        assertEquals(message, e.awsErrorDetails().errorMessage());
    }

    @Test
    void anAwsJsonServiceRefusesWithAccessDeniedExceptionAndLetsThroughWhatThePolicyAllows() {
        try (EcsClient ecs = as(EcsClient.builder(), Region.US_EAST_1)) {
            assertEquals("ACTIVE", ecs.createCluster(r -> r.clusterName("games")).cluster().status(), "allowed, its linked role too");
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> ecs.describeClusters(r -> r.clusters("games")));
            refused(e, "AccessDeniedException", 400, "User: " + SESSION + " is not authorized to perform: ecs:DescribeClusters on resource: * "
                    + "because no identity-based policy allows the ecs:DescribeClusters action");
        }
    }

    @Test
    void theQueryServicesRefuseWithAccessDeniedAnd403OnTheResourceAwsNames() {
        try (IamClient iam = as(IamClient.builder(), Region.AWS_GLOBAL); ElastiCacheClient cache = as(ElastiCacheClient.builder(), Region.US_EAST_1)) {
            assertEquals("app-web", iam.createRole(r -> r.roleName("app-web").assumeRolePolicyDocument(TRUST)).role().roleName());
            refused(assertThrows(AwsServiceException.class, () -> iam.createRole(r -> r.roleName("admin").assumeRolePolicyDocument(TRUST))),
                    "AccessDenied", 403, "User: " + SESSION + " is not authorized to perform: iam:CreateRole on resource: "
                            + "arn:aws:iam::000000000000:role/admin because no identity-based policy allows the iam:CreateRole action");
            assertEquals(0, cache.describeReplicationGroups().replicationGroups().size());
            refused(assertThrows(AwsServiceException.class, () -> cache.deleteReplicationGroup(r -> r.replicationGroupId("games"))),
                    "AccessDenied", 403, "User: " + SESSION + " is not authorized to perform: elasticache:DeleteReplicationGroup on resource: "
                            + "arn:aws:elasticache:us-east-1:000000000000:replicationgroup:games because no identity-based policy allows the "
                            + "elasticache:DeleteReplicationGroup action");
        }
    }

    @Test
    void anExplicitDenyWinsAndSaysSo() {
        try (IamClient iam = as(IamClient.builder(), Region.AWS_GLOBAL); IamClient root = Clients.of(IamClient.builder().region(Region.AWS_GLOBAL), aws)) {
            root.createRole(r -> r.roleName("app-secret").assumeRolePolicyDocument(TRUST));
            refused(assertThrows(AwsServiceException.class, () -> iam.getRole(r -> r.roleName("app-secret"))), "AccessDenied", 403,
                    "User: " + SESSION + " is not authorized to perform: iam:GetRole on resource: arn:aws:iam::000000000000:role/app-secret "
                            + "with an explicit deny in an identity-based policy");
        }
    }

    @Test
    void ec2RefusesWithUnauthorizedOperationAndRoute53WithAccessDenied() {
        try (Ec2Client ec2 = as(Ec2Client.builder(), Region.US_EAST_1); Route53Client route53 = as(Route53Client.builder(), Region.AWS_GLOBAL)) {
            refused(assertThrows(AwsServiceException.class, ec2::describeVpcs), "UnauthorizedOperation", 403,
                    "You are not authorized to perform this operation. User: " + SESSION + " is not authorized to perform: ec2:DescribeVpcs "
                            + "on resource: * because no identity-based policy allows the ec2:DescribeVpcs action");
            refused(assertThrows(AwsServiceException.class, route53::listHostedZones), "AccessDenied", 403,
                    "User: " + SESSION + " is not authorized to perform: route53:ListHostedZones on resource: * because no identity-based "
                            + "policy allows the route53:ListHostedZones action");
        }
    }

    @Test
    void passingARoleToEcsNeedsPassRoleOnThatRoleForEcsTasks() {
        try (EcsClient ecs = as(EcsClient.builder(), Region.US_EAST_1); IamClient root = Clients.of(IamClient.builder().region(Region.AWS_GLOBAL), aws)) {
            root.createRole(r -> r.roleName("app-exec").assumeRolePolicyDocument(TRUST));
            assertEquals(1, ecs.registerTaskDefinition(r -> r.family("web").executionRoleArn("arn:aws:iam::000000000000:role/app-exec")
                    .containerDefinitions(c -> c.name("web").image("nginx"))).taskDefinition().revision());
            refused(assertThrows(AwsServiceException.class, () -> ecs.registerTaskDefinition(r -> r.family("web")
                    .executionRoleArn("arn:aws:iam::000000000000:role/other").containerDefinitions(c -> c.name("web").image("nginx")))),
                    "AccessDeniedException", 400, "User: " + SESSION + " is not authorized to perform: iam:PassRole on resource: "
                            + "arn:aws:iam::000000000000:role/other because no identity-based policy allows the iam:PassRole action");
        }
    }

    @Test
    void theRootKeysMayDoEverything() {
        try (Ec2Client ec2 = Clients.of(Ec2Client.builder(), aws)) {
            assertTrue(ec2.describeVpcs().vpcs().size() >= 1);
        }
    }

    @Test
    void theRegistryRefusesAPushThePolicyDoesNotAllowWithEcrsDenied() throws Exception {
        try (EcrClient ecr = as(EcrClient.builder(), Region.US_EAST_1)) {
            ecr.createRepository(r -> r.repositoryName("web"));
            String token = ecr.getAuthorizationToken().authorizationData().get(0).authorizationToken();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://" + aws.registryHost() + "/v2/web/blobs/uploads/")).header("Authorization", "Basic " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, answer.statusCode());
            assertEquals("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"User: " + SESSION + " is not authorized to perform: "
                    + "ecr:InitiateLayerUpload on resource: arn:aws:ecr:us-east-1:000000000000:repository/web because no identity-based "
                    + "policy allows the ecr:InitiateLayerUpload action\"}]}", answer.body());
            assertTrue(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).startsWith("AWS:"));
        }
    }
}
