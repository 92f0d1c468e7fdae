package com.thephillymojo.ws.localstack.secrets;

import com.thephillymojo.ws.localstack.Arns;
import com.thephillymojo.ws.localstack.AwsException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.*;

/**
 * Secrets Manager in one region: secrets with versions and the AWSCURRENT / AWSPREVIOUS stages.
 * A deleted secret is kept until its recovery window ends; until then it refuses to be read.
 */
public final class SecretsBackend {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static final class Version {
        final String id;
        final String string;
        final SdkBytes binary;
        final Instant created;
        final List<String> stages = new ArrayList<>();

        Version(String id, String string, SdkBytes binary) {
            this.id = id;
            this.string = string;
            this.binary = binary;
            this.created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        }
    }

    private static final class Secret {
        String arn;
        String name;
        String description;
        String kmsKeyId;
        Instant created;
        Instant changed;
        Instant deletionDate;
        List<Tag> tags = new ArrayList<>();
        final Map<String, Version> versions = new LinkedHashMap<>();
    }

    private final String region;
    private final String account;
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public SecretsBackend(String region, String account) {
        this.region = region;
        this.account = account;
    }

    private Secret find(String id, boolean allowDeleted) {
        AwsException.require(id, "SecretId");
        Secret secret = secrets.get(id);
        if (secret == null) {
            for (Secret s : secrets.values()) {
                if (s.arn.equals(id) || (id.startsWith("arn:") && s.arn.startsWith(id))) {
                    secret = s;
                }
            }
        }
        if (secret == null) {
            throw new AwsException("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        if (secret.deletionDate != null && !allowDeleted) {
            throw new AwsException("InvalidRequestException",
                    "You can't perform this operation on the secret because it was marked for deletion.");
        }
        return secret;
    }

    public synchronized CreateSecretResponse createSecret(CreateSecretRequest r) {
        String name = AwsException.require(r.name(), "Name");
        if (!name.matches("[A-Za-z0-9/_+=.@-]{1,512}")) {
            throw new AwsException("ValidationException", "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
        }
        if (r.secretString() != null && r.secretBinary() != null) {
            throw new AwsException("InvalidParameterException", "You can't specify both a binary secret value and a string secret value in the same secret.");
        }
        if (secrets.containsKey(name)) {
            Secret existing = secrets.get(name);
            String msg = existing.deletionDate != null
                    ? "You can't create this secret because a secret with this name is already scheduled for deletion."
                    : "The operation failed because the secret " + name + " already exists.";
            throw new AwsException(existing.deletionDate != null ? "InvalidRequestException" : "ResourceExistsException", msg);
        }
        Secret secret = new Secret();
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        secret.arn = Arns.of("secretsmanager", region, account, "secret:" + name + "-" + suffix);
        secret.name = name;
        secret.description = r.description();
        secret.kmsKeyId = r.kmsKeyId();
        secret.created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        secret.changed = secret.created;
        secret.tags = new ArrayList<>(r.tags());
        String versionId = null;
        if (r.secretString() != null || r.secretBinary() != null) {
            versionId = r.clientRequestToken() == null ? UUID.randomUUID().toString() : r.clientRequestToken();
            Version v = new Version(versionId, r.secretString(), r.secretBinary());
            v.stages.add("AWSCURRENT");
            secret.versions.put(versionId, v);
        }
        secrets.put(name, secret);
        return CreateSecretResponse.builder().arn(secret.arn).name(name).versionId(versionId).build();
    }

    public synchronized DescribeSecretResponse describeSecret(DescribeSecretRequest r) {
        Secret s = find(r.secretId(), true);
        Map<String, List<String>> stages = new LinkedHashMap<>();
        s.versions.values().forEach(v -> stages.put(v.id, new ArrayList<>(v.stages)));
        return DescribeSecretResponse.builder().arn(s.arn).name(s.name).description(s.description).kmsKeyId(s.kmsKeyId)
                .createdDate(s.created).lastChangedDate(s.changed).deletedDate(s.deletionDate).tags(s.tags)
                .versionIdsToStages(stages).build();
    }

    public synchronized GetSecretValueResponse getSecretValue(GetSecretValueRequest r) {
        Secret s = find(r.secretId(), false);
        Version version = null;
        if (r.versionId() != null) {
            version = s.versions.get(r.versionId());
        } else {
            String stage = r.versionStage() == null ? "AWSCURRENT" : r.versionStage();
            for (Version v : s.versions.values()) {
                if (v.stages.contains(stage)) {
                    version = v;
                }
            }
        }
        if (version == null) {
            throw new AwsException("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: "
                    + (r.versionStage() == null ? "AWSCURRENT" : r.versionStage()));
        }
        return GetSecretValueResponse.builder().arn(s.arn).name(s.name).versionId(version.id).secretString(version.string)
                .secretBinary(version.binary).versionStages(version.stages).createdDate(version.created).build();
    }

    public synchronized PutSecretValueResponse putSecretValue(PutSecretValueRequest r) {
        Secret s = find(r.secretId(), false);
        if (r.secretString() == null && r.secretBinary() == null) {
            throw new AwsException("InvalidRequestException", "You must provide either SecretString or SecretBinary.");
        }
        String versionId = r.clientRequestToken() == null ? UUID.randomUUID().toString() : r.clientRequestToken();
        Version existing = s.versions.get(versionId);
        if (existing != null) {
            if (!java.util.Objects.equals(existing.string, r.secretString())) {
                throw new AwsException("ResourceExistsException", "A resource with the ID you requested already exists.");
            }
            return PutSecretValueResponse.builder().arn(s.arn).name(s.name).versionId(versionId).versionStages(existing.stages).build();
        }
        stage(s, new Version(versionId, r.secretString(), r.secretBinary()));
        return PutSecretValueResponse.builder().arn(s.arn).name(s.name).versionId(versionId)
                .versionStages(s.versions.get(versionId).stages).build();
    }

    /** The new version becomes AWSCURRENT; the old current one AWSPREVIOUS. */
    private static void stage(Secret s, Version version) {
        for (Version v : s.versions.values()) {
            v.stages.remove("AWSPREVIOUS");
            if (v.stages.remove("AWSCURRENT")) {
                v.stages.add("AWSPREVIOUS");
            }
        }
        s.versions.values().removeIf(v -> v.stages.isEmpty());
        version.stages.add("AWSCURRENT");
        s.versions.put(version.id, version);
        s.changed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public synchronized UpdateSecretResponse updateSecret(UpdateSecretRequest r) {
        Secret s = find(r.secretId(), false);
        if (r.description() != null) {
            s.description = r.description();
        }
        if (r.kmsKeyId() != null) {
            s.kmsKeyId = r.kmsKeyId();
        }
        String versionId = null;
        if (r.secretString() != null || r.secretBinary() != null) {
            versionId = r.clientRequestToken() == null ? UUID.randomUUID().toString() : r.clientRequestToken();
            stage(s, new Version(versionId, r.secretString(), r.secretBinary()));
        }
        s.changed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return UpdateSecretResponse.builder().arn(s.arn).name(s.name).versionId(versionId).build();
    }

    public synchronized DeleteSecretResponse deleteSecret(DeleteSecretRequest r) {
        Secret s = find(r.secretId(), true);
        if (Boolean.TRUE.equals(r.forceDeleteWithoutRecovery()) && r.recoveryWindowInDays() != null) {
            throw new AwsException("InvalidParameterException", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }
        long days = r.recoveryWindowInDays() == null ? 30 : r.recoveryWindowInDays();
        if (days < 7 || days > 30) {
            throw new AwsException("InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (Boolean.TRUE.equals(r.forceDeleteWithoutRecovery())) {
            secrets.remove(s.name);
            return DeleteSecretResponse.builder().arn(s.arn).name(s.name).deletionDate(now).build();
        }
        s.deletionDate = now.plus(days, ChronoUnit.DAYS);
        return DeleteSecretResponse.builder().arn(s.arn).name(s.name).deletionDate(s.deletionDate).build();
    }

    public synchronized RestoreSecretResponse restoreSecret(RestoreSecretRequest r) {
        Secret s = find(r.secretId(), true);
        s.deletionDate = null;
        return RestoreSecretResponse.builder().arn(s.arn).name(s.name).build();
    }

    /** For the data plane: the current value of a secret named by ARN or name, with an optional JSON key. */
    public synchronized String currentValue(String id) {
        return getSecretValue(GetSecretValueRequest.builder().secretId(id).build()).secretString();
    }
}
