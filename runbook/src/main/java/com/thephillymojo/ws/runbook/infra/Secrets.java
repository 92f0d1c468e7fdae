package com.thephillymojo.ws.runbook.infra;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The NextAuth secret in Secrets Manager. Its value is the Next.js app's {@code NEXTAUTH_SECRET}:
 * the runbook takes it from its own environment variable {@code NEXTAUTH_SECRET} (never from a
 * file, never printed), or generates one where the settings say so (the local environment, where
 * no app shares it). Without either, a missing secret stops the run and says how to give it.
 */
public final class Secrets {
    public static final String VALUE_VARIABLE = "NEXTAUTH_SECRET";

    private final Cloud cloud;
    private final Optional<String> given;

    public Secrets(Cloud cloud) {
        this.cloud = cloud;
        this.given = cloud.environment.variable(VALUE_VARIABLE);
    }

    public Optional<DescribeSecretResponse> find(String name) {
        try {
            return Optional.of(cloud.secrets.describeSecret(r -> r.secretId(name)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    public Outcome ensure(String name) {
        String kind = "secret";
        Optional<DescribeSecretResponse> found = find(name);
        if (found.isEmpty()) {
            if (given.isEmpty() && !cloud.settings.generateSecret()) {
                throw new IllegalStateException("the secret " + name + " does not exist: run the runbook with " + VALUE_VARIABLE
                        + " set to the Next.js app's secret for its first apply");
            }
            String source = given.isPresent() ? "value from $" + VALUE_VARIABLE : "generated value";
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate(kind, name, source));
            }
            String value = given.orElseGet(Secrets::generate);
            String arn = cloud.secrets.createSecret(r -> r.name(name).secretString(value)
                    .description("NEXTAUTH_SECRET of thephillymojo.com: decrypts the NextAuth session cookie")).arn();
            cloud.state.put("secret.arn", arn);
            return cloud.report(Outcome.created(kind, name, source));
        }
        DescribeSecretResponse secret = found.get();
        cloud.state.put("secret.arn", secret.arn());
        if (secret.deletedDate() != null) {
            return restore(name);
        }
        if (given.isPresent() && !given.get().equals(value(name))) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldChange(kind, name, "new value from $" + VALUE_VARIABLE));
            }
            cloud.secrets.putSecretValue(r -> r.secretId(name).secretString(given.get()));
            return cloud.report(Outcome.changed(kind, name, "new value from $" + VALUE_VARIABLE + "; tasks read it when they start"));
        }
        return cloud.report(Outcome.unchanged(kind, name));
    }

    /**
     * A secret of the runbook's own, made once with a generated value ({@code value} is asked only
     * then; a later run keeps what is there). Its ARN is recorded as {@code STATEKEY.arn}.
     */
    public Outcome ensureGenerated(String name, java.util.function.Supplier<String> value, String what, String description, String stateKey) {
        String kind = "secret";
        Optional<DescribeSecretResponse> found = find(name);
        if (found.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate(kind, name, what));
            }
            String arn = cloud.secrets.createSecret(r -> r.name(name).secretString(value.get()).description(description)).arn();
            cloud.state.put(stateKey + ".arn", arn);
            return cloud.report(Outcome.created(kind, name, what));
        }
        cloud.state.put(stateKey + ".arn", found.get().arn());
        return found.get().deletedDate() != null ? restore(name) : cloud.report(Outcome.unchanged(kind, name));
    }

    /** A secret scheduled for deletion is restored (its value and ARN kept). */
    private Outcome restore(String name) {
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldChange("secret", name, "restore: it is scheduled for deletion"));
        }
        cloud.secrets.restoreSecret(r -> r.secretId(name));
        return cloud.report(Outcome.changed("secret", name, "restored: it was scheduled for deletion"));
    }

    /** The secret's current value (for the smoke test's session cookies; never logged). */
    public String value(String name) {
        return cloud.secrets.getSecretValue(r -> r.secretId(name)).secretString();
    }

    /** Deletes the NextAuth secret: at once, or recoverable for the settings' window (a later apply restores it). */
    public Outcome destroy(String name) {
        return destroy(name, "secret.");
    }

    /** Deletes a secret as {@link #destroy(String)} does, forgetting the state kept under {@code statePrefix}. */
    public Outcome destroy(String name, String statePrefix) {
        Optional<DescribeSecretResponse> found = find(name);
        if (found.isPresent() && found.get().deletedDate() != null) {
            return cloud.report(new Outcome(Outcome.Change.ABSENT, "secret", name, "already scheduled for deletion"));
        }
        int days = cloud.settings.secretRecoveryDays();
        return cloud.delete("secret", name, found.isPresent(), days == 0 ? "deleted without recovery" : "recoverable for " + days + " days", () -> {
            if (days == 0) {
                cloud.secrets.deleteSecret(r -> r.secretId(name).forceDeleteWithoutRecovery(true));
            } else {
                cloud.secrets.deleteSecret(r -> r.secretId(name).recoveryWindowInDays((long) days));
            }
            cloud.state.forget(statePrefix);
        });
    }

    private static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
