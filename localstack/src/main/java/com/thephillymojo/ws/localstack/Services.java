package com.thephillymojo.ws.localstack;

import com.thephillymojo.ws.localstack.protocol.Protocol;
import com.thephillymojo.ws.localstack.protocol.ServiceSpec;
import java.util.List;

/** The services this emulator answers, with their wire protocol and routing. */
final class Services {
    private Services() {
    }

    static List<ServiceSpec> all(LocalAws aws) {
        return List.of(
                new ServiceSpec("ecr", Protocol.AWS_JSON_1_1, "AmazonEC2ContainerRegistry_V20150921", null, false,
                        aws::newEcrBackend),
                new ServiceSpec("ecs", Protocol.AWS_JSON_1_1, "AmazonEC2ContainerServiceV20141113", null, false,
                        aws::newEcsBackend),
                new ServiceSpec("logs", Protocol.AWS_JSON_1_1, "Logs_20140328", null, false,
                        com.thephillymojo.ws.localstack.logs.LogsBackend::new),
                new ServiceSpec("secretsmanager", Protocol.AWS_JSON_1_1, "secretsmanager", null, false,
                        com.thephillymojo.ws.localstack.secrets.SecretsBackend::new),
                new ServiceSpec("iam", Protocol.AWS_QUERY, "2010-05-08", "https://iam.amazonaws.com/doc/2010-05-08/", true,
                        com.thephillymojo.ws.localstack.iam.IamBackend::new),
                new ServiceSpec("sts", Protocol.AWS_QUERY, "2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/", true,
                        (region, account) -> new com.thephillymojo.ws.localstack.sts.StsBackend(account,
                                () -> aws.backend("iam", region, com.thephillymojo.ws.localstack.iam.IamBackend.class))),
                new ServiceSpec("ec2", Protocol.EC2_QUERY, "2016-11-15", "http://ec2.amazonaws.com/doc/2016-11-15/", false,
                        com.thephillymojo.ws.localstack.ec2.Ec2Backend::new),
                new ServiceSpec("route53", Protocol.REST_XML, "2013-04-01", "https://route53.amazonaws.com/doc/2013-04-01/", true,
                        com.thephillymojo.ws.localstack.route53.Route53Backend::new),
                new ServiceSpec("acm", Protocol.AWS_JSON_1_1, "CertificateManager", null, false, aws::newAcmBackend),
                new ServiceSpec("elasticloadbalancing", Protocol.AWS_QUERY, "2015-12-01",
                        "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/", false, aws::newElbv2Backend),
                new ServiceSpec("elasticache", Protocol.AWS_QUERY, "2015-02-02", "http://elasticache.amazonaws.com/doc/2015-02-02/", false,
                        aws::newElastiCacheBackend));
    }
}
