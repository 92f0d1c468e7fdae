package com.thephillymojo.ws.localstack.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.localstack.Waiting;
import java.net.URI;
import java.util.HashSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.*;

/**
 * The load balancer really serving: TLS with the ACM certificate through a Route53 alias, the
 * HTTP redirect, round robin over healthy targets, health checks, 502/503, WebSockets, idle timeout.
 */
class LoadBalancerPlaneTest {
    private static LocalAws aws;
    private static AwsTarget target;
    private static HttpClient http;
    private static ElasticLoadBalancingV2Client elb;

    @BeforeAll
    static void start() throws Exception {
        aws = FrontDoor.startScaledEmulator();
        target = AwsTarget.embeddedShared(aws, Region.US_EAST_1);
        elb = target.client(ElasticLoadBalancingV2Client.builder());
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) {
            http.stop();
        }
        elb.close();
        aws.close();
    }

    /** A WebSocket client endpoint that records the first text and the close (Jetty needs it public). */
    public static final class Listener implements Session.Listener.AutoDemanding {
        final CompletableFuture<String> text = new CompletableFuture<>();
        final java.util.concurrent.BlockingQueue<String> texts = new java.util.concurrent.LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile long closedAt;

        @Override
        public void onWebSocketText(String message) {
            text.complete(message);
            texts.add(message);
        }

        @Override
        public void onWebSocketClose(int status, String reason, org.eclipse.jetty.websocket.api.Callback callback) {
            closedAt = System.nanoTime();
            closed.complete(status);
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            closedAt = System.nanoTime();
            closed.complete(-1);
        }
    }


    @Test
    void theLoadBalancerServesTheServiceThroughItsName() throws Exception {
        try (EchoBackend one = new EchoBackend("one"); EchoBackend two = new EchoBackend("two");
             AcmClient acm = target.client(AcmClient.builder())) {
            FrontDoor door = FrontDoor.build(target, "example.test", "echo.example.test", "plane");
            String cert = door.certificateArn();
            LoadBalancer lb = door.loadBalancer();
            TargetGroup tg = door.targetGroup();
            elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())
                    .attributes(TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds").value("30").build()));
            elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(8081)
                    .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("404")
                            .contentType("text/plain").messageBody("nothing here"))));
            Waiting.until("the three listeners to listen", Duration.ofSeconds(30), () -> aws.listenerMappings().size() == 3);
            http = FrontDoor.client(aws);

            // no target yet: 503
            assertEquals(503, http.GET("https://echo.example.test/").getStatus());

            elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(
                    TargetDescription.builder().id("127.0.0.1").port(one.port()).build(),
                    TargetDescription.builder().id("127.0.0.1").port(two.port()).build()));
            Waiting.until("both targets healthy", Duration.ofSeconds(30), () -> elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions()
                    .stream().allMatch(t -> t.targetHealth().state() == TargetHealthStateEnum.HEALTHY));

            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                ContentResponse response = http.GET("https://echo.example.test/");
                assertEquals(200, response.getStatus());
                assertTrue(response.getContentAsString().contains("proto=https port=443 for=127.0.0.1"), response.getContentAsString());
                seen.add(response.getContentAsString().split(" ")[0]);
            }
            assertEquals(Set.of("one", "two"), seen, "healthy targets in turn");

            // the admin endpoint shows where each listener listens; curl, outside the JVM, gets through with the printed hints
            String mappings = http.GET(aws.endpoint() + "/_localaws/listeners").getContentAsString();
            assertTrue(mappings.contains("\"port\":443") && mappings.contains("\"port\":80"), mappings);
            String hint = aws.accessHints().stream().filter(h -> h.startsWith("echo.example.test:443")).findFirst().orElseThrow();
            List<String> curl = new java.util.ArrayList<>(List.of(hint.substring(hint.indexOf("curl")).split("   ")[0].split(" ")));
            curl.add(1, "-sS");
            java.nio.file.Path curlLog = java.nio.file.Files.createTempFile("curl", ".out");
            Process process = new ProcessBuilder(curl).redirectErrorStream(true).redirectOutput(curlLog.toFile()).start();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "curl finished");
            String curlOut = java.nio.file.Files.readString(curlLog);
            java.nio.file.Files.delete(curlLog);
            assertEquals(0, process.exitValue(), curl + " -> " + curlOut);
            assertTrue(curlOut.contains("proto=https"), curlOut);

            // a request with a body, sent after the 100 Continue the load balancer answers itself, then
            // more requests on the same kept-alive connections
            for (int i = 0; i < 3; i++) {
                ContentResponse posted = http.POST("https://echo.example.test/upload")
                        .headers(h -> h.put(org.eclipse.jetty.http.HttpHeader.EXPECT, "100-continue"))
                        .body(new org.eclipse.jetty.client.StringRequestContent("x".repeat(70_000))).timeout(10, TimeUnit.SECONDS).send();
                assertEquals(200, posted.getStatus());
                assertEquals(200, http.GET("https://echo.example.test/").getStatus());
            }

            ContentResponse fixed = http.GET("http://echo.example.test:8081/anything");
            assertEquals(404, fixed.getStatus());
            assertEquals("nothing here", fixed.getContentAsString());

            ContentResponse redirect = http.GET("http://echo.example.test/play?x=1");
            assertEquals(301, redirect.getStatus());
            assertEquals("https://echo.example.test/play?x=1", redirect.getHeaders().get("Location"));

            // WebSockets pass through, frames both ways
            WebSocketClient ws = new WebSocketClient(http);
            ws.start();
            Listener echo = new Listener();
            Session session = ws.connect(echo, URI.create("wss://echo.example.test/ws")).get(10, TimeUnit.SECONDS);
            CompletableFuture<String> echoed = echo.text;
            session.sendText("hello", org.eclipse.jetty.websocket.api.Callback.NOOP);
            assertEquals("echo: hello", echoed.get(10, TimeUnit.SECONDS));

            // the idle timeout cuts a silent WebSocket, and only a silent one: its neighbour, which
            // talks more often than the timeout, stays open well past it
            elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())
                    .attributes(LoadBalancerAttribute.builder().key("idle_timeout.timeout_seconds").value("2").build()));
            Listener silent = new Listener();
            Listener chatty = new Listener();
            Session talking = ws.connect(chatty, URI.create("wss://echo.example.test/ws")).get(10, TimeUnit.SECONDS);
            long quietSince = System.nanoTime();
            ws.connect(silent, URI.create("wss://echo.example.test/ws")).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            for (int i = 0; System.nanoTime() < deadline || !silent.closed.isDone(); i++) {
                talking.sendText("still here " + i, org.eclipse.jetty.websocket.api.Callback.NOOP);
                assertEquals("echo: still here " + i, chatty.texts.poll(10, TimeUnit.SECONDS));
                assertTrue(System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(15), "the silent socket was never cut");
                Thread.sleep(200);   // the talker's pace: well inside the 2 s idle timeout
            }
            silent.closed.get(1, TimeUnit.SECONDS);
            double silentFor = (silent.closedAt - quietSince) / 1e9;
            assertTrue(silentFor >= 2, "the silent socket was cut only after the 2 s idle timeout, not after " + silentFor + " s");
            assertFalse(chatty.closed.isDone(), "the talking socket is still open after " + (System.nanoTime() - quietSince) / 1e9 + " s");
            assertTrue(talking.isOpen());
            elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())
                    .attributes(LoadBalancerAttribute.builder().key("idle_timeout.timeout_seconds").value("60").build()));
            ws.stop();

            // a target failing its health checks is taken out
            one.healthStatus = 503;
            Waiting.until("target one unhealthy", Duration.ofSeconds(30), () -> elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions()
                    .stream().anyMatch(t -> t.target().port() == one.port() && t.targetHealth().state() == TargetHealthStateEnum.UNHEALTHY
                            && t.targetHealth().reason() == TargetHealthReasonEnum.TARGET_RESPONSE_CODE_MISMATCH));
            for (int i = 0; i < 4; i++) {
                assertTrue(http.GET("https://echo.example.test/").getContentAsString().startsWith("two"));
            }

            // targets that are gone: 502; deregistered ones drain, then leave: 503
            int onePort = one.port();
            int twoPort = two.port();
            two.close();
            one.close();
            assertEquals(502, http.GET("https://echo.example.test/").getStatus());
            elb.deregisterTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(
                    TargetDescription.builder().id("127.0.0.1").port(onePort).build(),
                    TargetDescription.builder().id("127.0.0.1").port(twoPort).build()));
            assertEquals(TargetHealthStateEnum.DRAINING, elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn()))
                    .targetHealthDescriptions().get(0).targetHealth().state());
            Waiting.until("the drained targets to leave", Duration.ofSeconds(30), () -> elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn()))
                    .targetHealthDescriptions().isEmpty());
            assertEquals(503, http.GET("https://echo.example.test/").getStatus());
        }
    }
}
