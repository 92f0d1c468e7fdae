package com.thephillymojo.ws.localstack.ec2;

import com.thephillymojo.ws.localstack.AwsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.*;

/**
 * EC2 in one region, as much of it as the deployment touches: the default VPC with a default
 * subnet in each of three availability zones (present from the start, as in a new account),
 * availability zones, security groups with their ingress rules, and tags.
 */
public final class Ec2Backend {
    private final String region;
    private final String account;
    private final Vpc vpc;
    private final List<Subnet> subnets = new ArrayList<>();
    private final Map<String, SecurityGroup> groups = new LinkedHashMap<>();
    private final Map<String, List<Tag>> tags = new LinkedHashMap<>();

    public Ec2Backend(String region, String account) {
        this.region = region;
        this.account = account;
        String vpcId = "vpc-" + hex(17);
        vpc = Vpc.builder().vpcId(vpcId).cidrBlock("172.31.0.0/16").isDefault(true).state(VpcState.AVAILABLE).ownerId(account)
                .instanceTenancy(Tenancy.DEFAULT).dhcpOptionsId("dopt-" + hex(17))
                .cidrBlockAssociationSet(VpcCidrBlockAssociation.builder().associationId("vpc-cidr-assoc-" + hex(17))
                        .cidrBlock("172.31.0.0/16").cidrBlockState(s -> s.state(VpcCidrBlockStateCode.ASSOCIATED)).build()).build();
        String[] zones = {"a", "b", "c"};
        for (int i = 0; i < zones.length; i++) {
            String id = "subnet-" + hex(17);
            subnets.add(Subnet.builder().subnetId(id).vpcId(vpcId).cidrBlock("172.31." + (i * 16) + ".0/20")
                    .availabilityZone(region + zones[i]).availabilityZoneId(region.replace("-", "").substring(0, 3) + "-az" + (i + 1))
                    .defaultForAz(true).mapPublicIpOnLaunch(true).state(SubnetState.AVAILABLE).availableIpAddressCount(4091)
                    .ownerId(account).subnetArn("arn:aws:ec2:" + region + ":" + account + ":subnet/" + id).build());
        }
        SecurityGroup defaultGroup = SecurityGroup.builder().groupId("sg-" + hex(17)).groupName("default").vpcId(vpcId).ownerId(account)
                .description("default VPC security group").ipPermissions(List.of())
                .ipPermissionsEgress(IpPermission.builder().ipProtocol("-1").ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build())
                .build();
        groups.put(defaultGroup.groupId(), defaultGroup);
    }

    private static String hex(int n) {
        return UUID.randomUUID().toString().replace("-", "").substring(0, n);
    }

    private static List<String> filterValues(List<Filter> filters, String name) {
        for (Filter f : filters) {
            if (name.equals(f.name())) {
                return f.values();
            }
        }
        return null;
    }

    private static <T> boolean matches(List<Filter> filters, String name, Function<T, String> value, T item) {
        List<String> wanted = filterValues(filters, name);
        return wanted == null || wanted.contains(value.apply(item));
    }

    private List<Tag> tagsOf(String id) {
        return tags.getOrDefault(id, List.of());
    }

    public synchronized DescribeVpcsResponse describeVpcs(DescribeVpcsRequest r) {
        if (r.hasVpcIds() && !r.vpcIds().isEmpty() && !r.vpcIds().contains(vpc.vpcId())) {
            throw new AwsException("InvalidVpcID.NotFound", "The vpc ID '" + r.vpcIds().get(0) + "' does not exist");
        }
        List<Vpc> found = new ArrayList<>();
        Vpc tagged = vpc.toBuilder().tags(tagsOf(vpc.vpcId())).build();
        if (matches(r.filters(), "isDefault", v -> "true", tagged) && matches(r.filters(), "is-default", v -> "true", tagged)
                && matches(r.filters(), "vpc-id", Vpc::vpcId, tagged) && matches(r.filters(), "state", v -> "available", tagged)) {
            found.add(tagged);
        }
        return DescribeVpcsResponse.builder().vpcs(found).build();
    }

