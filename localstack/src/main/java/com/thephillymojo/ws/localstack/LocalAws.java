package com.thephillymojo.ws.localstack;

import com.thephillymojo.ws.localstack.ecr.EcrBackend;
import com.thephillymojo.ws.localstack.ecr.EcrRegistryView;
import com.thephillymojo.ws.localstack.protocol.Dispatcher;
import com.thephillymojo.ws.localstack.protocol.ServiceSpec;
import com.thephillymojo.ws.localstack.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Our own local AWS: one HTTP endpoint on 127.0.0.1 that answers the AWS SDK ({@code endpointOverride})
 * and the AWS CLI ({@code --endpoint-url}) for every emulated service, as LocalStack's edge port
 * does, plus the OCI registry behind ECR at the {@code repositoryUri} the API returns. Requests are
 * routed by {@code X-Amz-Target}, by {@code Action} and the SigV4 credential scope; the region comes
 * from the request; the account is {@value #DEFAULT_ACCOUNT} unless told otherwise.
 */
public final class LocalAws implements AutoCloseable {
    public static final String DEFAULT_ACCOUNT = "000000000000";
    public static final String DEFAULT_REGION = "us-east-1";

    private final Server server;
    private final ServerConnector connector;
    private final Dispatcher dispatcher;
    private final Registry registry;
    private final Path dataDirectory;
    private final String account;
    private final List<EcrBackend> ecrBackends = new CopyOnWriteArrayList<>();
    private final Set<String> registryPasswords = EcrBackend.newPasswordStore();

    private LocalAws(int port, String account) {
        this.account = account;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("localaws");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        try {
            dataDirectory = Files.createTempDirectory("localaws-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dispatcher = new Dispatcher(Services.all(this), account, DEFAULT_REGION);
        registry = new Registry(dataDirectory.resolve("registry"), new EcrRegistryView(() -> ecrBackends), registryPasswords);
        server.setHandler(new Edge());
    }

    /** Starts on {@code port} (0 = a free one), on 127.0.0.1. */
    public static LocalAws start(int port) {
        return start(port, DEFAULT_ACCOUNT);
    }

    public static LocalAws start(int port, String account) {
        LocalAws aws = new LocalAws(port, account);
        try {
            aws.server.start();
        } catch (Exception e) {
            aws.close();
            throw new IllegalStateException("LocalAws could not start on port " + port + ": " + e.getMessage(), e);
        }
        return aws;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The endpoint every service answers on: give it to {@code endpointOverride} / {@code --endpoint-url}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** host:port of the registry, the prefix of every repositoryUri. */
    public String registryHost() {
        return "127.0.0.1:" + port();
    }

    public String account() {
        return account;
    }

    /** A service's backend in a region, for the data plane and for tests that look inside. */
    public <T> T backend(String signingName, String region, Class<T> type) {
        return type.cast(dispatcher.backend(signingName, region));
    }

    EcrBackend newEcrBackend(String region, String account) {
        EcrBackend backend = new EcrBackend(region, account, registryHost(), registryPasswords);
        ecrBackends.add(backend);
        return backend;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping anyway
        }
        try (var files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp directory left behind is not worth failing a close
        }
    }

    /** The single edge handler: registry paths, then the AWS protocols. */
    private final class Edge extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            if (path.equals("/v2") || path.startsWith("/v2/")) {
                registry.handle(new JettyExchange(request, response));
                callback.succeeded();
                return true;
            }
            if (path.equals("/_localaws/health")) {
                Content.Sink.write(response, true, "{\"status\":\"running\"}", callback);
                return true;
            }
            Map<String, String> headers = new HashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.put(field.getName().toLowerCase(Locale.ROOT), field.getValue());
            }
            java.nio.ByteBuffer content = Content.Source.asByteBuffer(request);
            byte[] body = new byte[content.remaining()];
            content.get(body);
            Optional<Dispatcher.Reply> reply = dispatcher.handle(request.getMethod(), headers,
                    request.getHeaders().get(HttpHeader.CONTENT_TYPE), body);
            if (reply.isEmpty()) {
                Response.writeError(request, response, callback, 404, "no emulated AWS service answers " + request.getMethod() + " " + path);
                return true;
            }
            response.setStatus(reply.get().status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.get().contentType());
            response.getHeaders().put("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
            response.write(true, java.nio.ByteBuffer.wrap(reply.get().body()), callback);
            return true;
        }
    }

    /** Jetty's request/response as the registry's exchange (blocking streams). */
    private static final class JettyExchange implements Registry.Exchange {
        private final Request request;
        private final Response response;
        private final Fields query;

        JettyExchange(Request request, Response response) {
            this.request = request;
            this.response = response;
            this.query = Request.extractQueryParameters(request);
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return Request.getPathInContext(request);
        }

        @Override
        public String query(String name) {
            return query.getValue(name);
        }

        @Override
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        @Override
        public InputStream body() {
            return Content.Source.asInputStream(request);
        }

        @Override
        public void status(int status) {
            response.setStatus(status);
        }

        @Override
        public void header(String name, String value) {
            response.getHeaders().put(name, value);
        }

        @Override
        public OutputStream output() {
            return Content.Sink.asOutputStream(response);
        }
    }

    /**
     * {@code localstack/bin/localstack --port 4566}: runs the emulator until SIGTERM, printing one
     * line when it is ready.
     */
    public static void main(String[] args) throws Exception {
        int port = 4566;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                try {
                    port = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    System.err.println("localstack: --port takes a number, not '" + args[i] + "'");
                    System.exit(2);
                }
            } else {
                System.err.println("localstack: usage: localstack [--port PORT]");
                System.exit(2);
            }
        }
        LocalAws aws = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(aws::close, "localaws-stop"));
        System.out.println("localstack ready: " + aws.endpoint() + " (account " + aws.account() + ", region " + DEFAULT_REGION + ")");
        System.out.flush();
        Thread.currentThread().join();
    }
}
