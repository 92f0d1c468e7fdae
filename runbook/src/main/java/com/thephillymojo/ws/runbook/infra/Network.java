package com.thephillymojo.ws.runbook.infra;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * The VPC and subnets the environment uses (the region's default VPC unless the settings name
 * one) and the two security groups: the load balancer's, open to the internet on 443 and 80, and
 * the tasks', open on 8080 to the load balancer's group only.
 */
public final class Network {
    /** One ingress rule: a TCP port from a CIDR block or from another security group. */
    public record Ingress(int port, String cidr, String fromGroupId) {
        public static Ingress fromAnywhere(int port) {
            return new Ingress(port, "0.0.0.0/0", null);
        }

        public static Ingress fromGroup(int port, String groupId) {
            return new Ingress(port, null, groupId);
        }

        IpPermission permission() {
            IpPermission.Builder p = IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port);
            return cidr != null ? p.ipRanges(r -> r.cidrIp(cidr)).build() : p.userIdGroupPairs(g -> g.groupId(fromGroupId)).build();
        }

        @Override
        public String toString() {
            return port + " from " + (cidr != null ? cidr : fromGroupId);
        }
    }

    private final Cloud cloud;
    private String vpcId;

    public Network(Cloud cloud) {
        this.cloud = cloud;
    }

    /** The settings' VPC, or the region's default VPC (looked up once). */
    public synchronized String vpcId() {
        if (vpcId == null) {
            vpcId = cloud.settings.vpc().equals("default") ? defaultVpc() : cloud.settings.vpc();
        }
        return vpcId;
    }

    private String defaultVpc() {
        return cloud.ec2.describeVpcs(r -> r.filters(Filter.builder().name("is-default").values("true").build())).vpcs().stream()
                .findFirst().orElseThrow(() -> new IllegalStateException("the region " + cloud.settings.region()
                        + " has no default VPC: name one with vpc= and subnets= in the settings")).vpcId();
    }

    /** The settings' subnets, or the VPC's default subnets (one per availability zone). */
    public List<String> subnets() {
        if (!cloud.settings.subnets().isEmpty()) {
            return cloud.settings.subnets();
        }
        String vpc = vpcId();
        List<String> subnets = cloud.ec2.describeSubnets(r -> r.filters(Filter.builder().name("vpc-id").values(vpc).build(),
                Filter.builder().name("default-for-az").values("true").build())).subnets().stream().map(Subnet::subnetId).sorted().toList();
        if (subnets.size() < 2) {
            throw new IllegalStateException("the VPC " + vpc + " has " + subnets.size()
                    + " default subnet(s); a load balancer needs two zones: list them with subnets= in the settings");
        }
        return subnets;
    }

    public Optional<SecurityGroup> find(String name) {
        String vpc = vpcId();
        return cloud.ec2.describeSecurityGroups(r -> r.filters(Filter.builder().name("group-name").values(name).build(),
                Filter.builder().name("vpc-id").values(vpc).build())).securityGroups().stream().findFirst();
    }

    /** A security group with exactly {@code wanted} as its ingress (extra rules are revoked). */
    public Outcome ensureGroup(String name, String description, List<Ingress> wanted) {
        String kind = "security group";
        Optional<SecurityGroup> found = find(name);
        if (found.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate(kind, name, "ingress " + wanted));
            }
            String vpc = vpcId();
            String id = cloud.ec2.createSecurityGroup(r -> r.groupName(name).description(description).vpcId(vpc)).groupId();
            // EC2 is eventually consistent: a group just made may be unknown to the next call for a moment
            cloud.eventually("EC2 to know the new security group " + id, e -> Cloud.code(e).equals("InvalidGroup.NotFound"),
                    () -> cloud.ec2.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(wanted.stream().map(Ingress::permission).toList())));
            cloud.state.put("securityGroup." + name, id);
            return cloud.report(Outcome.created(kind, name, id + ", ingress " + wanted));
        }
        SecurityGroup group = found.get();
        cloud.state.put("securityGroup." + name, group.groupId());
        Set<Ingress> current = new HashSet<>(ingressOf(group));
        List<Ingress> missing = wanted.stream().filter(i -> !current.contains(i)).toList();
        List<Ingress> extra = current.stream().filter(i -> !wanted.contains(i)).toList();
        if (missing.isEmpty() && extra.isEmpty()) {
            return cloud.report(Outcome.unchanged(kind, name));
        }
        List<String> differences = new ArrayList<>();
        missing.forEach(i -> differences.add("allow " + i));
        extra.forEach(i -> differences.add("revoke " + i));
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldChange(kind, name, String.join(", ", differences)));
        }
        if (!missing.isEmpty()) {
            cloud.ec2.authorizeSecurityGroupIngress(r -> r.groupId(group.groupId()).ipPermissions(missing.stream().map(Ingress::permission).toList()));
        }
        if (!extra.isEmpty()) {
            cloud.ec2.revokeSecurityGroupIngress(r -> r.groupId(group.groupId()).ipPermissions(extra.stream().map(Ingress::permission).toList()));
        }
        return cloud.report(Outcome.changed(kind, name, String.join(", ", differences)));
    }

    /**
     * Deletes the group. Right after its load balancer or tasks are gone AWS may still hold their
     * network interfaces (DependencyViolation) for a while: that is waited out.
     */
    public Outcome destroyGroup(String name) {
        Optional<SecurityGroup> found = find(name);
        String id = found.map(SecurityGroup::groupId).orElse("");
        return cloud.delete("security group", name, found.isPresent(), id, () -> {
            cloud.waitFor("the network interfaces in security group " + name + " to be released", () -> {
                try {
                    cloud.ec2.deleteSecurityGroup(r -> r.groupId(id));
                    return true;
                } catch (Ec2Exception e) {
                    if ("DependencyViolation".equals(e.awsErrorDetails().errorCode())) {
                        return false;
                    }
                    throw e;
                }
            });
            cloud.state.forget("securityGroup." + name);
        });
    }

    /** The group's TCP rules by their first port (the runbook makes single-port rules only). */
    private static List<Ingress> ingressOf(SecurityGroup group) {
        List<Ingress> rules = new ArrayList<>();
        for (IpPermission p : group.ipPermissions()) {
            int port = p.fromPort() == null ? -1 : p.fromPort();
            p.ipRanges().forEach(r -> rules.add(new Ingress(port, r.cidrIp(), null)));
            p.userIdGroupPairs().forEach(g -> rules.add(Ingress.fromGroup(port, g.groupId())));
        }
        return rules;
    }
}
