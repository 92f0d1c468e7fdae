package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.*;

/** ECS's API through the real AWS SDK v2. */
class EcsTest extends EmulatorTestBase {
    private EcsClient ecs() {
        return Clients.of(EcsClient.builder(), aws);
    }

    private static TaskDefinition register(EcsClient ecs, String family, String image) {
        return ecs.registerTaskDefinition(r -> r.family(family).networkMode(NetworkMode.AWSVPC).requiresCompatibilities(Compatibility.FARGATE)
                .cpu("256").memory("512").containerDefinitions(ContainerDefinition.builder().name("ws").image(image).essential(true)
                        .portMappings(PortMapping.builder().containerPort(8080).protocol(TransportProtocol.TCP).build())
                        .environment(KeyValuePair.builder().name("PORT").value("8080").build())
                        .secrets(Secret.builder().name("NEXTAUTH_SECRET").valueFrom("arn:aws:secretsmanager:us-east-1:000000000000:secret:s-abc").build())
                        .build())).taskDefinition();
    }

    @Test
    void clustersAreCreatedOnceByNameDescribedListedAndDeleted() {
        try (EcsClient ecs = ecs()) {
            Cluster one = ecs.createCluster(r -> r.clusterName("c1")).cluster();
            assertEquals("arn:aws:ecs:us-east-1:000000000000:cluster/c1", one.clusterArn());
            assertEquals("ACTIVE", one.status());
            assertEquals(one.clusterArn(), ecs.createCluster(r -> r.clusterName("c1")).cluster().clusterArn());
            DescribeClustersResponse described = ecs.describeClusters(r -> r.clusters("c1", "nope"));
            assertEquals(1, described.clusters().size());
            assertEquals("MISSING", described.failures().get(0).reason());
            assertTrue(ecs.listClusters().clusterArns().contains(one.clusterArn()));
            assertEquals("INACTIVE", ecs.deleteCluster(r -> r.cluster("c1")).cluster().status());
            assertThrows(ClusterNotFoundException.class, () -> ecs.listServices(r -> r.cluster("c1")));
        }
    }

    @Test
    void taskDefinitionsGetRevisions() {
        try (EcsClient ecs = ecs()) {
            TaskDefinition one = register(ecs, "app", "img:1");
            TaskDefinition two = register(ecs, "app", "img:2");
            assertEquals(1, one.revision());
            assertEquals(2, two.revision());
            assertEquals("arn:aws:ecs:us-east-1:000000000000:task-definition/app:2", two.taskDefinitionArn());
            assertEquals("img:2", ecs.describeTaskDefinition(r -> r.taskDefinition("app")).taskDefinition().containerDefinitions().get(0).image());
            assertEquals("img:1", ecs.describeTaskDefinition(r -> r.taskDefinition("app:1")).taskDefinition().containerDefinitions().get(0).image());
            assertEquals("NEXTAUTH_SECRET", ecs.describeTaskDefinition(r -> r.taskDefinition(one.taskDefinitionArn())).taskDefinition()
                    .containerDefinitions().get(0).secrets().get(0).name());
            assertEquals(2, ecs.listTaskDefinitions(r -> r.familyPrefix("app")).taskDefinitionArns().size());
            assertEquals(TaskDefinitionStatus.INACTIVE, ecs.deregisterTaskDefinition(r -> r.taskDefinition("app:1")).taskDefinition().status());
            assertEquals(1, ecs.listTaskDefinitions(r -> r.familyPrefix("app")).taskDefinitionArns().size());
            assertThrows(ClientException.class, () -> ecs.describeTaskDefinition(r -> r.taskDefinition("nope")));
            assertThrows(ClientException.class, () -> ecs.registerTaskDefinition(r -> r.family("empty")));
        }
    }

    @Test
    void fargateTakesOnlyItsTaskSizes() {
        try (EcsClient ecs = ecs()) {
            for (String[] size : new String[][] {{"256", "512"}, {"512", "4096"}, {"1024", "8192"}, {"16384", "122880"}, {"1 vCPU", "2 GB"}}) {
                assertEquals(size[0], ecs.registerTaskDefinition(fargate("sized", size[0], size[1])).taskDefinition().cpu());
            }
            for (String[] size : new String[][] {{"256", "4096"}, {"300", "1024"}, {"512", "1536"}, {"8192", "20000"}}) {
                ClientException refused = assertThrows(ClientException.class, () -> ecs.registerTaskDefinition(fargate("unsized", size[0], size[1])));
                assertEquals("No Fargate configuration exists for given values: " + size[0] + " CPU, " + size[1]
                        + " memory. See the Amazon ECS documentation for the valid values.", refused.awsErrorDetails().errorMessage());
            }
            assertTrue(ecs.listTaskDefinitions(r -> r.familyPrefix("unsized")).taskDefinitionArns().isEmpty());
        }
    }

