package com.thephillymojo.ws.localstack.dataplane;

import com.thephillymojo.ws.localstack.acm.CertificateAuthority;
import com.thephillymojo.ws.localstack.elasticache.ElastiCacheBackend;
import com.thephillymojo.ws.localstack.elasticache.ElastiCacheBackend.CacheGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import software.amazon.awssdk.services.elasticache.model.SourceType;

/**
 * ElastiCache's data plane, reading what the backend wants: each node of a replication group is a
 * real {@code redis-server} (Debian's; it speaks the protocol of ElastiCache's Valkey and Redis OSS
 * 7) on an address of its own in 127.0.0.0/8 and the group's port, so that the endpoint names
 * resolve to an address and the port stays the one AWS returns. Transit encryption: TLS with a
 * certificate of the emulator's CA for the group's names. An auth token: the default user's
 * password(s) — two while a ROTATE lasts (Redis's ACL users take several). Replicas replicate the
 * primary for real. A failover (TestFailover, or the primary's process dying with automatic
 * failover on) is ElastiCache's: the primary is lost, the replica with most of its writes is
 * promoted, the others follow it, the primary's name moves to it, and the old primary comes back
 * at its own address as a replica. A node that dies otherwise is recovered in place. Deleting a
 * group stops its processes.
 */
