package com.thephillymojo.ws.runbook.cli;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.localstack.RunningEmulator;
import com.thephillymojo.ws.runbook.Environment;
import com.thephillymojo.ws.runbook.Settings;
import java.util.Optional;

/**
 * Where an environment's calls go, chosen once per runbook process. {@code target=aws}: AWS
 * itself (or {@code AWS_ENDPOINT_URL}). The local environment is an emulator on
 * {@code emulator.port} (4566): the one running there (started by an earlier {@code apply}, in
 * another terminal), else — for a command that may start it (apply) — one this process starts. With
 * {@code emulator.port=0} each runbook process has an emulator of its own (tests).
 */
final class Targets {
    private Targets() {
    }

    static AwsTarget open(Environment e, boolean mayStart) {
        Settings s = e.settings();
        if (s.target() == Settings.Target.AWS) {
            return AwsTarget.of(AwsTarget.Kind.AWS, s.region(), e.variables());
        }
        int port = s.emulatorPort();
        Optional<RunningEmulator> running = port == 0 ? Optional.empty() : RunningEmulator.find(port);
        if (running.isPresent()) {
            return asDeployer(s, AwsTarget.running(running.get(), s.region()));
        }
        if (port != 0 && !mayStart) {
            throw new NoEnvironment("no " + e.name() + " environment runs on 127.0.0.1:" + port + ": start it with `runbook/bin/runbook --env "
                    + e.name() + " apply` (it keeps running until Ctrl-C), then run this command in another terminal");
        }
        try {
            return asDeployer(s, AwsTarget.embedded(LocalAws.start(LocalAws.Options.defaults().port(port).timing(s.emulatorTiming())
                    .enforceIam(s.deployerPolicy().isPresent()).faults(s.emulatorFaults())), s.region()));
        } catch (IllegalStateException failed) {
            throw new NoEnvironment("127.0.0.1:" + port + " (emulator.port) is taken by something that is not the emulator: " + failed.getMessage());
        }
    }

    /**
     * With {@code emulator.deployerPolicy}, the runbook signs as a role holding exactly that policy
     * (an emulator it starts enforces IAM): what a deployer's role may do on AWS, it may do here, and
     * nothing more.
     */
    private static AwsTarget asDeployer(Settings s, AwsTarget target) {
        if (s.deployerPolicy().isEmpty()) {
            return target;
        }
        try {
            return target.asRole(DEPLOYER_ROLE, java.nio.file.Files.readString(s.deployerPolicy().get()));
        } catch (java.io.IOException e) {
            target.close();
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The role the runbook signs as on an emulator with {@code emulator.deployerPolicy}. */
    static final String DEPLOYER_ROLE = "runbook-deployer";

    /** Where the calls go, when it is not AWS's own endpoints: for the run's first line. */
    static String where(Environment e, AwsTarget t) {
        if (e.settings().target() == Settings.Target.AWS) {
            return e.variable("AWS_ENDPOINT_URL").map(url -> " (AWS_ENDPOINT_URL " + url + ")").orElse("");
        }
        return " (" + (t.emulator().isPresent() ? "embedded emulator at " : "local environment at ") + t.endpoint().orElseThrow() + ")";
    }

    /** The local environment a command needs is not running (or its port is taken): exit 2, saying so. */
    static final class NoEnvironment extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoEnvironment(String message) {
            super(message);
        }
    }
}
