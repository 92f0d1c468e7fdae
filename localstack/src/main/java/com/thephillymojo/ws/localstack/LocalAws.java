package com.thephillymojo.ws.localstack;

import com.thephillymojo.ws.localstack.acm.CertificateAuthority;
import com.thephillymojo.ws.localstack.dataplane.CachePlane;
import com.thephillymojo.ws.localstack.dataplane.Images;
import com.thephillymojo.ws.localstack.dataplane.LoadBalancerPlane;
import com.thephillymojo.ws.localstack.dataplane.TaskPlane;
import com.thephillymojo.ws.localstack.dataplane.Watchdog;
import com.thephillymojo.ws.localstack.dataplane.WriteHook;
import com.thephillymojo.ws.localstack.ecr.EcrBackend;
import com.thephillymojo.ws.localstack.ecr.EcrRegistryView;
import com.thephillymojo.ws.localstack.protocol.Dispatcher;
import com.thephillymojo.ws.localstack.registry.Registry;
import com.thephillymojo.ws.localstack.registry.RegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Our own local AWS: one HTTP endpoint on 127.0.0.1 ({@link Edge}) that answers the AWS SDK
 * ({@code endpointOverride}) and the AWS CLI ({@code --endpoint-url}) for every emulated service, as
 * LocalStack's edge port does, plus the OCI registry behind ECR on a port of its own, at the
 * {@code repositoryUri} the API returns; and the data plane that makes what the backends say happen
 * on this machine (tasks, load balancers, caches). Requests are routed by {@code X-Amz-Target}, by
 * {@code Action} and the SigV4 credential scope; the region comes from the request; the account is
 * {@value #DEFAULT_ACCOUNT} unless told otherwise. This class wires the parts and is their front.
 */
public final class LocalAws implements AutoCloseable, EmulatorView {
    public static final String DEFAULT_ACCOUNT = "000000000000";
    public static final String DEFAULT_REGION = "us-east-1";

    /**
     * The emulator's clock: how long AWS takes to do what it does asynchronously. {@link #AWS} is
     * AWS's pace, as far as the emulator mimics it; the local environment and tests run faster.
     *
     * @param healthCheckScale             health checks' intervals, timeouts and the deregistration delay, times this
     * @param loadBalancerProvisioning     how long a new load balancer is {@code provisioning}
     * @param dnsSync                      how long a Route53 change is {@code PENDING}
     * @param certificateCheck             how often ACM looks for a certificate's validation records
     * @param certificateValidationTimeout how long before an unvalidated certificate is {@code VALIDATION_TIMED_OUT}
     */
    public record Timing(double healthCheckScale, Duration loadBalancerProvisioning, Duration dnsSync, Duration certificateCheck,
                         Duration certificateValidationTimeout) {
        public static final Timing AWS = new Timing(1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofHours(72));

        public Timing healthCheckScale(double value) {
            return new Timing(value, loadBalancerProvisioning, dnsSync, certificateCheck, certificateValidationTimeout);
        }

        public Timing loadBalancerProvisioning(Duration value) {
            return new Timing(healthCheckScale, value, dnsSync, certificateCheck, certificateValidationTimeout);
        }

        public Timing dnsSync(Duration value) {
            return new Timing(healthCheckScale, loadBalancerProvisioning, value, certificateCheck, certificateValidationTimeout);
        }

        public Timing certificateCheck(Duration value) {
            return new Timing(healthCheckScale, loadBalancerProvisioning, dnsSync, value, certificateValidationTimeout);
        }

        public Timing certificateValidationTimeout(Duration value) {
            return new Timing(healthCheckScale, loadBalancerProvisioning, dnsSync, certificateCheck, value);
        }

        /**
         * The knobs by name, as the runbook's {@code emulator.*} settings and the standalone
         * emulator's {@code -Dlocalaws.*} properties name them: a scale, or milliseconds.
         */
        public static final Set<String> KNOBS = Set.of("healthcheck.scale", "elbv2.provisioningMillis", "route53.syncMillis",
                "acm.checkMillis", "acm.validationTimeoutMillis");

        /** This clock with the named knobs set ({@link #KNOBS}); an unknown name or a value that is no number of 0 or more is refused. */
        public Timing with(Map<String, String> knobs) {
            Timing t = this;
            for (Map.Entry<String, String> knob : knobs.entrySet()) {
                double value;
                try {
                    value = Double.parseDouble(knob.getValue());
                } catch (NumberFormatException e) {
                    value = -1;
                }
                if (value < 0 || !KNOBS.contains(knob.getKey())) {
                    throw new IllegalArgumentException(KNOBS.contains(knob.getKey()) ? knob.getKey() + " is a number of 0 or more, not '"
                            + knob.getValue() + "'" : "no knob " + knob.getKey() + " (the knobs: " + new TreeSet<>(KNOBS) + ")");
                }
                Duration millis = Duration.ofMillis((long) value);
                t = switch (knob.getKey()) {
                    case "healthcheck.scale" -> t.healthCheckScale(value);
                    case "elbv2.provisioningMillis" -> t.loadBalancerProvisioning(millis);
                    case "route53.syncMillis" -> t.dnsSync(millis);
                    case "acm.checkMillis" -> t.certificateCheck(millis);
                    default -> t.certificateValidationTimeout(millis);
                };
            }
            return t;
        }
    }

    /**
     * How an emulator starts. {@code dataPlane=false} serves the APIs only: no task runs, no listener
     * listens, no health check changes a target — for API tests that must not depend on the data
     * plane's timing. {@code writeHook} is the data plane's test seam ({@link WriteHook}); {@code redisServer}
     * the program a cache node runs; {@code javaHome} the Java a task's JVM image runs on.
     */
    public record Options(int port, String account, boolean dataPlane, WriteHook writeHook, Timing timing, String redisServer, Path javaHome,
                          boolean enforceIam, Faults faults) {
        /** AWS's pace, Debian's {@code redis-server} on the PATH, tasks on the Java this emulator runs on, IAM not enforced. */
        public static Options defaults() {
            return new Options(0, DEFAULT_ACCOUNT, true, WriteHook.NONE, Timing.AWS, "redis-server", Jvm.home(), false, Faults.NONE);
        }

        /** AWS's eventual consistency and limits, as {@link Faults} (none by default). */
        public Options faults(Faults value) {
            return new Options(port, account, dataPlane, writeHook, timing, redisServer, javaHome, enforceIam, value);
        }

        /** Every call signed by a role's session decided by that role's policies ({@link Authorization}). */
        public Options enforceIam(boolean value) {
            return new Options(port, account, dataPlane, writeHook, timing, redisServer, javaHome, value, faults);
        }

        public Options port(int value) {
            return new Options(value, account, dataPlane, writeHook, timing, redisServer, javaHome, enforceIam, faults);
        }

        public Options account(String value) {
            return new Options(port, value, dataPlane, writeHook, timing, redisServer, javaHome, enforceIam, faults);
        }

        public Options dataPlane(boolean value) {
            return new Options(port, account, value, writeHook, timing, redisServer, javaHome, enforceIam, faults);
        }

        public Options writeHook(WriteHook value) {
            return new Options(port, account, dataPlane, value, timing, redisServer, javaHome, enforceIam, faults);
        }

        public Options timing(Timing value) {
            return new Options(port, account, dataPlane, writeHook, value, redisServer, javaHome, enforceIam, faults);
        }

        public Options redisServer(String value) {
            return new Options(port, account, dataPlane, writeHook, timing, value, javaHome, enforceIam, faults);
        }
    }

    private final Options options;
    private final ExecutorService threads;
    private final ScheduledExecutorService scheduler;
    private final Path dataDirectory;
    private final Dispatcher dispatcher;
    private final FaultInjector faults;
    private final Registry registry;
    private final Map<String, String> registryPasswords = EcrBackend.newPasswordStore();
    private final ActionLog actions = new ActionLog();
    private final LocalNetwork network;
    private final Watchdog watchdog;
    private final Edge edge;
    private final Optional<LoadBalancerPlane> loadBalancers;
    private final Optional<TaskPlane> tasks;
    /** Assigned once, in the constructor, after the network that its names change (hence not final). */
    private Optional<CachePlane> caches = Optional.empty();
    private RegistryServer registryServer;          // started on first need
    private CertificateAuthority authority;         // made on first need (key generation)

    private LocalAws(Options options) throws IOException {
        this.options = options;
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "localaws");
            t.setDaemon(true);
            return t;
        });
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "localaws-scheduler");
            t.setDaemon(true);
            return t;
        });
        dataDirectory = Files.createTempDirectory("localaws-");
        dispatcher = new Dispatcher(Services.all(options.timing(), this::backend, this::registryHost, registryPasswords, this::certificateAuthority,
                scheduler), options.account(), DEFAULT_REGION, actions::served);
        dispatcher.refuseKeys(key -> backend(Backend.STS, DEFAULT_REGION).refuses(key));
        Authorization authorization = new Authorization(options.enforceIam(), () -> backend(Backend.IAM, DEFAULT_REGION),
                () -> backend(Backend.STS, DEFAULT_REGION));
        dispatcher.guard((signingName, protocol, operation, request, context) -> {
            // what a call needs besides its own action is heard whether or not IAM is enforced: the deployer policy's test reads it
            Permissions.implied(signingName, operation, request, context.region(), context.account())
                    .forEach(action -> actions.served(context.accessKeyId(), action));
            authorization.check(signingName, protocol, operation, request, context);
        });
        faults = new FaultInjector(options.faults(), () -> backend(Backend.IAM, DEFAULT_REGION), region -> backend(Backend.ECS, region));
        dispatcher.intercept(faults);
        EcrRegistryView images = new EcrRegistryView(() -> backends(Backend.ECR));
        registry = new Registry(dataDirectory.resolve("registry"), images, registryPasswords, actions::served,
                (key, action, repository) -> authorization.registry(key, action, repository, DEFAULT_REGION, options.account()));
        watchdog = new Watchdog(dataDirectory.resolve("pids"));
        network = new LocalNetwork(() -> backend(Backend.ROUTE53, DEFAULT_REGION), this::listenerMappings, () -> this.caches,
                this::certificateAuthority, dataDirectory);
        if (options.dataPlane()) {
            caches = Optional.of(new CachePlane(() -> backends(Backend.ELASTICACHE), this::certificateAuthority, dataDirectory.resolve("caches"),
                    watchdog, scheduler, network::writeTaskHosts, options.redisServer()));
            loadBalancers = Optional.of(new LoadBalancerPlane(() -> backends(Backend.ELBV2),
                    listenerArn -> backend(Backend.ACM, listenerArn.split(":")[3]), this::certificateAuthority, scheduler, threads,
                    options.writeHook(), options.timing().healthCheckScale()));
            tasks = Optional.of(new TaskPlane(() -> backends(Backend.ECS), region -> backend(Backend.ELBV2, region),
                    region -> backend(Backend.SECRETS_MANAGER, region), region -> backend(Backend.LOGS, region),
                    new Images(images, registry, dataDirectory.resolve("images")), this::registryHost, scheduler, threads, watchdog,
                    network::taskJvmSetup, options.javaHome(), options.writeHook()));
        } else {
            loadBalancers = Optional.empty();
            tasks = Optional.empty();
        }
        edge = new Edge(options.port(), threads, dispatcher, network, this::listenerMappings, () -> certificateAuthority().pem());
    }

    /** Starts on {@code port} (0 = a free one), on 127.0.0.1. */
    public static LocalAws start(int port) {
        return start(Options.defaults().port(port));
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
        aws.edge.start();
        return aws;
    }

    public int port() {
        return edge.port();
    }

    /** The endpoint every service answers on: give it to {@code endpointOverride} / {@code --endpoint-url}. */
    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public String account() {
        return options.account();
    }

    /** host:port of the registry (its own listener, as ECR's), the prefix of every repositoryUri. */
    public String registryHost() {
        return "127.0.0.1:" + registryServer().port();
    }

    /** The registry's listener starts when a repository first needs its address, off the emulator's cold start. */
    private synchronized RegistryServer registryServer() {
        if (registryServer == null) {
            try {
                registryServer = new RegistryServer(registry);
            } catch (Exception e) {
                throw new IllegalStateException("the registry could not start: " + e.getMessage(), e);
            }
        }
        return registryServer;
    }

    /** A service's backend in a region (made on first use), for the data plane and for tests that look inside. */
    public <T> T backend(Backend<T> service, String region) {
        return service.type().cast(dispatcher.backend(service.signingName(), region));
    }

    /** The faults injected so far ({@link Options#faults}), by AWS's error code. */
    public Map<String, Integer> faultsMet() {
        return faults.met();
    }

    /** How requests become calls and answers: for the tests of the wire format. */
    Dispatcher dispatcher() {
        return dispatcher;
    }

    /** A service's backends made so far, in every region. */
    public <T> List<T> backends(Backend<T> service) {
        return dispatcher.backends(service.signingName()).stream().map(service.type()::cast).toList();
    }

    /** The certificate authority of this emulator instance: trust its PEM to talk TLS to the load balancer. */
    public synchronized CertificateAuthority certificateAuthority() {
        if (authority == null) {
            authority = new CertificateAuthority();
        }
        return authority;
    }

    /** Where each load balancer listener listens on this machine (its DNS name and port → 127.0.0.1:local port). */
    public List<LoadBalancerPlane.Mapping> listenerMappings() {
        return loadBalancers.map(LoadBalancerPlane::mappings).orElse(List.of());
    }

    // ---- the local network (EmulatorView) --------------------------------------------------------

    @Override
    public Optional<InetSocketAddress> resolve(String host, int port) {
        return network.resolve(host, port);
    }

    @Override
    public KeyStore trustStore() {
        return network.trustStore();
    }

    @Override
    public Path caFile() {
        return network.caFile();
    }

    @Override
    public List<String> accessHints() {
        return network.accessHints();
    }

    // ---- what runs, what was served --------------------------------------------------------------

    /** The task processes the emulator runs now (for tests that check nothing is left behind). */
    public List<ProcessHandle> taskProcesses() {
        return tasks.map(TaskPlane::processes).orElse(List.of());
    }

    /** The cache nodes (redis-server processes) the emulator runs now. */
    public List<ProcessHandle> cacheProcesses() {
        return caches.map(CachePlane::processes).orElse(List.of());
    }

    /** The IAM actions served to one access key from now until the recording is closed: what one command called. */
    public ActionLog.Recording record(String accessKeyId) {
        return actions.record(accessKeyId);
    }

    /** The IAM actions served so far to callers signing with this access key, sorted ({@code ecr:PutImage}, {@code ecs:CreateService}, …). */
    public SortedSet<String> actionsServed(String accessKeyId) {
        return actions.servedTo(accessKeyId);
    }

    @Override
    public void close() {
        edge.close();
        scheduler.shutdownNow();
        tasks.ifPresent(TaskPlane::close);
        loadBalancers.ifPresent(LoadBalancerPlane::close);
        caches.ifPresent(CachePlane::close);
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

    /**
     * {@code localstack/bin/localstack --port 4566 [--enforce-iam]}: runs the emulator until SIGTERM,
     * printing one line when it is ready.
     */
    public static void main(String[] args) throws Exception {
        int port = 4566;
        boolean enforceIam = false;
        Faults faults = Faults.NONE;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--enforce-iam")) {
                enforceIam = true;
            } else if (args[i].equals("--faults") && i + 1 < args.length) {
                try {
                    faults = Faults.parse(args[++i]);
                } catch (IllegalArgumentException e) {
                    System.err.println("localstack: " + e.getMessage());
                    System.exit(2);
                }
            } else if (args[i].equals("--port") && i + 1 < args.length) {
                try {
                    port = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    System.err.println("localstack: --port takes a number, not '" + args[i] + "'");
                    System.exit(2);
                }
            } else {
                System.err.println("localstack: usage: localstack [--port PORT] [--enforce-iam] [--faults none|realistic[:SEED]|iam=5s,throttle=10/4,errors=0.02,lag=1s,seed=N]");
                System.exit(2);
            }
        }
        // the clock's knobs and the cache nodes' program, as -Dlocalaws.KNOB and -Dlocalaws.redisServer
        Map<String, String> knobs = new HashMap<>();
        for (String knob : Timing.KNOBS) {
            Optional.ofNullable(System.getProperty("localaws." + knob)).ifPresent(v -> knobs.put(knob, v));
        }
        Options options;
        try {
            options = Options.defaults().port(port).enforceIam(enforceIam).faults(faults).timing(Timing.AWS.with(knobs))
                    .redisServer(System.getProperty("localaws.redisServer", "redis-server"));
        } catch (IllegalArgumentException e) {
            System.err.println("localstack: -Dlocalaws." + e.getMessage());
            System.exit(2);
            return;
        }
        LocalAws aws = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(aws::close, "localaws-stop"));
        System.out.println("localstack ready: " + aws.endpoint() + " (account " + aws.account() + ", region " + DEFAULT_REGION
                + (enforceIam ? ", IAM enforced on role sessions" : "") + (faults.any() ? ", faults " + faults : "") + ")");
        System.out.flush();
        Thread.currentThread().join();
    }
}
