package com.thephillymojo.ws.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.TrustManagerFactory;

/**
 * One task's connection to Redis (Lettuce: one thread-safe connection multiplexes every command,
 * and reconnects by itself), and the Lua scripts the store's atomic steps are made of — each sent
 * once, then run by its digest.
 */
public final class Redis implements AutoCloseable {
    /** How long a command may take before the store is reported unavailable. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** How long a command not carried out waits before it is sent again. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(100);

    private final RedisClient client;
    private final io.lettuce.core.resource.ClientResources resources;
    private final Link link;
    private final Map<String, String> digests = new ConcurrentHashMap<>();
    private final LongAdder roundTrips = new LongAdder();

    private Redis(RedisClient client, io.lettuce.core.resource.ClientResources resources) {
        this.client = client;
        this.resources = resources;
        this.link = new Link(client::connect);
    }

    /** {@code redis://…} or {@code rediss://…}, with user and password as the URI says; TLS trusts the system's CAs. */
    public static Redis connect(String uri) {
        return connect(uri, Optional.empty());
    }

    /**
     * As {@link #connect(String)}; over TLS ({@code rediss://}) the server's certificate may also be
     * signed by the CA in {@code caFile} (PEM), besides the system's: ElastiCache's certificates chain to
     * public CAs, a local Redis's to a CA of its own. Host names are verified.
     */
    public static Redis connect(String uri, Optional<Path> caFile) {
        RedisURI parsed = parse(uri);
        parsed.setTimeout(COMMAND_TIMEOUT);
        // names resolve through the JDK (the system's resolver, /etc/hosts, the JVM's DNS cache), not
        // Netty's own DNS client: what the host's resolver says is what the server connects to
        // a lost link is tried again soon and often (at most a second apart): a failover takes seconds, not minutes
        io.lettuce.core.resource.ClientResources resources = io.lettuce.core.resource.ClientResources.builder()
                .addressResolverGroup(io.netty.resolver.DefaultAddressResolverGroup.INSTANCE)
                .reconnectDelay(io.lettuce.core.resource.Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, parsed);
        // a command waits at most COMMAND_TIMEOUT, and fails at once while the connection is down
        // (it reconnects by itself), so a player hears "unavailable" instead of waiting on a dead link
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).keepAlive(true).build());
        if (caFile.isPresent()) {
            options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(trustingSystemAnd(caFile.get())).build());
        }
        client.setOptions(options.build());
        try {
            return new Redis(client, resources);
        } catch (RedisException e) {
            client.shutdown();
            resources.shutdown();
            // the URI's host and port, never its password
            throw new PlayStore.Unavailable("cannot connect to Redis at " + parsed.getHost() + ":" + parsed.getPort() + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
            throw e;
        }
    }

    /** A Redis URI, or IllegalArgumentException saying what is wrong (never echoing a password). */
    public static RedisURI parse(String uri) {
        String scheme = uri.contains("://") ? uri.substring(0, uri.indexOf("://")) : "";
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("a Redis URL is redis://[user:password@]host:port or rediss://… (TLS), not a '"
                    + scheme + "' URL");
        }
        java.net.URI checked;
        try {
            checked = java.net.URI.create(uri);
        } catch (IllegalArgumentException e) {
            checked = null;
        }
        // java.net.URI finds no host where the authority is not host[:port] (a port that is not a number)
        if (checked == null || checked.getHost() == null || checked.getHost().isEmpty()) {
            throw new IllegalArgumentException("a Redis URL is redis://[user:password@]host:port or rediss://… (TLS); this one has "
                    + "no host and port that can be read");
        }
        try {
            return RedisURI.create(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a Redis URL is redis://[user:password@]host:port or rediss://… (TLS); this one is not");
        }
    }

    private static TrustManagerFactory trustingSystemAnd(Path caFile) {
        try {
            // the JDK's own trusted CAs (as its default trust manager has them), then the file's
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            int n = 0;
            for (javax.net.ssl.TrustManager manager : system.getTrustManagers()) {
                if (manager instanceof javax.net.ssl.X509TrustManager x509) {
                    for (java.security.cert.X509Certificate ca : x509.getAcceptedIssuers()) {
                        trusted.setCertificateEntry("system-" + n++, ca);
                    }
                }
            }
            int system0 = n;
            try (InputStream pem = Files.newInputStream(caFile)) {
                for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                    trusted.setCertificateEntry("redis-ca-" + n++, ca);
                }
            }
            if (n == system0) {
                throw new IllegalArgumentException(caFile + " holds no PEM certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the Redis CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Commands sent (each one round trip to Redis; a script is one), since this connection opened. */
    public long roundTrips() {
        return roundTrips.sum();
    }

    /** The plain commands, for tools and tests; the store goes through {@link #call}. */
    public RedisCommands<String, String> commands() {
        return link.connection().sync();
    }

    /**
     * One command, waited for at most {@link #COMMAND_TIMEOUT}. A failure after which it was certainly
     * not carried out — the link down, the node no primary since a failover, loading — is tried
     * again (a new connection where the node is no primary) until that time is up; any other failure
     * to reach Redis (a timeout, a link lost with the command out) is thrown as
     * {@link PlayStore.Unavailable} at once: it may have been carried out.
     */
    public <T> T call(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        return retrying(link, command);
    }

    /** {@link #call} on another link (the replicated writes' own). */
    <T> T retrying(Link on, Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (true) {
            StatefulRedisConnection<String, String> connection = on.connection();
            roundTrips.increment();
            try {
                RedisFuture<T> future;
                try {
                    future = command.apply(connection.async());
                } catch (RedisException refused) {
                    throw new PlayStore.Unavailable("Redis: " + refused.getMessage(), refused);
                }
                return await(future);
            } catch (PlayStore.Unavailable e) {
                if (!again(on, connection, e, deadline)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Whether a failed command may be sent again before {@code deadline}: it was not carried out and
     * there is time; waits a moment first (and opens a new connection where the node is no primary).
     */
    boolean again(Link on, StatefulRedisConnection<String, String> connection, PlayStore.Unavailable failure, long deadline) {
        Throwable cause = failure.getCause();
        if (!Link.notCarriedOut(cause) || System.nanoTime() + RETRY_PAUSE.toNanos() > deadline) {
            return false;
        }
        if (Link.notPrimary(cause)) {
            on.reopen(connection);
        }
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /** A command's answer, waited for at most {@link #COMMAND_TIMEOUT}, failures as {@link #call} throws them. */
    static <T> T await(java.util.concurrent.Future<T> future) {
        try {
            return future.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new PlayStore.Unavailable("Redis did not answer within " + COMMAND_TIMEOUT.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisNoScriptException noScript) {
                throw noScript;
            }
            throw new PlayStore.Unavailable("Redis: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlayStore.Unavailable("interrupted while waiting for Redis", e);
        } catch (RedisException e) {
            throw new PlayStore.Unavailable("Redis: " + e.getMessage(), e);
        }
    }

    /** A script's digest, loaded into Redis the first time it is asked for. */
    String digest(String body) {
        return digests.computeIfAbsent(body, b -> call(c -> c.scriptLoad(b)));
    }

    /**
     * Runs a script atomically: by its digest once Redis knows it; in full where the server does not
     * (a restart, or a replica promoted since it was loaded), which also teaches that server the script.
     */
    public <T> T script(String body, ScriptOutputType output, String[] keys, String... args) {
        String known = digest(body);
        try {
            return call(c -> c.<T>evalsha(known, output, keys, args));
        } catch (RedisNoScriptException e) {
            return call(c -> c.<T>eval(body, output, keys, args));
        }
    }

    /** A link of its own (for writes that wait for replicas, which must not hold up the others). */
    Link linkAnother() {
        return new Link(client::connect);
    }

    /** Counts a command sent on a connection other than the shared one. */
    void counted() {
        roundTrips.increment();
    }

    /**
     * How many replicas the server says are connected to it now ({@code INFO replication}); 0 for a
     * server alone.
     */
    public int connectedReplicas() {
        String info = call(c -> c.info("replication"));
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("connected_slaves:")) {
                return Integer.parseInt(line.substring("connected_slaves:".length()).trim());
            }
        }
        return 0;
    }

    public StatefulRedisPubSubConnection<String, String> pubSub() {
        return client.connectPubSub();
    }

    /** Runs {@code action} each time {@code connection} connects again after losing its link. */
    public void onReconnect(Object connection, Runnable action) {
        client.addListener(new RedisConnectionStateListener() {
            private boolean lost;

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (handler == connection) {
                    lost = true;
                }
            }

            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                if (handler == connection && lost) {
                    lost = false;
                    action.run();
                }
            }
        });
    }

    @Override
    public void close() {
        link.close();
        // no quiet period: every connection is closed already, nothing is left to drain
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
