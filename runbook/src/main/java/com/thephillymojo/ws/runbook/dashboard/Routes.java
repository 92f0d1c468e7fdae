package com.thephillymojo.ws.runbook.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.thephillymojo.ws.runbook.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The dashboard's HTTP side (docs/dashboard-api.md): the page, its assets and the JSON API. Every
 * request passes the guards first — the dashboard's own host names only (DNS rebinding), a POST
 * from no other origin than its page, the access token — then its route; a change is a POST whose
 * JSON body is checked field by field and, where the settings ask for it, names the environment.
 * A refusal is an {@link ApiError}: its status, AWS-style code and sentence.
 */
final class Routes extends Handler.Abstract {
    private static final int MAX_BODY = 16 * 1024;
    private static final String PAGE_SECURITY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, String> ASSETS = Map.of(
            "/assets/dashboard.js", "dashboard/dashboard.js",
            "/assets/dashboard.css", "dashboard/dashboard.css",
            "/assets/uPlot.iife.min.js", webjar("uplot", "dist/uPlot.iife.min.js"),
            "/assets/uPlot.min.css", webjar("uplot", "dist/uPlot.min.css"));

    private final Dashboard dashboard;
    private final Operator operator;
    private final Actions actions;
    private final Samples samples;
    private final EventStream stream;
    private final String token;
    private final PrintStream log;

