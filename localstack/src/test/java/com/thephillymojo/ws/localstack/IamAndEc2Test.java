package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/** IAM (awsQuery) and EC2 (ec2Query) through the real AWS SDK v2. */
class IamAndEc2Test extends EmulatorTestBase {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    @Test
    void rolesWithManagedAndInlinePolicies() {
        try (IamClient iam = Clients.of(IamClient.builder().region(software.amazon.awssdk.regions.Region.AWS_GLOBAL), aws)) {
            Role role = iam.createRole(r -> r.roleName("ecsTaskExecutionRole").assumeRolePolicyDocument(TRUST)).role();
            assertEquals("arn:aws:iam::000000000000:role/ecsTaskExecutionRole", role.arn());
            assertThrows(EntityAlreadyExistsException.class, () -> iam.createRole(r -> r.roleName("ecsTaskExecutionRole").assumeRolePolicyDocument(TRUST)));
            Role got = iam.getRole(r -> r.roleName("ecsTaskExecutionRole")).role();
            assertEquals(TRUST, URLDecoder.decode(got.assumeRolePolicyDocument(), StandardCharsets.UTF_8));
            NoSuchEntityException missing = assertThrows(NoSuchEntityException.class, () -> iam.getRole(r -> r.roleName("nobody")));
            assertEquals(404, missing.statusCode());
            String policy = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
            iam.attachRolePolicy(r -> r.roleName("ecsTaskExecutionRole").policyArn(policy));
            assertEquals(policy, iam.listAttachedRolePolicies(r -> r.roleName("ecsTaskExecutionRole")).attachedPolicies().get(0).policyArn());
            String inline = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
            iam.putRolePolicy(r -> r.roleName("ecsTaskExecutionRole").policyName("secrets").policyDocument(inline));
            assertEquals(inline, URLDecoder.decode(iam.getRolePolicy(r -> r.roleName("ecsTaskExecutionRole").policyName("secrets")).policyDocument(),
                    StandardCharsets.UTF_8));
            assertThrows(software.amazon.awssdk.services.iam.model.DeleteConflictException.class,
                    () -> iam.deleteRole(r -> r.roleName("ecsTaskExecutionRole")));
            iam.detachRolePolicy(r -> r.roleName("ecsTaskExecutionRole").policyArn(policy));
            iam.deleteRolePolicy(r -> r.roleName("ecsTaskExecutionRole").policyName("secrets"));
            iam.deleteRole(r -> r.roleName("ecsTaskExecutionRole"));
            assertThrows(NoSuchEntityException.class, () -> iam.getRole(r -> r.roleName("ecsTaskExecutionRole")));
            assertThrows(software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException.class,
                    () -> iam.createRole(r -> r.roleName("bad").assumeRolePolicyDocument("not json")));
        }
    }

    @Test
    void aNewAccountHasADefaultVpcWithSubnetsInSeveralZones() {
        try (Ec2Client ec2 = Clients.of(Ec2Client.builder(), aws)) {
            String vpcId = ec2.describeVpcs(r -> r.filters(Filter.builder().name("isDefault").values("true").build())).vpcs().get(0).vpcId();
            List<Subnet> subnets = ec2.describeSubnets(r -> r.filters(Filter.builder().name("default-for-az").values("true").build(),
                    Filter.builder().name("vpc-id").values(vpcId).build())).subnets();
            assertTrue(subnets.size() >= 2);
            assertTrue(subnets.stream().map(Subnet::availabilityZone).distinct().count() >= 2);
            assertTrue(ec2.describeAvailabilityZones().availabilityZones().size() >= 2);
            Ec2Exception notFound = assertThrows(Ec2Exception.class, () -> ec2.describeVpcs(r -> r.vpcIds("vpc-nope")));
            assertEquals("InvalidVpcID.NotFound", notFound.awsErrorDetails().errorCode());
        }
    }

    @Test
    void securityGroupsAndTheirRules() {
        try (Ec2Client ec2 = Clients.of(Ec2Client.builder(), aws)) {
            String alb = ec2.createSecurityGroup(r -> r.groupName("alb").description("the load balancer")).groupId();
            String tasks = ec2.createSecurityGroup(r -> r.groupName("tasks").description("the tasks")).groupId();
            Ec2Exception dup = assertThrows(Ec2Exception.class, () -> ec2.createSecurityGroup(r -> r.groupName("alb").description("again")));
            assertEquals("InvalidGroup.Duplicate", dup.awsErrorDetails().errorCode());
            ec2.authorizeSecurityGroupIngress(r -> r.groupId(alb).ipPermissions(
                    IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443).ipRanges(i -> i.cidrIp("0.0.0.0/0")).build(),
                    IpPermission.builder().ipProtocol("tcp").fromPort(80).toPort(80).ipRanges(i -> i.cidrIp("0.0.0.0/0")).build()));
            ec2.authorizeSecurityGroupIngress(r -> r.groupId(tasks).ipPermissions(IpPermission.builder().ipProtocol("tcp").fromPort(8080)
                    .toPort(8080).userIdGroupPairs(UserIdGroupPair.builder().groupId(alb).build()).build()));
            Ec2Exception again = assertThrows(Ec2Exception.class, () -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(alb).ipPermissions(
                    IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443).ipRanges(i -> i.cidrIp("0.0.0.0/0")).build())));
            assertEquals("InvalidPermission.Duplicate", again.awsErrorDetails().errorCode());
            SecurityGroup described = ec2.describeSecurityGroups(r -> r.groupIds(tasks)).securityGroups().get(0);
            assertEquals(alb, described.ipPermissions().get(0).userIdGroupPairs().get(0).groupId());
            assertEquals(8080, described.ipPermissions().get(0).fromPort());
            assertEquals(2, ec2.describeSecurityGroups(r -> r.groupIds(alb)).securityGroups().get(0).ipPermissions().size());
            ec2.createTags(r -> r.resources(alb).tags(t -> t.key("Name").value("alb")));
            assertEquals("alb", ec2.describeSecurityGroups(r -> r.filters(Filter.builder().name("group-name").values("alb").build()))
                    .securityGroups().get(0).tags().get(0).value());
            Ec2Exception inUse = assertThrows(Ec2Exception.class, () -> ec2.deleteSecurityGroup(r -> r.groupId(alb)));
            assertEquals("DependencyViolation", inUse.awsErrorDetails().errorCode());
            ec2.revokeSecurityGroupIngress(r -> r.groupId(tasks).ipPermissions(IpPermission.builder().ipProtocol("tcp").fromPort(8080)
                    .toPort(8080).userIdGroupPairs(UserIdGroupPair.builder().groupId(alb).build()).build()));
            ec2.deleteSecurityGroup(r -> r.groupId(tasks));
            ec2.deleteSecurityGroup(r -> r.groupId(alb));
            Ec2Exception gone = assertThrows(Ec2Exception.class, () -> ec2.describeSecurityGroups(r -> r.groupIds(alb)));
            assertEquals("InvalidGroup.NotFound", gone.awsErrorDetails().errorCode());
        }
    }
}
