package com.thephillymojo.ws.runbook.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The Application Load Balancer in front of the tasks: the balancer (internet-facing, idle
 * timeout raised so WebSockets stay open), the target group the service registers its tasks in,
 * HTTPS on 443 with the ACM certificate and HTTP on 80 redirecting to it.
 */
public final class LoadBalancing {
    /** What the alias and the listeners need of a load balancer. */
    public record Balancer(String arn, String dnsName, String canonicalZoneId) {
    }

    /** TLS 1.3 and 1.2 only (AWS's recommended policy for new listeners). */
    static final String TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
    static final String IDLE_TIMEOUT = "idle_timeout.timeout_seconds";
    /** A stopping task's sockets get this long to finish; the server itself tells clients to reconnect when it drains. */
    static final String DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";

    private final Cloud cloud;

    public LoadBalancing(Cloud cloud) {
        this.cloud = cloud;
    }

    public Optional<LoadBalancer> find(String name) {
        try {
            return cloud.elb.describeLoadBalancers(r -> r.names(name)).loadBalancers().stream().findFirst();
        } catch (LoadBalancerNotFoundException e) {
            return Optional.empty();
        }
    }

    public Optional<Balancer> balancer(String name) {
        return find(name).map(lb -> new Balancer(lb.loadBalancerArn(), lb.dnsName(), lb.canonicalHostedZoneId()));
    }

