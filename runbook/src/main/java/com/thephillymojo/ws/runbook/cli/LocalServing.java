package com.thephillymojo.ws.runbook.cli;

import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.runbook.Environment;
import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.infra.Cloud;
import com.thephillymojo.ws.runbook.infra.Secrets;
import com.thephillymojo.ws.runbook.standin.AppStandIn;
import com.thephillymojo.ws.runbook.standin.BrowserCommand;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * What a local apply leaves serving: it says how to reach the service on the embedded emulator
 * (the names, the CA, curl and browser command lines) and starts the stand-in for the Next.js app,
 * which runs until {@link #close}.
 */
final class LocalServing implements AutoCloseable {
    private final PrintStream out;
    /** The stand-in for the Next.js app, if it started. */
    private AppStandIn app;

    LocalServing(PrintStream out) {
        this.out = out;
    }

    /** Prints how to reach the service and starts the app's stand-in; {@code cloud} reads the environment's NextAuth secret. */
    void announce(LocalAws aws, Environment environment, Cloud cloud) {
        Settings s = environment.settings();
        out.println();
        out.println("The service runs on the embedded emulator; Ctrl-C stops the emulator and its tasks.");
        out.println("  service:   wss://" + s.host() + "/ws   https://" + s.host() + "/health");
        aws.resolve(s.host(), 443).ifPresent(a -> out.println("  mapping:   " + s.host() + ":443 -> 127.0.0.1:" + a.getPort()));
        out.println("  CA file:   " + aws.caFile());
        out.println("  AWS API:   " + aws.endpoint() + "   (aws --endpoint-url " + aws.endpoint() + " ..., any credentials)");
        aws.resolve(s.host(), 443).ifPresent(a -> out.println("  try:       curl --cacert " + aws.caFile() + " --connect-to " + s.host()
                + ":443:127.0.0.1:" + a.getPort() + " https://" + s.host() + "/health"));
        out.println("  operate:   in another terminal, runbook/bin/runbook --env " + environment.name()
                + " status | dashboard | deploy --tag v2 | scale --count 3 | rollback | destroy");
        startApp(aws, s, cloud).ifPresent(started -> {
            out.println("  app:       " + started.app() + " -> 127.0.0.1:" + started.address().getPort()
                    + "   (a stand-in for the Next.js app: sign in with a name; its session cookie rides to " + s.host() + ")");
            aws.resolve(s.host(), 443).ifPresent(ws -> {
                try {
                    out.println("  browser:   " + BrowserCommand.of(Map.of(started.app().getHost(), started.address(), s.host(), ws),
                            aws.trustStore(), environment.stateDir().resolve(environment.name() + "-chromium").toAbsolutePath().toString(),
                            started.app() + "/signin"));
                } catch (IllegalStateException e) {
                    out.println("  browser:   " + e.getMessage());
                }
            });
        });
        out.println("  all names: ");
        aws.accessHints().forEach(h -> out.println("    " + h));
    }

    /**
     * The stand-in for the Next.js app on the local environment (https app.url only): it signs users
     * in with the environment's NextAuth secret, its cookie for the zone's domain, as the app does.
     */
    private Optional<AppStandIn> startApp(LocalAws aws, Settings s, Cloud cloud) {
        URI url = URI.create(s.appUrl());
        if (!"https".equals(url.getScheme()) || !(url.getHost().equals(s.zone()) || url.getHost().endsWith("." + s.zone()))) {
            return Optional.empty();
        }
        try {
            app = new AppStandIn(url, Optional.of("." + s.zone()), new Secrets(cloud).value(s.secretName()), aws.certificateAuthority(), 0);
            return Optional.of(app);
        } catch (Exception e) {
            out.println("  app:       the stand-in for the Next.js app did not start: " + e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (app != null) {
            try {
                app.close();
            } catch (Exception e) {
                out.println("runbook: stopping the app stand-in: " + e.getMessage());
            }
            app = null;
        }
    }
}
