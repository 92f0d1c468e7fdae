package com.thephillymojo.ws.localstack.elbv2;

import com.thephillymojo.ws.localstack.Arns;
import com.thephillymojo.ws.localstack.AwsException;
import com.thephillymojo.ws.localstack.acm.AcmBackend;
import com.thephillymojo.ws.localstack.ec2.Ec2Backend;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.*;

/**
 * ELBv2 in one region: application load balancers (provisioning, then active), target groups
 * with health-check settings and attributes, targets and their health, listeners (HTTPS with an
 * ACM certificate, HTTP) with forward / redirect / fixed-response actions, and tags. The data plane
 * (issue 6) makes listeners listen and health checks run; until then targets report "initial" or "unused".
 */
public final class Elbv2Backend {
    private static final Map<String, String> LB_ATTRIBUTES = Map.ofEntries(
            Map.entry("idle_timeout.timeout_seconds", "60"), Map.entry("deletion_protection.enabled", "false"),
            Map.entry("routing.http2.enabled", "true"), Map.entry("access_logs.s3.enabled", "false"),
            Map.entry("access_logs.s3.bucket", ""), Map.entry("access_logs.s3.prefix", ""),
            Map.entry("routing.http.drop_invalid_header_fields.enabled", "false"),
            Map.entry("routing.http.desync_mitigation_mode", "defensive"), Map.entry("waf.fail_open.enabled", "false"),
            Map.entry("routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"),
            Map.entry("routing.http.xff_client_port.enabled", "false"), Map.entry("routing.http.xff_header_processing.mode", "append"),
            Map.entry("routing.http.preserve_host_header.enabled", "false"), Map.entry("client_keep_alive.seconds", "3600"));
    private static final Map<String, String> TG_ATTRIBUTES = Map.ofEntries(
            Map.entry("deregistration_delay.timeout_seconds", "300"), Map.entry("stickiness.enabled", "false"),
            Map.entry("stickiness.type", "lb_cookie"), Map.entry("stickiness.lb_cookie.duration_seconds", "86400"),
            Map.entry("slow_start.duration_seconds", "0"), Map.entry("load_balancing.algorithm.type", "round_robin"),
            Map.entry("load_balancing.cross_zone.enabled", "use_load_balancer_configuration"));

    private static final class Lb {
        LoadBalancer lb;
        final Map<String, String> attributes = new LinkedHashMap<>(LB_ATTRIBUTES);
        Instant activeAt;
    }

    private static final class Group {
        TargetGroup group;
        final Map<String, String> attributes = new LinkedHashMap<>(TG_ATTRIBUTES);
        final Map<String, TargetHealthDescription> targets = new LinkedHashMap<>();   // id:port → health
    }

    private final String region;
    private final String account;
    private final Supplier<Ec2Backend> ec2;
    private final Supplier<AcmBackend> acm;
    private final Map<String, Lb> lbs = new LinkedHashMap<>();           // arn → lb
    private final Map<String, Group> groups = new LinkedHashMap<>();     // arn → group
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private final Map<String, List<Tag>> tags = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long provisioningMillis;

