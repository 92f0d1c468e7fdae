package com.thephillymojo.ws.localstack;

import com.thephillymojo.ws.localstack.acm.CertificateAuthority;
import com.thephillymojo.ws.localstack.dataplane.CachePlane;
import com.thephillymojo.ws.localstack.dataplane.LoadBalancerPlane;
import com.thephillymojo.ws.localstack.route53.Route53Backend;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The emulator's network as clients on this machine see it: how a name it serves resolves (a Route53
 * name or a load balancer's DNS name to its listener's local port, a cache endpoint to its node's
 * address), the CA its TLS chains to, the hints for tools outside the JVM — and what a task's JVM is
 * given, as a Fargate task is given its VPC: a hosts file with the cache endpoints and a trust store
 * with the emulator's CA besides the JDK's.
 */
final class LocalNetwork {
    private final Supplier<Route53Backend> route53;
    private final Supplier<List<LoadBalancerPlane.Mapping>> listeners;
    private final Supplier<Optional<CachePlane>> caches;
    private final Supplier<CertificateAuthority> authority;
    private final Path directory;
    private String hostName;   // this machine's name, for the tasks' hosts file (looked up once)

    LocalNetwork(Supplier<Route53Backend> route53, Supplier<List<LoadBalancerPlane.Mapping>> listeners, Supplier<Optional<CachePlane>> caches,
                 Supplier<CertificateAuthority> authority, Path directory) {
        this.route53 = route53;
        this.listeners = listeners;
        this.caches = caches;
        this.authority = authority;
        this.directory = directory;
    }

    /**
     * A name the way a client on this machine should reach it: a cache endpoint → its node; a Route53
     * name (following an alias to a load balancer) or a load balancer's DNS name, and its port → the
     * listener's local address. The address keeps the name asked for, so TLS clients verify the
     * certificate against it.
     */
    Optional<InetSocketAddress> resolve(String host, int port) {
        Optional<CachePlane> cachePlane = caches.get();
        if (cachePlane.isPresent()) {
            InetSocketAddress cache = cachePlane.get().names().get(host.toLowerCase(Locale.ROOT));
            if (cache != null && cache.getPort() == port) {
                return Optional.of(named(host, cache.getAddress().getAddress(), port));
            }
        }
        String target = Route53Backend.normalise(host);
        for (var rr : route53.get().lookup(target)) {
            if (rr.aliasTarget() != null) {
                target = Route53Backend.normalise(rr.aliasTarget().dnsName());
            }
        }
        for (var m : listeners.get()) {
            if (Route53Backend.normalise(m.dnsName()).equals(target) && m.listenerPort() == port) {
                return Optional.of(named(host, new byte[] {127, 0, 0, 1}, m.localPort()));
            }
        }
        return Optional.empty();
    }

    private static InetSocketAddress named(String host, byte[] address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(host, address), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust store holding the emulator's CA, for TLS clients in this JVM. */
    KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("localaws-ca", authority.get().root());
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The emulator CA's PEM as a file, for clients outside the JVM (curl --cacert, a browser's trust store). */
    synchronized Path caFile() {
        Path file = directory.resolve("ca.pem");
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, authority.get().pem());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * How a client outside this JVM reaches each name the emulator serves: per name and listener
     * port, the local address, and the arguments curl and Chromium take to use it; per cache endpoint,
     * its node and a redis-cli line.
     */
    List<String> accessHints() {
        List<String> hints = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        route53.get().aliases().forEach((name, target) -> names.put(name.substring(0, name.length() - 1), target));
        for (var m : listeners.get()) {
            names.putIfAbsent(m.dnsName(), Route53Backend.normalise(m.dnsName()));
        }
        for (var e : names.entrySet()) {
            for (var m : listeners.get()) {
                if (Route53Backend.normalise(m.dnsName()).equals(e.getValue())) {
                    String scheme = m.protocol().equals("HTTPS") ? "https" : "http";
                    hints.add(e.getKey() + ":" + m.listenerPort() + " -> 127.0.0.1:" + m.localPort()
                            + "   curl" + (scheme.equals("https") ? " --cacert " + caFile() : "") + " --connect-to " + e.getKey() + ":"
                            + m.listenerPort() + ":127.0.0.1:" + m.localPort() + " " + scheme + "://" + e.getKey() + "/"
                            + "   chromium --host-resolver-rules=\"MAP " + e.getKey() + ":" + m.listenerPort() + " 127.0.0.1:" + m.localPort() + "\"");
                }
            }
        }
        caches.get().ifPresent(plane -> plane.names().forEach((name, address) -> hints.add(name + ":" + address.getPort() + " -> "
                + address.getAddress().getHostAddress() + ":" + address.getPort() + "   redis-cli -h " + address.getAddress().getHostAddress()
                + " -p " + address.getPort() + " --tls --sni " + name + " --cacert " + caFile()
                + " --user default --askpass   (without --tls and --cacert when transit encryption is off)")));
        return hints;
    }

    /**
     * The tasks' hosts file, written again whenever a cache's names change: the JDK reads it at each
     * lookup, so running tasks follow a new replica or a group deleted.
     */
    synchronized void writeTaskHosts() {
        try {
            if (hostName == null) {
                hostName = InetAddress.getLocalHost().getHostName();
            }
            StringBuilder hosts = new StringBuilder("127.0.0.1 localhost " + hostName + "\n::1 localhost\n");
            caches.get().ifPresent(plane -> plane.names().forEach((name, address) ->
                    hosts.append(address.getAddress().getHostAddress()).append(' ').append(name).append('\n')));
            Path file = directory.resolve("task-hosts");
            Path temporary = directory.resolve("task-hosts.tmp");
            Files.writeString(temporary, hosts.toString());
            // a task reading it meanwhile sees the old file or the new one, never half of one
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tasks' hosts file: " + e.getMessage(), e);
        }
    }

    /**
     * What a task's JVM is given, as a Fargate task is given its VPC: the names it can resolve (the
     * cache endpoints, in a hosts file the JDK reads instead of the system's) and the trust roots of
     * its TLS peers (the JDK's, plus this emulator's CA, which signs what AWS's public CAs sign there).
     */
    synchronized void taskJvmSetup(List<String> arguments) {
        try {
            Path hostsFile = directory.resolve("task-hosts");
            if (!Files.exists(hostsFile)) {
                writeTaskHosts();
            }
            Path trustFile = directory.resolve("task-truststore.p12");
            if (!Files.exists(trustFile)) {
                // the JDK's own trusted CAs, as its default trust manager has them
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                system.init((KeyStore) null);
                int n = 0;
                for (TrustManager manager : system.getTrustManagers()) {
                    if (manager instanceof X509TrustManager x509) {
                        for (X509Certificate ca : x509.getAcceptedIssuers()) {
                            store.setCertificateEntry("system-" + n++, ca);
                        }
                    }
                }
                store.setCertificateEntry("localaws-ca", authority.get().root());
                try (OutputStream out = Files.newOutputStream(trustFile)) {
                    store.store(out, "changeit".toCharArray());
                }
            }
            arguments.addAll(List.of("-Djdk.net.hosts.file=" + hostsFile, "-Djavax.net.ssl.trustStore=" + trustFile,
                    "-Djavax.net.ssl.trustStoreType=PKCS12", "-Djavax.net.ssl.trustStorePassword=changeit"));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare a task's names and trust roots: " + e.getMessage(), e);
        }
    }
}
