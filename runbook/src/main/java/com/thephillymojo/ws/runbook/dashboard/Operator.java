package com.thephillymojo.ws.runbook.dashboard;

import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.State;
import com.thephillymojo.ws.runbook.infra.CallErrors;
import com.thephillymojo.ws.runbook.infra.Cloud;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What the dashboard needs of the runbook: its operations — the very commands of the CLI, the
 * same scenarios of operations.feature — and a read-only view of the environment. The executor
 * ({@code cli.Runbook}) is the one implementation.
 */
public interface Operator {

    /** The environment's name ({@code local}, {@code production}). */
    String environment();

    /** Its settings as they are now (re-read: an operator may edit them). */
    Settings settings();

    /**
     * A view to read the environment through: its AWS clients in plan mode (nothing it is given
     * changes anything). The caller closes it.
     */
    Cloud observe();

    /** What apply recorded (resource names, ARNs), as the state file says now; read only. */
    State recorded();

    /**
     * Runs one operation as the CLI does; its output goes line by line to {@code lines} (and to the
     * console). One at a time: a caller that needs to refuse a second one does so before calling.
     */
    Result perform(Operation operation, Consumer<String> lines);

    /** The operations the dashboard offers: each one command of the runbook. */
    sealed interface Operation {
        /** {@code runbook deploy --tag TAG}: the tag's image built and pushed unless in ECR already, then rolled out. */
        record Deploy(String tag) implements Operation {
            public Deploy {
                if (!Settings.isImageTag(tag)) {
                    throw new IllegalArgumentException("an image tag is 1 to 128 letters, digits, '_', '.' and '-', "
                            + "not starting with '.' or '-'; not '" + tag + "'");
                }
            }

            @Override
            public String kind() {
                return "deploy";
            }
        }

        /** {@code runbook scale --count N}. */
        record Scale(int count) implements Operation {
            public static final int MAX = 100;

            public Scale {
                if (count < 0 || count > MAX) {
                    throw new IllegalArgumentException("the count is 0 to " + MAX + " tasks, not " + count);
                }
            }

            @Override
            public String kind() {
                return "scale";
            }
        }

        /** {@code runbook rollback}: back to the revision before the one the service runs. */
        record Rollback() implements Operation {
            @Override
            public String kind() {
                return "rollback";
            }
        }

        /** {@code runbook failover}: the cache's replica promoted, as when its primary fails. */
        record Failover() implements Operation {
            @Override
            public String kind() {
                return "failover";
            }
        }

        /** The command's name: deploy, scale, rollback. */
        String kind();
    }

    /** How an operation ended: the CLI's exit code, and why it failed when it did. */
    record Result(int exitCode, Optional<Failure> failure) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /**
     * Why a run failed: the step, and the error as the outside world names it — for an AWS error
     * the service, AWS's error code and message; for a network failure the SDK's message.
     * {@code variables}: the process's environment (credentials that cannot be loaded are named by
     * the profile it gives).
     */
    record Failure(String step, Optional<String> service, Optional<String> code, String message) {

        public static Failure of(String step, Optional<Throwable> error, java.util.Map<String, String> variables) {
            for (Throwable t = error.orElse(null); t != null; t = t.getCause()) {
                if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
                    return new Failure(step, Optional.ofNullable(aws.awsErrorDetails().serviceName()),
                            Optional.ofNullable(aws.awsErrorDetails().errorCode()), String.valueOf(aws.awsErrorDetails().errorMessage()));
                }
                if (t instanceof SdkClientException sdk) {
                    // a network failure names its endpoint; credentials that cannot be loaded, in one sentence
                    return new Failure(step, Optional.empty(), Optional.empty(), CallErrors.describe(sdk, variables));
                }
            }
            return new Failure(step, Optional.empty(), Optional.empty(),
                    error.map(e -> e.getMessage() != null ? e.getMessage() : e.toString()).orElse("the step failed"));
        }
    }
}