    private static RegisterTaskDefinitionRequest fargate(String family, String cpu, String memory) {
        return RegisterTaskDefinitionRequest.builder().family(family).networkMode(NetworkMode.AWSVPC).requiresCompatibilities(Compatibility.FARGATE)
                .cpu(cpu).memory(memory).containerDefinitions(c -> c.name("ws").image("img:1")).build();
    }

    @Test
    void servicesAreCreatedIdempotentlyUpdatedDescribedAndDeleted() {
        try (EcsClient ecs = ecs()) {
            ecs.createCluster(r -> r.clusterName("svc"));
            TaskDefinition def = register(ecs, "svc-app", "img:1");
            CreateServiceRequest create = CreateServiceRequest.builder().cluster("svc").serviceName("ws").taskDefinition("svc-app")
                    .desiredCount(1).launchType(LaunchType.FARGATE).clientToken("token-1")
                    .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1").securityGroups("sg-1").assignPublicIp(AssignPublicIp.ENABLED)))
                    .deploymentConfiguration(d -> d.maximumPercent(200).minimumHealthyPercent(100)
                            .deploymentCircuitBreaker(b -> b.enable(true).rollback(true))).build();
            Service service = ecs.createService(create).service();
            assertEquals("arn:aws:ecs:us-east-1:000000000000:service/svc/ws", service.serviceArn());
            assertEquals(def.taskDefinitionArn(), service.deployments().get(0).taskDefinition());
            assertEquals("PRIMARY", service.deployments().get(0).status());
            assertEquals(service.serviceArn(), ecs.createService(create).service().serviceArn(), "same clientToken: the same service");
            assertThrows(InvalidParameterException.class, () -> ecs.createService(create.toBuilder().clientToken("other").build()));

            register(ecs, "svc-app", "img:2");
            Service updated = ecs.updateService(r -> r.cluster("svc").service("ws").taskDefinition("svc-app:2").desiredCount(2)).service();
            assertEquals(2, updated.desiredCount());
            assertEquals(2, updated.deployments().size());
            assertEquals("PRIMARY", updated.deployments().get(0).status());
            assertTrue(updated.deployments().get(0).taskDefinition().endsWith(":2"));

            DescribeServicesResponse described = ecs.describeServices(r -> r.cluster("svc").services("ws", "ghost"));
            assertEquals(1, described.services().size());
            assertEquals("MISSING", described.failures().get(0).reason());
            assertEquals(List.of(service.serviceArn()), ecs.listServices(r -> r.cluster("svc")).serviceArns());

            assertThrows(InvalidParameterException.class, () -> ecs.deleteService(r -> r.cluster("svc").service("ws")));
            assertEquals("DRAINING", ecs.deleteService(r -> r.cluster("svc").service("ws").force(true)).service().status());
            assertThrows(ServiceNotActiveException.class, () -> ecs.updateService(r -> r.cluster("svc").service("ws").desiredCount(1)));
            assertThrows(ServiceNotFoundException.class, () -> ecs.updateService(r -> r.cluster("svc").service("never").desiredCount(1)));
        }
    }

    @Test
    void tasksRunAreDescribedListedAndStopped() {
        try (EcsClient ecs = ecs()) {
            ecs.createCluster(r -> r.clusterName("tasks"));
            register(ecs, "job", "img:1");
            List<Task> started = ecs.runTask(r -> r.cluster("tasks").taskDefinition("job").count(2).launchType(LaunchType.FARGATE)).tasks();
            assertEquals(2, started.size());
            assertEquals("RUNNING", started.get(0).desiredStatus());
            assertEquals("PROVISIONING", started.get(0).lastStatus());
            assertEquals(2, ecs.listTasks(r -> r.cluster("tasks")).taskArns().size());
            Task stopped = ecs.stopTask(r -> r.cluster("tasks").task(started.get(0).taskArn()).reason("test")).task();
            assertEquals("STOPPED", stopped.desiredStatus());
            assertEquals("test", stopped.stoppedReason());
            DescribeTasksResponse described = ecs.describeTasks(r -> r.cluster("tasks").tasks(started.get(1).taskArn(), "nope"));
            assertEquals(1, described.tasks().size());
            assertEquals("MISSING", described.failures().get(0).reason());
            assertEquals(1, ecs.listTasks(r -> r.cluster("tasks")).taskArns().size());
            assertThrows(InvalidParameterException.class, () -> ecs.runTask(r -> r.cluster("tasks").taskDefinition("job").count(11)));
            ecs.tagResource(r -> r.resourceArn(started.get(0).clusterArn()).tags(Tag.builder().key("team").value("ws").build()));
            assertEquals("ws", ecs.listTagsForResource(r -> r.resourceArn(started.get(0).clusterArn())).tags().get(0).value());
        }
    }
}
