package com.thephillymojo.ws.localstack.sts;

import com.thephillymojo.ws.localstack.AwsException;
import com.thephillymojo.ws.localstack.RequestContext;
import com.thephillymojo.ws.localstack.iam.IamBackend;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.AssumedRoleUser;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * STS (global): who signs a request, and sessions of a role. An access key the emulator issued
 * ({@code AssumeRole}) is that role's session: {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}.
 * Any other key is the root user of an account: of the twelve-digit account the key is, if it is
 * one (as LocalStack does, so a test can sign as another account), else of the emulator's account.
 * A temporary key ({@code ASIA…}) STS did not issue is refused by every service with that
 * service's own error ({@code InvalidClientTokenId}, {@code UnrecognizedClientException}, {@code AuthFailure}).
 * The emulator keeps one account's resources whatever the key. A session's calls are decided by
 * its role's policies when the emulator enforces IAM ({@code Options.enforceIam}); it does not
 * check trust policies, signatures or a session's expiry.
 */
public final class StsBackend {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A role's session: who its keys are. */
    private record Session(String account, String arn, String userId, String roleName) {
    }

    /** Who signs with a session's key: the role and the session's ARN. */
    public record Caller(String roleName, String arn) {
    }

    private final String account;
    private final Supplier<IamBackend> iam;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public StsBackend(String account, Supplier<IamBackend> iam) {
        this.account = account;
        this.iam = iam;
    }

    /**
     * Whether a request signed with this key is refused: a temporary key ({@code ASIA…}) that STS
     * did not issue. Long-term keys are not checked (any key is some account's root).
     */
    public boolean refuses(String accessKeyId) {
        return accessKeyId.startsWith("ASIA") && !sessions.containsKey(accessKeyId);
    }

    /** The role session a key is, if STS issued it; a key it did not issue is some account's root. */
    public Optional<Caller> session(String accessKeyId) {
        return Optional.ofNullable(sessions.get(accessKeyId)).map(s -> new Caller(s.roleName(), s.arn()));
    }

    public GetCallerIdentityResponse getCallerIdentity(GetCallerIdentityRequest r, RequestContext context) {
        Session caller = callerOf(context.accessKeyId());
        return GetCallerIdentityResponse.builder().account(caller.account()).arn(caller.arn()).userId(caller.userId()).build();
    }

    /** Who a key is: the session STS issued it for, else an account's root. */
    private Session callerOf(String accessKeyId) {
        Session session = sessions.get(accessKeyId);
        if (session != null) {
            return session;
        }
        String of = accessKeyId.matches("\\d{12}") ? accessKeyId : account;
        return new Session(of, "arn:aws:iam::" + of + ":root", of, "");
    }

    public AssumeRoleResponse assumeRole(AssumeRoleRequest r, RequestContext context) {
        String roleArn = AwsException.require(r.roleArn(), "RoleArn");
        String name = AwsException.require(r.roleSessionName(), "RoleSessionName");
        if (!name.matches("[\\w+=,.@-]{2,64}")) {
            throw new AwsException("ValidationError", "1 validation error detected: Value '" + name
                    + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        int seconds = r.durationSeconds() == null ? 3600 : r.durationSeconds();
        var role = iam.get().roleByArn(roleArn).orElseThrow(() -> new AwsException("AccessDenied", "User: "
                + callerOf(context.accessKeyId()).arn() + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn, 403));
        if (seconds < 900 || seconds > role.maxSessionDuration()) {
            throw new AwsException("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        String accessKeyId = "ASIA" + keyId();
        Instant expiration = Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
        String arn = "arn:aws:sts::" + account + ":assumed-role/" + role.roleName() + "/" + name;
        String userId = role.roleId() + ":" + name;
        sessions.put(accessKeyId, new Session(account, arn, userId, role.roleName()));
        return AssumeRoleResponse.builder()
                .credentials(Credentials.builder().accessKeyId(accessKeyId).secretAccessKey(random(30)).sessionToken(random(120))
                        .expiration(expiration).build())
                .assumedRoleUser(AssumedRoleUser.builder().arn(arn).assumedRoleId(userId).build()).build();
    }

    /** Sixteen characters of AWS's key id alphabet (upper-case letters and digits 2–7). */
    private static String keyId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().withoutPadding().encodeToString(b);
    }
}
