package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.thephillymojo.ws.localstack.protocol.Dispatcher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Every operation's answer, byte for byte as the emulator writes it, read two ways: by the real
 * AWS SDK (over HTTP, from a plain server that serves those bytes), which must give back every
 * member that was answered — so a member written under a wrong name or in a wrong shape fails; and
 * against the service's own model in botocore (the AWS CLI's {@code service-2.json}) for what the
 * SDK reads past: the envelope (an operation without output answers its metadata alone, one with
 * an empty output an empty result element), and each member the model knows in its shape (a list's
 * items, a structure's members). Debian's AWS CLI is older than the SDK: members its model does not
 * know yet are the SDK's newer ones, checked by the SDK's reading alone. Each answer carries every
 * member its response type has, filled with sample values; a new operation is checked as soon as
 * its backend has it.
 */
class WireModelTest {
    private static final Path BOTOCORE = Path.of("/usr/lib/python3/dist-packages/awscli/botocore/data");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A service: its SDK client, and where botocore keeps its model. */
    private record Service(String signingName, Supplier<AwsClientBuilder<?, ?>> client, String model, Region region) {
    }

    private static final List<Service> SERVICES = List.of(
            new Service("ecr", EcrClient::builder, "ecr", Region.US_EAST_1),
            new Service("ecs", EcsClient::builder, "ecs", Region.US_EAST_1),
            new Service("logs", CloudWatchLogsClient::builder, "logs", Region.US_EAST_1),
            new Service("secretsmanager", SecretsManagerClient::builder, "secretsmanager", Region.US_EAST_1),
            new Service("iam", IamClient::builder, "iam", Region.AWS_GLOBAL),
            new Service("sts", StsClient::builder, "sts", Region.US_EAST_1),
            new Service("ec2", Ec2Client::builder, "ec2", Region.US_EAST_1),
            new Service("route53", Route53Client::builder, "route53", Region.AWS_GLOBAL),
            new Service("acm", AcmClient::builder, "acm", Region.US_EAST_1),
            new Service("elasticloadbalancing", ElasticLoadBalancingV2Client::builder, "elbv2", Region.US_EAST_1),
            new Service("elasticache", ElastiCacheClient::builder, "elasticache", Region.US_EAST_1));

    private static LocalAws aws;
    private static HttpServer server;
    /** What the plain server answers next: the emulator's reply for the operation under test. */
    private static final AtomicReference<Dispatcher.Reply> next = new AtomicReference<>();

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(BOTOCORE), "the AWS CLI's models (Debian package awscli) are not installed");
        aws = LocalAws.start(LocalAws.Options.defaults().dataPlane(false));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Dispatcher.Reply reply = next.get();
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            exchange.getResponseHeaders().add("x-amzn-RequestId", "11111111-2222-3333-4444-555555555555");
            exchange.sendResponseHeaders(reply.status(), reply.body().length);
            exchange.getResponseBody().write(reply.body());
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (aws != null) {
            aws.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyOperationsAnswerIsReadByTheSdkAndMatchesTheModel() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Service service : SERVICES) {
            JsonNode model = model(service.model());
            List<String> operations = aws.dispatcher().operations(service.signingName());
            assertTrue(operations.size() >= 2, service.signingName() + " answers operations: " + operations);
            for (String operation : operations) {
                tests.add(DynamicTest.dynamicTest(service.signingName() + " " + operation, () -> check(service, model, operation)));
            }
        }
        return tests.stream();
    }

    private static void check(Service service, JsonNode model, String operation) throws Exception {
        JsonNode op = model.path("operations").path(operation);
        assertTrue(op.isObject(), operation + " is an operation of " + service.model() + "'s model");
        Object client = service.client().get().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(service.region()).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        try (AutoCloseable closing = (AutoCloseable) client) {
            Method call = clientMethod(client, operation);
            Class<?> responseType = call.getReturnType();
            SdkPojo sample = (SdkPojo) sample(responseType, true);
            Dispatcher.Reply reply = aws.dispatcher().answer(service.signingName(), operation, sample);
            next.set(reply);
            Object request = sample(call.getParameterTypes()[0], false);
            SdkPojo read;
            try {
                read = (SdkPojo) call.invoke(client, request);
            } catch (InvocationTargetException e) {
                throw new AssertionError(operation + ": the SDK could not read " + new String(reply.body()), e.getCause());
            }
            String body = new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(read.equalsBySdkFields(sample), operation + ": the SDK read back " + read + " from " + body + ", not " + sample);

            List<String> problems = new ArrayList<>();
            new ModelCheck(model, problems).answer(operation, op, body, !sample.sdkFields().isEmpty());
            assertEquals(List.of(), problems, operation + "'s answer against the model: " + body);
        }
    }

    private static Method clientMethod(Object client, String operation) {
        String name = Character.toLowerCase(operation.charAt(0)) + operation.substring(1);
        // the service's public interface (EcsClient), not its generated implementation
        return Stream.of(client.getClass().getInterfaces()).flatMap(i -> Stream.of(i.getMethods()))
                .filter(m -> m.getName().equals(name) && m.getParameterCount() == 1 && SdkPojo.class.isAssignableFrom(m.getParameterTypes()[0]))
                .findFirst().orElseThrow(() -> new AssertionError("the SDK's client has no " + name));
    }

    private static JsonNode model(String name) throws IOException {
        try (Stream<Path> versions = Files.list(BOTOCORE.resolve(name))) {
            Path latest = versions.filter(p -> Files.exists(p.resolve("service-2.json"))).max(Comparator.naturalOrder()).orElseThrow();
            return JSON.readTree(latest.resolve("service-2.json").toFile());
        }
    }

    // ---- sample values: every member of a type, filled ---------------------------------------

    /**
     * An instance of an SDK request or response type with its members set; of a response only those
     * that travel in the body ({@code payloadOnly}: headers and the status travel outside it).
     */
    private static Object sample(Class<?> type, boolean payloadOnly) throws ReflectiveOperationException {
        Object builder = type.getMethod("builder").invoke(null);
        for (SdkField<?> field : ((SdkPojo) builder).sdkFields()) {
            if (payloadOnly && field.location() != MarshallLocation.PAYLOAD) {
                continue;
            }
            Object value = value(field, 0);
            if (value != null) {
                field.set(builder, value);
            }
        }
        return ((software.amazon.awssdk.utils.builder.SdkBuilder<?, ?>) builder).build();
    }

    private static void fill(SdkPojo builder, int depth) {
        for (SdkField<?> field : builder.sdkFields()) {
            if (field.location() != MarshallLocation.PAYLOAD) {
                continue; // headers, the path and the status travel outside the body
            }
            Object value = value(field, depth);
            if (value != null) {
                field.set(builder, value);
            }
        }
    }

    private static Object value(SdkField<?> field, int depth) {
        switch (field.marshallingType().getKnownType()) {
            case STRING: return "s" + field.memberName();
            case INTEGER: return 7;
            case LONG: return 8L;
            case SHORT: return (short) 3;
            case DOUBLE: return 1.5;
            case FLOAT: return 2.5f;
            case BIG_DECIMAL: return new BigDecimal("4.25");
            case BOOLEAN: return Boolean.TRUE;
            case INSTANT: return Instant.parse("2026-01-02T03:04:05Z");
            case SDK_BYTES: return SdkBytes.fromUtf8String("bytes");
            case LIST: {
                if (depth > 4) {
                    return null;
                }
                Object member = value(field.getRequiredTrait(ListTrait.class).memberFieldInfo(), depth + 1);
                return member == null ? null : List.of(member);
            }
            case MAP: {
                if (depth > 4) {
                    return null;
                }
                Object member = value(field.getRequiredTrait(MapTrait.class).valueFieldInfo(), depth + 1);
                Map<String, Object> map = new LinkedHashMap<>();
                if (member != null) {
                    map.put("k", member);
                }
                return map.isEmpty() ? null : map;
            }
            case SDK_POJO: {
                if (depth > 4) {
                    return null;
                }
                SdkPojo builder = field.constructor().get();
                fill(builder, depth + 1);
                return ((software.amazon.awssdk.utils.builder.SdkBuilder<?, ?>) builder).build();
            }
            default:
                return null; // documents and the like: none in these services' answers
        }
    }

    // ---- the model: every element or key a member of the operation's output ------------------

    /** Reads an answer against botocore's shapes; what does not fit goes to {@code problems}. */
    private static final class ModelCheck {
        private final JsonNode model;
        private final String protocol;
        private final List<String> problems;

        ModelCheck(JsonNode model, List<String> problems) {
            this.model = model;
            this.protocol = model.path("metadata").path("protocol").asText();
            this.problems = problems;
        }

        private JsonNode shape(String name) {
            return model.path("shapes").path(name);
        }

        /** {@code members}: whether the SDK's response type has members (a newer model may give an output the CLI's lacks). */
        void answer(String operation, JsonNode op, String body, boolean members) throws Exception {
            String output = op.path("output").path("shape").asText("");
            if (protocol.equals("json")) {
                JsonNode answer = JSON.readTree(body);
                if (output.isEmpty()) {
                    if (!members && answer.size() > 0) {
                        problems.add("an operation without output answered members " + answer);
                    }
                    return;
                }
                json(answer, output, operation);
                return;
            }
            Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))).getDocumentElement();
            switch (protocol) {
                case "query": {
                    expectName(root, operation + "Response", "the root");
                    List<String> names = new ArrayList<>();
                    for (Element child : children(root)) {
                        names.add(child.getTagName());
                        if (child.getTagName().equals(op.path("output").path("resultWrapper").asText(operation + "Result")) && !output.isEmpty()) {
                            xml(child, output, operation + "Result");
                        }
                    }
                    List<String> expected = output.isEmpty() && !members ? List.of("ResponseMetadata")
                            : List.of(op.path("output").path("resultWrapper").asText(operation + "Result"), "ResponseMetadata");
                    if (!names.equals(expected)) {
                        problems.add(operation + "Response holds " + names + ", the model " + expected);
                    }
                    return;
                }
                case "ec2": {
                    expectName(root, operation + "Response", "the root");
                    for (Element child : children(root)) {
                        if (child.getTagName().equals("requestId")) {
                            continue;
                        }
                        if (output.isEmpty()) {
                            if (!members) {
                                problems.add("an operation without output answered " + child.getTagName());
                            }
                        } else {
                            member(child, shape(output), operation + "Response");
                        }
                    }
                    return;
                }
                case "rest-xml": {
                    if (!output.isEmpty()) {
                        xml(root, output, root.getTagName());
                    }
                    return;
                }
                default:
                    problems.add("a protocol this check does not know: " + protocol);
            }
        }

        private void expectName(Element element, String name, String what) {
            if (!element.getTagName().equals(name)) {
                problems.add(what + " is " + element.getTagName() + ", not " + name);
            }
        }

        /** An element holding a value of {@code shapeName}. */
        private void xml(Element element, String shapeName, String path) {
            JsonNode shape = shape(shapeName);
            switch (shape.path("type").asText()) {
                case "structure":
                    for (Element child : children(element)) {
                        member(child, shape, path);
                    }
                    return;
                case "list": {
                    JsonNode member = shape.path("member");
                    String name = member.path("locationName").asText(protocol.equals("ec2") ? "item" : "member");
                    for (Element child : children(element)) {
                        expectName(child, name, path + "'s item");
                        xml(child, member.path("shape").asText(), path + "/" + name);
                    }
                    return;
                }
                case "map": {
                    String key = shape.path("key").path("locationName").asText("key");
                    String value = shape.path("value").path("locationName").asText("value");
                    for (Element entry : children(element)) {
                        expectName(entry, "entry", path + "'s entry");
                        for (Element part : children(entry)) {
                            if (part.getTagName().equals(value)) {
                                xml(part, shape.path("value").path("shape").asText(), path + "/" + value);
                            } else if (!part.getTagName().equals(key)) {
                                problems.add(path + ": an entry holds " + part.getTagName());
                            }
                        }
                    }
                    return;
                }
                default:
                    if (!children(element).isEmpty()) {
                        problems.add(path + " is a " + shape.path("type").asText() + " but holds elements");
                    }
            }
        }

        /** A child element of a structure: one of its members, by the name the protocol writes. */
        private void member(Element child, JsonNode structure, String path) {
            for (var m : structure.path("members").properties()) {
                JsonNode member = m.getValue();
                if (member.has("location")) {
                    continue; // a header or the status: not in the body
                }
                String name = member.path("locationName").asText(protocol.equals("ec2")
                        ? member.path("queryName").asText(Character.toLowerCase(m.getKey().charAt(0)) + m.getKey().substring(1)) : m.getKey());
                if (name.equals(child.getTagName())) {
                    xml(child, member.path("shape").asText(), path + "/" + name);
                    return;
                }
            }
            // a member the CLI's model does not know yet: the SDK's newer one (the SDK read it back)
        }

        /** A JSON value of {@code shapeName}. */
        private void json(JsonNode value, String shapeName, String path) {
            JsonNode shape = shape(shapeName);
            switch (shape.path("type").asText()) {
                case "structure": {
                    if (!value.isObject()) {
                        problems.add(path + " is not an object: " + value);
                        return;
                    }
                    var keys = value.fieldNames();
                    while (keys.hasNext()) {
                        String key = keys.next();
                        JsonNode member = shape.path("members").path(key);
                        if (!member.isMissingNode()) {   // else a member newer than the CLI's model (the SDK read it back)
                            json(value.get(key), member.path("shape").asText(), path + "." + key);
                        }
                    }
                    return;
                }
                case "list":
                    if (!value.isArray()) {
                        problems.add(path + " is not an array: " + value);
                        return;
                    }
                    value.forEach(item -> json(item, shape.path("member").path("shape").asText(), path + "[]"));
                    return;
                case "map":
                    if (!value.isObject()) {
                        problems.add(path + " is not an object: " + value);
                        return;
                    }
                    value.properties().forEach(e -> json(e.getValue(), shape.path("value").path("shape").asText(), path + "." + e.getKey()));
                    return;
                default:
                    if (value.isContainerNode()) {
                        problems.add(path + " is a " + shape.path("type").asText() + " but holds " + value);
                    }
            }
        }

        private static List<Element> children(Element element) {
            List<Element> children = new ArrayList<>();
            for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    children.add(e);
                }
            }
            return children;
        }
    }
}