    Routes(Dashboard dashboard, Operator operator, Actions actions, Samples samples, EventStream stream, String token, PrintStream log) {
        this.dashboard = dashboard;
        this.operator = operator;
        this.actions = actions;
        this.samples = samples;
        this.stream = stream;
        this.token = token;
        this.log = log;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        Map<String, String> headers = Map.of("X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer",
                "X-Frame-Options", "DENY", "Cache-Control", "no-store");
        headers.forEach((k, v) -> response.getHeaders().put(k, v));
        try {
            checkHost(request);
            if (method.equals("POST")) {
                checkOrigin(request);
            }
            checkToken(request);
            route(request, response, callback, method, path);
        } catch (Settings.SettingsException e) {
            json(response, callback, 503, Json.error("SettingsInvalid", "the environment's settings are refused: " + e.getMessage()));
        } catch (ApiError e) {
            if (e.status == 403 || e.status == 401) {
                log.println("dashboard: refused " + method + " " + path + " (" + e.status + " " + e.code + "): " + e.getMessage());
            }
            if (e.status == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"runbook dashboard\"");
            }
            if (path.equals("/") && method.equals("GET")) {
                // a person at the bare address: a page that says what to do (the API's callers get JSON)
                send(response, callback, e.status, "text/html; charset=utf-8", "<!doctype html><title>runbook dashboard</title>"
                        + "<h1>" + e.status + " " + e.code + "</h1><p>" + escape(e.getMessage()) + "</p>");
            } else {
                json(response, callback, e.status, Json.error(e.code, e.getMessage()));
            }
        } catch (RuntimeException e) {
            // a bug: the console keeps the trace, the caller gets the sentence
            log.println("dashboard: " + method + " " + path + " failed: " + e);
            e.printStackTrace(log);
            json(response, callback, 500, Json.error("InternalError", String.valueOf(e.getMessage())));
        }
        return true;
    }

    private void route(Request request, Response response, Callback callback, String method, String path) {
        if (path.equals("/") || path.equals("/index.html")) {
            allow(method, "GET");
            page(response, callback);
        } else if (ASSETS.containsKey(path)) {
            allow(method, "GET");
            asset(response, callback, ASSETS.get(path));
        } else if (path.equals("/api/overview")) {
            allow(method, "GET");
            json(response, callback, 200, dashboard.current());
        } else if (path.equals("/api/samples")) {
            allow(method, "GET");
            json(response, callback, 200, samples.json());
        } else if (path.equals("/api/events")) {
            allow(method, "GET");
            stream.serve(response, callback, List.of(new String[] {"overview", dashboard.current().toString()},
                    new String[] {"samples", samples.json().toString()}, new String[] {"actions", dashboard.actionsJson().toString()}));
        } else if (path.equals("/api/actions")) {
            allow(method, "GET");
            json(response, callback, 200, dashboard.actionsJson());
        } else if (path.startsWith("/api/actions/")) {
            allow(method, "GET");
            String id = path.substring("/api/actions/".length());
            Actions.Action action = actions.find(id).orElseThrow(() -> new ApiError(404, "NoSuchAction", "no action " + id
                    + " (the dashboard keeps the last 20, until it stops)"));
            json(response, callback, 200, action.json());
        } else if (path.equals("/api/deploy") || path.equals("/api/scale") || path.equals("/api/rollback") || path.equals("/api/failover")) {
            allow(method, "POST");
            JsonNode body = body(request);
            Operator.Operation operation = operation(path.substring("/api/".length()), body);
            confirm(body);
            Actions.Action action = actions.start(operation);
            log.println("dashboard: started " + operation.kind() + " (action " + action.id + ")");
            json(response, callback, 202, action.json());
        } else {
            throw new ApiError(404, "NotFound", "no route " + path + " (docs/dashboard-api.md lists them)");
        }
    }

    private void page(Response response, Callback callback) {
        String html = resource("dashboard/index.html").replace("{{token}}", token).replace("{{environment}}", operator.environment());
        response.getHeaders().put("Content-Security-Policy", PAGE_SECURITY);
        send(response, callback, 200, "text/html; charset=utf-8", html);
    }

    private void asset(Response response, Callback callback, String resource) {
        String type = resource.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        send(response, callback, 200, type, resource(resource));
    }

    /** The dashboard's own names only: a page on another site that rebinds its name to 127.0.0.1 is refused (DNS rebinding). */
    private void checkHost(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || !(host.equals("127.0.0.1:" + dashboard.port()) || host.equals("localhost:" + dashboard.port()))) {
            throw new ApiError(403, "ForbiddenHost", "the dashboard answers to 127.0.0.1:" + dashboard.port() + " and localhost:" + dashboard.port()
                    + " only, not " + host);
        }
    }

    /** A POST from a browser names its page's origin: only the dashboard's own may change anything. */
    private void checkOrigin(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !origin.equals(dashboard.origin()) && !origin.equals("http://localhost:" + dashboard.port())) {
            throw new ApiError(403, "ForbiddenOrigin", "a POST from " + origin + " is refused: only the dashboard's own page ("
                    + dashboard.origin() + ") may change anything");
        }
    }

    private void checkToken(Request request) {
        String given = null;
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null && authorization.startsWith("Bearer ")) {
            given = authorization.substring("Bearer ".length()).trim();
        } else {
            given = Request.extractQueryParameters(request).getValue("token");
        }
        if (given == null || given.isEmpty()) {
            throw new ApiError(401, "MissingToken", "this call needs the dashboard's access token: open the URL the dashboard printed, "
                    + "or send Authorization: Bearer TOKEN");
        }
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiError(401, "InvalidToken", "the access token is not this dashboard's (each start makes a new one)");
        }
    }

    private void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new ApiError(405, "MethodNotAllowed", "use " + allowed + " here, not " + method);
        }
    }

    private JsonNode body(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiError(415, "UnsupportedMediaType", "the body is JSON: Content-Type: application/json, not " + type);
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new ApiError(400, "MalformedJson", "the body could not be read: " + e.getMessage());
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiError(413, "PayloadTooLarge", "the body is at most " + MAX_BODY + " bytes");
        }
        JsonNode body;
        try {
            body = bytes.length == 0 ? Json.object() : Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ApiError(400, "MalformedJson", "the body is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (body == null || !body.isObject()) {
            throw new ApiError(400, "MalformedJson", "the body is a JSON object");
        }
        return body;
    }

    private Operator.Operation operation(String kind, JsonNode body) {
        Set<String> fields = switch (kind) {
            case "deploy" -> Set.of("tag", "confirm");
            case "scale" -> Set.of("count", "confirm");
            default -> Set.of("confirm");
        };
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new ApiError(400, "ValidationError", "unknown field '" + name + "'; " + kind + " takes " + new java.util.TreeSet<>(fields));
            }
        }
        try {
            return switch (kind) {
                case "deploy" -> {
                    JsonNode tag = body.get("tag");
                    if (tag == null || !tag.isTextual()) {
                        throw new ApiError(400, "ValidationError", "deploy needs \"tag\": the image tag, a string");
                    }
                    yield new Operator.Operation.Deploy(tag.asText());
                }
                case "scale" -> {
                    JsonNode count = body.get("count");
                    if (count == null || !count.isIntegralNumber() || !count.canConvertToInt()) {
                        throw new ApiError(400, "ValidationError", "scale needs \"count\": a whole number of tasks, 0 to "
                                + Operator.Operation.Scale.MAX);
                    }
                    yield new Operator.Operation.Scale(count.asInt());
                }
                case "failover" -> new Operator.Operation.Failover();
                default -> new Operator.Operation.Rollback();
            };
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "ValidationError", e.getMessage());
        }
    }

    /** Where the settings ask for it (production), a change names the environment it is meant for. */
    private void confirm(JsonNode body) {
        JsonNode confirm = body.get("confirm");
        if (confirm != null && !confirm.isTextual()) {
            throw new ApiError(400, "ValidationError", "\"confirm\" is the environment's name, a string");
        }
        String env = operator.environment();
        if (operator.settings().confirmChanges() && (confirm == null || !confirm.asText().equals(env))) {
            throw new ApiError(400, "ConfirmationRequired", "this changes " + env + ": send \"confirm\": \"" + env
                    + "\" (the page asks to type it)" + (confirm == null ? "" : "; '" + confirm.asText() + "' is not its name"));
        }
        if (confirm != null && !confirm.asText().equals(env)) {
            throw new ApiError(400, "ConfirmationRequired", "'" + confirm.asText() + "' is not this environment's name (" + env + ")");
        }
    }

    private static void json(Response response, Callback callback, int status, JsonNode body) {
        send(response, callback, status, "application/json", body.toString());
    }

    private static void send(Response response, Callback callback, int status, String type, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, BufferUtil.toBuffer(text, StandardCharsets.UTF_8), callback);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = Routes.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the runbook's jar lacks " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + " from the jar", e);
        }
    }

    /** A file of a WebJar on the classpath, at the version Maven resolved (its pom.properties says which). */
    private static String webjar(String name, String file) {
        Properties pom = new Properties();
        try (InputStream in = Routes.class.getClassLoader().getResourceAsStream("META-INF/maven/org.webjars.npm/" + name + "/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the WebJar " + name + " is not on the classpath");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the WebJar " + name + "'s version", e);
        }
        return "META-INF/resources/webjars/" + name + "/" + pom.getProperty("version") + "/" + file;
    }
}
