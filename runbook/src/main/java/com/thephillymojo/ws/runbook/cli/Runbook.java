package com.thephillymojo.ws.runbook.cli;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.localstack.RunningEmulator;
import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.State;
import com.thephillymojo.ws.runbook.dashboard.Dashboard;
import com.thephillymojo.ws.runbook.dashboard.Operator;
import com.thephillymojo.ws.runbook.infra.CallErrors;
import com.thephillymojo.ws.runbook.infra.Cloud;
import com.thephillymojo.ws.runbook.infra.Journal;
import com.thephillymojo.ws.runbook.infra.Outcome;
import com.thephillymojo.ws.runbook.infra.Secrets;
import com.thephillymojo.ws.runbook.preflight.Preflight;
import com.thephillymojo.ws.runbook.standin.AppStandIn;
import com.thephillymojo.ws.runbook.standin.BrowserCommand;
import com.thephillymojo.ws.runbook.steps.Handoff;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The executor: {@code runbook/bin/runbook --env NAME COMMAND}. Each command runs scenarios of
 * features/deploy.feature or features/operations.feature (by tag) with the runbook's glue, the
 * same steps {@code mvn verify} runs against the emulator, and writes Cucumber's HTML and JSON
 * reports. An object of this class keeps its AWS target across commands, so several commands in
 * one process share one embedded emulator.
 */
@Command(name = "runbook", mixinStandardHelpOptions = true, version = "thephillymojo-ws runbook 0.1.0",
        description = "Deploys and operates thephillymojo-ws: the Cucumber runbook in features/, against AWS or the embedded emulator.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (plan: nothing would change)",
            "1:a step failed: the output and the report say which and why",
            "2:bad command line or settings, or a preflight check stopped it before any change (credentials, account, hosted zone, permissions)",
            "3:plan: something would change (the list is above)",
            "4:apply or destroy was not confirmed: nothing changed"})
