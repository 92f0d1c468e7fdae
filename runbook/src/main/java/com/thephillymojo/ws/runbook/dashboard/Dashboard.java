package com.thephillymojo.ws.runbook.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.infra.Cloud;
import com.thephillymojo.ws.runbook.smoke.ServiceClient;
import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The operations dashboard: a web page and its JSON API (docs/dashboard-api.md) on 127.0.0.1, for
 * one environment. It shows the environment as the runbook reads it (refreshed every second on the
 * emulator, every five on AWS, while a page is open), the service as a browser sees it through its
 * public name (sampled all along), and runs deploy, scale, rollback and failover as the runbook's own commands, one at a time.
 * <p>
 * Every call needs the access token printed with the URL (a bearer token, or {@code ?token=} where
 * a browser cannot set a header); a call that changes anything is a POST with a JSON body from no
 * other origin than the dashboard's own; where the settings ask for it ({@code confirm=true},
 * production) it names the environment. Secrets are shown by name, never by value.
 */
public final class Dashboard implements AutoCloseable {
    private static final Duration WANTED_FOR = Duration.ofSeconds(60);

    private final Operator operator;
    private final PrintStream log;
    private final String token;
    private final Server server;
    private final ServerConnector connector;
    private final Cloud cloud;
    private final Overview overview;
    private final HttpClient http;
    private final Samples samples;
    private final Actions actions;
    private final EventStream stream = new EventStream();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "dashboard-watch");
        t.setDaemon(true);
        return t;
    });
    /** How often the environment is read while watched: every second on the emulator, every five on AWS. */
    private final Duration period;
    private final AtomicReference<ObjectNode> latest = new AtomicReference<>();
    private final Object reading = new Object();
    private volatile Instant wanted = Instant.now();
    private volatile String lastPublished = "";

    private Dashboard(Operator operator, int port, PrintStream log) throws Exception {
        this.operator = operator;
        this.log = log;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Settings settings = operator.settings();
        boolean aws = settings.target() == Settings.Target.AWS;
        cloud = operator.observe();
        overview = new Overview(cloud);
        http = ServiceClient.start(cloud.target.view());
        period = Duration.ofSeconds(aws ? 5 : 1);
        Duration samplePeriod = Duration.ofSeconds(aws ? 10 : 2);
        samples = new Samples(http, settings.host(), samplePeriod);
        actions = new Actions(operator, cloud.environment.variables(), this::changed);

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("dashboard");
        server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Routes(this, operator, actions, samples, stream, token, log));
        server.setStopTimeout(1000);
        server.start();

        scheduler.scheduleWithFixedDelay(() -> quietly("overview", this::refresh), 0, period.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> quietly("samples", this::sample), 0, samplePeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Serves the dashboard of {@code operator}'s environment on 127.0.0.1:{@code port} (0: a free port). */
    public static Dashboard start(Operator operator, int port, PrintStream log) throws Exception {
        return new Dashboard(operator, port, log);
    }

    /** The page's address with its access token: what the operator opens. */
    public URI url() {
        return URI.create(origin() + "/?token=" + token);
    }

    public String token() {
        return token;
    }

    public int port() {
        return connector.getLocalPort();
    }

    String origin() {
        return "http://127.0.0.1:" + port();
    }

    // ---- what the page sees ----------------------------------------------------------------------

    /** Reads the environment again; tells the open pages when anything but the time changed. */
    private ObjectNode refresh() {
        if (!stream.watched() && Instant.now().isAfter(wanted.plus(WANTED_FOR)) && latest.get() != null) {
            return latest.get();
        }
        synchronized (reading) {
            ObjectNode doc = Json.object();
            doc.set("environment", environment());
            doc.setAll(overview.read(operator.recorded()));
            String content = doc.toString();
            doc.put("readAt", Instant.now().toString());
            latest.set(doc);
            if (!content.equals(lastPublished)) {
                lastPublished = content;
                stream.publish("overview", doc.toString());
            }
            return doc;
        }
    }

    /** The overview as read within the last two periods, else read now; asked for, it is read on for a minute. */
    ObjectNode current() {
        wanted = Instant.now();
        ObjectNode doc = latest.get();
        boolean fresh = doc != null && Instant.parse(doc.path("readAt").asText()).isAfter(Instant.now().minus(period.multipliedBy(2)));
        return fresh ? doc : refresh();
    }

    private ObjectNode environment() {
        ObjectNode o = Json.object();
        o.put("name", operator.environment());
        Settings s;
        try {
            s = operator.settings();
        } catch (Settings.SettingsException e) {
            // an operator edited them into something the runbook refuses: the page says so (and every change is refused)
            o.put("settingsError", e.getMessage());
            return o;
        }
        o.put("target", s.target() == Settings.Target.AWS ? "aws" : "emulator");
        o.put("region", s.region().id());
        o.put("host", s.host());
        o.put("publicUrl", "https://" + s.host());
        o.put("confirmChanges", s.confirmChanges());
        o.put("maxCount", Operator.Operation.Scale.MAX);
        return o;
    }

    /** A round of samples, whether or not a page is open: a page opened later shows the last ten minutes. */
    private void sample() {
        ObjectNode doc = latest.get();
        int desired = doc == null ? 1 : doc.path("service").path("desired").asInt(1);
        stream.publish("sample", samples.take(Math.max(2, Math.min(8, 2 * desired))).json().toString());
    }

    private void changed(Actions.Action action) {
        stream.publish("action", action.json().toString());
        if (!action.running()) {
            scheduler.execute(() -> quietly("overview", this::refresh));
        }
    }

    private void quietly(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.println("dashboard: reading the " + what + " failed: " + e);
        }
    }

    ArrayNode actionsJson() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        actions.kept().forEach(a -> list.add(a.json()));
        return list;
    }

    @Override
    public void close() throws Exception {
        stream.close();
        scheduler.shutdownNow();
        actions.close();
        server.stop();
        http.stop();
        cloud.close();
    }
}
