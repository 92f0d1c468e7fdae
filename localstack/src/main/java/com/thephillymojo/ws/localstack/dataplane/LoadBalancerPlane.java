package com.thephillymojo.ws.localstack.dataplane;

import com.thephillymojo.ws.localstack.acm.AcmBackend;
import com.thephillymojo.ws.localstack.acm.CertificateAuthority;
import com.thephillymojo.ws.localstack.elbv2.Elbv2Backend;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthReasonEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * The ALB's data plane, reading what ELBv2 says is wanted (like a controller reconciling): every
 * listener gets a {@link ListenerProxy} on a local port; health checks run by each target group's
 * settings and report into DescribeTargetHealth; draining targets leave after the deregistration delay.
 * {@code scale} shrinks health checks' intervals and timeouts and the deregistration delay (the local
 * environment and tests run them 20 times faster).
 */
public final class LoadBalancerPlane implements AutoCloseable {
    /** Where a listener listens on this machine. */
    public record Mapping(String loadBalancerArn, String dnsName, int listenerPort, String protocol, int localPort) {
    }

    private record Key(String groupArn, String id, int port) {
    }

    private static final class Check {
        int successes;
        int failures;
        long nextAt;
        long drainingSince;
    }

    private final Supplier<List<Elbv2Backend>> elbs;
    private final Function<String, AcmBackend> acmOfListener;
    private final Supplier<CertificateAuthority> authority;
    private final ExecutorService threads;
    private final WriteHook hook;
    private final Map<String, ListenerProxy> proxies = new ConcurrentHashMap<>();
    private final Map<String, List<String>> proxyCertificates = new ConcurrentHashMap<>();
    private final Map<Key, Check> checks = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    private final double scale;

