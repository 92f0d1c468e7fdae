package com.thephillymojo.ws.runbook.preflight;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.runbook.Environment;
import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.infra.CallErrors;
import com.thephillymojo.ws.runbook.infra.Credentials;
import com.thephillymojo.ws.runbook.infra.Dns;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * What the runbook makes sure of before a command changes anything, as Terraform and Copilot do:
 * who the caller is (STS), that it is the environment's account, that the hosted zone the
 * environment names exists, and that the caller's policies allow what the command will call
 * (IAM's policy simulator). A check that fails stops the command with one sentence saying what
 * was looked for and what to do ({@link Stop}); nothing has been changed at that point. Who the
 * caller is and its account are checked before every command; each command declares which of the
 * other {@link Check}s it needs.
 */
public final class Preflight implements AutoCloseable {
    /** The checks a command may declare beyond the caller and its account. */
    public enum Check {
        /** The hosted zone exists where the settings say the registrar delegates to it (plan, apply). */
        HOSTED_ZONE,
        /** IAM's policy simulator allows every call the command makes ({@link Needs}). */
        PERMISSIONS
    }

    /** The caller, as STS says: its account and ARN. */
    public record Identity(String account, String arn) {
        public boolean root() {
            return arn.endsWith(":root");
        }

        /**
         * The IAM principal whose policies apply: the user, or the role an assumed-role session is
         * of ({@code arn:aws:sts::A:assumed-role/R/S} → {@code arn:aws:iam::A:role/R}; the role's
         * path is not in the session's ARN). Empty for the root user and federated users.
         */
        public Optional<String> principal() {
            Matcher session = Pattern.compile("arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([^/]+)/.+").matcher(arn);
            if (session.matches()) {
                return Optional.of("arn:" + session.group(1) + ":iam::" + session.group(2) + ":role/" + session.group(3));
            }
            return arn.matches("arn:aws[a-z-]*:iam::\\d{12}:(user|role)/.+") ? Optional.of(arn) : Optional.empty();
        }
    }

    /** A check that stops the command before any change: the sentence for the terminal, the cause (if any) for the report. */
    public static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Stop(String sentence, Throwable cause) {
            super(sentence, cause);
        }

        public Stop(String sentence) {
            super(sentence);
        }
    }

    /** An action the caller may not do, with IAM's decision ({@code implicitDeny}, {@code explicitDeny}) and what it was asked for. */
    public record Denied(String action, String decision, String resource) {
    }

    private final Settings settings;
    private final Path settingsFile;
    private final Map<String, String> environment;
    // the services the checks ask, each made when first asked: a run's whole set of clients takes a second to build
    private final AwsTarget target;
    private final List<software.amazon.awssdk.utils.SdkAutoCloseable> made = new ArrayList<>();

    public Preflight(AwsTarget target, Environment environment) {
        this.target = target;
        this.settings = environment.settings();
        this.settingsFile = environment.settingsFile();
        this.environment = environment.variables();
    }

    /**
     * The preflight of {@code command}: who the caller is (the run's first line names the account,
     * the caller, the region and {@code where} the calls go), that it is the environment's
     * account, then the command's own {@code checks}. A check that fails throws {@link Stop}.
     */
    public void run(String command, Set<Check> checks, PrintStream out, String where) {
        Identity caller = identity();
        out.println("runbook " + command + " — " + settings.name() + ": account " + caller.account() + " as " + caller.arn() + ", "
                + settings.region().id() + where);
        account(caller);
        if (checks.contains(Check.HOSTED_ZONE)) {
            hostedZone(caller);
        }
        if (!checks.contains(Check.PERMISSIONS)) {
            return;
        }
        Permissions permissions = permissions(caller, command);
        if (!permissions.denied().isEmpty()) {
            StringBuilder listing = new StringBuilder(caller.arn() + " may not do what " + command + " needs (IAM's policy simulator); nothing was changed:");
            permissions.denied().forEach(d -> listing.append(String.format("%n  %-48s %-13s on %s", d.action(), d.decision(), d.resource())));
            listing.append(String.format("%ngrant them (runbook/iam/deployer-policy.json grants all the runbook calls), then run this again"));
            throw new Stop(listing.toString());
        }
        permissions.notSimulated().ifPresentOrElse(why -> {
            if (settings.target() == Settings.Target.AWS || !caller.root()) {
                out.println("permissions: not checked: " + why + "; going on");
            }
        }, () -> out.println("permissions: IAM allows what " + command + " calls"));
    }

    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C extends software.amazon.awssdk.utils.SdkAutoCloseable>
            C client(B builder) {
        C client = CallErrors.client(target, builder);
        made.add(client);
        return client;
    }

    @Override
    public void close() {
        made.forEach(software.amazon.awssdk.utils.SdkAutoCloseable::close);
    }

    /** Who the credentials are (STS GetCallerIdentity); credentials missing, expired or refused stop here. */
    public Identity identity() {
        try {
            GetCallerIdentityResponse me = client(StsClient.builder()).getCallerIdentity();
            return new Identity(me.account(), me.arn());
        } catch (AwsServiceException e) {
            throw new Stop("AWS refused the credentials " + Credentials.source(environment) + " (" + CallErrors.describe(e, environment) + "): "
                    + Credentials.remedy(environment), e);
        } catch (SdkClientException e) {
            Optional<String> network = CallErrors.network(e);
            if (network.isPresent()) {
                // STS itself, or (no call of ours failed) the credentials' own provider: SSO's portal, a container's endpoint
                String who = CallErrors.call(e).map(c -> "STS did not answer at " + c.endpoint())
                        .orElse("no answer while getting the credentials " + Credentials.source(environment));
                throw new Stop(who + " (" + network.get() + "): check the network, a proxy (HTTPS_PROXY) or AWS_ENDPOINT_URL, then run this again", e);
            }
            throw new Stop(Credentials.missing(environment, e), e);
        }
    }

    /** The credentials must be of the environment's account ({@code account} in its settings); on AWS it must be set. */
    public void account(Identity caller) {
        Optional<String> pinned = settings.account();
        if (pinned.isEmpty()) {
            if (settings.target() == Settings.Target.AWS) {
                throw new Stop("environment " + settings.name() + " names no account: these credentials are of account " + caller.account()
                        + " (" + caller.arn() + "); if that is " + settings.name() + "'s, write account=" + caller.account() + " in "
                        + settingsFile + ", then run this again");
            }
            return;
        }
        if (!pinned.get().equals(caller.account())) {
            throw new Stop("these credentials are of account " + caller.account() + " (" + caller.arn() + "), but " + settings.name()
                    + " is account " + pinned.get() + " (account= in " + settingsFile + "); nothing was changed: use " + settings.name()
                    + "'s credentials (export AWS_PROFILE=…), then run this again");
        }
    }

    /** With {@code zone.create=false} the public hosted zone must exist: the registrar delegates to it, the runbook only writes records. */
    public void hostedZone(Identity caller) {
        if (settings.createZone()) {
            return;
        }
        boolean found;
        try {
            found = Dns.publicZone(client(Route53Client.builder()), settings.zone()).isPresent();
        } catch (AwsServiceException | SdkClientException e) {
            throw new Stop("could not look for the hosted zone " + settings.zone() + ": " + CallErrors.describe(e, environment), e);
        }
        if (!found) {
            throw new Stop("the public hosted zone " + settings.zone() + " is not in account " + caller.account() + ", and zone.create=false in "
                    + settingsFile + " says it must exist (the registrar delegates the domain to it): create it (aws route53 create-hosted-zone "
                    + "--name " + settings.zone() + " --caller-reference $(date +%s)) and give the registrar its name servers, then run this again");
        }
    }

    /** What the simulator said: the actions denied, or why it could not say. */
    public record Permissions(List<Denied> denied, Optional<String> notSimulated) {
    }

    /**
     * Asks IAM's policy simulator whether the caller's policies allow each of the command's calls
     * ({@link Needs}), with the resource and context each call will have. A session is simulated
     * as its role (the role's ARN with its path from {@code iam:GetRole} when the pathless one is
     * not found). A caller who may not simulate (or the root user, who may do anything) is not
     * simulated: the answer says why.
     */
    public Permissions permissions(Identity caller, String command) {
        if (caller.root()) {
            return new Permissions(List.of(), Optional.of("the account's root user may do everything (AWS advises a role or a user)"));
        }
        Optional<String> principal = caller.principal();
        if (principal.isEmpty()) {
            return new Permissions(List.of(), Optional.of(caller.arn() + " is not a user or a role IAM can simulate"));
        }
        IamClient iam = client(IamClient.builder());
        try {
            try {
                return new Permissions(simulate(iam, principal.get(), command, caller.account()), Optional.empty());
            } catch (NoSuchEntityException pathless) {
                // a session's ARN does not carry its role's path (SSO's roles have one): the role's own ARN has it
                Matcher role = Pattern.compile("arn:[^:]+:iam::\\d{12}:role/(.+)").matcher(principal.get());
                if (!role.matches()) {
                    throw pathless;
                }
                String arn = iam.getRole(r -> r.roleName(role.group(1))).role().arn();
                return new Permissions(simulate(iam, arn, command, caller.account()), Optional.empty());
            }
        } catch (AwsServiceException | SdkClientException e) {
            return new Permissions(List.of(), Optional.of("could not simulate " + principal.get() + "'s policies (" + CallErrors.describe(e, environment) + ")"));
        }
    }

    private static List<Denied> simulate(IamClient iam, String source, String command, String account) {
        List<Denied> denied = new ArrayList<>();
        for (Needs.Call call : Needs.of(command, account)) {
            var results = iam.simulatePrincipalPolicyPaginator(r -> {
                r.policySourceArn(source).actionNames(call.actions());
                call.resource().ifPresent(r::resourceArns);
                r.contextEntries(call.context().entrySet().stream().map(e -> ContextEntry.builder().contextKeyName(e.getKey())
                        .contextKeyValues(e.getValue()).contextKeyType(ContextKeyTypeEnum.STRING).build()).toList());
            }).evaluationResults();
            for (EvaluationResult result : results) {
                if (!"allowed".equals(result.evalDecisionAsString())) {
                    denied.add(new Denied(result.evalActionName(), result.evalDecisionAsString(), call.describe()));
                }
            }
        }
        return denied;
    }
}