    public synchronized DescribeSubnetsResponse describeSubnets(DescribeSubnetsRequest r) {
        List<Subnet> found = new ArrayList<>();
        if (r.hasSubnetIds()) {
            for (String id : r.subnetIds()) {
                if (subnets.stream().noneMatch(s -> s.subnetId().equals(id))) {
                    throw new AwsException("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist");
                }
            }
        }
        for (Subnet s : subnets) {
            if (r.hasSubnetIds() && !r.subnetIds().isEmpty() && !r.subnetIds().contains(s.subnetId())) {
                continue;
            }
            if (matches(r.filters(), "default-for-az", x -> String.valueOf(x.defaultForAz()), s)
                    && matches(r.filters(), "defaultForAz", x -> String.valueOf(x.defaultForAz()), s)
                    && matches(r.filters(), "vpc-id", Subnet::vpcId, s)
                    && matches(r.filters(), "availability-zone", Subnet::availabilityZone, s)
                    && matches(r.filters(), "subnet-id", Subnet::subnetId, s)) {
                found.add(s.toBuilder().tags(tagsOf(s.subnetId())).build());
            }
        }
        return DescribeSubnetsResponse.builder().subnets(found).build();
    }

    /** The zone of a subnet of this region's VPC. */
    public synchronized java.util.Optional<String> availabilityZoneOf(String subnetId) {
        return subnets.stream().filter(s -> s.subnetId().equals(subnetId)).map(Subnet::availabilityZone).findFirst();
    }

    public synchronized DescribeAvailabilityZonesResponse describeAvailabilityZones(DescribeAvailabilityZonesRequest r) {
        List<AvailabilityZone> zones = new ArrayList<>();
        for (Subnet s : subnets) {
            AvailabilityZone zone = AvailabilityZone.builder().zoneName(s.availabilityZone()).zoneId(s.availabilityZoneId())
                    .regionName(region).state(AvailabilityZoneState.AVAILABLE).zoneType("availability-zone")
                    .optInStatus(AvailabilityZoneOptInStatus.OPT_IN_NOT_REQUIRED).groupName(region).networkBorderGroup(region).build();
            if ((!r.hasZoneNames() || r.zoneNames().isEmpty() || r.zoneNames().contains(zone.zoneName()))
                    && matches(r.filters(), "zone-name", AvailabilityZone::zoneName, zone)) {
                zones.add(zone);
            }
        }
        return DescribeAvailabilityZonesResponse.builder().availabilityZones(zones).build();
    }

    public synchronized CreateSecurityGroupResponse createSecurityGroup(CreateSecurityGroupRequest r) {
        String name = AwsException.require(r.groupName(), "GroupName");
        String description = AwsException.require(r.description(), "GroupDescription");
        String vpcId = r.vpcId() == null ? vpc.vpcId() : r.vpcId();
        if (!vpcId.equals(vpc.vpcId())) {
            throw new AwsException("InvalidVpcID.NotFound", "The vpc ID '" + vpcId + "' does not exist");
        }
        if (name.startsWith("sg-") || name.equals("default")) {
            throw new AwsException("InvalidParameterValue", "Group names may not be in the format sg-* or be 'default'.");
        }
        for (SecurityGroup g : groups.values()) {
            if (g.groupName().equals(name) && g.vpcId().equals(vpcId)) {
                throw new AwsException("InvalidGroup.Duplicate", "The security group '" + name + "' already exists for VPC '" + vpcId + "'");
            }
        }
        SecurityGroup group = SecurityGroup.builder().groupId("sg-" + hex(17)).groupName(name).description(description).vpcId(vpcId)
                .ownerId(account).ipPermissions(List.of())
                .ipPermissionsEgress(IpPermission.builder().ipProtocol("-1").ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build())
                .build();
        groups.put(group.groupId(), group);
        List<Tag> groupTags = new ArrayList<>();
        r.tagSpecifications().forEach(spec -> groupTags.addAll(spec.tags()));
        tags.put(group.groupId(), groupTags);
        return CreateSecurityGroupResponse.builder().groupId(group.groupId()).tags(groupTags.isEmpty() ? null : groupTags).build();
    }

