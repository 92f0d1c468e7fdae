package com.thephillymojo.ws.localstack;

import com.thephillymojo.ws.localstack.iam.IamBackend;
import com.thephillymojo.ws.localstack.protocol.Protocol;
import com.thephillymojo.ws.localstack.sts.StsBackend;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkPojo;

/**
 * IAM on every call, when the emulator enforces it ({@code Options.enforceIam}): a call signed
 * with a role session's key (from STS AssumeRole) is decided by that role's identity policies with
 * the evaluator SimulatePrincipalPolicy uses, for each of its {@link Permissions}; a refusal is the
 * service's own error and AWS's message. The account's root keys (any key STS did not issue) may do
 * everything, as the root user may. {@code sts:GetCallerIdentity} needs no permission, as on AWS.
 */
final class Authorization {
    private final boolean enforce;
    private final Supplier<IamBackend> iam;
    private final Supplier<StsBackend> sts;
    /** Services whose linked role exists in the account (made by the first call that needed it). */
    private final Set<String> linked = ConcurrentHashMap.newKeySet();

    Authorization(boolean enforce, Supplier<IamBackend> iam, Supplier<StsBackend> sts) {
        this.enforce = enforce;
        this.iam = iam;
        this.sts = sts;
    }

    /** Refuses a call its caller may not make, with the service's error; a call allowed goes on. */
    void check(String signingName, Protocol protocol, String operation, SdkPojo request, RequestContext context) {
        if (!enforce || operation.equals("GetCallerIdentity") && signingName.equals("sts")) {
            return;
        }
        Optional<StsBackend.Caller> caller = sts.get().session(context.accessKeyId());
        if (caller.isEmpty()) {
            return;
        }
        for (Permissions.Check check : Permissions.of(signingName, operation, request, context.region(), context.account())) {
            refusal(caller.get(), check).ifPresent(message -> {
                throw denied(protocol, message);
            });
        }
        Optional<String> service = Permissions.linkedService(Permissions.action(signingName, operation));
        if (service.isPresent() && !linked.contains(service.get())) {
            Optional<String> message = refusal(caller.get(), Permissions.createLinkedRole(service.get(), context.account()));
            if (message.isPresent()) {
                // AWS's words when a service cannot make its linked role for a caller
                throw denied(protocol, message.get());
            }
            linked.add(service.get());
        }
    }

    /**
     * A registry request (ECR's distribution API) by the key its token was handed to: the ECR
     * action it is authorised as, on the repository. Empty when allowed, else AWS's message.
     */
    Optional<String> registry(String accessKeyId, String action, String repository, String region, String account) {
        if (!enforce) {
            return Optional.empty();
        }
        return sts.get().session(accessKeyId).flatMap(caller -> refusal(caller,
                new Permissions.Check(action, "arn:aws:ecr:" + region + ":" + account + ":repository/" + repository, java.util.Map.of())));
    }

    private Optional<String> refusal(StsBackend.Caller caller, Permissions.Check check) {
        String decision = iam.get().decide(caller.roleName(), check.action(), check.resource(), check.context());
        if (decision.equals("allowed")) {
            return Optional.empty();
        }
        return Optional.of("User: " + caller.arn() + " is not authorized to perform: " + check.action() + " on resource: " + check.resource()
                + (decision.equals("explicitDeny") ? " with an explicit deny in an identity-based policy"
                        : " because no identity-based policy allows the " + check.action() + " action"));
    }

    /** Each protocol's AccessDenied: awsJson's exception (400), the query services' and Route53's AccessDenied (403), EC2's own. */
    private static AwsException denied(Protocol protocol, String message) {
        switch (protocol) {
            case AWS_JSON_1_1:
                return new AwsException("AccessDeniedException", message, 400);
            case EC2_QUERY:
                return new AwsException("UnauthorizedOperation", "You are not authorized to perform this operation. " + message, 403);
            default:
                return new AwsException("AccessDenied", message, 403);
        }
    }
}
