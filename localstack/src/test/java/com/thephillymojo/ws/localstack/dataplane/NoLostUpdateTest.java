package com.thephillymojo.ws.localstack.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.localstack.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * An API call that was answered is never undone by the data plane. Each test lands a real SDK call
 * exactly in the window between the plane reading a resource and writing its change (through the
 * plane's {@link WriteHook}, on the plane's own thread, so the interleaving is forced, not hoped
 * for), then checks that the call's effect stands. A plane that wrote back the copy it read would
 * fail each of them every time.
 */
class NoLostUpdateTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** A hook that runs {@code action} once, the first time the plane is about to write a matching change. */
    private static final class Window implements WriteHook {
        final CountDownLatch landed = new CountDownLatch(1);
        private final String resourcePart;
        private final String changePart;
        private final AtomicReference<Consumer<String>> action = new AtomicReference<>();

        Window(String resourcePart, String changePart) {
            this.resourcePart = resourcePart;
            this.changePart = changePart;
        }

        void arm(Consumer<String> apiCall) {
            action.set(apiCall);
        }

        @Override
        public void beforeWrite(String resource, String change) {
            if (resource.contains(resourcePart) && change.contains(changePart)) {
                Consumer<String> call = action.getAndSet(null);
                if (call != null) {
                    call.accept(resource);
                    landed.countDown();
                }
            }
        }
    }

    /** An emulator with the window as its write hook, an ECS client, the cluster "race" and a task definition. */
    private record Race(LocalAws aws, EcsClient ecs) implements AutoCloseable {
        static Race start(Window window, String family) {
            LocalAws aws = LocalAws.start(LocalAws.Options.defaults().writeHook(window));
            EcsClient ecs = AwsTarget.embeddedShared(aws, Region.US_EAST_1).client(EcsClient.builder());
            ecs.createCluster(r -> r.clusterName("race"));
            // the image is never pulled in these tests' windows; when it is, it is not there and the task fails to start
            ecs.registerTaskDefinition(r -> r.family(family).networkMode(NetworkMode.AWSVPC).requiresCompatibilities(Compatibility.FARGATE)
                    .cpu("256").memory("512").containerDefinitions(ContainerDefinition.builder().name("app")
                            .image("127.0.0.1:1/absent:1").essential(true).build()));
            return new Race(aws, ecs);
        }

        @Override
        public void close() {
            ecs.close();
            aws.close();
        }
    }

    @Test
    void aStopTaskBetweenThePlanesReadAndWriteStands() throws Exception {
        Window window = new Window(":task/race/", "lastStatus=PENDING");
        try (Race race = Race.start(window, "job")) {
            EcsClient ecs = race.ecs();
            window.arm(taskArn -> ecs.stopTask(r -> r.cluster("race").task(taskArn).reason("stopped by the operator")));
            String arn = ecs.runTask(r -> r.cluster("race").taskDefinition("job").launchType(LaunchType.FARGATE)).tasks().get(0).taskArn();

            assertTrue(window.landed.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the plane never tried to start the task");
            Waiting.until("the task to stop", DEADLINE, () -> describe(ecs, arn).lastStatus().equals("STOPPED"));
            Task stopped = describe(ecs, arn);
            assertEquals("STOPPED", stopped.desiredStatus());
            assertEquals("stopped by the operator", stopped.stoppedReason());
            assertEquals(TaskStopCode.USER_INITIATED, stopped.stopCode());
            assertEquals(null, stopped.pullStartedAt(), "a task stopped before it started is never pulled");
        }
    }

    private static Task describe(EcsClient ecs, String arn) {
        return ecs.describeTasks(r -> r.cluster("race").tasks(arn)).tasks().get(0);
    }

    @Test
    void aServiceDeletedWhileTheSchedulerWorksOnItIsNotWrittenBackActive() throws Exception {
        Window window = new Window(":service/race/", "status=ACTIVE");
        try (Race race = Race.start(window, "web")) {
            EcsClient ecs = race.ecs();
            window.arm(serviceArn -> ecs.deleteService(r -> r.cluster("race").service(serviceArn).force(true)));
            ecs.createService(r -> r.cluster("race").serviceName("web").taskDefinition("web").desiredCount(1)
                    .launchType(LaunchType.FARGATE).networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1"))));

            assertTrue(window.landed.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the scheduler never wrote the service");
            Waiting.until("the deleted service to become INACTIVE", DEADLINE, () -> service(ecs).status().equals("INACTIVE"));
            assertEquals(0, service(ecs).desiredCount());
            assertTrue(ecs.listTasks(r -> r.cluster("race")).taskArns().isEmpty(), "no task of a deleted service is wanted running");
        }
    }

    private static Service service(EcsClient ecs) {
        return ecs.describeServices(r -> r.cluster("race").services("web")).services().get(0);
    }

    @Test
    void aTargetDeregisteredWhileAProbeIsInFlightDrainsAndLeaves() throws Exception {
        Window window = new Window("|127.0.0.1:", "health=healthy");
        try (EchoBackend backend = new EchoBackend("only");
             LocalAws aws = FrontDoor.startScaledEmulator(LocalAws.Options.defaults().writeHook(window));
             AwsTarget target = AwsTarget.embeddedShared(aws, Region.US_EAST_1);
             ElasticLoadBalancingV2Client elb = target.client(ElasticLoadBalancingV2Client.builder());
             Ec2Client ec2 = target.client(Ec2Client.builder())) {
            List<String> subnets = ec2.describeSubnets(r -> r.filters(Filter.builder().name("default-for-az").values("true").build()))
                    .subnets().stream().map(s -> s.subnetId()).limit(2).toList();
            LoadBalancer lb = elb.createLoadBalancer(r -> r.name("race-alb").subnets(subnets)).loadBalancers().get(0);
            TargetGroup tg = elb.createTargetGroup(r -> r.name("race-tg").protocol(ProtocolEnum.HTTP).port(8080)
                    .targetType(TargetTypeEnum.IP).vpcId(lb.vpcId()).healthCheckPath("/health").healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2)
                    .healthyThresholdCount(2).unhealthyThresholdCount(2)).targetGroups().get(0);
            elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())
                    .attributes(TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds").value("1").build()));
            elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(80)
                    .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg.targetGroupArn())));
            TargetDescription me = TargetDescription.builder().id("127.0.0.1").port(backend.port()).build();
            window.arm(resource -> elb.deregisterTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(me)));
            elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(me));

            assertTrue(window.landed.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "no probe ever found the target healthy");
            Waiting.until("the deregistered target to leave its group", DEADLINE,
                    () -> elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions().isEmpty());
        }
    }
}