    private SecurityGroup group(String id, String name) {
        for (SecurityGroup g : groups.values()) {
            if (g.groupId().equals(id) || (id == null && g.groupName().equals(name))) {
                return g;
            }
        }
        throw new AwsException("InvalidGroup.NotFound", "The security group '" + (id == null ? name : id) + "' does not exist");
    }

    public synchronized DescribeSecurityGroupsResponse describeSecurityGroups(DescribeSecurityGroupsRequest r) {
        List<SecurityGroup> found = new ArrayList<>();
        if (r.hasGroupIds() && !r.groupIds().isEmpty()) {
            r.groupIds().forEach(id -> found.add(group(id, null)));
        } else if (r.hasGroupNames() && !r.groupNames().isEmpty()) {
            r.groupNames().forEach(name -> found.add(group(null, name)));
        } else {
            found.addAll(groups.values());
        }
        List<SecurityGroup> filtered = new ArrayList<>();
        for (SecurityGroup g : found) {
            if (matches(r.filters(), "group-name", SecurityGroup::groupName, g) && matches(r.filters(), "vpc-id", SecurityGroup::vpcId, g)
                    && matches(r.filters(), "group-id", SecurityGroup::groupId, g)) {
                filtered.add(g.toBuilder().tags(tagsOf(g.groupId())).build());
            }
        }
        return DescribeSecurityGroupsResponse.builder().securityGroups(filtered).build();
    }

    private static List<IpPermission> permissions(List<IpPermission> given, String protocol, Integer from, Integer to, String cidr) {
        if (given != null && !given.isEmpty()) {
            return given;
        }
        if (protocol == null) {
            throw new AwsException("MissingParameter", "The request must contain the parameter ipPermissions");
        }
        return List.of(IpPermission.builder().ipProtocol(protocol).fromPort(from).toPort(to)
                .ipRanges(cidr == null ? List.of() : List.of(IpRange.builder().cidrIp(cidr).build())).build());
    }

    /** One rule per (protocol, ports, one source): how duplicates are told apart. */
    private static List<IpPermission> split(List<IpPermission> permissions) {
        List<IpPermission> rules = new ArrayList<>();
        for (IpPermission p : permissions) {
            for (IpRange range : p.ipRanges()) {
                rules.add(IpPermission.builder().ipProtocol(p.ipProtocol()).fromPort(p.fromPort()).toPort(p.toPort()).ipRanges(range).build());
            }
            for (UserIdGroupPair pair : p.userIdGroupPairs()) {
                rules.add(IpPermission.builder().ipProtocol(p.ipProtocol()).fromPort(p.fromPort()).toPort(p.toPort())
                        .userIdGroupPairs(UserIdGroupPair.builder().groupId(pair.groupId()).userId(pair.userId()).description(pair.description()).build()).build());
            }
        }
        return rules;
    }

    private static boolean sameRule(IpPermission a, IpPermission b) {
        return java.util.Objects.equals(a.ipProtocol(), b.ipProtocol()) && java.util.Objects.equals(a.fromPort(), b.fromPort())
                && java.util.Objects.equals(a.toPort(), b.toPort())
                && a.ipRanges().stream().map(IpRange::cidrIp).toList().equals(b.ipRanges().stream().map(IpRange::cidrIp).toList())
                && a.userIdGroupPairs().stream().map(UserIdGroupPair::groupId).toList()
                        .equals(b.userIdGroupPairs().stream().map(UserIdGroupPair::groupId).toList());
    }

