package com.thephillymojo.ws.runbook.preflight;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.infra.CallErrors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileLocation;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * What the runbook makes sure of before a command changes anything, as Terraform and Copilot do:
 * who the caller is (STS), that it is the environment's account, that the hosted zone the
 * environment names exists, and that the caller's policies allow what the command will call
 * (IAM's policy simulator). A check that fails stops the command with one sentence saying what
 * was looked for and what to do ({@link Stop}); nothing has been changed at that point.
 */
public final class Preflight implements AutoCloseable {
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

    public Preflight(AwsTarget target, Settings settings, Path settingsFile, Map<String, String> environment) {
        this.target = target;
        this.settings = settings;
        this.settingsFile = settingsFile;
        this.environment = environment;
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
            throw new Stop("AWS refused the credentials " + Credentials.source(environment) + " (" + CallErrors.describe(e) + "): "
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
        List<HostedZone> zones;
        try {
            zones = client(Route53Client.builder()).listHostedZonesByName(r -> r.dnsName(settings.zone()).maxItems("10")).hostedZones();
        } catch (AwsServiceException | SdkClientException e) {
            throw new Stop("could not look for the hosted zone " + settings.zone() + ": " + CallErrors.describe(e), e);
        }
        boolean found = zones.stream().anyMatch(z -> z.name().equals(settings.zone() + ".") && (z.config() == null || !Boolean.TRUE.equals(z.config().privateZone())));
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
            return new Permissions(List.of(), Optional.of("could not simulate " + principal.get() + "'s policies (" + CallErrors.describe(e) + ")"));
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

    /** The sentence for credentials the SDK could not load: what was looked for, and what to do. */
    public static String missingCredentials(Map<String, String> environment, SdkClientException e) {
        return Credentials.missing(environment, e);
    }

    /**
     * That sentence, when a failure (at any point of a run: an SSO session may end during a long
     * apply) is credentials the SDK could not load; empty for any other failure.
     */
    public static Optional<String> credentialsProblem(Map<String, String> environment, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SdkClientException sdk && CallErrors.network(sdk).isEmpty()
                    && String.valueOf(sdk.getMessage()).startsWith("Unable to load credentials")) {
                return Optional.of(Credentials.missing(environment, sdk));
            }
        }
        return Optional.empty();
    }

    /** Where the credentials come from and how to renew them: the sentences of a credentials failure. */
    static final class Credentials {
        private Credentials() {
        }

        static String profile(Map<String, String> env) {
            return env.getOrDefault("AWS_PROFILE", System.getProperty("aws.profile", "default"));
        }

        static String source(Map<String, String> env) {
            if (env.containsKey("AWS_ACCESS_KEY_ID")) {
                return "in AWS_ACCESS_KEY_ID";
            }
            return env.containsKey("AWS_PROFILE") ? "of profile '" + profile(env) + "'" : "the default credential chain found";
        }

        static String remedy(Map<String, String> env) {
            if (env.containsKey("AWS_ACCESS_KEY_ID")) {
                return "export a valid AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), then run this again";
            }
            return "run `aws sso login --profile " + profile(env) + "` (or renew the profile's keys), then run this again";
        }

        /** The sentence for credentials that could not be found or loaded at all. */
        static String missing(Map<String, String> env, SdkClientException e) {
            Path config = ProfileFileLocation.configurationFilePath();
            Path keys = ProfileFileLocation.credentialsFilePath();
            String name = profile(env);
            Optional<software.amazon.awssdk.profiles.Profile> profile;
            try {
                profile = ProfileFile.defaultProfileFile().profile(name);
            } catch (RuntimeException unreadable) {
                return "cannot read the AWS profiles in " + config + " and " + keys + " (" + unreadable.getMessage() + "): fix the file, then run this again";
            }
            boolean named = env.containsKey("AWS_PROFILE") || System.getProperty("aws.profile") != null;
            if (profile.isEmpty() && named) {
                List<String> known;
                try {
                    known = new ArrayList<>(ProfileFile.defaultProfileFile().profiles().keySet());
                } catch (RuntimeException unreadable) {
                    known = List.of();
                }
                return "the profile '" + name + "' (AWS_PROFILE) is in neither " + config + " nor " + keys
                        + (known.isEmpty() ? ", which hold no profile: make it" : ", which hold " + known + ": export AWS_PROFILE=<one of them>, or make it")
                        + " with `aws configure sso --profile " + name + "`, then run this again";
            }
            if (profile.isPresent() && (profile.get().property("sso_session").isPresent() || profile.get().property("sso_start_url").isPresent())) {
                return "the SSO session of profile '" + name + "' has expired or was never started: run `aws sso login --profile " + name
                        + "`, then run this again";
            }
            if (profile.isPresent()) {
                return "the profile '" + name + "' in " + config + " gave no credentials (" + firstReason(e) + "): fix it, or export AWS_PROFILE=<another "
                        + "profile>, then run this again";
            }
            return "no AWS credentials found: looked in the environment (AWS_ACCESS_KEY_ID, AWS_WEB_IDENTITY_TOKEN_FILE), the profile '" + name
                    + "' in " + config + " and " + keys + ", and the container's and instance's roles; sign in with `aws sso login --profile NAME` "
                    + "and `export AWS_PROFILE=NAME` (or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), then run this again";
        }

        /** The SDK's reason, without its list of every provider it tried. */
        private static String firstReason(Throwable e) {
            String message = String.valueOf(e.getMessage());
            Matcher m = Pattern.compile("ProfileCredentialsProvider\\([^)]*\\): ([^:,]+(?:[^,]*)?)").matcher(message);
            String reason = m.find() ? m.group(1) : message;
            return reason.length() > 200 ? reason.substring(0, 200) + "…" : reason;
        }
    }
}
