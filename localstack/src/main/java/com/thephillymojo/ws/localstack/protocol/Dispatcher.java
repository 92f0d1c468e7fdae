package com.thephillymojo.ws.localstack.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.localstack.AwsException;
import com.thephillymojo.ws.localstack.RequestContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkPojo;

/**
 * Turns one HTTP request into a call on a backend and the result (or AWS error) into the
 * protocol's bytes. Adding an operation is one method on a backend: {@code XResponse x(XRequest)}.
 */
public final class Dispatcher {
    private static final Pattern SCOPE = Pattern.compile("Credential=([^/,]+)/\\d{8}/([^/,]+)/([^/,]+)/aws4_request");

    /** An HTTP answer. */
    public record Reply(int status, String contentType, byte[] body) {
    }

    private final List<ServiceSpec> services;
    private final String account;
    private final String defaultRegion;
    private final Map<String, Object> backends = new ConcurrentHashMap<>();
    private final Map<String, Method> methods = new ConcurrentHashMap<>();
    private final java.util.function.BiConsumer<String, String> served;
    private volatile java.util.function.Predicate<String> refusedKey = key -> false;

    /** Sees each call whole before its backend does, and may refuse it: IAM, when the emulator enforces it. */
    @FunctionalInterface
    public interface Guard {
        /** Throws the service's error for a call that may not run. */
        void check(String signingName, Protocol protocol, String operation, SdkPojo request, RequestContext context);
    }

    private volatile Guard guard = (signingName, protocol, operation, request, context) -> { };

    public void guard(Guard value) {
        this.guard = value;
    }

    /** Sees each call before it runs (and may refuse it) and its answer after: the faults AWS injects itself, when on. */
    public interface Interceptor {
        void before(String signingName, Protocol protocol, String operation, SdkPojo request, RequestContext context);

        void after(String signingName, SdkPojo response);
    }

    private volatile Interceptor interceptor = new Interceptor() {
        @Override
        public void before(String signingName, Protocol protocol, String operation, SdkPojo request, RequestContext context) {
        }

        @Override
        public void after(String signingName, SdkPojo response) {
        }
    };

    public void intercept(Interceptor value) {
        this.interceptor = value;
    }

        /** Who says which access keys are refused before any operation runs (STS: temporary keys it never issued). */
    public void refuseKeys(java.util.function.Predicate<String> refused) {
        this.refusedKey = refused;
    }

    /** The error each protocol's services answer a refused key with. */
    private static AwsException refusal(ServiceSpec spec) {
        if (spec.protocol() == Protocol.EC2_QUERY) {
            return new AwsException("AuthFailure", "AWS was not able to validate the provided access credentials", 401);
        }
        return new AwsException(spec.protocol() == Protocol.AWS_JSON_1_1 ? "UnrecognizedClientException" : "InvalidClientTokenId",
                "The security token included in the request is invalid.", 403);
    }

    /**
     * {@code served} hears, per access key, the IAM action of every operation answered
     * ({@code ecs:CreateService}); the {@link Guard} hears the call whole (and what it implies).
     */
    public Dispatcher(List<ServiceSpec> services, String account, String defaultRegion, java.util.function.BiConsumer<String, String> served) {
        this.served = served;
        this.services = List.copyOf(services);
        this.account = account;
        this.defaultRegion = defaultRegion;
    }

    /** The backend of a service in a region (made on first use). */
    public Object backend(String signingName, String region) {
        ServiceSpec spec = services.stream().filter(s -> s.signingName().equals(signingName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + signingName));
        return backend(spec, region);
    }

    /** The backends of a service made so far, in every region. */
    public List<Object> backends(String signingName) {
        String prefix = signingName + "/";
        return backends.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
    }

    private Object backend(ServiceSpec spec, String region) {
        String key = spec.signingName() + "/" + (spec.global() ? "global" : region);
        return backends.computeIfAbsent(key, k -> spec.backendFactory().apply(spec.global() ? defaultRegion : region, account));
    }

    /** A restXml operation: its HTTP method, its path (with the {Id} group) and its name. */
    private record Route(String method, Pattern path, String operation) {
    }

    private static final List<Route> ROUTE53 = List.of(
            new Route("POST", Pattern.compile("^/2013-04-01/hostedzone$"), "CreateHostedZone"),
            new Route("GET", Pattern.compile("^/2013-04-01/hostedzone$"), "ListHostedZones"),
            new Route("GET", Pattern.compile("^/2013-04-01/hostedzone/([^/]+)$"), "GetHostedZone"),
            new Route("DELETE", Pattern.compile("^/2013-04-01/hostedzone/([^/]+)$"), "DeleteHostedZone"),
            new Route("POST", Pattern.compile("^/2013-04-01/hostedzone/([^/]+)/rrset/?$"), "ChangeResourceRecordSets"),
            new Route("GET", Pattern.compile("^/2013-04-01/hostedzone/([^/]+)/rrset/?$"), "ListResourceRecordSets"),
            new Route("GET", Pattern.compile("^/2013-04-01/hostedzonesbyname$"), "ListHostedZonesByName"),
            new Route("GET", Pattern.compile("^/2013-04-01/change/([^/]+)$"), "GetChange"));