public final class Runbook implements Operator, AutoCloseable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int CHANGES_PENDING = 3;
    public static final int NOT_CONFIRMED = 4;
    private static final String GLUE = "com.thephillymojo.ws.runbook.steps";
    private static final String DEPLOY = "classpath:features/deploy.feature";
    private static final String OPERATIONS = "classpath:features/operations.feature";

    @Option(names = "--env", required = true, scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "the environment: its settings are SETTINGS_DIR/NAME.properties")
    String env;

    @Option(names = "--settings-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "default: runbook/env")
    Path settingsDir;

    @Option(names = "--state-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "default: runbook/state")
    Path stateDir;

    @Option(names = "--reports-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "default: runbook/reports")
    Path reportsDir;

    @Option(names = "--server-build", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "the server's build (server.jar, lib/) the image is made of; default: server/target")
    Path serverBuild;

    private final PrintStream console;
    /** Where a command's output goes: the console; during a dashboard's operation also the dashboard. */
    private volatile PrintStream out;
    private final InputStream in;
    private final boolean serveAfterLocalApply;
    private AwsTarget target;
    private Settings settings;
    private List<Outcome> lastOutcomes = List.of();
    private Optional<Failure> lastFailure = Optional.empty();
    /** The stand-in for the Next.js app a local apply serves, if any. */
    private AppStandIn app;
    /** Held while an operation runs for the dashboard: one at a time. */
    private final Object performing = new Object();
    /** apply may start the local environment; the other commands work on a running one. */
    private boolean startsLocalEnvironment;

    public Runbook(PrintStream out, InputStream in, boolean serveAfterLocalApply) {
        this.console = out;
        this.out = out;
        this.in = in;
        this.serveAfterLocalApply = serveAfterLocalApply;
    }

    public static void main(String[] args) {
        System.setProperty("cucumber.publish.quiet", "true");
        Runbook runbook = new Runbook(System.out, System.in, true);
        int code = runbook.commandLine().execute(args);
        runbook.close();
        System.exit(code);
    }

    public CommandLine commandLine() {
        CommandLine line = new CommandLine(this);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof Settings.SettingsException || e instanceof NoEnvironment) {
                cmd.getErr().println("runbook: " + e.getMessage());
                return USAGE;
            }
            // the terminal gets one line; the stack trace goes to a file of the run's reports
            Optional<Path> trace = keepTrace(cmd.getCommandName(), e);
            String whole = trace.map(t -> " (the whole error: " + t + ")").orElse("");
            if (e instanceof Preflight.Stop) {
                cmd.getErr().println("runbook: " + e.getMessage() + (e.getCause() != null ? whole : ""));
                return USAGE;
            }
            cmd.getErr().println("runbook: " + CallErrors.describe(e) + whole);
            return FAILED;
        });
        return line;
    }

    @Command(name = "plan", description = "Lists what apply would create or change; changes nothing.")
    int plan(@Option(names = "--tag", description = "the image tag to plan for") String tag) throws Exception {
        begin("plan");
        return planned(tag);
    }

    private int planned(String tag) throws Exception {
        int code = run("plan", Cloud.Mode.PLAN, "@resources", List.of(DEPLOY), Optional.ofNullable(tag), OptionalInt.empty());
        if (code != OK) {
            return code;
        }
        long pending = lastOutcomes.stream().filter(o -> o.change().pending()).count();
        out.println(pending == 0 ? "plan: nothing would change" : "plan: " + pending + " resource(s) would be created or changed");
        return pending == 0 ? OK : CHANGES_PENDING;
    }

    @Command(name = "apply", description = "Makes the environment as deploy.feature says, then runs the smoke test; where the "
            + "settings say confirm=true, shows the plan first and asks to type the environment's name.")
    int apply(@Option(names = "--tag", description = "the image tag to run (default: the one running, else image.tag)") String tag,
              @Option(names = "--yes", description = "do not ask (automation)") boolean yes)
            throws Exception {
        startsLocalEnvironment = true;
        begin("apply");
        if (settings().confirmChanges() && !yes) {
            int planned = planned(tag);
            if (planned == CHANGES_PENDING && !confirmed("to make these changes")) {
                out.println("runbook: not confirmed; nothing changed (--yes skips the question)");
                return NOT_CONFIRMED;
            }
            if (planned != OK && planned != CHANGES_PENDING) {
                return planned;
            }
        }
        int code = run("apply", Cloud.Mode.APPLY, "@resources or @smoke", List.of(DEPLOY), Optional.ofNullable(tag), OptionalInt.empty());
        if (code == OK && serveAfterLocalApply && target().emulator().isPresent() && settings().emulatorPort() != 0) {
            serve(target().emulator().get());
        }
        return code;
    }

    @Command(name = "status", description = "Reports the service, its deployments and its targets' health.")
    int status() throws Exception {
        begin("status");
        return run("status", Cloud.Mode.APPLY, "@status", List.of(OPERATIONS), Optional.empty(), OptionalInt.empty());
    }

    @Command(name = "deploy", description = "Builds and pushes an image tag, rolls it out as a new revision, waits until stable and healthy.")
    int deploy(@Option(names = "--tag", required = true, description = "the image tag") String tag) throws Exception {
        try {
            new Operation.Deploy(tag);
        } catch (IllegalArgumentException e) {
            out.println("runbook: --tag: " + e.getMessage());
            return USAGE;
        }
        begin("deploy");
        return run("deploy", Cloud.Mode.APPLY, "@deploy", List.of(OPERATIONS), Optional.of(tag), OptionalInt.empty());
    }

    @Command(name = "scale", description = "Sets the service's desired count and waits until that many tasks are healthy.")
    int scale(@Option(names = "--count", required = true, description = "0 to 100 tasks") int count) throws Exception {
        try {
            new Operation.Scale(count);
        } catch (IllegalArgumentException e) {
            out.println("runbook: --count: " + e.getMessage());
            return USAGE;
        }
        begin("scale");
        return run("scale", Cloud.Mode.APPLY, "@scale", List.of(OPERATIONS), Optional.empty(), OptionalInt.of(count));
    }

    @Command(name = "rollback", description = "Rolls the service back to the revision before the one it runs.")
    int rollback() throws Exception {
        begin("rollback");
        return run("rollback", Cloud.Mode.APPLY, "@rollback", List.of(OPERATIONS), Optional.empty(), OptionalInt.empty());
    }

    @Command(name = "drill", description = "Plays a match through a deploy of TAG, a scale-out to COUNT and a task killed; "
            + "checks the match goes on to its end (the local environment only).")
    int drill(@Option(names = "--tag", required = true, description = "the image tag to deploy during the match") String tag,
              @Option(names = "--count", defaultValue = "3", description = "the count to scale to during the match (2 to 10; default 3)") int count)
            throws Exception {
        if (settings().target() != Settings.Target.EMBEDDED) {
            out.println("runbook: drill kills a task and plays a match: it runs on the local environment only");
            return USAGE;
        }
        if (count < 2 || count > 10) {
            out.println("runbook: --count is 2 to 10 (a task dies during the drill), not " + count);
            return USAGE;
        }
        begin("drill");
        return run("drill", Cloud.Mode.APPLY, "@drill", List.of(OPERATIONS), Optional.of(tag), OptionalInt.of(count));
    }

    @Command(name = "dashboard", description = "Serves the operations dashboard — the environment's health, and deploy, scale and "
            + "rollback as the commands above — on 127.0.0.1 until Ctrl-C; open the URL it prints (it holds the access token).")
    int dashboard(@Option(names = "--port", defaultValue = "0", description = "the port on 127.0.0.1 (default: a free one)") int port)
            throws Exception {
        if (port < 0 || port > 65535) {
            out.println("runbook: --port is 0 (a free one) to 65535, not " + port);
            return USAGE;
        }
        begin("dashboard");
        try (Dashboard dashboard = Dashboard.start(this, port, console)) {
            out.println("Open the dashboard (the token in it is its password; Ctrl-C stops it):");
            out.println("    " + dashboard.url());
            out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "dashboard-stop"));
            stopped.await();
        }
        return OK;
    }

    @Command(name = "destroy", description = "Deletes everything the runbook created, in reverse order; asks first unless --yes.")
    int destroy(@Option(names = "--yes", description = "do not ask") boolean yes) throws Exception {
        begin("destroy");
        if (!yes) {
            int listed = run("destroy-plan", Cloud.Mode.PLAN, "@destroy", List.of(OPERATIONS), Optional.empty(), OptionalInt.empty());
            if (listed != OK) {
                return listed;
            }
            if (!confirmed("to delete all of the above")) {
                out.println("runbook: not confirmed; nothing deleted");
                return NOT_CONFIRMED;
            }
        }
        return run("destroy", Cloud.Mode.APPLY, "@destroy", List.of(OPERATIONS), Optional.empty(), OptionalInt.empty());
    }

    /** Asks to type the environment's name; true when it was. */
    private boolean confirmed(String what) throws java.io.IOException {
        out.print("Type the environment's name (" + env + ") " + what + ": ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.trim().equals(env);
    }

    /**
     * The preflight, before anything of a command runs: who the caller is (the run's first line
     * names the account, the caller and the region), that it is the environment's account, that
     * its hosted zone exists (plan and apply) and that IAM allows what the command calls. A check
     * that fails stops the command (exit 2) before any change.
     */
    private void begin(String command) {
        Settings s = settings();
        try (Preflight preflight = new Preflight(target(), s, settingsFile(), System.getenv())) {
            Preflight.Identity caller = preflight.identity();
            out.println("runbook " + command + " — " + env + ": account " + caller.account() + " as " + caller.arn() + ", " + s.region().id()
                    + where(s));
            preflight.account(caller);
            if (command.equals("plan") || command.equals("apply")) {
                preflight.hostedZone(caller);
            }
            if (command.equals("dashboard")) {
                return;
            }
            Preflight.Permissions permissions = preflight.permissions(caller, command);
            if (!permissions.denied().isEmpty()) {
                StringBuilder listing = new StringBuilder(caller.arn() + " may not do what " + command
                        + " needs (IAM's policy simulator); nothing was changed:");
                permissions.denied().forEach(d -> listing.append(String.format("%n  %-48s %-13s on %s", d.action(), d.decision(), d.resource())));
                listing.append(String.format("%ngrant them (runbook/iam/deployer-policy.json grants all the runbook calls), then run this again"));
                throw new Preflight.Stop(listing.toString());
            }
            permissions.notSimulated().ifPresentOrElse(why -> {
                if (s.target() == Settings.Target.AWS || !caller.root()) {
                    out.println("permissions: not checked: " + why + "; going on");
                }
            }, () -> out.println("permissions: IAM allows what " + command + " calls"));
        }
    }

    /** Keeps a failure's stack trace in the run's reports; the terminal shows one line. */
    private Optional<Path> keepTrace(String command, Throwable e) {
        try {
            Path reports = reports(env == null ? "unknown" : env);
            Files.createDirectories(reports);
            Path file = reports.resolve(stem(command) + "-error.txt");
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            Files.writeString(file, "runbook " + command + " — " + env + "\n" + trace);
            return Optional.of(file);
        } catch (java.io.IOException | RuntimeException io) {
            return Optional.empty();
        }
    }

    /** The outcomes of the last command, in order. */
    public List<Outcome> lastOutcomes() {
        return lastOutcomes;
    }

    /**
     * The AWS target of this runbook's environment (made at the first command, kept until
     * {@link #close}). The local environment is an emulator on {@code emulator.port} (4566): the
     * one running there (started by an earlier {@code apply}, in another terminal), else — for
     * {@code apply} only — one this process starts and, after the apply, keeps serving. With
     * {@code emulator.port=0} each runbook process has an emulator of its own (tests).
     */
    public synchronized AwsTarget target() {
        if (target == null) {
            Settings s = settings();
            if (s.target() == Settings.Target.EMBEDDED) {
                int port = s.emulatorPort();
                Optional<RunningEmulator> running = port == 0 ? Optional.empty() : RunningEmulator.find(port);
                if (running.isPresent()) {
                    target = AwsTarget.running(running.get(), s.region());
                } else if (port != 0 && !startsLocalEnvironment) {
                    throw new NoEnvironment("no " + env + " environment runs on 127.0.0.1:" + port + ": start it with `runbook/bin/runbook --env "
                            + env + " apply` (it keeps running until Ctrl-C), then run this command in another terminal");
                } else {
                    try {
                        target = AwsTarget.embedded(LocalAws.start(LocalAws.Options.defaults().port(port).timing(s.emulatorTiming())), s.region());
                    } catch (IllegalStateException e) {
                        throw new NoEnvironment("127.0.0.1:" + port + " (emulator.port) is taken by something that is not the emulator: "
                                + e.getMessage());
                    }
                }
            } else {
                target = AwsTarget.of(AwsTarget.Kind.AWS, s.region(), System.getenv());
            }
        }
        return target;
    }

    /** The environment's settings, read again at every command (an operator may edit them between two). */
    @Override
    public synchronized Settings settings() {
        if (settings != null && !settings.name().equals(env)) {
            throw new Settings.SettingsException("this runbook works on environment '" + settings.name() + "', not '" + env + "'");
        }
        settings = Settings.load(settingsDir(), env);
        return settings;
    }

    private int run(String command, Cloud.Mode mode, String tags, List<String> features, Optional<String> tag, OptionalInt count) throws Exception {
        Settings s = settings();
        State state = State.open(stateDirectory(), env);
        if (mode == Cloud.Mode.PLAN) {
            state = state.detached();
        }
        Path reports = reports(env);
        Files.createDirectories(reports);
        String stem = stem(command);
        Journal journal = new Journal(out);
        try (Cloud cloud = new Cloud(target(), s, state, mode, journal, serverBuild())) {
            // no summary: Cucumber's prints each failure's stack trace; FailureReport says it in one line, the reports keep the trace
            List<String> argv = new ArrayList<>(List.of("--glue", GLUE, "--tags", tags, "--monochrome", "--no-summary",
                    "--plugin", "html:" + reports.resolve(stem + ".html"), "--plugin", "json:" + reports.resolve(stem + ".json"),
                    "--plugin", FailureReport.class.getName()));
            argv.addAll(features);
            Handoff.Request request = new Handoff.Request(cloud, tag, count);
            byte status = Handoff.during(request,
                    () -> io.cucumber.core.cli.Main.run(argv.toArray(String[]::new), Thread.currentThread().getContextClassLoader()));
            lastFailure = Optional.ofNullable(request.firstFailure().get())
                    .map(step -> Failure.of(step, Optional.ofNullable(request.firstError().get())));
            out.println("report: " + reports.resolve(stem + ".html") + (mode == Cloud.Mode.APPLY ? "; state: " + state.file() : ""));
            return status == 0 ? OK : FAILED;
        } finally {
            lastOutcomes = journal.outcomes();
        }
    }

    /** Where the calls go, when it is not AWS's own endpoints. */
    private String where(Settings s) {
        if (s.target() == Settings.Target.AWS) {
            return Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).map(url -> " (AWS_ENDPOINT_URL " + url + ")").orElse("");
        }
        return " (" + (target().emulator().isPresent() ? "embedded emulator at " : "local environment at ") + target().endpoint().orElseThrow() + ")";
    }

    private Path settingsDir() {
        return settingsDir != null ? settingsDir : root().resolve("runbook/env");
    }

    private Path settingsFile() {
        return settingsDir().resolve(env + ".properties");
    }

    /** Where an environment's reports go: its HTML and JSON reports, its error traces. */
    private Path reports(String environment) {
        return (reportsDir != null ? reportsDir : root().resolve("runbook/reports")).resolve(environment);
    }

    /** A report's name: the command and when it ran. */
    private static String stem(String command) {
        return command + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    // ---- what the dashboard asks of the runbook ----------------------------------------------------

    @Override
    public String environment() {
        return env;
    }

    @Override
    public Cloud observe() {
        return new Cloud(target(), settings(), recorded(), Cloud.Mode.PLAN, new Journal(new PrintStream(OutputStream.nullOutputStream())),
                serverBuild());
    }

    @Override
    public State recorded() {
        return State.open(stateDirectory(), env).detached();
    }

    /**
     * The operation as its CLI command, with the command's output teed to {@code lines}. The
     * dashboard runs one at a time; this lock keeps it so for any other caller too.
     */
    @Override
    public Result perform(Operation operation, java.util.function.Consumer<String> lines) {
        synchronized (performing) {
            out = new PrintStream(new LineTee(console, lines), true, StandardCharsets.UTF_8);
            lastFailure = Optional.empty();
            try {
                int code;
                if (operation instanceof Operation.Deploy d) {
                    code = deploy(d.tag());
                } else if (operation instanceof Operation.Scale sc) {
                    code = scale(sc.count());
                } else {
                    code = rollback();
                }
                return new Result(code, code == OK ? Optional.empty() : lastFailure.or(() -> Optional.of(
                        new Failure(operation.kind(), Optional.empty(), Optional.empty(), "the command ended with exit code " + code))));
            } catch (Exception e) {
                return new Result(FAILED, Optional.of(Failure.of(operation.kind(), Optional.of(e))));
            } finally {
                out.flush();
                out = console;
            }
        }
    }

    /** After a local apply: says how to reach the service, then serves until the process is stopped. */
    private void serve(LocalAws aws) throws InterruptedException {
        Settings s = settings();
        out.println();
        out.println("The service runs on the embedded emulator; Ctrl-C stops the emulator and its tasks.");
        out.println("  service:   wss://" + s.host() + "/ws   https://" + s.host() + "/health");
        aws.resolve(s.host(), 443).ifPresent(a -> out.println("  mapping:   " + s.host() + ":443 -> 127.0.0.1:" + a.getPort()));
        out.println("  CA file:   " + aws.caFile());
        out.println("  AWS API:   " + aws.endpoint() + "   (aws --endpoint-url " + aws.endpoint() + " ..., any credentials)");
        aws.resolve(s.host(), 443).ifPresent(a -> out.println("  try:       curl --cacert " + aws.caFile() + " --connect-to " + s.host()
                + ":443:127.0.0.1:" + a.getPort() + " https://" + s.host() + "/health"));
        out.println("  operate:   in another terminal, runbook/bin/runbook --env " + env + " status | dashboard | deploy --tag v2 | scale --count 3 | rollback | destroy");
        startApp(aws, s).ifPresent(app -> {
            out.println("  app:       " + app.app() + " -> 127.0.0.1:" + app.address().getPort()
                    + "   (a stand-in for the Next.js app: sign in with a name; its session cookie rides to " + s.host() + ")");
            aws.resolve(s.host(), 443).ifPresent(ws -> {
                try {
                    out.println("  browser:   " + BrowserCommand.of(java.util.Map.of(app.app().getHost(), app.address(), s.host(), ws),
                            aws.trustStore(), stateDirectory().resolve(env + "-chromium").toAbsolutePath().toString(), app.app() + "/signin"));
                } catch (IllegalStateException e) {
                    out.println("  browser:   " + e.getMessage());
                }
            });
        });
        out.println("  all names: ");
        aws.accessHints().forEach(h -> out.println("    " + h));
        out.println("ready");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, "runbook-stop"));
        stopped.await();
    }

    /**
     * The stand-in for the Next.js app on the local environment (https app.url only): it signs users
     * in with the environment's NextAuth secret, its cookie for the zone's domain, as the app does.
     */
    private Optional<AppStandIn> startApp(LocalAws aws, Settings s) {
        java.net.URI url = java.net.URI.create(s.appUrl());
        if (!"https".equals(url.getScheme()) || !(url.getHost().equals(s.zone()) || url.getHost().endsWith("." + s.zone()))) {
            return Optional.empty();
        }
        try (Cloud cloud = observe()) {
            app = new AppStandIn(url, Optional.of("." + s.zone()), new Secrets(cloud).value(s.secretName()), aws.certificateAuthority(), 0);
            return Optional.of(app);
        } catch (Exception e) {
            out.println("  app:       the stand-in for the Next.js app did not start: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The local environment a command needs is not running (or its port is taken): exit 2, saying so. */
    static final class NoEnvironment extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoEnvironment(String message) {
            super(message);
        }
    }

    private Path stateDirectory() {
        return stateDir != null ? stateDir : root().resolve("runbook/state");
    }

    private Path serverBuild() {
        return serverBuild != null ? serverBuild : root().resolve("server/target");
    }

    private static Path root() {
        return Paths.get(System.getProperty("project.root", "."));
    }

    @Override
    public synchronized void close() {
        if (app != null) {
            try {
                app.close();
            } catch (Exception e) {
                console.println("runbook: stopping the app stand-in: " + e.getMessage());
            }
            app = null;
        }
        if (target != null) {
            target.close();
            target = null;
        }
    }
}
