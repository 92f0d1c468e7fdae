package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * AWS's faults as the emulator injects them ({@link Faults}), read by the real SDK with its retries
 * off: each in the service's own code and HTTP status. And the profiles as written.
 */
class FaultsTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    private static <B extends AwsClientBuilder<B, C>, C> C noRetries(B builder, LocalAws aws, Region region) {
        builder.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        return Clients.of(builder, aws, region.id());
    }

    private static void refused(AwsServiceException e, String code, int status) {
        assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
        assertEquals(status, e.statusCode());
    }

    @Test
    void aServiceOverItsBucketIsThrottledInItsOwnWordsEachServiceByItsOwnBucket() {
        try (LocalAws aws = LocalAws.start(LocalAws.Options.defaults().dataPlane(false).faults(Faults.parse("throttle=2/0.001")));
             EcsClient ecs = noRetries(EcsClient.builder(), aws, Region.US_EAST_1);
             Ec2Client ec2 = noRetries(Ec2Client.builder(), aws, Region.US_EAST_1);
             IamClient iam = noRetries(IamClient.builder(), aws, Region.AWS_GLOBAL)) {
            ecs.listClusters();
            ecs.listClusters();
            AwsServiceException e = assertThrows(AwsServiceException.class, ecs::listClusters);
            refused(e, "ThrottlingException", 400);
            assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
            ec2.describeVpcs();
            ec2.describeVpcs();
            refused(assertThrows(AwsServiceException.class, ec2::describeVpcs), "RequestLimitExceeded", 503);
            iam.listRoles();
            iam.listRoles();
            refused(assertThrows(AwsServiceException.class, iam::listRoles), "Throttling", 400);
            assertEquals(Map.of("ThrottlingException", 1, "RequestLimitExceeded", 1, "Throttling", 1), aws.faultsMet());
        }
    }

    @Test
    void serverErrorsAre500InternalFailureOr503ServiceUnavailableAndEc2sOwn() {
        try (LocalAws aws = LocalAws.start(LocalAws.Options.defaults().dataPlane(false).faults(Faults.parse("errors=1,seed=7")));
             EcsClient ecs = noRetries(EcsClient.builder(), aws, Region.US_EAST_1);
             Ec2Client ec2 = noRetries(Ec2Client.builder(), aws, Region.US_EAST_1)) {
            Map<String, Integer> statuses = Map.of("InternalFailure", 500, "ServiceUnavailable", 503, "InternalError", 500, "Unavailable", 503);
            for (int i = 0; i < 6; i++) {
                AwsServiceException e = assertThrows(AwsServiceException.class, ecs::listClusters);
                assertTrue(Set.of("InternalFailure", "ServiceUnavailable").contains(e.awsErrorDetails().errorCode()), e.getMessage());
                assertEquals(statuses.get(e.awsErrorDetails().errorCode()), e.statusCode());
                AwsServiceException fromEc2 = assertThrows(AwsServiceException.class, ec2::describeVpcs);
                assertTrue(Set.of("InternalError", "Unavailable").contains(fromEc2.awsErrorDetails().errorCode()), fromEc2.getMessage());
                assertEquals(statuses.get(fromEc2.awsErrorDetails().errorCode()), fromEc2.statusCode());
            }
            assertEquals(12, aws.faultsMet().values().stream().mapToInt(Integer::intValue).sum());
        }
    }

    @Test
    void ecsCannotAssumeARoleIamHasNotPropagatedThenCan() throws Exception {
        try (LocalAws aws = LocalAws.start(LocalAws.Options.defaults().dataPlane(false).faults(Faults.parse("iam=5s")));
             EcsClient ecs = noRetries(EcsClient.builder(), aws, Region.US_EAST_1);
             IamClient iam = noRetries(IamClient.builder(), aws, Region.AWS_GLOBAL)) {
            ecs.createCluster(r -> r.clusterName("games"));
            String subnet;
            try (Ec2Client ec2 = Clients.of(Ec2Client.builder(), aws)) {
                subnet = ec2.describeSubnets().subnets().get(0).subnetId();
            }
            String role = iam.createRole(r -> r.roleName("exec").assumeRolePolicyDocument(TRUST)).role().arn();
            String td = ecs.registerTaskDefinition(r -> r.family("web").executionRoleArn(role).networkMode("awsvpc").cpu("256").memory("512")
                    .requiresCompatibilitiesWithStrings("FARGATE").containerDefinitions(c -> c.name("web").image("nginx"))).taskDefinition()
                    .taskDefinitionArn();
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> ecs.createService(r -> r.cluster("games").serviceName("web")
                    .taskDefinition(td).desiredCount(0).launchType("FARGATE").networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(subnet)))));
            refused(e, "InvalidParameterException", 400);
            assertEquals("ECS was unable to assume the role '" + role + "' that was provided for this task. Please verify that the role being "
                    + "passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.",
                    e.awsErrorDetails().errorMessage());
            AtomicReference<String> made = new AtomicReference<>();
            AtomicReference<String> last = new AtomicReference<>();
            try {
                Waiting.until("IAM to propagate the role", Duration.ofSeconds(20), () -> {
                    try {
                        made.set(ecs.createService(r -> r.cluster("games").serviceName("web").taskDefinition(td).desiredCount(0)
                                .launchType("FARGATE").networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(subnet))))
                                .service().serviceName());
                        return true;
                    } catch (AwsServiceException notYet) {
                        if (!notYet.awsErrorDetails().errorMessage().contains("unable to assume the role")) {
                            throw notYet;
                        }
                        last.set(notYet.getMessage());
                        return false;
                    }
                });
            } catch (IllegalStateException timedOut) {
                throw new AssertionError("still refused: " + last.get(), timedOut);
            }
            assertEquals("web", made.get());
        }
    }

    @Test
    void aNewSecurityGroupIsUnknownToEc2ForAMoment() throws Exception {
        try (LocalAws aws = LocalAws.start(LocalAws.Options.defaults().dataPlane(false).faults(Faults.parse("lag=3s")));
             Ec2Client ec2 = noRetries(Ec2Client.builder(), aws, Region.US_EAST_1)) {
            String vpc = ec2.describeVpcs().vpcs().get(0).vpcId();
            String id = ec2.createSecurityGroup(r -> r.groupName("web").description("web").vpcId(vpc)).groupId();
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(id)
                    .ipPermissions(p -> p.ipProtocol("tcp").fromPort(443).toPort(443).ipRanges(x -> x.cidrIp("0.0.0.0/0")))));
            refused(e, "InvalidGroup.NotFound", 400);
            assertEquals("The security group '" + id + "' does not exist", e.awsErrorDetails().errorMessage());
            Waiting.until("EC2 to know the group", Duration.ofSeconds(20), () -> {
                try {
                    return ec2.describeSecurityGroups(r -> r.groupIds(id)).securityGroups().size() == 1;
                } catch (AwsServiceException notYet) {
                    return false;
                }
            });
        }
    }

    @Test
    void profilesAreWrittenAsTheyReadAndBadOnesSayWhy() {
        assertEquals(Faults.NONE, Faults.parse("none"));
        assertEquals(Faults.realistic(42), Faults.parse("realistic:42"));
        Faults changed = Faults.parse("realistic:42,iam=30s");
        assertEquals(Duration.ofSeconds(30), changed.iamPropagation());
        assertEquals(Faults.realistic(42).throttleBurst(), changed.throttleBurst());
        assertEquals(new Faults(7, Duration.ofMillis(500), 10, 4, 0.5, Duration.ofSeconds(1)),
                Faults.parse("seed=7,iam=500ms,throttle=10/4,errors=0.5,lag=1s"));
        assertEquals("faults: no fault 'slow' (iam, throttle, errors, lag, seed)",
                assertThrows(IllegalArgumentException.class, () -> Faults.parse("slow=1s")).getMessage());
        assertEquals("faults: errors is a share between 0 and 1, not 2",
                assertThrows(IllegalArgumentException.class, () -> Faults.parse("errors=2")).getMessage());
        assertEquals("faults: throttle is BURST/RATE (e.g. 10/4), not 10",
                assertThrows(IllegalArgumentException.class, () -> Faults.parse("throttle=10")).getMessage());
    }
}