    public Optional<Reply> handle(String method, String path, String rawQuery, Map<String, String> headers, String contentType, byte[] body) {
        if (path.startsWith("/2013-04-01/")) {
            Matcher scope = SCOPE.matcher(headers.getOrDefault("authorization", ""));
            return Optional.of(restXml(method, path, rawQuery, body, scope.find() ? scope.group(1) : ""));
        }
        return handle(method, headers, contentType, body);
    }

    private Reply restXml(String method, String path, String rawQuery, byte[] body, String accessKeyId) {
        String requestId = UUID.randomUUID().toString();
        ServiceSpec spec = services.stream().filter(s -> s.protocol() == Protocol.REST_XML).findFirst().orElseThrow();
        QueryCodec xml = new QueryCodec(false);
        for (Route route : ROUTE53) {
            Matcher m = route.path().matcher(path);
            if (route.method().equals(method) && m.matches()) {
                try {
                    Object backend = backend(spec, defaultRegion);
                    Method op = method(spec, backend, route.operation());
                    Map<String, String> pathParams = m.groupCount() > 0 ? Map.of("Id", m.group(1)) : Map.of();
                    Object request = RestXmlCodec.read(pathParams, form(rawQuery == null ? "" : rawQuery), body, op.getParameterTypes()[0]);
                    SdkPojo response = (SdkPojo) invoke(spec, op, backend, request, new RequestContext(defaultRegion, account, requestId, accessKeyId));
                    return answer(spec, route.operation(), response, requestId);
                } catch (AwsException e) {
                    return new Reply(e.status(), "text/xml", xml.error(e, spec.namespace(), requestId).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        AwsException unknown = new AwsException("InvalidAction", "no Route53 operation answers " + method + " " + path, 404);
        return new Reply(404, "text/xml", xml.error(unknown, spec.namespace(), requestId).getBytes(StandardCharsets.UTF_8));
    }

    public Optional<Reply> handle(String method, Map<String, String> headers, String contentType, byte[] body) {
        String requestId = UUID.randomUUID().toString();
        String auth = headers.getOrDefault("authorization", "");
        Matcher scope = SCOPE.matcher(auth);
        boolean signed = scope.find();
        String region = signed ? scope.group(2) : defaultRegion;
        String signingName = signed ? scope.group(3) : null;
        String target = headers.get("x-amz-target");
        RequestContext context = new RequestContext(region, account, requestId, signed ? scope.group(1) : "");
        if (target != null) {
            int dot = target.lastIndexOf('.');
            String prefix = dot < 0 ? target : target.substring(0, dot);
            for (ServiceSpec spec : services) {
                if (spec.protocol() == Protocol.AWS_JSON_1_1 && spec.targetOrVersion().equals(prefix)) {
                    return Optional.of(json(spec, target.substring(dot + 1), body, context));
                }
            }
            return Optional.of(jsonError(new AwsException("UnknownOperationException", "unknown target " + target), requestId));
        }
        if ("POST".equals(method) && contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            Map<String, String> params = form(new String(body, StandardCharsets.UTF_8));
            String version = params.get("Version");
            for (ServiceSpec spec : services) {
                boolean query = spec.protocol() == Protocol.AWS_QUERY || spec.protocol() == Protocol.EC2_QUERY;
                if (query && (spec.signingName().equals(signingName) || (signingName == null && spec.targetOrVersion().equals(version)))) {
                    return Optional.of(query(spec, params, context));
                }
            }
        }
        return Optional.empty();
    }

    private Reply json(ServiceSpec spec, String operation, byte[] body, RequestContext context) {
        try {
            Object backend = backend(spec, context.region());
            Method m = method(spec, backend, operation);
            JsonNode input = body.length == 0 ? JsonCodec.mapper().createObjectNode() : JsonCodec.mapper().readTree(body);
            Object request = JsonCodec.read(input, m.getParameterTypes()[0]);
            SdkPojo response = (SdkPojo) invoke(spec, m, backend, request, context);
            return answer(spec, operation, response, context.requestId());
        } catch (AwsException e) {
            return jsonError(e, context.requestId());
        } catch (java.io.IOException e) {
            return jsonError(new AwsException("SerializationException", "the body is not JSON"), context.requestId());
        }
    }

    /** An operation's answer as its service's protocol writes it. */
    private static Reply answer(ServiceSpec spec, String operation, SdkPojo response, String requestId) {
        switch (spec.protocol()) {
            case AWS_JSON_1_1:
                try {
                    return new Reply(200, "application/x-amz-json-1.1", JsonCodec.mapper().writeValueAsBytes(JsonCodec.write(response)));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            case REST_XML:
                return new Reply(operation.equals("CreateHostedZone") ? 201 : 200, "text/xml",
                        new QueryCodec(false).document(operation + "Response", spec.namespace(), response).getBytes(StandardCharsets.UTF_8));
            default:
                return new Reply(200, "text/xml", new QueryCodec(spec.protocol() == Protocol.EC2_QUERY)
                        .response(operation, spec.namespace(), requestId, response, !spec.withoutOutput().contains(operation))
                        .getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The answer this emulator gives to {@code operation} of a service when its backend returns
     * {@code response}: for a test that reads it as a client would.
     */
    public Reply answer(String signingName, String operation, SdkPojo response) {
        ServiceSpec spec = services.stream().filter(s -> s.signingName().equals(signingName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + signingName));
        return answer(spec, operation, response, UUID.randomUUID().toString());
    }

    /** The operations a service answers: its backend's methods {@code XResponse x(XRequest[, RequestContext])}, by AWS's names. */
    public List<String> operations(String signingName) {
        Object backend = backend(signingName, defaultRegion);
        return java.util.Arrays.stream(backend.getClass().getMethods())
                .filter(m -> SdkPojo.class.isAssignableFrom(m.getReturnType()) && m.getParameterCount() >= 1
                        && SdkPojo.class.isAssignableFrom(m.getParameterTypes()[0]))
                .map(m -> Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1)).sorted().toList();
    }

    private static Reply jsonError(AwsException e, String requestId) {
        ObjectNode error = JsonCodec.mapper().createObjectNode();
        error.put("__type", e.code());
        error.put("message", e.getMessage());
        try {
            return new Reply(e.status(), "application/x-amz-json-1.1", JsonCodec.mapper().writeValueAsBytes(error));
        } catch (java.io.IOException io) {
            throw new IllegalStateException(io);
        }
    }

    private Reply query(ServiceSpec spec, Map<String, String> params, RequestContext context) {
        QueryCodec codec = new QueryCodec(spec.protocol() == Protocol.EC2_QUERY);
        String operation = params.getOrDefault("Action", "");
        try {
            Object backend = backend(spec, context.region());
            Method m = method(spec, backend, operation);
            Object request = codec.read(params, m.getParameterTypes()[0]);
            SdkPojo response = (SdkPojo) invoke(spec, m, backend, request, context);
            return answer(spec, operation, response, context.requestId());
        } catch (AwsException e) {
            return new Reply(e.status(), "text/xml", codec.error(e, spec.namespace(), context.requestId()).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The backend method of an operation, found once per service (the same class serves every region). */
    private Method method(ServiceSpec spec, Object backend, String operation) {
        String name = operation.isEmpty() ? "" : Character.toLowerCase(operation.charAt(0)) + operation.substring(1);
        Method m = methods.computeIfAbsent(spec.signingName() + "." + operation, k -> {
            for (Method candidate : backend.getClass().getMethods()) {
                if (candidate.getName().equals(name) && SdkPojo.class.isAssignableFrom(candidate.getReturnType())
                        && candidate.getParameterCount() >= 1) {
                    return candidate;
                }
            }
            return null;
        });
        if (m == null) {
            methods.remove(spec.signingName() + "." + operation);
            String code = spec.protocol() == Protocol.AWS_JSON_1_1 ? "UnknownOperationException" : "InvalidAction";
            throw new AwsException(code, "The action " + operation + " is not valid for this web service.");
        }
        return m;
    }

    private Object invoke(ServiceSpec spec, Method m, Object backend, Object request, RequestContext context) {
        if (refusedKey.test(context.accessKeyId())) {
            throw refusal(spec);
        }
        String operation = Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1);
        String action = spec.signingName() + ":" + operation;
        served.accept(context.accessKeyId(), action);
        guard.check(spec.signingName(), spec.protocol(), operation, (SdkPojo) request, context);
        interceptor.before(spec.signingName(), spec.protocol(), operation, (SdkPojo) request, context);
        try {
            Object response = m.getParameterCount() == 2 ? m.invoke(backend, request, context) : m.invoke(backend, request);
            interceptor.after(spec.signingName(), (SdkPojo) response);
            return response;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof AwsException aws) {
                throw aws;
            }
            throw new AwsException("InternalFailure", String.valueOf(e.getCause()), 500);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(k, v);
        }
        return params;
    }
}
