package com.thephillymojo.ws.localstack;

import com.thephillymojo.ws.localstack.acm.AcmBackend;
import com.thephillymojo.ws.localstack.ec2.Ec2Backend;
import com.thephillymojo.ws.localstack.ecr.EcrBackend;
import com.thephillymojo.ws.localstack.ecs.EcsBackend;
import com.thephillymojo.ws.localstack.elasticache.ElastiCacheBackend;
import com.thephillymojo.ws.localstack.elbv2.Elbv2Backend;
import com.thephillymojo.ws.localstack.iam.IamBackend;
import com.thephillymojo.ws.localstack.logs.LogsBackend;
import com.thephillymojo.ws.localstack.route53.Route53Backend;
import com.thephillymojo.ws.localstack.secrets.SecretsBackend;
import com.thephillymojo.ws.localstack.sts.StsBackend;

/**
 * An emulated service, named as a SigV4 credential scope names it, and the class of its backend:
 * the typed key of {@link LocalAws#backend(Backend, String)}.
 */
public record Backend<T>(String signingName, Class<T> type) {
    public static final Backend<EcrBackend> ECR = new Backend<>("ecr", EcrBackend.class);
    public static final Backend<EcsBackend> ECS = new Backend<>("ecs", EcsBackend.class);
    public static final Backend<LogsBackend> LOGS = new Backend<>("logs", LogsBackend.class);
    public static final Backend<SecretsBackend> SECRETS_MANAGER = new Backend<>("secretsmanager", SecretsBackend.class);
    public static final Backend<IamBackend> IAM = new Backend<>("iam", IamBackend.class);
    public static final Backend<StsBackend> STS = new Backend<>("sts", StsBackend.class);
    public static final Backend<Ec2Backend> EC2 = new Backend<>("ec2", Ec2Backend.class);
    public static final Backend<Route53Backend> ROUTE53 = new Backend<>("route53", Route53Backend.class);
    public static final Backend<AcmBackend> ACM = new Backend<>("acm", AcmBackend.class);
    public static final Backend<Elbv2Backend> ELBV2 = new Backend<>("elasticloadbalancing", Elbv2Backend.class);
    public static final Backend<ElastiCacheBackend> ELASTICACHE = new Backend<>("elasticache", ElastiCacheBackend.class);
}
