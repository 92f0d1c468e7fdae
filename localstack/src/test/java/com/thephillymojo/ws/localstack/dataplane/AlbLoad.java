package com.thephillymojo.ws.localstack.dataplane;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * The emulated ALB under load, next to the same load straight at its target: N clients each sending
 * GETs one after the other for S seconds, to the target directly, through an HTTP listener, and
 * through the HTTPS listener (TLS terminated with the ACM certificate). Loopback only; bounded.
 *
 * <pre>localstack/bin/albload [clients] [seconds]</pre>
 */
public final class AlbLoad {
    private AlbLoad() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (LocalAws aws = FrontDoor.startScaledEmulator(); EchoBackend backend = new EchoBackend("target")) {
            AwsTarget target = AwsTarget.embeddedShared(aws, Region.US_EAST_1);
            FrontDoor door = FrontDoor.build(target, "example.test", "load.example.test", "load");
            ElasticLoadBalancingV2Client elb = target.client(ElasticLoadBalancingV2Client.builder());
            elb.createListener(r -> r.loadBalancerArn(door.loadBalancer().loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(8080)
                    .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(door.targetGroup().targetGroupArn())));
            elb.registerTargets(r -> r.targetGroupArn(door.targetGroup().targetGroupArn())
                    .targets(TargetDescription.builder().id("127.0.0.1").port(backend.port()).build()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (elb.describeTargetHealth(r -> r.targetGroupArn(door.targetGroup().targetGroupArn())).targetHealthDescriptions().stream()
                    .noneMatch(t -> t.targetHealth().state() == TargetHealthStateEnum.HEALTHY) || aws.listenerMappings().size() < 3) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the target never became healthy");
                }
                Thread.sleep(50);
            }
            HttpClient http = FrontDoor.client(aws);
            http.setMaxConnectionsPerDestination(clients * 2);
            System.out.printf("%d clients, %d s each, GET / (a %d-byte answer)%n", clients, seconds,
                    http.GET("http://127.0.0.1:" + backend.port() + "/").getContent().length);
            run(http, "straight at the target", "http://127.0.0.1:" + backend.port() + "/", clients, seconds);
            run(http, "through the ALB, HTTP listener", "http://load.example.test:8080/", clients, seconds);
            run(http, "through the ALB, HTTPS listener", "https://load.example.test/", clients, seconds);
            http.stop();
        }
    }

    private static void run(HttpClient http, String what, String url, int clients, int seconds) throws Exception {
        for (int i = 0; i < 200; i++) {
            http.GET(url); // warm-up
        }
        long[] latencies = new long[5_000_000];
        AtomicInteger count = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(clients);
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            new Thread(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        if (http.GET(url).getStatus() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    int i = count.getAndIncrement();
                    if (i < latencies.length) {
                        latencies[i] = System.nanoTime() - t0;
                    }
                }
                done.countDown();
            }).start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        int n = Math.min(count.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf("%-34s %8.0f requests/s   p50 %6.2f ms   p99 %6.2f ms   errors %d%n", what, n / elapsed,
                sorted[n / 2] / 1e6, sorted[(int) (n * 0.99)] / 1e6, errors.get());
    }
}
