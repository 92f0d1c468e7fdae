package com.thephillymojo.ws.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.thephillymojo.ws.localstack.ecr.EcrBackend;
import com.thephillymojo.ws.localstack.ecr.EcrRegistryView;
import com.thephillymojo.ws.localstack.protocol.Dispatcher;
import com.thephillymojo.ws.localstack.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Our own local AWS: one HTTP endpoint on 127.0.0.1 that answers the AWS SDK ({@code endpointOverride})
 * and the AWS CLI ({@code --endpoint-url}) for every emulated service, as LocalStack's edge port
 * does, plus the OCI registry behind ECR on a port of its own, at the {@code repositoryUri} the API returns. Requests are
 * routed by {@code X-Amz-Target}, by {@code Action} and the SigV4 credential scope; the region comes
 * from the request; the account is {@value #DEFAULT_ACCOUNT} unless told otherwise.
 */
public final class LocalAws implements AutoCloseable, EmulatorView {
    public static final String DEFAULT_ACCOUNT = "000000000000";
    public static final String DEFAULT_REGION = "us-east-1";

    private final HttpServer server;
    private final ExecutorService threads;
    private final Dispatcher dispatcher;
    private final Registry registry;
    private com.thephillymojo.ws.localstack.registry.RegistryServer registryServer;   // started on first need
    private final Path dataDirectory;
    private final String account;
    private final List<EcrBackend> ecrBackends = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "localaws-scheduler");
        t.setDaemon(true);
        return t;
    });
    private com.thephillymojo.ws.localstack.acm.CertificateAuthority authority;   // made on first need (key generation)
    private final List<com.thephillymojo.ws.localstack.elbv2.Elbv2Backend> elbBackends = new CopyOnWriteArrayList<>();
    private final com.thephillymojo.ws.localstack.dataplane.LoadBalancerPlane loadBalancers;
    private final List<com.thephillymojo.ws.localstack.ecs.EcsBackend> ecsBackends = new CopyOnWriteArrayList<>();
    private final com.thephillymojo.ws.localstack.dataplane.TaskPlane tasks;
    private final Map<String, String> registryPasswords = EcrBackend.newPasswordStore();
    private final List<com.thephillymojo.ws.localstack.elasticache.ElastiCacheBackend> cacheBackends = new CopyOnWriteArrayList<>();
    private final com.thephillymojo.ws.localstack.dataplane.CachePlane caches;
    private final com.thephillymojo.ws.localstack.dataplane.Watchdog watchdog;
    /** Every IAM action this emulator has served (with the permissions they imply), per access key: for the deployer policy's test. */
    private String hostName;   // this machine's name, for the tasks' hosts file (looked up once)
    private final Map<String, Set<String>> actionsServed = new java.util.concurrent.ConcurrentHashMap<>();

    // The edge is the JDK's own HTTP server: it starts in milliseconds, which keeps the emulator's
    // cold start well under half a second (Jetty's classes alone took ~250 ms to load).
    /**
     * How an emulator starts. {@code dataPlane=false} serves the APIs only: no task runs, no listener
     * listens, no health check changes a target — for API tests that must not depend on the data
     * plane's timing. {@code writeHook} is the data plane's test seam ({@link com.thephillymojo.ws.localstack.dataplane.WriteHook}).
     */
    public record Options(int port, String account, boolean dataPlane, com.thephillymojo.ws.localstack.dataplane.WriteHook writeHook) {
        public static Options defaults() {
            return new Options(0, DEFAULT_ACCOUNT, true, com.thephillymojo.ws.localstack.dataplane.WriteHook.NONE);
        }

        public Options port(int value) {
            return new Options(value, account, dataPlane, writeHook);
        }

        public Options account(String value) {
            return new Options(port, value, dataPlane, writeHook);
        }

        public Options dataPlane(boolean value) {
            return new Options(port, account, value, writeHook);
        }

        public Options writeHook(com.thephillymojo.ws.localstack.dataplane.WriteHook value) {
            return new Options(port, account, dataPlane, value);
        }
    }

    private LocalAws(Options options) throws IOException {
        int port = options.port();
        this.account = options.account();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "localaws");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        dataDirectory = Files.createTempDirectory("localaws-");
        dispatcher = new Dispatcher(Services.all(this), account, DEFAULT_REGION, this::served);
        dispatcher.refuseKeys(key -> backend("sts", DEFAULT_REGION, com.thephillymojo.ws.localstack.sts.StsBackend.class).refuses(key));
        registry = new Registry(dataDirectory.resolve("registry"), new EcrRegistryView(() -> ecrBackends), registryPasswords, this::served);
        server.createContext("/", this::handle);
        watchdog = new com.thephillymojo.ws.localstack.dataplane.Watchdog(dataDirectory.resolve("pids"));
        if (!options.dataPlane()) {
            loadBalancers = null;
            tasks = null;
            caches = null;
            return;
        }
        caches = new com.thephillymojo.ws.localstack.dataplane.CachePlane(() -> cacheBackends, this::certificateAuthority,
                dataDirectory.resolve("caches"), watchdog, scheduler, this::writeTaskHosts);
        loadBalancers = new com.thephillymojo.ws.localstack.dataplane.LoadBalancerPlane(() -> elbBackends,
                listenerArn -> backend("acm", listenerArn.split(":")[3], com.thephillymojo.ws.localstack.acm.AcmBackend.class),
                this::certificateAuthority, scheduler, threads, options.writeHook());
        EcrRegistryView images = new EcrRegistryView(() -> ecrBackends);
        tasks = new com.thephillymojo.ws.localstack.dataplane.TaskPlane(() -> ecsBackends,
                region -> backend("elasticloadbalancing", region, com.thephillymojo.ws.localstack.elbv2.Elbv2Backend.class),
                region -> backend("secretsmanager", region, com.thephillymojo.ws.localstack.secrets.SecretsBackend.class),
                region -> backend("logs", region, com.thephillymojo.ws.localstack.logs.LogsBackend.class),
                new com.thephillymojo.ws.localstack.dataplane.Images(images, registry, dataDirectory.resolve("images")),
                this::registryHost, scheduler, threads, watchdog, this::taskJvmSetup, options.writeHook());
    }

    /** Starts on {@code port} (0 = a free one), on 127.0.0.1. */
    public static LocalAws start(int port) {
        return start(port, DEFAULT_ACCOUNT);
    }

    public static LocalAws start(int port, String account) {
        return start(Options.defaults().port(port).account(account));
    }

    public static LocalAws start(Options options) {
        LocalAws aws;
        try {
            aws = new LocalAws(options);
        } catch (IOException e) {
            throw new IllegalStateException("LocalAws could not start on port " + options.port() + ": " + e.getMessage(), e);
        }
        aws.server.start();
        return aws;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The endpoint every service answers on: give it to {@code endpointOverride} / {@code --endpoint-url}. */
    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** host:port of the registry (its own listener, as ECR's), the prefix of every repositoryUri. */
    public String registryHost() {
        return "127.0.0.1:" + registryServer().port();
    }

    /** The registry's listener starts when a repository first needs its address, off the emulator's cold start. */
    private synchronized com.thephillymojo.ws.localstack.registry.RegistryServer registryServer() {
        if (registryServer == null) {
            try {
                registryServer = new com.thephillymojo.ws.localstack.registry.RegistryServer(registry);
            } catch (Exception e) {
                throw new IllegalStateException("the registry could not start: " + e.getMessage(), e);
            }
        }
        return registryServer;
    }

    public String account() {
        return account;
    }

    /** A service's backend in a region, for the data plane and for tests that look inside. */
    public <T> T backend(String signingName, String region, Class<T> type) {
        return type.cast(dispatcher.backend(signingName, region));
    }

    EcrBackend newEcrBackend(String region, String account) {
        EcrBackend backend = new EcrBackend(region, account, this::registryHost, registryPasswords);
        ecrBackends.add(backend);
        return backend;
    }

    /** Where each load balancer listener listens on this machine (its DNS name and port → 127.0.0.1:local port). */
    public List<com.thephillymojo.ws.localstack.dataplane.LoadBalancerPlane.Mapping> listenerMappings() {
        return loadBalancers == null ? List.of() : loadBalancers.mappings();
    }

    /**
     * Resolves a name the way a client on this machine should reach it: a Route53 name (following an
     * alias to a load balancer) or a load balancer's DNS name, and its port → the listener's local
     * address. Empty when the emulator knows no such name or listener.
     */
    @Override
    public Optional<InetSocketAddress> resolve(String host, int port) {
        if (caches != null) {
            InetSocketAddress cache = caches.names().get(host.toLowerCase(Locale.ROOT));
            if (cache != null && cache.getPort() == port) {
                try {
                    return Optional.of(new InetSocketAddress(InetAddress.getByAddress(host, cache.getAddress().getAddress()), port));
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        String name = com.thephillymojo.ws.localstack.route53.Route53Backend.normalise(host);
        String target = name;
        for (var rr : backend("route53", DEFAULT_REGION, com.thephillymojo.ws.localstack.route53.Route53Backend.class).lookup(name)) {
            if (rr.aliasTarget() != null) {
                target = com.thephillymojo.ws.localstack.route53.Route53Backend.normalise(rr.aliasTarget().dnsName());
            }
        }
        for (var m : listenerMappings()) {
            if (com.thephillymojo.ws.localstack.route53.Route53Backend.normalise(m.dnsName()).equals(target) && m.listenerPort() == port) {
                try {
                    // the address keeps the name asked for, so TLS clients verify the certificate against it
                    return Optional.of(new InetSocketAddress(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}), m.localPort()));
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Optional.empty();
    }

    /** A trust store holding the emulator's CA, for TLS clients in this JVM (Jetty's SslContextFactory, the JDK's). */
    @Override
    public java.security.KeyStore trustStore() {
        try {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("localaws-ca", certificateAuthority().root());
            return store;
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The emulator CA's PEM as a file, for clients outside the JVM (curl --cacert, a browser's trust store). */
    @Override
    public synchronized Path caFile() {
        Path file = dataDirectory.resolve("ca.pem");
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, certificateAuthority().pem());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * How a client outside this JVM reaches each name the emulator serves: per name and listener
     * port, the local address, and the arguments curl and Chromium take to use it.
     */
    @Override
    public List<String> accessHints() {
        List<String> hints = new java.util.ArrayList<>();
        Map<String, String> names = new java.util.LinkedHashMap<>();
        backend("route53", DEFAULT_REGION, com.thephillymojo.ws.localstack.route53.Route53Backend.class).aliases()
                .forEach((name, target) -> names.put(name.substring(0, name.length() - 1), target));
        for (var m : listenerMappings()) {
            names.putIfAbsent(m.dnsName(), com.thephillymojo.ws.localstack.route53.Route53Backend.normalise(m.dnsName()));
        }
        for (var e : names.entrySet()) {
            for (var m : listenerMappings()) {
                if (com.thephillymojo.ws.localstack.route53.Route53Backend.normalise(m.dnsName()).equals(e.getValue())) {
                    String scheme = m.protocol().equals("HTTPS") ? "https" : "http";
                    hints.add(e.getKey() + ":" + m.listenerPort() + " -> 127.0.0.1:" + m.localPort()
                            + "   curl" + (scheme.equals("https") ? " --cacert " + caFile() : "") + " --connect-to " + e.getKey() + ":"
                            + m.listenerPort() + ":127.0.0.1:" + m.localPort() + " " + scheme + "://" + e.getKey() + "/"
                            + "   chromium --host-resolver-rules=\"MAP " + e.getKey() + ":" + m.listenerPort() + " 127.0.0.1:" + m.localPort() + "\"");
                }
            }
        }
        if (caches != null) {
            caches.names().forEach((name, address) -> hints.add(name + ":" + address.getPort() + " -> " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + "   redis-cli -h " + address.getAddress().getHostAddress() + " -p " + address.getPort()
                    + " --tls --sni " + name + " --cacert " + caFile() + " --user default --askpass   (without --tls and --cacert when transit encryption is off)"));
        }
        return hints;
    }

    /** The certificate authority of this emulator instance: trust its PEM to talk TLS to the load balancer. */
    public synchronized com.thephillymojo.ws.localstack.acm.CertificateAuthority certificateAuthority() {
        if (authority == null) {
            authority = new com.thephillymojo.ws.localstack.acm.CertificateAuthority();
        }
        return authority;
    }

    com.thephillymojo.ws.localstack.acm.AcmBackend newAcmBackend(String region, String account) {
        return new com.thephillymojo.ws.localstack.acm.AcmBackend(region, account, this::certificateAuthority,
                () -> backend("route53", region, com.thephillymojo.ws.localstack.route53.Route53Backend.class), scheduler,
                java.time.Duration.ofMillis(Long.getLong("localaws.acm.checkMillis", 1000)),
                java.time.Duration.ofMillis(Long.getLong("localaws.acm.validationTimeoutMillis", java.time.Duration.ofHours(72).toMillis())));
    }

    com.thephillymojo.ws.localstack.ecs.EcsBackend newEcsBackend(String region, String account) {
        var backend = new com.thephillymojo.ws.localstack.ecs.EcsBackend(region, account,
                subnet -> backend("ec2", region, com.thephillymojo.ws.localstack.ec2.Ec2Backend.class).availabilityZoneOf(subnet));
        ecsBackends.add(backend);
        return backend;
    }

    /** The task processes the emulator runs now (for tests that check nothing is left behind). */
    public List<ProcessHandle> taskProcesses() {
        return tasks == null ? List.of() : tasks.processes();
    }

    /** The cache nodes (redis-server processes) the emulator runs now. */
    public List<ProcessHandle> cacheProcesses() {
        return caches == null ? List.of() : caches.processes();
    }

    com.thephillymojo.ws.localstack.elasticache.ElastiCacheBackend newElastiCacheBackend(String region, String account) {
        var backend = new com.thephillymojo.ws.localstack.elasticache.ElastiCacheBackend(region, account,
                () -> backend("ec2", region, com.thephillymojo.ws.localstack.ec2.Ec2Backend.class));
        cacheBackends.add(backend);
        return backend;
    }

    private void served(String accessKeyId, String action) {
        actionsServed.computeIfAbsent(accessKeyId, k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(action);
        recordings.forEach(r -> r.heard(accessKeyId, action));
    }

    private final List<Recording> recordings = new CopyOnWriteArrayList<>();

    /** The IAM actions served to one access key from now until {@link #close()}: what one command called. */
    public final class Recording implements AutoCloseable {
        private final String accessKeyId;
        private final Set<String> actions = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private Recording(String accessKeyId) {
            this.accessKeyId = accessKeyId;
        }

        private void heard(String key, String action) {
            if (key.equals(accessKeyId)) {
                actions.add(action);
            }
        }

        public java.util.SortedSet<String> actions() {
            return new java.util.TreeSet<>(actions);
        }

        @Override
        public void close() {
            recordings.remove(this);
        }
    }

    public Recording record(String accessKeyId) {
        Recording recording = new Recording(accessKeyId);
        recordings.add(recording);
        return recording;
    }

    /** The IAM actions served so far to callers signing with this access key, sorted ({@code ecr:PutImage}, {@code ecs:CreateService}, …). */
    public java.util.SortedSet<String> actionsServed(String accessKeyId) {
        return new java.util.TreeSet<>(actionsServed.getOrDefault(accessKeyId, Set.of()));
    }

    /**
     * The tasks' hosts file, written again whenever a cache's names change: the JDK reads it at each
     * lookup, so running tasks follow a new replica or a group deleted.
     */
    private synchronized void writeTaskHosts() {
        try {
            if (hostName == null) {
                hostName = InetAddress.getLocalHost().getHostName();
            }
            StringBuilder hosts = new StringBuilder("127.0.0.1 localhost " + hostName + "\n::1 localhost\n");
            if (caches != null) {
                caches.names().forEach((name, address) -> hosts.append(address.getAddress().getHostAddress()).append(' ').append(name).append('\n'));
            }
            Path file = dataDirectory.resolve("task-hosts");
            Path temporary = dataDirectory.resolve("task-hosts.tmp");
            Files.writeString(temporary, hosts.toString());
            // a task reading it meanwhile sees the old file or the new one, never half of one
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tasks' hosts file: " + e.getMessage(), e);
        }
    }

    /**
     * What a task's JVM is given, as a Fargate task is given its VPC: the names it can resolve (the
     * cache endpoints, in a hosts file the JDK reads instead of the system's) and the trust roots of
     * its TLS peers (the JDK's, plus this emulator's CA, which signs what AWS's public CAs sign there).
     */
    private synchronized void taskJvmSetup(List<String> arguments) {
        try {
            Path hostsFile = dataDirectory.resolve("task-hosts");
            if (!Files.exists(hostsFile)) {
                writeTaskHosts();
            }
            Path trustFile = dataDirectory.resolve("task-truststore.p12");
            if (!Files.exists(trustFile)) {
                java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
                try (InputStream system = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
                    java.security.KeyStore cacerts = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
                    cacerts.load(system, null);
                    store.load(null, null);
                    for (String alias : java.util.Collections.list(cacerts.aliases())) {
                        store.setCertificateEntry(alias, cacerts.getCertificate(alias));
                    }
                }
                store.setCertificateEntry("localaws-ca", certificateAuthority().root());
                try (OutputStream out = Files.newOutputStream(trustFile)) {
                    store.store(out, "changeit".toCharArray());
                }
            }
            arguments.addAll(List.of("-Djdk.net.hosts.file=" + hostsFile, "-Djavax.net.ssl.trustStore=" + trustFile,
                    "-Djavax.net.ssl.trustStoreType=PKCS12", "-Djavax.net.ssl.trustStorePassword=changeit"));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare a task's names and trust roots: " + e.getMessage(), e);
        }
    }

    com.thephillymojo.ws.localstack.elbv2.Elbv2Backend newElbv2Backend(String region, String account) {
        var backend = new com.thephillymojo.ws.localstack.elbv2.Elbv2Backend(region, account,
                () -> backend("ec2", region, com.thephillymojo.ws.localstack.ec2.Ec2Backend.class),
                () -> backend("acm", region, com.thephillymojo.ws.localstack.acm.AcmBackend.class));
        elbBackends.add(backend);
        return backend;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        server.stop(0);
        scheduler.shutdownNow();
        if (tasks != null) {
            tasks.close();
            loadBalancers.close();
            caches.close();
        }
        watchdog.close();
        synchronized (this) {
            if (registryServer != null) {
                registryServer.close();
            }
        }
        threads.shutdownNow();
        try (var files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp directory left behind is not worth failing a close
        }
    }

    /** The single edge: registry paths, then the AWS protocols. */
    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/_localaws/listeners")) {
                StringBuilder json = new StringBuilder("[");
                for (var m : listenerMappings()) {
                    json.append(json.length() > 1 ? "," : "").append("{\"loadBalancerArn\":\"").append(m.loadBalancerArn())
                            .append("\",\"dnsName\":\"").append(m.dnsName()).append("\",\"port\":").append(m.listenerPort())
                            .append(",\"protocol\":\"").append(m.protocol()).append("\",\"localAddress\":\"127.0.0.1:").append(m.localPort()).append("\"}");
                }
                reply(exchange, 200, "application/json", json.append("]").toString().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.equals("/_localaws/hints")) {
                reply(exchange, 200, "text/plain", (String.join("\n", accessHints()) + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.equals("/_localaws/resolve")) {
                Map<String, String> query = new HashMap<>();
                String raw = exchange.getRequestURI().getQuery();
                for (String pair : raw == null ? new String[0] : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        query.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                Optional<InetSocketAddress> address;
                try {
                    address = resolve(query.getOrDefault("host", ""), Integer.parseInt(query.getOrDefault("port", "")));
                } catch (NumberFormatException e) {
                    reply(exchange, 400, "text/plain", "resolve?host=NAME&port=PORT".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (address.isEmpty()) {
                    reply(exchange, 404, "text/plain", ("no name " + query.get("host") + ":" + query.get("port")).getBytes(StandardCharsets.UTF_8));
                } else {
                    reply(exchange, 200, "text/plain", (address.get().getAddress().getHostAddress() + ":" + address.get().getPort())
                            .getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            if (path.equals("/_localaws/ca.pem")) {
                reply(exchange, 200, "application/x-pem-file", certificateAuthority().pem().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.equals("/_localaws/health")) {
                reply(exchange, 200, "application/json", "{\"status\":\"running\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Optional<Dispatcher.Reply> answer = dispatcher.handle(exchange.getRequestMethod(), path,
                    exchange.getRequestURI().getRawQuery(), headers,
                    exchange.getRequestHeaders().getFirst("Content-Type"), body);
            if (answer.isEmpty()) {
                reply(exchange, 404, "text/plain", ("no emulated AWS service answers " + exchange.getRequestMethod() + " " + path)
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            reply(exchange, answer.get().status(), answer.get().contentType(), answer.get().body());
        } catch (RuntimeException e) {
            reply(exchange, 500, "text/plain", String.valueOf(e).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
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