    public Outcome ensureLoadBalancer(String name, int idleTimeoutSeconds, Optional<String> securityGroupId, List<String> subnets) {
        String kind = "load balancer";
        Optional<LoadBalancer> found = find(name);
        if (found.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate(kind, name, "internet-facing, idle timeout " + idleTimeoutSeconds + " s"));
            }
            LoadBalancer lb = cloud.elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.APPLICATION)
                    .scheme(LoadBalancerSchemeEnum.INTERNET_FACING).subnets(subnets).securityGroups(securityGroupId.orElseThrow())).loadBalancers().get(0);
            cloud.elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())
                    .attributes(LoadBalancerAttribute.builder().key(IDLE_TIMEOUT).value(String.valueOf(idleTimeoutSeconds)).build()));
            record(lb);
            cloud.waitFor("load balancer " + name + " to be active", () -> find(name).map(l -> l.state().code() == LoadBalancerStateEnum.ACTIVE).orElse(false));
            return cloud.report(Outcome.created(kind, name, lb.dnsName()));
        }
        LoadBalancer lb = found.get();
        record(lb);
        String idle = cloud.elb.describeLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())).attributes().stream()
                .filter(a -> a.key().equals(IDLE_TIMEOUT)).map(LoadBalancerAttribute::value).findFirst().orElse("60");
        if (idle.equals(String.valueOf(idleTimeoutSeconds))) {
            return cloud.report(Outcome.unchanged(kind, name));
        }
        String detail = "idle timeout " + idle + " s → " + idleTimeoutSeconds + " s";
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldChange(kind, name, detail));
        }
        cloud.elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())
                .attributes(LoadBalancerAttribute.builder().key(IDLE_TIMEOUT).value(String.valueOf(idleTimeoutSeconds)).build()));
        return cloud.report(Outcome.changed(kind, name, detail));
    }

    public Optional<TargetGroup> findTargetGroup(String name) {
        try {
            return cloud.elb.describeTargetGroups(r -> r.names(name)).targetGroups().stream().findFirst();
        } catch (TargetGroupNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Targets by IP (Fargate's awsvpc), HTTP on {@code port}, health checked at {@code path} expecting 200. */
    public Outcome ensureTargetGroup(String name, int port, String path, String vpcId) {
        String kind = "target group";
        Optional<TargetGroup> found = findTargetGroup(name);
        if (found.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate(kind, name, "HTTP " + port + ", health check " + path));
            }
            TargetGroup tg = cloud.elb.createTargetGroup(r -> r.name(name).protocol(ProtocolEnum.HTTP).port(port).vpcId(vpcId)
                    .targetType(TargetTypeEnum.IP).healthCheckProtocol(ProtocolEnum.HTTP).healthCheckPath(path)
                    .healthCheckIntervalSeconds(10).healthCheckTimeoutSeconds(5).healthyThresholdCount(2).unhealthyThresholdCount(3)
                    .matcher(m -> m.httpCode("200"))).targetGroups().get(0);
            cloud.elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())
                    .attributes(TargetGroupAttribute.builder().key(DEREGISTRATION_DELAY).value("30").build()));
            cloud.state.put("targetGroup.arn", tg.targetGroupArn());
            return cloud.report(Outcome.created(kind, name, "HTTP " + port + ", health check " + path));
        }
        TargetGroup tg = found.get();
        cloud.state.put("targetGroup.arn", tg.targetGroupArn());
        if (tg.port() != port || tg.protocol() != ProtocolEnum.HTTP) {
            // port and protocol are fixed at creation: AWS cannot change them in place
            throw new IllegalStateException("target group " + name + " serves " + tg.protocolAsString() + " " + tg.port() + ", not HTTP " + port
                    + ": destroy it (runbook destroy) so that apply can make it anew");
        }
        List<String> differences = new ArrayList<>();
        if (!path.equals(tg.healthCheckPath())) {
            differences.add("health check " + tg.healthCheckPath() + " → " + path);
        }
        if (tg.matcher() == null || !"200".equals(tg.matcher().httpCode())) {
            differences.add("healthy answer 200");
        }
        if (differences.isEmpty()) {
            return cloud.report(Outcome.unchanged(kind, name));
        }
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldChange(kind, name, String.join(", ", differences)));
        }
        cloud.elb.modifyTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()).healthCheckPath(path).matcher(m -> m.httpCode("200")));
        return cloud.report(Outcome.changed(kind, name, String.join(", ", differences)));
    }

    /** HTTPS on 443 with the certificate, forwarding to the target group. */
    public Outcome ensureHttpsListener(String balancerName, String certificateArn, String targetGroupArn) {
        Action forward = Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
        return ensureListener(balancerName, 443, ProtocolEnum.HTTPS, forward, Optional.of(certificateArn), "HTTPS 443 → target group");
    }

    /** HTTP on 80 answering 301 to the same URL on HTTPS. */
    public Outcome ensureRedirectListener(String balancerName) {
        Action redirect = Action.builder().type(ActionTypeEnum.REDIRECT).redirectConfig(c -> c.protocol("HTTPS").port("443")
                .statusCode(RedirectActionStatusCodeEnum.HTTP_301)).build();
        return ensureListener(balancerName, 80, ProtocolEnum.HTTP, redirect, Optional.empty(), "HTTP 80 → 301 to HTTPS");
    }

    private Outcome ensureListener(String balancerName, int port, ProtocolEnum protocol, Action action, Optional<String> certificate, String what) {
        String kind = "listener";
        String name = balancerName + ":" + port;
        Optional<LoadBalancer> lb = find(balancerName);
        Optional<Listener> found = lb.flatMap(l -> listener(l.loadBalancerArn(), port));
        if (found.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate(kind, name, what));
            }
            Listener made = cloud.elb.createListener(r -> {
                r.loadBalancerArn(lb.orElseThrow().loadBalancerArn()).port(port).protocol(protocol).defaultActions(action);
                certificate.ifPresent(c -> r.sslPolicy(TLS_POLICY).certificates(x -> x.certificateArn(c)));
            }).listeners().get(0);
            cloud.state.put("listener." + port + ".arn", made.listenerArn());
            return cloud.report(Outcome.created(kind, name, what));
        }
        Listener listener = found.get();
        cloud.state.put("listener." + port + ".arn", listener.listenerArn());
        List<String> differences = new ArrayList<>();
        if (listener.protocol() != protocol) {
            differences.add("protocol " + listener.protocolAsString() + " → " + protocol);
        }
        if (!sameAction(listener.defaultActions(), action)) {
            differences.add("action → " + what);
        }
        if (certificate.isPresent() && (listener.certificates().isEmpty()
                || !listener.certificates().get(0).certificateArn().equals(certificate.get()))) {
            differences.add("certificate → " + certificate.get());
        }
        if (differences.isEmpty()) {
            return cloud.report(Outcome.unchanged(kind, name));
        }
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldChange(kind, name, String.join(", ", differences)));
        }
        cloud.elb.modifyListener(r -> {
            r.listenerArn(listener.listenerArn()).port(port).protocol(protocol).defaultActions(action);
            certificate.ifPresent(c -> r.sslPolicy(TLS_POLICY).certificates(x -> x.certificateArn(c)));
        });
        return cloud.report(Outcome.changed(kind, name, String.join(", ", differences)));
    }

    private Optional<Listener> listener(String balancerArn, int port) {
        return cloud.elb.describeListeners(r -> r.loadBalancerArn(balancerArn)).listeners().stream().filter(l -> l.port() == port).findFirst();
    }

    private static boolean sameAction(List<Action> current, Action wanted) {
        if (current.size() != 1 || current.get(0).type() != wanted.type()) {
            return false;
        }
        Action a = current.get(0);
        if (wanted.type() == ActionTypeEnum.FORWARD) {
            String arn = a.targetGroupArn() != null ? a.targetGroupArn()
                    : a.forwardConfig() != null && a.forwardConfig().targetGroups().size() == 1 ? a.forwardConfig().targetGroups().get(0).targetGroupArn() : "";
            return wanted.targetGroupArn().equals(arn);
        }
        return a.redirectConfig() != null && "HTTPS".equals(a.redirectConfig().protocol()) && "443".equals(a.redirectConfig().port())
                && a.redirectConfig().statusCode() == wanted.redirectConfig().statusCode();
    }

    /** Each registered target's health: "10.0.1.5:8080 healthy". */
    public Map<String, TargetHealthDescription> targetHealth(String targetGroupArn) {
        return cloud.elb.describeTargetHealth(r -> r.targetGroupArn(targetGroupArn)).targetHealthDescriptions().stream()
                .collect(Collectors.toMap(t -> t.target().id() + ":" + t.target().port(), t -> t, (a, b) -> a, java.util.TreeMap::new));
    }

    public Outcome destroyListener(String balancerName, int port) {
        Optional<Listener> found = find(balancerName).flatMap(l -> listener(l.loadBalancerArn(), port));
        return cloud.delete("listener", balancerName + ":" + port, found.isPresent(), "", () -> {
            cloud.elb.deleteListener(r -> r.listenerArn(found.get().listenerArn()));
            cloud.state.forget("listener." + port + ".");
        });
    }

    public Outcome destroyLoadBalancer(String name) {
        Optional<LoadBalancer> found = find(name);
        return cloud.delete("load balancer", name, found.isPresent(), "", () -> {
            cloud.elb.deleteLoadBalancer(r -> r.loadBalancerArn(found.get().loadBalancerArn()));
            cloud.waitFor("load balancer " + name + " to be deleted", () -> find(name).isEmpty());
            cloud.state.forget("loadBalancer.");
        });
    }

    public Outcome destroyTargetGroup(String name) {
        Optional<TargetGroup> found = findTargetGroup(name);
        return cloud.delete("target group", name, found.isPresent(), "", () -> {
            cloud.elb.deleteTargetGroup(r -> r.targetGroupArn(found.get().targetGroupArn()));
            cloud.state.forget("targetGroup.");
        });
    }

    private void record(LoadBalancer lb) {
        cloud.state.put("loadBalancer.arn", lb.loadBalancerArn());
        cloud.state.put("loadBalancer.dnsName", lb.dnsName());
    }
}