    /** {@code provisioning}: how long a new load balancer stays {@code provisioning}. */
    public Elbv2Backend(String region, String account, Supplier<Ec2Backend> ec2, Supplier<AcmBackend> acm, java.time.Duration provisioning) {
        this.region = region;
        this.account = account;
        this.ec2 = ec2;
        this.acm = acm;
        this.provisioningMillis = provisioning.toMillis();
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static AwsException validation(String message) {
        return new AwsException("ValidationError", message);
    }

    /** The hosted zone id AWS gives ALBs in a region (us-east-1's, elsewhere a stand-in). */
    private String canonicalZone() {
        return region.equals("us-east-1") ? "Z35SXDOTRQ7X7K" : "Z" + Integer.toHexString(region.hashCode()).toUpperCase();
    }

    // ---- load balancers ------------------------------------------------------------------------

    /** The account's default quota of Application Load Balancers per region (Service Quotas, Elastic Load Balancing). */
    static final int MAX_LOAD_BALANCERS = 50;

    public synchronized CreateLoadBalancerResponse createLoadBalancer(CreateLoadBalancerRequest r) {
        String name = AwsException.require(r.name(), "Name");
        if (!name.matches("[A-Za-z0-9](-?[A-Za-z0-9]){0,31}") || name.startsWith("internal-")) {
            throw validation("Load balancer name '" + name + "' is not valid: up to 32 alphanumeric characters or hyphens, "
                    + "not beginning or ending with a hyphen");
        }
        String type = r.typeAsString() == null ? "application" : r.typeAsString();
        String scheme = r.schemeAsString() == null ? "internet-facing" : r.schemeAsString();
        List<String> subnetIds = new ArrayList<>(r.subnets());
        r.subnetMappings().forEach(m -> subnetIds.add(m.subnetId()));
        var subnets = ec2.get().describeSubnets(software.amazon.awssdk.services.ec2.model.DescribeSubnetsRequest.builder()
                .subnetIds(subnetIds).build()).subnets();
        if (subnets.stream().map(s -> s.availabilityZone()).distinct().count() < 2) {
            throw validation("At least two subnets in two different Availability Zones must be specified");
        }
        for (Lb existing : lbs.values()) {
            if (existing.lb.loadBalancerName().equals(name)) {
                boolean same = existing.lb.availabilityZones().stream().map(AvailabilityZone::subnetId).sorted().toList()
                        .equals(subnetIds.stream().sorted().toList())
                        && existing.lb.securityGroups().stream().sorted().toList().equals(r.securityGroups().stream().sorted().toList())
                        && existing.lb.schemeAsString().equals(scheme);
                if (same) {
                    return CreateLoadBalancerResponse.builder().loadBalancers(described(existing)).build();
                }
                throw new AwsException("DuplicateLoadBalancerName", "A load balancer with the same name '" + name
                        + "' exists, but with different settings");
            }
        }
        if (lbs.size() >= MAX_LOAD_BALANCERS) {
            throw new AwsException("TooManyLoadBalancers", "You've reached the limit on the number of load balancers for your account ("
                    + MAX_LOAD_BALANCERS + " Application Load Balancers per region).");
        }
        String id = hex(8);
        Lb lb = new Lb();
        lb.activeAt = Instant.now().plusMillis(provisioningMillis);
        lb.lb = LoadBalancer.builder().loadBalancerArn(Arns.of("elasticloadbalancing", region, account, "loadbalancer/app/" + name + "/" + id))
                .dnsName(name + "-" + (1_000_000_000L + Math.abs(random.nextInt())) + "." + region + ".elb.amazonaws.com")
                .canonicalHostedZoneId(canonicalZone()).createdTime(Instant.now().truncatedTo(ChronoUnit.MILLIS)).loadBalancerName(name)
                .scheme(scheme).vpcId(subnets.get(0).vpcId()).type(type)
                .state(s -> s.code(LoadBalancerStateEnum.PROVISIONING))
                .availabilityZones(subnets.stream().map(s -> AvailabilityZone.builder().zoneName(s.availabilityZone()).subnetId(s.subnetId()).build()).toList())
                .securityGroups(r.securityGroups()).ipAddressType(r.ipAddressTypeAsString() == null ? "ipv4" : r.ipAddressTypeAsString()).build();
        lbs.put(lb.lb.loadBalancerArn(), lb);
        tags.put(lb.lb.loadBalancerArn(), new ArrayList<>(r.tags()));
        return CreateLoadBalancerResponse.builder().loadBalancers(lb.lb).build();
    }

    private LoadBalancer described(Lb lb) {
        if (lb.lb.state().code() == LoadBalancerStateEnum.PROVISIONING && !Instant.now().isBefore(lb.activeAt)) {
            lb.lb = lb.lb.toBuilder().state(s -> s.code(LoadBalancerStateEnum.ACTIVE)).build();
        }
        return lb.lb;
    }

    private Lb lb(String arn) {
        Lb lb = lbs.get(AwsException.require(arn, "LoadBalancerArn"));
        if (lb == null) {
            throw new AwsException("LoadBalancerNotFound", "One or more load balancers not found");
        }
        return lb;
    }

    public synchronized DescribeLoadBalancersResponse describeLoadBalancers(DescribeLoadBalancersRequest r) {
        List<LoadBalancer> found = new ArrayList<>();
        if (!r.loadBalancerArns().isEmpty()) {
            r.loadBalancerArns().forEach(arn -> found.add(described(lb(arn))));
        } else if (!r.names().isEmpty()) {
            for (String name : r.names()) {
                Lb match = lbs.values().stream().filter(l -> l.lb.loadBalancerName().equals(name)).findFirst()
                        .orElseThrow(() -> new AwsException("LoadBalancerNotFound", "Load balancers '[" + name + "]' not found"));
                found.add(described(match));
            }
        } else {
            lbs.values().forEach(l -> found.add(described(l)));
        }
        return DescribeLoadBalancersResponse.builder().loadBalancers(found).build();
    }

    public synchronized DeleteLoadBalancerResponse deleteLoadBalancer(DeleteLoadBalancerRequest r) {
        Lb lb = lbs.get(AwsException.require(r.loadBalancerArn(), "LoadBalancerArn"));
        if (lb != null) {
            if ("true".equals(lb.attributes.get("deletion_protection.enabled"))) {
                throw new AwsException("OperationNotPermitted", "Load balancer '" + r.loadBalancerArn()
                        + "' cannot be deleted because deletion protection is enabled");
            }
            for (Listener l : new ArrayList<>(listeners.values())) {
                if (l.loadBalancerArn().equals(r.loadBalancerArn())) {
                    removeListener(l);
                }
            }
            lbs.remove(r.loadBalancerArn());
            tags.remove(r.loadBalancerArn());
        }
        return DeleteLoadBalancerResponse.builder().build();
    }

    public synchronized DescribeLoadBalancerAttributesResponse describeLoadBalancerAttributes(DescribeLoadBalancerAttributesRequest r) {
        return DescribeLoadBalancerAttributesResponse.builder().attributes(lbAttributes(lb(r.loadBalancerArn()))).build();
    }

    private static List<LoadBalancerAttribute> lbAttributes(Lb lb) {
        return lb.attributes.entrySet().stream().map(e -> LoadBalancerAttribute.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    public synchronized ModifyLoadBalancerAttributesResponse modifyLoadBalancerAttributes(ModifyLoadBalancerAttributesRequest r) {
        Lb lb = lb(r.loadBalancerArn());
        Map<String, String> next = new LinkedHashMap<>(lb.attributes);
        for (LoadBalancerAttribute a : AwsException.require(r.attributes(), "Attributes")) {
            if (!LB_ATTRIBUTES.containsKey(a.key())) {
                throw validation("Load balancer attribute key '" + a.key() + "' is not recognized");
            }
            if (a.key().equals("idle_timeout.timeout_seconds")) {
                range(a.value(), 1, 4000, "Load balancer attribute value for 'idle_timeout.timeout_seconds' must be between 1 and 4000");
            }
            if (a.key().endsWith(".enabled") && !a.value().equals("true") && !a.value().equals("false")) {
                throw validation("Load balancer attribute value for '" + a.key() + "' must be 'true' or 'false'");
            }
            next.put(a.key(), a.value());
        }
        lb.attributes.clear();
        lb.attributes.putAll(next);
        return ModifyLoadBalancerAttributesResponse.builder().attributes(lbAttributes(lb)).build();
    }

    private static int range(String value, int min, int max, String message) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw validation(message);
    }

    // ---- target groups ---------------------------------------------------------------------------

    public synchronized CreateTargetGroupResponse createTargetGroup(CreateTargetGroupRequest r) {
        String name = AwsException.require(r.name(), "Name");
        if (!name.matches("[A-Za-z0-9](-?[A-Za-z0-9]){0,31}")) {
            throw validation("Target group name '" + name + "' can only contain characters that are alphanumeric characters or hyphens(-)");
        }
        String targetType = r.targetTypeAsString() == null ? "instance" : r.targetTypeAsString();
        int interval = r.healthCheckIntervalSeconds() == null ? 30 : r.healthCheckIntervalSeconds();
        int timeout = r.healthCheckTimeoutSeconds() == null ? 5 : r.healthCheckTimeoutSeconds();
        if (interval < 5 || interval > 300) {
            throw validation("Health check interval must be between 5 and 300 seconds");
        }
        if (timeout < 2 || timeout > 120 || timeout >= interval) {
            throw validation("Health check timeout must be between 2 and 120 seconds, and smaller than the interval");
        }
        int healthy = r.healthyThresholdCount() == null ? 5 : r.healthyThresholdCount();
        int unhealthy = r.unhealthyThresholdCount() == null ? 2 : r.unhealthyThresholdCount();
        if (healthy < 2 || healthy > 10 || unhealthy < 2 || unhealthy > 10) {
            throw validation("Healthy and unhealthy threshold counts must be between 2 and 10");
        }
        if (r.port() == null || r.port() < 1 || r.port() > 65535) {
            throw validation("A port between 1 and 65535 must be specified");
        }
        TargetGroup group = TargetGroup.builder().targetGroupName(name).protocol(r.protocolAsString() == null ? "HTTP" : r.protocolAsString())
                .port(r.port()).vpcId(r.vpcId()).targetType(targetType).healthCheckEnabled(r.healthCheckEnabled() == null || r.healthCheckEnabled())
                .healthCheckProtocol(r.healthCheckProtocolAsString() == null ? "HTTP" : r.healthCheckProtocolAsString())
                .healthCheckPort(r.healthCheckPort() == null ? "traffic-port" : r.healthCheckPort())
                .healthCheckPath(r.healthCheckPath() == null ? "/" : r.healthCheckPath()).healthCheckIntervalSeconds(interval)
                .healthCheckTimeoutSeconds(timeout).healthyThresholdCount(healthy).unhealthyThresholdCount(unhealthy)
                .matcher(r.matcher() == null ? Matcher.builder().httpCode("200").build() : r.matcher())
                .ipAddressType(r.ipAddressTypeAsString() == null ? "ipv4" : r.ipAddressTypeAsString())
                .protocolVersion(r.protocolVersion() == null ? "HTTP1" : r.protocolVersion()).loadBalancerArns(List.of()).build();
        for (Group existing : groups.values()) {
            if (existing.group.targetGroupName().equals(name)) {
                TargetGroup comparable = existing.group.toBuilder().targetGroupArn(null).loadBalancerArns(List.of()).build();
                if (comparable.equals(group)) {
                    return CreateTargetGroupResponse.builder().targetGroups(withLbs(existing)).build();
                }
                throw new AwsException("DuplicateTargetGroupName", "A target group with the same name '" + name
                        + "' exists, but with different settings");
            }
        }
        Group g = new Group();
        g.group = group.toBuilder().targetGroupArn(Arns.of("elasticloadbalancing", region, account, "targetgroup/" + name + "/" + hex(8))).build();
        groups.put(g.group.targetGroupArn(), g);
        tags.put(g.group.targetGroupArn(), new ArrayList<>(r.tags()));
        return CreateTargetGroupResponse.builder().targetGroups(withLbs(g)).build();
    }

    private TargetGroup withLbs(Group g) {
        List<String> lbArns = new ArrayList<>();
        for (Listener l : listeners.values()) {
            if (forwardsTo(l, g.group.targetGroupArn()) && !lbArns.contains(l.loadBalancerArn())) {
                lbArns.add(l.loadBalancerArn());
            }
        }
        return g.group.toBuilder().loadBalancerArns(lbArns).build();
    }

    private static boolean forwardsTo(Listener l, String groupArn) {
        for (Action a : l.defaultActions()) {
            if (groupArn.equals(a.targetGroupArn())) {
                return true;
            }
            if (a.forwardConfig() != null && a.forwardConfig().targetGroups().stream().anyMatch(t -> groupArn.equals(t.targetGroupArn()))) {
                return true;
            }
        }
        return false;
    }

    private Group group(String arn) {
        Group g = groups.get(AwsException.require(arn, "TargetGroupArn"));
        if (g == null) {
            throw new AwsException("TargetGroupNotFound", "One or more target groups not found");
        }
        return g;
    }

    public synchronized DescribeTargetGroupsResponse describeTargetGroups(DescribeTargetGroupsRequest r) {
        List<TargetGroup> found = new ArrayList<>();
        if (!r.targetGroupArns().isEmpty()) {
            r.targetGroupArns().forEach(arn -> found.add(withLbs(group(arn))));
        } else if (!r.names().isEmpty()) {
            for (String name : r.names()) {
                Group g = groups.values().stream().filter(x -> x.group.targetGroupName().equals(name)).findFirst()
                        .orElseThrow(() -> new AwsException("TargetGroupNotFound", "Target groups '[" + name + "]' not found"));
                found.add(withLbs(g));
            }
        } else {
            for (Group g : groups.values()) {
                TargetGroup t = withLbs(g);
                if (r.loadBalancerArn() == null || t.loadBalancerArns().contains(r.loadBalancerArn())) {
                    found.add(t);
                }
            }
        }
        return DescribeTargetGroupsResponse.builder().targetGroups(found).build();
    }

    public synchronized ModifyTargetGroupResponse modifyTargetGroup(ModifyTargetGroupRequest r) {
        Group g = group(r.targetGroupArn());
        TargetGroup.Builder b = g.group.toBuilder();
        if (r.healthCheckPath() != null) {
            b.healthCheckPath(r.healthCheckPath());
        }
        if (r.healthCheckIntervalSeconds() != null) {
            range(String.valueOf(r.healthCheckIntervalSeconds()), 5, 300, "Health check interval must be between 5 and 300 seconds");
            b.healthCheckIntervalSeconds(r.healthCheckIntervalSeconds());
        }
        if (r.healthCheckTimeoutSeconds() != null) {
            b.healthCheckTimeoutSeconds(r.healthCheckTimeoutSeconds());
        }
        if (r.healthyThresholdCount() != null) {
            b.healthyThresholdCount(r.healthyThresholdCount());
        }
        if (r.unhealthyThresholdCount() != null) {
            b.unhealthyThresholdCount(r.unhealthyThresholdCount());
        }
        if (r.matcher() != null) {
            b.matcher(r.matcher());
        }
        if (r.healthCheckPort() != null) {
            b.healthCheckPort(r.healthCheckPort());
        }
        g.group = b.build();
        return ModifyTargetGroupResponse.builder().targetGroups(withLbs(g)).build();
    }

    public synchronized DescribeTargetGroupAttributesResponse describeTargetGroupAttributes(DescribeTargetGroupAttributesRequest r) {
        return DescribeTargetGroupAttributesResponse.builder().attributes(tgAttributes(group(r.targetGroupArn()))).build();
    }

    private static List<TargetGroupAttribute> tgAttributes(Group g) {
        return g.attributes.entrySet().stream().map(e -> TargetGroupAttribute.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    public synchronized ModifyTargetGroupAttributesResponse modifyTargetGroupAttributes(ModifyTargetGroupAttributesRequest r) {
        Group g = group(r.targetGroupArn());
        Map<String, String> next = new LinkedHashMap<>(g.attributes);
        for (TargetGroupAttribute a : AwsException.require(r.attributes(), "Attributes")) {
            if (!TG_ATTRIBUTES.containsKey(a.key())) {
                throw validation("Target group attribute key '" + a.key() + "' is not recognized");
            }
            if (a.key().equals("deregistration_delay.timeout_seconds")) {
                range(a.value(), 0, 3600, "Target group attribute value for 'deregistration_delay.timeout_seconds' must be between 0 and 3600");
            }
            if (a.key().equals("stickiness.lb_cookie.duration_seconds")) {
                range(a.value(), 1, 604800, "Target group attribute value for 'stickiness.lb_cookie.duration_seconds' must be between 1 and 604800");
            }
            next.put(a.key(), a.value());
        }
        g.attributes.clear();
        g.attributes.putAll(next);
        return ModifyTargetGroupAttributesResponse.builder().attributes(tgAttributes(g)).build();
    }

    public synchronized DeleteTargetGroupResponse deleteTargetGroup(DeleteTargetGroupRequest r) {
        Group g = groups.get(AwsException.require(r.targetGroupArn(), "TargetGroupArn"));
        if (g != null) {
            for (Listener l : listeners.values()) {
                if (forwardsTo(l, g.group.targetGroupArn())) {
                    throw new AwsException("ResourceInUse", "Target group '" + r.targetGroupArn() + "' is currently in use by a listener or a rule");
                }
            }
            groups.remove(r.targetGroupArn());
            tags.remove(r.targetGroupArn());
        }
        return DeleteTargetGroupResponse.builder().build();
    }

    // ---- targets -------------------------------------------------------------------------------

    private static String key(TargetDescription t, TargetGroup g) {
        return t.id() + ":" + (t.port() == null ? g.port() : t.port());
    }

    public synchronized RegisterTargetsResponse registerTargets(RegisterTargetsRequest r) {
        Group g = group(r.targetGroupArn());
        for (TargetDescription t : AwsException.require(r.targets(), "Targets")) {
            if (g.group.targetTypeAsString().equals("ip") && !t.id().matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new AwsException("InvalidTarget", "The IP address '" + t.id() + "' is not a valid IPv4 address");
            }
            TargetDescription target = t.toBuilder().port(t.port() == null ? g.group.port() : t.port()).build();
            boolean inUse = !withLbs(g).loadBalancerArns().isEmpty();
            g.targets.put(key(t, g.group), TargetHealthDescription.builder().target(target).healthCheckPort(String.valueOf(target.port()))
                    .targetHealth(inUse ? health(TargetHealthStateEnum.INITIAL, TargetHealthReasonEnum.ELB_REGISTRATION_IN_PROGRESS,
                            "Target registration is in progress")
                            : health(TargetHealthStateEnum.UNUSED, TargetHealthReasonEnum.TARGET_NOT_IN_USE,
                            "Target group is not configured to receive traffic from the load balancer")).build());
        }
        return RegisterTargetsResponse.builder().build();
    }

    private static TargetHealth health(TargetHealthStateEnum state, TargetHealthReasonEnum reason, String description) {
        return TargetHealth.builder().state(state).reason(reason).description(description).build();
    }

    public synchronized DeregisterTargetsResponse deregisterTargets(DeregisterTargetsRequest r) {
        Group g = group(r.targetGroupArn());
        for (TargetDescription t : AwsException.require(r.targets(), "Targets")) {
            TargetHealthDescription d = g.targets.get(key(t, g.group));
            if (d == null) {
                throw new AwsException("InvalidTarget", "The target '" + t.id() + "' is not registered with the target group");
            }
            g.targets.put(key(t, g.group), d.toBuilder().targetHealth(health(TargetHealthStateEnum.DRAINING,
                    TargetHealthReasonEnum.TARGET_DEREGISTRATION_IN_PROGRESS, "Target deregistration is in progress")).build());
        }
        return DeregisterTargetsResponse.builder().build();
    }

    public synchronized DescribeTargetHealthResponse describeTargetHealth(DescribeTargetHealthRequest r) {
        Group g = group(r.targetGroupArn());
        List<TargetHealthDescription> found = new ArrayList<>();
        if (!r.targets().isEmpty()) {
            for (TargetDescription t : r.targets()) {
                TargetHealthDescription d = g.targets.get(key(t, g.group));
                found.add(d != null ? d : TargetHealthDescription.builder().target(t).targetHealth(health(TargetHealthStateEnum.UNUSED,
                        TargetHealthReasonEnum.TARGET_NOT_REGISTERED, "Target is not registered to the target group")).build());
            }
        } else {
            found.addAll(g.targets.values());
        }
        return DescribeTargetHealthResponse.builder().targetHealthDescriptions(found).build();
    }

    /** The states in which health checks still decide a target's health. */
    private static final java.util.Set<TargetHealthStateEnum> CHECKED = java.util.EnumSet.of(TargetHealthStateEnum.INITIAL,
            TargetHealthStateEnum.HEALTHY, TargetHealthStateEnum.UNHEALTHY);

    /**
     * The health checker reports a probe's verdict: it changes the target's health only while the
     * target is still being checked (initial, healthy or unhealthy). A target deregistered while the
     * probe was in flight stays draining: the probe's result is about a target that is leaving.
     */
    public synchronized boolean reportHealth(String groupArn, String id, int port, TargetHealth health) {
        TargetHealthDescription d = target(groupArn, id, port);
        if (d == null || !CHECKED.contains(d.targetHealth().state())) {
            return false;
        }
        groups.get(groupArn).targets.put(id + ":" + port, d.toBuilder().targetHealth(health).build());
        return true;
    }

    /** A draining target whose deregistration delay is over leaves the group (one registered again meanwhile stays). */
    public synchronized boolean finishDraining(String groupArn, String id, int port) {
        TargetHealthDescription d = target(groupArn, id, port);
        if (d == null || d.targetHealth().state() != TargetHealthStateEnum.DRAINING) {
            return false;
        }
        groups.get(groupArn).targets.remove(id + ":" + port);
        return true;
    }

    private TargetHealthDescription target(String groupArn, String id, int port) {
        Group g = groups.get(groupArn);
        return g == null ? null : g.targets.get(id + ":" + port);
    }

    // ---- listeners -----------------------------------------------------------------------------

    private void checkActions(List<Action> actions) {
        if (actions == null || actions.isEmpty()) {
            throw validation("A listener must have at least one default action");
        }
        for (Action a : actions) {
            switch (a.typeAsString() == null ? "" : a.typeAsString()) {
                case "forward":
                    if (a.targetGroupArn() == null && (a.forwardConfig() == null || a.forwardConfig().targetGroups().isEmpty())) {
                        throw validation("A target group ARN must be specified for a forward action");
                    }
                    group(a.targetGroupArn() != null ? a.targetGroupArn() : a.forwardConfig().targetGroups().get(0).targetGroupArn());
                    break;
                case "redirect":
                    if (a.redirectConfig() == null || a.redirectConfig().statusCode() == null) {
                        throw validation("A redirect action needs a RedirectConfig with a StatusCode");
                    }
                    break;
                case "fixed-response":
                    if (a.fixedResponseConfig() == null || a.fixedResponseConfig().statusCode() == null) {
                        throw validation("A fixed-response action needs a FixedResponseConfig with a StatusCode");
                    }
                    break;
                default:
                    throw validation("Action type '" + a.typeAsString() + "' must be one of 'forward', 'redirect', 'fixed-response'");
            }
        }
    }

    public synchronized CreateListenerResponse createListener(CreateListenerRequest r) {
        Lb lb = lb(r.loadBalancerArn());
        String protocol = AwsException.require(r.protocolAsString(), "Protocol");
        Integer port = AwsException.require(r.port(), "Port");
        if (port < 1 || port > 65535) {
            throw validation("Port must be between 1 and 65535");
        }
        if (!protocol.equals("HTTP") && !protocol.equals("HTTPS")) {
            throw validation("Protocol '" + protocol + "' must be one of 'HTTPS, HTTP' for an application load balancer");
        }
        List<Certificate> certificates = r.certificates();
        if (protocol.equals("HTTPS")) {
            if (certificates.isEmpty()) {
                throw validation("A certificate must be specified for HTTPS listeners");
            }
            for (Certificate c : certificates) {
                acm.get().issued(c.certificateArn());
            }
        }
        checkActions(r.defaultActions());
        String sslPolicy = protocol.equals("HTTPS") ? (r.sslPolicy() == null ? "ELBSecurityPolicy-2016-08" : r.sslPolicy()) : null;
        for (Listener existing : listeners.values()) {
            if (existing.loadBalancerArn().equals(lb.lb.loadBalancerArn()) && existing.port().equals(port)) {
                boolean same = existing.protocolAsString().equals(protocol) && existing.defaultActions().equals(r.defaultActions())
                        && Objects.equals(existing.sslPolicy(), sslPolicy) && existing.certificates().equals(certificates);
                if (same) {
                    return CreateListenerResponse.builder().listeners(existing).build();
                }
                throw new AwsException("DuplicateListener", "A listener already exists on this port for this load balancer");
            }
        }
        String lbPart = lb.lb.loadBalancerArn().substring(lb.lb.loadBalancerArn().indexOf("loadbalancer/") + "loadbalancer/".length());
        Listener listener = Listener.builder().listenerArn(Arns.of("elasticloadbalancing", region, account, "listener/" + lbPart + "/" + hex(8)))
                .loadBalancerArn(lb.lb.loadBalancerArn()).port(port).protocol(protocol).certificates(certificates.isEmpty() ? null : certificates)
                .sslPolicy(sslPolicy).defaultActions(r.defaultActions()).build();
        listeners.put(listener.listenerArn(), listener);
        tags.put(listener.listenerArn(), new ArrayList<>(r.tags()));
        certificates.forEach(c -> acm.get().inUse(c.certificateArn(), lb.lb.loadBalancerArn(), true));
        promoteTargets();
        return CreateListenerResponse.builder().listeners(listener).build();
    }

    /** Targets of a group that starts receiving traffic go from unused to initial. */
    private void promoteTargets() {
        for (Group g : groups.values()) {
            if (withLbs(g).loadBalancerArns().isEmpty()) {
                continue;
            }
            g.targets.replaceAll((k, d) -> d.targetHealth().state() == TargetHealthStateEnum.UNUSED
                    ? d.toBuilder().targetHealth(health(TargetHealthStateEnum.INITIAL, TargetHealthReasonEnum.ELB_REGISTRATION_IN_PROGRESS,
                            "Target registration is in progress")).build() : d);
        }
    }

    private Listener listener(String arn) {
        Listener l = listeners.get(AwsException.require(arn, "ListenerArn"));
        if (l == null) {
            throw new AwsException("ListenerNotFound", "One or more listeners not found");
        }
        return l;
    }

    public synchronized DescribeListenersResponse describeListeners(DescribeListenersRequest r) {
        List<Listener> found = new ArrayList<>();
        if (!r.listenerArns().isEmpty()) {
            r.listenerArns().forEach(arn -> found.add(listener(arn)));
        } else {
            lb(r.loadBalancerArn());
            listeners.values().stream().filter(l -> l.loadBalancerArn().equals(r.loadBalancerArn())).forEach(found::add);
        }
        return DescribeListenersResponse.builder().listeners(found).build();
    }

    public synchronized ModifyListenerResponse modifyListener(ModifyListenerRequest r) {
        Listener l = listener(r.listenerArn());
        Listener.Builder b = l.toBuilder();
        if (!r.defaultActions().isEmpty()) {
            checkActions(r.defaultActions());
            b.defaultActions(r.defaultActions());
        }
        if (!r.certificates().isEmpty()) {
            for (Certificate c : r.certificates()) {
                acm.get().issued(c.certificateArn());
            }
            l.certificates().forEach(c -> acm.get().inUse(c.certificateArn(), l.loadBalancerArn(), false));
            r.certificates().forEach(c -> acm.get().inUse(c.certificateArn(), l.loadBalancerArn(), true));
            b.certificates(r.certificates());
        }
        if (r.port() != null) {
            b.port(r.port());
        }
        if (r.sslPolicy() != null) {
            b.sslPolicy(r.sslPolicy());
        }
        if (r.protocolAsString() != null) {
            b.protocol(r.protocolAsString());
        }
        Listener updated = b.build();
        listeners.put(updated.listenerArn(), updated);
        promoteTargets();
        return ModifyListenerResponse.builder().listeners(updated).build();
    }

    public synchronized DeleteListenerResponse deleteListener(DeleteListenerRequest r) {
        removeListener(listener(r.listenerArn()));
        return DeleteListenerResponse.builder().build();
    }

    private void removeListener(Listener l) {
        listeners.remove(l.listenerArn());
        tags.remove(l.listenerArn());
        l.certificates().forEach(c -> acm.get().inUse(c.certificateArn(), l.loadBalancerArn(), false));
    }

    // ---- reading for the data plane -------------------------------------------------------------

    /** Every listener, with its load balancer's idle timeout. */
    public synchronized List<Listener> listeners() {
        return new ArrayList<>(listeners.values());
    }

    public synchronized int idleTimeoutSeconds(String loadBalancerArn) {
        Lb lb = lbs.get(loadBalancerArn);
        return lb == null ? 60 : Integer.parseInt(lb.attributes.get("idle_timeout.timeout_seconds"));
    }

    public synchronized Optional<LoadBalancer> loadBalancer(String arn) {
        Lb lb = lbs.get(arn);
        return lb == null ? Optional.empty() : Optional.of(described(lb));
    }

    public synchronized List<LoadBalancer> loadBalancers() {
        return lbs.values().stream().map(this::described).toList();
    }

    public synchronized Optional<TargetGroup> targetGroup(String arn) {
        Group g = groups.get(arn);
        return g == null ? Optional.empty() : Optional.of(withLbs(g));
    }

    public synchronized List<TargetGroup> targetGroups() {
        return groups.values().stream().map(this::withLbs).toList();
    }

    public synchronized List<TargetHealthDescription> targets(String groupArn) {
        Group g = groups.get(groupArn);
        return g == null ? List.of() : new ArrayList<>(g.targets.values());
    }

    public synchronized int deregistrationDelaySeconds(String groupArn) {
        Group g = groups.get(groupArn);
        return g == null ? 300 : Integer.parseInt(g.attributes.get("deregistration_delay.timeout_seconds"));
    }

    // ---- tags ----------------------------------------------------------------------------------

    private List<Tag> tagsOf(String arn) {
        List<Tag> list = tags.get(arn);
        if (list == null) {
            throw new AwsException(arn.contains(":targetgroup/") ? "TargetGroupNotFound" : arn.contains(":listener/") ? "ListenerNotFound"
                    : "LoadBalancerNotFound", "Resource '" + arn + "' not found");
        }
        return list;
    }

    public synchronized AddTagsResponse addTags(AddTagsRequest r) {
        for (String arn : AwsException.require(r.resourceArns(), "ResourceArns")) {
            List<Tag> list = tagsOf(arn);
            for (Tag tag : r.tags()) {
                list.removeIf(t -> t.key().equals(tag.key()));
                list.add(tag);
            }
        }
        return AddTagsResponse.builder().build();
    }

    public synchronized RemoveTagsResponse removeTags(RemoveTagsRequest r) {
        for (String arn : AwsException.require(r.resourceArns(), "ResourceArns")) {
            tagsOf(arn).removeIf(t -> r.tagKeys().contains(t.key()));
        }
        return RemoveTagsResponse.builder().build();
    }

    public synchronized DescribeTagsResponse describeTags(DescribeTagsRequest r) {
        List<TagDescription> found = new ArrayList<>();
        for (String arn : AwsException.require(r.resourceArns(), "ResourceArns")) {
            found.add(TagDescription.builder().resourceArn(arn).tags(tagsOf(arn)).build());
        }
        return DescribeTagsResponse.builder().tagDescriptions(found).build();
    }
}