    public synchronized AuthorizeSecurityGroupIngressResponse authorizeSecurityGroupIngress(AuthorizeSecurityGroupIngressRequest r) {
        SecurityGroup g = group(r.groupId(), r.groupName());
        List<IpPermission> current = split(g.ipPermissions());
        List<IpPermission> adding = split(permissions(r.ipPermissions(), r.ipProtocol(), r.fromPort(), r.toPort(), r.cidrIp()));
        List<SecurityGroupRule> rules = new ArrayList<>();
        for (IpPermission rule : adding) {
            for (UserIdGroupPair pair : rule.userIdGroupPairs()) {
                group(pair.groupId(), null);
            }
            if (current.stream().anyMatch(c -> sameRule(c, rule))) {
                throw new AwsException("InvalidPermission.Duplicate", "the specified rule \"peer: "
                        + (rule.ipRanges().isEmpty() ? rule.userIdGroupPairs().get(0).groupId() : rule.ipRanges().get(0).cidrIp())
                        + ", " + rule.ipProtocol().toUpperCase() + ", from port: " + rule.fromPort() + ", to port: " + rule.toPort()
                        + ", ALLOW\" already exists");
            }
        }
        current.addAll(adding);
        for (IpPermission rule : adding) {
            rules.add(SecurityGroupRule.builder().securityGroupRuleId("sgr-" + hex(17)).groupId(g.groupId()).isEgress(false)
                    .ipProtocol(rule.ipProtocol()).fromPort(rule.fromPort()).toPort(rule.toPort())
                    .cidrIpv4(rule.ipRanges().isEmpty() ? null : rule.ipRanges().get(0).cidrIp())
                    .referencedGroupInfo(rule.userIdGroupPairs().isEmpty() ? null
                            : ReferencedSecurityGroup.builder().groupId(rule.userIdGroupPairs().get(0).groupId()).build()).build());
        }
        groups.put(g.groupId(), g.toBuilder().ipPermissions(current).build());
        return AuthorizeSecurityGroupIngressResponse.builder().returnValue(true).securityGroupRules(rules).build();
    }

    public synchronized RevokeSecurityGroupIngressResponse revokeSecurityGroupIngress(RevokeSecurityGroupIngressRequest r) {
        SecurityGroup g = group(r.groupId(), r.groupName());
        List<IpPermission> current = split(g.ipPermissions());
        List<IpPermission> removing = split(permissions(r.ipPermissions(), r.ipProtocol(), r.fromPort(), r.toPort(), r.cidrIp()));
        for (IpPermission rule : removing) {
            if (current.stream().noneMatch(c -> sameRule(c, rule))) {
                throw new AwsException("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
            }
        }
        current.removeIf(c -> removing.stream().anyMatch(rule -> sameRule(c, rule)));
        groups.put(g.groupId(), g.toBuilder().ipPermissions(current).build());
        return RevokeSecurityGroupIngressResponse.builder().returnValue(true).build();
    }

    public synchronized DeleteSecurityGroupResponse deleteSecurityGroup(DeleteSecurityGroupRequest r) {
        SecurityGroup g = group(r.groupId(), r.groupName());
        if (g.groupName().equals("default")) {
            throw new AwsException("CannotDelete", "the specified group: \"" + g.groupId() + "\" name: \"default\" cannot be deleted by a user");
        }
        for (SecurityGroup other : groups.values()) {
            for (IpPermission p : other.ipPermissions()) {
                if (p.userIdGroupPairs().stream().anyMatch(pair -> g.groupId().equals(pair.groupId()))) {
                    throw new AwsException("DependencyViolation", "resource " + g.groupId() + " has a dependent object");
                }
            }
        }
        groups.remove(g.groupId());
        tags.remove(g.groupId());
        return DeleteSecurityGroupResponse.builder().returnValue(true).groupId(g.groupId()).build();
    }

    public synchronized CreateTagsResponse createTags(CreateTagsRequest r) {
        for (String id : AwsException.require(r.resources(), "ResourceId")) {
            boolean known = id.equals(vpc.vpcId()) || groups.containsKey(id) || subnets.stream().anyMatch(s -> s.subnetId().equals(id));
            if (!known) {
                String kind = id.startsWith("sg-") ? "InvalidGroup.NotFound" : id.startsWith("subnet-") ? "InvalidSubnetID.NotFound"
                        : id.startsWith("vpc-") ? "InvalidVpcID.NotFound" : "InvalidID";
                throw new AwsException(kind, "The ID '" + id + "' does not exist");
            }
        }
        for (String id : r.resources()) {
            List<Tag> list = tags.computeIfAbsent(id, k -> new ArrayList<>());
            for (Tag tag : r.tags()) {
                list.removeIf(t -> t.key().equals(tag.key()));
                list.add(tag);
            }
        }
        return CreateTagsResponse.builder().build();
    }

    /** For the data plane: the groups and their rules. */
    public synchronized List<SecurityGroup> securityGroups() {
        return new ArrayList<>(groups.values());
    }
}