    public LoadBalancerPlane(Supplier<List<Elbv2Backend>> elbs, Function<String, AcmBackend> acmOfListener,
                             Supplier<CertificateAuthority> authority, ScheduledExecutorService scheduler, ExecutorService threads,
                             WriteHook hook, double scale) {
        this.hook = hook;
        this.scale = scale;
        this.elbs = elbs;
        this.acmOfListener = acmOfListener;
        this.authority = authority;
        this.threads = threads;
        scheduler.scheduleWithFixedDelay(this::reconcileQuietly, 100, 100, TimeUnit.MILLISECONDS);
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            // the next round tries again
        }
    }

    private synchronized void reconcile() {
        Map<String, Listener> wanted = new LinkedHashMap<>();
        Map<String, Elbv2Backend> owner = new LinkedHashMap<>();
        for (Elbv2Backend elb : elbs.get()) {
            for (Listener l : elb.listeners()) {
                wanted.put(l.listenerArn(), l);
                owner.put(l.listenerArn(), elb);
            }
        }
        for (String arn : new ArrayList<>(proxies.keySet())) {
            List<String> certs = wanted.containsKey(arn) ? certificateArns(wanted.get(arn)) : null;
            if (certs == null || !certs.equals(proxyCertificates.get(arn))) {
                proxies.remove(arn).close();
                proxyCertificates.remove(arn);
            }
        }
        for (Map.Entry<String, Listener> e : wanted.entrySet()) {
            if (!proxies.containsKey(e.getKey())) {
                open(e.getValue(), owner.get(e.getKey()));
            }
        }
        for (Elbv2Backend elb : elbs.get()) {
            healthChecks(elb);
        }
    }

    private static List<String> certificateArns(Listener l) {
        return l.certificates().stream().map(Certificate::certificateArn).toList();
    }

    private void open(Listener l, Elbv2Backend elb) {
        try {
            SSLContext tls = null;
            if (l.protocolAsString().equals("HTTPS")) {
                Map<String, SniKeyManager.Entry> entries = new LinkedHashMap<>();
                AcmBackend acm = acmOfListener.apply(l.listenerArn());
                for (Certificate c : l.certificates()) {
                    CertificateAuthority.Issued issued = acm.issued(c.certificateArn());
                    entries.put(c.certificateArn(), new SniKeyManager.Entry(
                            new X509Certificate[] {issued.certificate(), authority.get().root()}, issued.key()));
                }
                tls = SSLContext.getInstance("TLS");
                tls.init(new KeyManager[] {new SniKeyManager(entries, l.certificates().get(0).certificateArn())}, null, null);
            }
            String arn = l.listenerArn();
            ListenerProxy proxy = new ListenerProxy(l, tls, threads,
                    () -> elb.listeners().stream().filter(x -> x.listenerArn().equals(arn)).findFirst().orElse(l),
                    () -> elb.idleTimeoutSeconds(l.loadBalancerArn()), group -> pick(elb, group));
            proxies.put(arn, proxy);
            proxyCertificates.put(arn, certificateArns(l));
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            // a listener whose certificate is not issued yet is tried again next round
        }
    }

    /** Healthy targets in turn; with none healthy, all of them (ALB fails open); none registered: empty (503). */
    private Optional<InetSocketAddress> pick(Elbv2Backend elb, String groupArn) {
        List<TargetHealthDescription> all = elb.targets(groupArn).stream()
                .filter(t -> t.targetHealth().state() != TargetHealthStateEnum.DRAINING && t.targetHealth().state() != TargetHealthStateEnum.UNUSED)
                .toList();
        List<TargetHealthDescription> healthy = all.stream().filter(t -> t.targetHealth().state() == TargetHealthStateEnum.HEALTHY).toList();
        List<TargetHealthDescription> pool = healthy.isEmpty() ? all : healthy;
        if (pool.isEmpty()) {
            return Optional.empty();
        }
        int i = Math.floorMod(roundRobin.computeIfAbsent(groupArn, g -> new AtomicInteger()).getAndIncrement(), pool.size());
        TargetHealthDescription t = pool.get(i);
        return Optional.of(new InetSocketAddress(t.target().id(), t.target().port()));
    }

    private void healthChecks(Elbv2Backend elb) {
        long now = System.currentTimeMillis();
        for (TargetGroup group : elb.targetGroups()) {
            for (TargetHealthDescription t : elb.targets(group.targetGroupArn())) {
                Key key = new Key(group.targetGroupArn(), t.target().id(), t.target().port());
                Check check = checks.computeIfAbsent(key, k -> new Check());
                TargetHealthStateEnum state = t.targetHealth().state();
                if (state == TargetHealthStateEnum.DRAINING) {
                    if (check.drainingSince == 0) {
                        check.drainingSince = now;
                    }
                    if (now - check.drainingSince >= elb.deregistrationDelaySeconds(group.targetGroupArn()) * 1000L * scale) {
                        hook.beforeWrite(group.targetGroupArn() + "|" + t.target().id() + ":" + t.target().port(), "drained");
                        elb.finishDraining(group.targetGroupArn(), t.target().id(), t.target().port());
                        checks.remove(key);
                    }
                    continue;
                }
                if (state == TargetHealthStateEnum.UNUSED || !group.healthCheckEnabled() || now < check.nextAt) {
                    continue;
                }
                check.nextAt = now + (long) (group.healthCheckIntervalSeconds() * 1000L * scale);
                threads.execute(() -> probe(elb, group, t, check));
            }
        }
    }

    private void probe(Elbv2Backend elb, TargetGroup group, TargetHealthDescription t, Check check) {
        int port = "traffic-port".equals(group.healthCheckPort()) ? t.target().port() : Integer.parseInt(group.healthCheckPort());
        int timeout = (int) Math.max(100, group.healthCheckTimeoutSeconds() * 1000L * scale);
        TargetHealth failure = null;
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://" + t.target().id() + ":" + port + group.healthCheckPath()).openConnection();
            c.setConnectTimeout(timeout);
            c.setReadTimeout(timeout);
            c.setRequestProperty("User-Agent", "ELB-HealthChecker/2.0");
            int code = c.getResponseCode();
            c.disconnect();
            if (!matches(group.matcher().httpCode(), code)) {
                failure = TargetHealth.builder().state(TargetHealthStateEnum.UNHEALTHY).reason(TargetHealthReasonEnum.TARGET_RESPONSE_CODE_MISMATCH)
                        .description("Health checks failed with these codes: [" + code + "]").build();
            }
        } catch (java.net.SocketTimeoutException e) {
            failure = TargetHealth.builder().state(TargetHealthStateEnum.UNHEALTHY).reason(TargetHealthReasonEnum.TARGET_TIMEOUT)
                    .description("Request timed out").build();
        } catch (IOException e) {
            failure = TargetHealth.builder().state(TargetHealthStateEnum.UNHEALTHY).reason(TargetHealthReasonEnum.TARGET_FAILED_HEALTH_CHECKS)
                    .description("Health checks failed").build();
        }
        TargetHealth verdict = null;
        synchronized (check) {
            if (failure == null) {
                check.successes++;
                check.failures = 0;
                if (check.successes >= group.healthyThresholdCount()) {
                    verdict = TargetHealth.builder().state(TargetHealthStateEnum.HEALTHY).build();
                }
            } else {
                check.failures++;
                check.successes = 0;
                if (check.failures >= group.unhealthyThresholdCount()) {
                    verdict = failure;
                }
            }
        }
        if (verdict != null) {
            hook.beforeWrite(group.targetGroupArn() + "|" + t.target().id() + ":" + t.target().port(), "health=" + verdict.stateAsString());
            elb.reportHealth(group.targetGroupArn(), t.target().id(), t.target().port(), verdict);
        }
    }

    /** "200", "200,302" or "200-299". */
    static boolean matches(String matcher, int code) {
        for (String part : matcher.split(",")) {
            String p = part.trim();
            if (p.contains("-")) {
                String[] range = p.split("-");
                if (code >= Integer.parseInt(range[0].trim()) && code <= Integer.parseInt(range[1].trim())) {
                    return true;
                }
            } else if (!p.isEmpty() && Integer.parseInt(p) == code) {
                return true;
            }
        }
        return false;
    }

    /** Every listener's local address. */
    public synchronized List<Mapping> mappings() {
        List<Mapping> list = new ArrayList<>();
        for (Elbv2Backend elb : elbs.get()) {
            for (Listener l : elb.listeners()) {
                ListenerProxy proxy = proxies.get(l.listenerArn());
                if (proxy != null) {
                    String dns = elb.loadBalancer(l.loadBalancerArn()).map(lb -> lb.dnsName()).orElse("");
                    list.add(new Mapping(l.loadBalancerArn(), dns, l.port(), l.protocolAsString(), proxy.port()));
                }
            }
        }
        return list;
    }

    @Override
    public synchronized void close() {
        proxies.values().forEach(ListenerProxy::close);
        proxies.clear();
    }
}
