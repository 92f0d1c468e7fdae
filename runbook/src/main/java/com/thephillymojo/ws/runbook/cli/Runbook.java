package com.thephillymojo.ws.runbook.cli;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.runbook.Environment;
import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.State;
import com.thephillymojo.ws.runbook.dashboard.Dashboard;
import com.thephillymojo.ws.runbook.dashboard.Operator;
import com.thephillymojo.ws.runbook.infra.Cloud;
import com.thephillymojo.ws.runbook.infra.Journal;
import com.thephillymojo.ws.runbook.infra.Outcome;
import com.thephillymojo.ws.runbook.preflight.Preflight;
import com.thephillymojo.ws.runbook.preflight.Preflight.Check;
import com.thephillymojo.ws.runbook.steps.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The executor: {@code runbook/bin/runbook --env NAME COMMAND}. Each command runs scenarios of
 * features/deploy.feature or features/operations.feature (by tag) with the runbook's glue, the
 * same steps {@code mvn verify} runs against the emulator, and writes Cucumber's HTML and JSON
 * reports. Each command reads its {@link Environment} once, runs the {@link Preflight} checks it
 * declares, then its scenarios ({@link Scenarios}). An object of this class keeps its AWS target
 * across commands, so several commands in one process share one embedded emulator.
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
    private static final String DEPLOY = "classpath:features/deploy.feature";
    private static final String OPERATIONS = "classpath:features/operations.feature";

    /** Which environment, and where its settings, state, reports and the server's build are. */
    @Mixin
    EnvironmentOptions options = new EnvironmentOptions();

    private final PrintStream console;
    /** Where a command's output goes: the console; during a dashboard's operation also the dashboard. */
    private volatile PrintStream out;
    private final InputStream in;
    private final boolean serveAfterLocalApply;
    private final Host host;
    private AwsTarget target;
    /** The environment {@link #target} is of: one runbook object works on one. */
    private String targetEnvironment;
    private List<Outcome> lastOutcomes = List.of();
    private Optional<Failure> lastFailure = Optional.empty();
    /** What a local apply leaves serving, if it did. */
    private LocalServing serving;
    /** Held while an operation runs for the dashboard: one at a time. */
    private final Object performing = new Object();

    /**
     * @param serveAfterLocalApply whether a local apply goes on serving the environment until the process is stopped
     * @param host                 the project's root and the process's environment variables
     */
    public Runbook(PrintStream out, InputStream in, boolean serveAfterLocalApply, Host host) {
        this.console = out;
        this.out = out;
        this.in = in;
        this.serveAfterLocalApply = serveAfterLocalApply;
        this.host = host;
    }

    public static void main(String[] args) {
        Runbook runbook = new Runbook(System.out, System.in, true, Host.ofProcess());
        int code = runbook.commandLine().execute(args);
        runbook.close();
        System.exit(code);
    }

    public CommandLine commandLine() {
        CommandLine line = new CommandLine(this);
        line.setExecutionExceptionHandler(new Failures(() -> options.reportsRoot(host).resolve(options.env == null ? "unknown" : options.env),
                () -> options.env, host.variables()));
        return line;
    }

    @Command(name = "plan", description = "Lists what apply would create or change; changes nothing.")
    int plan(@Option(names = "--tag", description = "the image tag to plan for") String tag) throws Exception {
        Environment e = begin(loadEnvironment(), "plan", false, Check.HOSTED_ZONE, Check.PERMISSIONS);
        return planned(e, tag);
    }

    private int planned(Environment e, String tag) throws Exception {
        int code = run(e, "plan", Cloud.Mode.PLAN, "@resources", DEPLOY, Optional.ofNullable(tag), OptionalInt.empty());
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
        Environment e = begin(loadEnvironment(), "apply", true, Check.HOSTED_ZONE, Check.PERMISSIONS);
        if (e.settings().confirmChanges() && !yes) {
            int planned = planned(e, tag);
            if (planned == CHANGES_PENDING && !Prompt.confirmed(out, in, options.env, "to make these changes")) {
                out.println("runbook: not confirmed; nothing changed (--yes skips the question)");
                return NOT_CONFIRMED;
            }
            if (planned != OK && planned != CHANGES_PENDING) {
                return planned;
            }
        }
        int code = run(e, "apply", Cloud.Mode.APPLY, "@resources or @smoke", DEPLOY, Optional.ofNullable(tag), OptionalInt.empty());
        Optional<LocalAws> emulator = target(e, false).emulator();
        if (code == OK && serveAfterLocalApply && emulator.isPresent() && e.settings().emulatorPort() != 0) {
            serve(e, emulator.get());
        }
        return code;
    }

    @Command(name = "status", description = "Reports the service, its deployments and its targets' health.")
    int status() throws Exception {
        return operation("status", "@status");
    }

    @Command(name = "failover", description = "Fails the cache over to its replica (ElastiCache's TestFailover) and waits until the "
            + "service is healthy again: the games go on, no acknowledged move is lost.")
    int failover() throws Exception {
        return operation("failover", "@failover");
    }

    @Command(name = "rotate-cache-token", description = "Adds a new cache auth token beside the old one, starts new tasks with it, "
            + "then retires the old one.")
    int rotateCacheToken() throws Exception {
        return operation("rotate-cache-token", "@rotate");
    }

    /** An operation of operations.feature that takes nothing from the command line. */
    private int operation(String command, String tag) throws Exception {
        Environment e = begin(loadEnvironment(), command, false, Check.PERMISSIONS);
        return run(e, command, Cloud.Mode.APPLY, tag, OPERATIONS, Optional.empty(), OptionalInt.empty());
    }

    @Command(name = "deploy", description = "Builds and pushes an image tag, rolls it out as a new revision, waits until stable and healthy.")
    int deploy(@Option(names = "--tag", required = true, description = "the image tag") String tag) throws Exception {
        if (Prompt.refuses(out, "--tag", () -> new Operation.Deploy(tag))) {
            return USAGE;
        }
        Environment e = begin(loadEnvironment(), "deploy", false, Check.PERMISSIONS);
        return run(e, "deploy", Cloud.Mode.APPLY, "@deploy", OPERATIONS, Optional.of(tag), OptionalInt.empty());
    }

    @Command(name = "scale", description = "Sets the service's desired count and waits until that many tasks are healthy.")
    int scale(@Option(names = "--count", required = true, description = "0 to 100 tasks") int count) throws Exception {
        if (Prompt.refuses(out, "--count", () -> new Operation.Scale(count))) {
            return USAGE;
        }
        Environment e = begin(loadEnvironment(), "scale", false, Check.PERMISSIONS);
        return run(e, "scale", Cloud.Mode.APPLY, "@scale", OPERATIONS, Optional.empty(), OptionalInt.of(count));
    }

    @Command(name = "rollback", description = "Rolls the service back to the revision before the one it runs.")
    int rollback() throws Exception {
        return operation("rollback", "@rollback");
    }

    @Command(name = "drill", description = "Plays a match through a deploy of TAG, a scale-out to COUNT and a task killed; "
            + "checks the match goes on to its end (the local environment only).")
    int drill(@Option(names = "--tag", required = true, description = "the image tag to deploy during the match") String tag,
              @Option(names = "--count", defaultValue = "3", description = "the count to scale to during the match (2 to 10; default 3)") int count)
            throws Exception {
        Environment e = loadEnvironment();
        if (e.settings().target() != Settings.Target.EMBEDDED) {
            out.println("runbook: drill kills a task and plays a match: it runs on the local environment only");
            return USAGE;
        }
        if (count < 2 || count > 10) {
            out.println("runbook: --count is 2 to 10 (a task dies during the drill), not " + count);
            return USAGE;
        }
        begin(e, "drill", false, Check.PERMISSIONS);
        return run(e, "drill", Cloud.Mode.APPLY, "@drill", OPERATIONS, Optional.of(tag), OptionalInt.of(count));
    }

    @Command(name = "dashboard", description = "Serves the operations dashboard — the environment's health, and deploy, scale and "
            + "rollback as the commands above — on 127.0.0.1 until Ctrl-C; open the URL it prints (it holds the access token).")
    int dashboard(@Option(names = "--port", defaultValue = "0", description = "the port on 127.0.0.1 (default: a free one)") int port)
            throws Exception {
        if (port < 0 || port > 65535) {
            out.println("runbook: --port is 0 (a free one) to 65535, not " + port);
            return USAGE;
        }
        begin(loadEnvironment(), "dashboard", false);
        try (Dashboard dashboard = Dashboard.start(this, port, console)) {
            out.println("Open the dashboard (the token in it is its password; Ctrl-C stops it):");
            out.println("    " + dashboard.url());
            out.flush();
            Prompt.awaitStop(() -> { });
        }
        return OK;
    }

    @Command(name = "destroy", description = "Deletes everything the runbook created, in reverse order; asks first unless --yes.")
    int destroy(@Option(names = "--yes", description = "do not ask") boolean yes) throws Exception {
        Environment e = begin(loadEnvironment(), "destroy", false, Check.PERMISSIONS);
        if (!yes) {
            int listed = run(e, "destroy-plan", Cloud.Mode.PLAN, "@destroy", OPERATIONS, Optional.empty(), OptionalInt.empty());
            if (listed != OK) {
                return listed;
            }
            if (!Prompt.confirmed(out, in, options.env, "to delete all of the above")) {
                out.println("runbook: not confirmed; nothing deleted");
                return NOT_CONFIRMED;
            }
        }
        return run(e, "destroy", Cloud.Mode.APPLY, "@destroy", OPERATIONS, Optional.empty(), OptionalInt.empty());
    }

    /**
     * The preflight, before anything of a command runs: the caller and its account, then the
     * {@code checks} the command declares ({@link Preflight#run}). A check that fails stops the
     * command (exit 2) before any change. {@code mayStart}: whether the command may start the local
     * environment (apply) rather than need it running.
     */
    private Environment begin(Environment e, String command, boolean mayStart, Check... checks) {
        AwsTarget t = target(e, mayStart);
        try (Preflight preflight = new Preflight(t, e)) {
            preflight.run(command, checks.length == 0 ? EnumSet.noneOf(Check.class) : EnumSet.of(checks[0], checks), out, Targets.where(e, t));
        }
        return e;
    }

    /** The outcomes of the last command, in order. */
    public List<Outcome> lastOutcomes() {
        return lastOutcomes;
    }

    /** The AWS target of the environment the command line names (see {@link #target(Environment, boolean)}). */
    public synchronized AwsTarget target() {
        return target(loadEnvironment(), false);
    }

    /**
     * The AWS target of this runbook's environment: chosen at the first command ({@link Targets#open}),
     * kept until {@link #close}, so that the commands of one process share one emulator.
     */
    private synchronized AwsTarget target(Environment e, boolean mayStart) {
        if (target == null) {
            target = Targets.open(e, mayStart);
            targetEnvironment = e.name();
        } else if (!targetEnvironment.equals(e.name())) {
            throw new Settings.SettingsException("this runbook works on environment '" + targetEnvironment + "', not '" + e.name() + "'");
        }
        return target;
    }

    /** The environment the command line names, its settings read now (an operator may edit them between two commands). */
    private Environment loadEnvironment() {
        return options.load(host);
    }

    private int run(Environment e, String command, Cloud.Mode mode, String tags, String feature, Optional<String> tag, OptionalInt count)
            throws IOException {
        State state = mode == Cloud.Mode.PLAN ? e.state().detached() : e.state();
        Path reports = e.reports();
        Files.createDirectories(reports);
        String stem = Failures.stem(command);
        Journal journal = new Journal(out);
        try (Cloud cloud = new Cloud(target(e, false), e, state, mode, journal)) {
            Request request = new Request(cloud, tag, count);
            long[] before = com.thephillymojo.ws.runbook.infra.CallErrors.attempts();
            java.util.Map<String, Integer> injectedBefore = cloud.target.emulator().map(LocalAws::faultsMet).orElse(java.util.Map.of());
            boolean passed = Scenarios.run(request, tags, List.of(feature), reports.resolve(stem + ".html"), reports.resolve(stem + ".json"), out);
            faultsMet(cloud, before, injectedBefore);
            lastFailure = Optional.ofNullable(request.firstFailure().get())
                    .map(step -> Failure.of(step, Optional.ofNullable(request.firstError().get()), e.variables()));
            out.println("report: " + reports.resolve(stem + ".html") + (mode == Cloud.Mode.APPLY ? "; state: " + state.file() : ""));
            return passed ? OK : FAILED;
        } finally {
            lastOutcomes = journal.outcomes();
        }
    }

    /**
     * One line when AWS refused calls for a while and they were made again: how many the SDK
     * retried (throttling, 5xx) and, on an emulator injecting faults, which it injected.
     */
    private void faultsMet(Cloud cloud, long[] before, java.util.Map<String, Integer> injectedBefore) {
        long[] now = com.thephillymojo.ws.runbook.infra.CallErrors.attempts();
        long calls = now[0] - before[0];
        long retried = (now[1] - before[1]) - calls;
        java.util.Map<String, Integer> injected = new java.util.TreeMap<>();
        cloud.target.emulator().map(LocalAws::faultsMet).orElse(java.util.Map.of())
                .forEach((code, n) -> injected.put(code, n - injectedBefore.getOrDefault(code, 0)));
        injected.values().removeIf(n -> n <= 0);
        if (retried > 0 || !injected.isEmpty()) {
            out.println("faults: " + calls + " AWS calls, " + retried + " attempt(s) retried by the SDK"
                    + (injected.isEmpty() ? "" : "; the emulator injected " + injected.entrySet().stream()
                            .map(x -> x.getKey() + " ×" + x.getValue()).collect(java.util.stream.Collectors.joining(", "))));
        }
    }

        // ---- what the dashboard asks of the runbook ----------------------------------------------------

    @Override
    public String environment() {
        return options.env;
    }

    @Override
    public Settings settings() {
        return loadEnvironment().settings();
    }

    @Override
    public Cloud observe() {
        Environment e = loadEnvironment();
        return new Cloud(target(e, false), e, recorded(), Cloud.Mode.PLAN, new Journal(new PrintStream(OutputStream.nullOutputStream())));
    }

    @Override
    public State recorded() {
        return State.open(options.stateDir(host), options.env).detached();
    }

    /**
     * The operation as its CLI command, with the command's output teed to {@code lines}. The
     * dashboard runs one at a time; this lock keeps it so for any other caller too.
     */
    @Override
    public Result perform(Operation operation, Consumer<String> lines) {
        synchronized (performing) {
            out = new PrintStream(new LineTee(console, lines), true, StandardCharsets.UTF_8);
            lastFailure = Optional.empty();
            try {
                int code;
                if (operation instanceof Operation.Deploy d) {
                    code = deploy(d.tag());
                } else if (operation instanceof Operation.Scale sc) {
                    code = scale(sc.count());
                } else if (operation instanceof Operation.Failover) {
                    code = failover();
                } else {
                    code = rollback();
                }
                return new Result(code, code == OK ? Optional.empty() : lastFailure.or(() -> Optional.of(
                        new Failure(operation.kind(), Optional.empty(), Optional.empty(), "the command ended with exit code " + code))));
            } catch (Exception e) {
                return new Result(FAILED, Optional.of(Failure.of(operation.kind(), Optional.of(e), host.variables())));
            } finally {
                out.flush();
                out = console;
            }
        }
    }

    /** After a local apply: says how to reach the service, then serves until the process is stopped. */
    private void serve(Environment e, LocalAws aws) throws InterruptedException {
        synchronized (this) {
            serving = new LocalServing(console);
        }
        try (Cloud cloud = observe()) {
            serving.announce(aws, e, cloud);
        }
        out.println("ready");
        out.flush();
        Prompt.awaitStop(this::close);
    }

    @Override
    public synchronized void close() {
        if (serving != null) {
            serving.close();
            serving = null;
        }
        if (target != null) {
            target.close();
            target = null;
            targetEnvironment = null;
        }
    }
}