public final class CachePlane implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(20);

    /** One running node. */
    private record Node(String name, InetAddress address, Process process) {
        /** The node's entry in the watchdog's pid directory. */
        String pidKey() {
            return "cache-" + name.substring(0, name.indexOf('.')) + "-" + process.pid();
        }
    }

    /** What the plane runs for one group, and the tokens its nodes accept now. */
    private static final class Running {
        /** The nodes, in the group's member order. */
        final List<Node> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Which node is the primary now. */
        volatile int primary;
        /** During a failover, once a replica is promoted: the old primary, coming back as a replica. */
        Integer recovering;
        List<String> applied = List.of();
        long startedAt;
        Path directory;
    }

    private final Supplier<List<ElastiCacheBackend>> backends;
    private final Supplier<CertificateAuthority> authority;
    private final Path directory;
    private final Watchdog watchdog;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final String binary;
    private final Runnable namesChanged;

    /** {@code namesChanged} runs after a group's names start or stop resolving (or move to other nodes). */
    public CachePlane(Supplier<List<ElastiCacheBackend>> backends, Supplier<CertificateAuthority> authority, Path directory,
                      Watchdog watchdog, ScheduledExecutorService scheduler, Runnable namesChanged, String binary) {
        this.namesChanged = namesChanged;
        this.backends = backends;
        this.authority = authority;
        this.directory = directory;
        this.watchdog = watchdog;
        this.binary = binary;
        scheduler.scheduleWithFixedDelay(this::tickQuietly, 100, 100, TimeUnit.MILLISECONDS);
    }

    private void tickQuietly() {
        for (ElastiCacheBackend backend : backends.get()) {
            for (CacheGroup group : backend.groups()) {
                try {
                    advance(backend, group);
                } catch (RuntimeException e) {
                    // the next tick tries again
                }
            }
        }
    }

    private static String key(ElastiCacheBackend backend, CacheGroup group) {
        return backend.region() + "/" + group.id();
    }

    private void advance(ElastiCacheBackend backend, CacheGroup group) {
        String key = key(backend, group);
        switch (group.status()) {
            case "creating" -> {
                Running r = running.get(key);
                if (r == null) {
                    r = start(backend, group);
                    if (r == null) {
                        backend.transition(group, Optional.of(group.with(group.view().toBuilder().status("create-failed").build())));
                        return;
                    }
                    running.put(key, r);
                }
                if (r.nodes.stream().allMatch(n -> accepts(n, group.port()))) {
                    if (backend.transition(group, Optional.of(group.with(backend.available(group))))) {
                        namesChanged.run();
                    }
                } else if (System.nanoTime() - r.startedAt > READY_WITHIN.toNanos()) {
                    stop(key);
                    backend.transition(group, Optional.of(group.with(group.view().toBuilder().status("create-failed").build())));
                }
            }
            case "modifying" -> {
                Running r = running.get(key);
                if (r != null && group.failingOver()) {
                    failover(backend, group, r);
                    return;
                }
                if (r != null && r.nodes.size() != group.nodes()) {
                    resize(backend, group, r);
                    if (!r.nodes.stream().allMatch(n -> accepts(n, group.port()))) {
                        return;             // a new replica is still starting
                    }
                }
                if (r != null && !r.applied.equals(group.tokens())) {
                    applyTokens(group, r);
                }
                if (backend.transition(group, Optional.of(group.with(backend.available(group))))) {
                    namesChanged.run();
                }
            }
            case "deleting" -> {
                stop(key);
                if (backend.transition(group, Optional.empty())) {
                    namesChanged.run();
                }
            }
            case "available" -> {
                Running r = running.get(key);
                if (r != null) {
                    heal(backend, group, r);
                }
            }
            default -> {
                // create-failed: nothing to do
            }
        }
    }

    // ---- failures ------------------------------------------------------------------------------

    /**
     * A node of an available group whose process has died: the primary fails over to a replica
     * where the group has automatic failover (the next ticks carry it out); any other node is
     * started again in place, empty — a replica then copies the primary again.
     */
    private void heal(ElastiCacheBackend backend, CacheGroup group, Running r) {
        for (int i = 0; i < r.nodes.size(); i++) {
            Node node = r.nodes.get(i);
            if (node.process().isAlive()) {
                continue;
            }
            watchdog.ended(node.pidKey());
            boolean primary = i == r.primary;
            if (primary && group.automaticFailover() && r.nodes.size() > 1) {
                backend.transition(group, Optional.of(backend.failing(group)));
                return;
            }
            try {
                backend.event(group.member(i), SourceType.CACHE_CLUSTER, "Recovering cache nodes 0001");
                r.nodes.set(i, startNode(node.name(), current(group, r), r, tls(group), primary ? null : r.nodes.get(r.primary).address(),
                        node.address()));
                backend.event(group.member(i), SourceType.CACHE_CLUSTER, "Finished recovery for cache nodes 0001");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * Carries out a failover, one step a tick: the primary is lost (killed, for a test; or dead
     * already), the replica with the highest replication offset — the most of the primary's writes —
     * is promoted and the other replicas follow it; the primary endpoint's name moves to it at once.
     * The old primary starts again at its own address as a replica of the new one; when it accepts
     * connections the group is available again, with its new roles.
     */
    private void failover(ElastiCacheBackend backend, CacheGroup group, Running r) {
        if (r.recovering == null) {
            int old = r.primary;
            Node lost = r.nodes.get(old);
            lost.process().destroyForcibly();
            try {
                lost.process().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            watchdog.ended(lost.pidKey());
            int chosen = mostReplicated(group, r);
            if (chosen < 0) {
                return;   // no replica answers yet: the next tick tries again
            }
            try {
                Node next = r.nodes.get(chosen);
                try (RespClient client = open(group, next)) {
                    client.call("REPLICAOF", "NO", "ONE");
                }
                for (int i = 0; i < r.nodes.size(); i++) {
                    if (i != chosen && i != old) {
                        try (RespClient client = open(group, r.nodes.get(i))) {
                            client.call("REPLICAOF", next.address().getHostAddress(), String.valueOf(group.port()));
                        }
                    }
                }
                r.primary = chosen;
                r.recovering = old;
                namesChanged.run();
                String message = "Failover from primary node " + group.member(old) + " to replica node " + group.member(chosen) + " completed";
                backend.event(group.member(chosen), SourceType.CACHE_CLUSTER, message);
                backend.event(group.id(), SourceType.REPLICATION_GROUP, message);
                backend.event(group.member(old), SourceType.CACHE_CLUSTER, "Recovering cache nodes 0001");
                r.nodes.set(old, startNode(lost.name(), current(group, r), r, tls(group), next.address(), lost.address()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (!r.nodes.stream().allMatch(n -> accepts(n, group.port()))) {
            return;
        }
        CacheGroup done = group.withPrimary(r.primary, false);
        if (backend.transition(group, Optional.of(done.with(backend.available(done))))) {
            backend.event(group.member(r.recovering), SourceType.CACHE_CLUSTER, "Finished recovery for cache nodes 0001");
            r.recovering = null;
            namesChanged.run();
        }
    }

    /** The live replica with the highest replication offset; -1 when none answers. */
    private int mostReplicated(CacheGroup group, Running r) {
        int chosen = -1;
        long best = -1;
        for (int i = 0; i < r.nodes.size(); i++) {
            Node node = r.nodes.get(i);
            if (i == r.primary || !node.process().isAlive()) {
                continue;
            }
            try (RespClient client = open(group, node)) {
                String info = client.call("INFO", "replication");
                long offset = -1;
                for (String line : info.split("\r?\n")) {
                    if (line.startsWith("slave_repl_offset:") || (offset < 0 && line.startsWith("master_repl_offset:"))) {
                        offset = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
                if (offset > best) {
                    best = offset;
                    chosen = i;
                }
            } catch (IOException | NumberFormatException e) {
                // this replica does not answer: not a candidate
            }
        }
        return chosen;
    }

    /** An admin connection to a node, authenticated with the tokens its nodes accept now. */
    private RespClient open(CacheGroup group, Node node) throws IOException {
        RespClient client = RespClient.open(node.address(), group.port(), tls(group) ? sslContext() : null, node.name());
        try {
            client.authWithAny(running.values().stream().filter(x -> x.nodes.contains(node)).findFirst().map(x -> x.applied).orElse(group.tokens()));
            return client;
        } catch (IOException e) {
            client.close();
            throw e;
        }
    }

    private static boolean tls(CacheGroup group) {
        return Boolean.TRUE.equals(group.view().transitEncryptionEnabled());
    }

    /** The group as its nodes run it now: the tokens they accept. */
    private static CacheGroup current(CacheGroup group, Running r) {
        return new CacheGroup(group.view(), r.applied, group.engine(), group.engineVersion(), group.port(), group.nodes(),
                group.subnetGroup(), group.securityGroups(), r.primary, false);
    }

    // ---- nodes ---------------------------------------------------------------------------------

    /** Starts every node of the group (the primary first); null when redis-server cannot start. */
    private Running start(ElastiCacheBackend backend, CacheGroup group) {
        Running r = new Running();
        r.startedAt = System.nanoTime();
        r.applied = group.tokens();
        try {
            r.directory = Files.createDirectories(directory.resolve(backend.region()).resolve(group.id()));
            boolean tls = Boolean.TRUE.equals(group.view().transitEncryptionEnabled());
            if (tls) {
                writeCertificate(backend, group, r);
                Files.writeString(r.directory.resolve("ca.pem"), authority.get().pem());
            }
            for (int i = 0; i < group.nodes(); i++) {
                r.nodes.add(startNode(backend.nodeName(group.id(), i), group, r, tls, i == 0 ? null : r.nodes.get(0).address(), null));
            }
            return r;
        } catch (IOException | RuntimeException e) {
            r.nodes.forEach(n -> n.process().destroyForcibly());
            return null;
        }
    }

    /** The nodes' certificate, from the emulator's CA, for the group's endpoints and every node's name. */
    private void writeCertificate(ElastiCacheBackend backend, CacheGroup group, Running r) throws IOException {
        List<String> names = new ArrayList<>(List.of(backend.primaryName(group.id()), backend.readerName(group.id())));
        for (int i = 0; i < group.nodes(); i++) {
            names.add(backend.nodeName(group.id(), i));
        }
        CertificateAuthority.Issued issued = authority.get().issue(names, Duration.ofDays(365));
        Files.writeString(r.directory.resolve("server.pem"), issued.pem());
        Files.writeString(r.directory.resolve("server.key"), issued.keyPem());
    }

    /** Adds replicas (of the primary, with the tokens the nodes accept now) or stops the newest ones. */
    private void resize(ElastiCacheBackend backend, CacheGroup group, Running r) {
        try {
            boolean tls = Boolean.TRUE.equals(group.view().transitEncryptionEnabled());
            if (tls && r.nodes.size() < group.nodes()) {
                writeCertificate(backend, group, r);   // the certificate names every node: a new one for the new names
            }
            CacheGroup current = current(group, r);
            while (r.nodes.size() < group.nodes()) {
                r.nodes.add(startNode(backend.nodeName(group.id(), r.nodes.size()), current, r, tls, r.nodes.get(r.primary).address(), null));
            }
            while (r.nodes.size() > group.nodes()) {
                Node last = r.nodes.remove(r.nodes.size() - 1);
                stopNodes(List.of(last));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts a node at {@code at} (null: a free address of its own), a replica of {@code primary} unless that is null. */
    private Node startNode(String name, CacheGroup group, Running r, boolean tls, InetAddress primary, InetAddress at) throws IOException {
        InetAddress address = at != null ? at : freeAddress(group.port());
        Path dir = Files.createDirectories(r.directory.resolve(name.substring(0, name.indexOf('.'))));
        List<String> command = new ArrayList<>(List.of(binary, "--bind", address.getHostAddress(), "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "no", "--repl-diskless-sync-delay", "0"));
        String port = String.valueOf(group.port());
        if (tls) {
            command.addAll(List.of("--port", "0", "--tls-port", port, "--tls-cert-file", r.directory.resolve("server.pem").toString(),
                    "--tls-key-file", r.directory.resolve("server.key").toString(), "--tls-ca-cert-file", r.directory.resolve("ca.pem").toString(),
                    "--tls-auth-clients", "no", "--tls-replication", "yes"));
        } else {
            command.addAll(List.of("--port", port));
        }
        if (!group.tokens().isEmpty()) {
            command.addAll(List.of("--user", "default", "on"));
            group.tokens().forEach(t -> command.add(">" + t));
            command.addAll(List.of("~*", "&*", "+@all"));
        }
        if (primary != null) {
            command.addAll(List.of("--replicaof", primary.getHostAddress(), port));
            if (!group.tokens().isEmpty()) {
                command.addAll(List.of("--masteruser", "default", "--masterauth", group.tokens().get(group.tokens().size() - 1)));
            }
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        Node node = new Node(name, address, process);
        watchdog.started(node.pidKey(), process.pid());
        return node;
    }

    /**
     * An address of 127.0.0.0/8 where the group's port is free: each node has its own, as each
     * ElastiCache node has its own IP. Linux answers the whole block on the loopback interface.
     */
    private static InetAddress freeAddress(int port) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            InetAddress candidate = InetAddress.getByAddress(new byte[] {127, (byte) random.nextInt(1, 255), (byte) random.nextInt(0, 256),
                    (byte) random.nextInt(1, 255)});
            try (ServerSocket probe = new ServerSocket(port, 1, candidate)) {
                return candidate;
            } catch (IOException taken) {
                // another node, or a process of this machine, has it
            }
        }
        throw new IOException("no free loopback address for port " + port);
    }

    private static boolean accepts(Node node, int port) {
        if (!node.process().isAlive()) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(node.address(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes every node accept exactly the group's tokens (ACL users are not replicated: each node
     * is told), and points the replicas' own AUTH to the primary at the newest token.
     */
    private void applyTokens(CacheGroup group, Running r) {
        boolean tls = Boolean.TRUE.equals(group.view().transitEncryptionEnabled());
        List<String> setUser = new ArrayList<>(List.of("ACL", "SETUSER", "default", "on", "resetpass"));
        if (group.tokens().isEmpty()) {
            setUser.add("nopass");
        } else {
            group.tokens().forEach(t -> setUser.add(">" + t));
        }
        for (int i = 0; i < r.nodes.size(); i++) {
            Node node = r.nodes.get(i);
            try (RespClient client = RespClient.open(node.address(), group.port(), tls ? sslContext() : null, node.name())) {
                client.authWithAny(r.applied);
                client.call(setUser.toArray(String[]::new));
                if (i != r.primary && !group.tokens().isEmpty()) {
                    client.call("CONFIG", "SET", "masterauth", group.tokens().get(group.tokens().size() - 1));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot change the tokens of " + node.name() + ": " + e.getMessage(), e);
            }
        }
        r.applied = group.tokens();
    }

    private SSLContext sslContext() {
        try {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("localaws-ca", authority.get().root());
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void stop(String key) {
        Running r = running.remove(key);
        if (r != null) {
            stopNodes(r.nodes);
        }
    }

    private void stopNodes(List<Node> nodes) {
        for (Node n : nodes) {
            n.process().destroy();
        }
        for (Node n : nodes) {
            try {
                if (!n.process().waitFor(5, TimeUnit.SECONDS)) {
                    n.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                n.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
            watchdog.ended(n.pidKey());
        }
    }

    // ---- names ---------------------------------------------------------------------------------

    /**
     * Every endpoint name of every running group → its address on this machine (the port is the
     * group's): the primary endpoint → the primary, the reader endpoint → the first replica (the
     * primary while there is none), each node's name → that node.
     */
    public Map<String, InetSocketAddress> names() {
        Map<String, InetSocketAddress> names = new LinkedHashMap<>();
        for (ElastiCacheBackend backend : backends.get()) {
            for (CacheGroup group : backend.groups()) {
                Running r = running.get(key(backend, group));
                if (r == null || r.nodes.isEmpty()) {
                    continue;
                }
                int primary = r.primary;
                int reader = r.nodes.size() == 1 ? 0 : primary == 0 ? 1 : 0;
                names.put(backend.primaryName(group.id()), new InetSocketAddress(r.nodes.get(primary).address(), group.port()));
                names.put(backend.readerName(group.id()), new InetSocketAddress(r.nodes.get(reader).address(), group.port()));
                for (Node n : r.nodes) {
                    names.put(n.name(), new InetSocketAddress(n.address(), group.port()));
                }
            }
        }
        return names;
    }

    /** The redis-server processes running now (for tests that check nothing is left behind). */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> list = new ArrayList<>();
        running.values().forEach(r -> r.nodes.stream().filter(n -> n.process().isAlive()).forEach(n -> list.add(n.process().toHandle())));
        return list;
    }

    @Override
    public void close() {
        for (String key : List.copyOf(running.keySet())) {
            stop(key);
        }
    }
}
