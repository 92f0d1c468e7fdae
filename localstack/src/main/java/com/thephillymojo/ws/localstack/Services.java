package com.thephillymojo.ws.localstack;

import com.thephillymojo.ws.localstack.acm.AcmBackend;
import com.thephillymojo.ws.localstack.acm.CertificateAuthority;
import com.thephillymojo.ws.localstack.ec2.Ec2Backend;
import com.thephillymojo.ws.localstack.ecr.EcrBackend;
import com.thephillymojo.ws.localstack.ecs.EcsBackend;
import com.thephillymojo.ws.localstack.elasticache.ElastiCacheBackend;
import com.thephillymojo.ws.localstack.elbv2.Elbv2Backend;
import com.thephillymojo.ws.localstack.iam.IamBackend;
import com.thephillymojo.ws.localstack.logs.LogsBackend;
import com.thephillymojo.ws.localstack.protocol.Protocol;
import com.thephillymojo.ws.localstack.protocol.ServiceSpec;
import com.thephillymojo.ws.localstack.route53.Route53Backend;
import com.thephillymojo.ws.localstack.secrets.SecretsBackend;
import com.thephillymojo.ws.localstack.sts.StsBackend;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** The services this emulator answers, with their wire protocol and routing, and how each backend is made for a region. */
final class Services {
    /** A backend of another service, in a region: what one service's backend asks of another's. */
    @FunctionalInterface
    interface Lookup {
        <T> T backend(Backend<T> service, String region);
    }

    private Services() {
    }

    /**
     * The specs, each making its backends with what they need: the registry's address and passwords
     * (ECR), the CA (ACM), the scheduler and the emulator's clock ({@code timing}), and the other
     * services' backends.
     */
    static List<ServiceSpec> all(LocalAws.Timing timing, Lookup lookup, Supplier<String> registryHost, Map<String, String> registryPasswords,
                                 Supplier<CertificateAuthority> authority, ScheduledExecutorService scheduler) {
        return List.of(
                spec(Backend.ECR, Protocol.AWS_JSON_1_1, "AmazonEC2ContainerRegistry_V20150921", null, false,
                        (region, account) -> new EcrBackend(region, account, registryHost, registryPasswords)),
                spec(Backend.ECS, Protocol.AWS_JSON_1_1, "AmazonEC2ContainerServiceV20141113", null, false,
                        (region, account) -> new EcsBackend(region, account,
                                subnet -> lookup.backend(Backend.EC2, region).availabilityZoneOf(subnet))),
                spec(Backend.LOGS, Protocol.AWS_JSON_1_1, "Logs_20140328", null, false, LogsBackend::new),
                spec(Backend.SECRETS_MANAGER, Protocol.AWS_JSON_1_1, "secretsmanager", null, false, SecretsBackend::new),
                spec(Backend.IAM, Protocol.AWS_QUERY, "2010-05-08", "https://iam.amazonaws.com/doc/2010-05-08/", true, IamBackend::new,
                        Set.of("AttachRolePolicy", "DetachRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "DeleteRole", "DeletePolicy")),
                spec(Backend.STS, Protocol.AWS_QUERY, "2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/", true,
                        (region, account) -> new StsBackend(account, () -> lookup.backend(Backend.IAM, region))),
                spec(Backend.EC2, Protocol.EC2_QUERY, "2016-11-15", "http://ec2.amazonaws.com/doc/2016-11-15/", false, Ec2Backend::new),
                spec(Backend.ROUTE53, Protocol.REST_XML, "2013-04-01", "https://route53.amazonaws.com/doc/2013-04-01/", true,
                        (region, account) -> new Route53Backend(region, account, timing.dnsSync())),
                spec(Backend.ACM, Protocol.AWS_JSON_1_1, "CertificateManager", null, false,
                        (region, account) -> new AcmBackend(region, account, authority, () -> lookup.backend(Backend.ROUTE53, region), scheduler,
                                timing.certificateCheck(), timing.certificateValidationTimeout())),
                spec(Backend.ELBV2, Protocol.AWS_QUERY, "2015-12-01", "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/", false,
                        (region, account) -> new Elbv2Backend(region, account, () -> lookup.backend(Backend.EC2, region),
                                () -> lookup.backend(Backend.ACM, region), timing.loadBalancerProvisioning())),
                spec(Backend.ELASTICACHE, Protocol.AWS_QUERY, "2015-02-02", "http://elasticache.amazonaws.com/doc/2015-02-02/", false,
                        (region, account) -> new ElastiCacheBackend(region, account, () -> lookup.backend(Backend.EC2, region)),
                        Set.of("DeleteCacheSubnetGroup")));
    }

    private static ServiceSpec spec(Backend<?> service, Protocol protocol, String targetOrVersion, String namespace, boolean global,
                                    java.util.function.BiFunction<String, String, Object> factory) {
        return spec(service, protocol, targetOrVersion, namespace, global, factory, Set.of());
    }

    /** {@code withoutOutput}: the operations the service's model gives no output (WireModelTest checks the list against botocore's). */
    private static ServiceSpec spec(Backend<?> service, Protocol protocol, String targetOrVersion, String namespace, boolean global,
                                    java.util.function.BiFunction<String, String, Object> factory, Set<String> withoutOutput) {
        return new ServiceSpec(service.signingName(), protocol, targetOrVersion, namespace, global, factory, withoutOutput);
    }
}
