package com.thephillymojo.ws.runbook.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.localstack.LocalAws;
import io.cucumber.java.After;
import io.cucumber.java.en.But;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The glue of features/preflight.feature. Each scenario has an emulator of its own (the account)
 * and a directory of its own: the environment's settings, the runbook's state and reports, and the
 * HOME the runbook runs with (so ~/.aws is the scenario's). The runbook is runbook/bin/runbook in
 * its own process, its environment made from nothing but PATH, LANG, that HOME and what the step
 * says — the AWS SDK's credential chain finds what an operator's would, and the instance metadata
 * service is off (no call leaves this machine). {@code AWS_ENDPOINT_URL} points the SDK at the
 * emulator, as it would at any AWS endpoint.
 */
public class PreflightSteps {
    private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    private static final String SSO_PATH = "/aws-reserved/sso.amazonaws.com/";
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(|^Caused by: ");

    private LocalAws aws;
    private Path work;
    private Map<String, String> settings = new TreeMap<>();
    private final List<String> keysUsed = new ArrayList<>();
    private Run run;
    /** What the operator types if the runbook asks (nothing: the terminal's input ends). */
    private String answer = "";

    /** One run of the runbook: its exit code and what it printed on each stream. */
    private record Run(int code, String stdout, String stderr) {
        String terminal() {
            return stdout + stderr;
        }
    }

    @Given("an AWS account {word} with the public hosted zone {string}")
    public void anAccount(String account, String zone) throws IOException {
        assertEquals(LocalAws.DEFAULT_ACCOUNT, account, "the emulator's account");
        aws = LocalAws.start(LocalAws.Options.defaults());
        work = Files.createTempDirectory("preflight");
        Files.createDirectories(work.resolve("home"));
        Files.createDirectories(work.resolve("env"));
        try (Route53Client route53 = client(Route53Client.builder())) {
            route53.createHostedZone(r -> r.name(zone).callerReference("preflight"));
        }
    }

    @Given("an environment {string} on AWS in {word}, pinned to account {word}, whose hosted zone must exist")
    public void anEnvironment(String name, String region, String account) throws IOException {
        String production = Files.readString(ROOT.resolve("runbook/env/production.properties"));
        // production's own settings; this account's number, and a NextAuth secret of its own (no Next.js app shares it here)
        String staging = production.replaceAll("(?m)^account=.*$", "account=" + account).replaceAll("(?m)^region=.*$", "region=" + region)
                .replaceAll("(?m)^secret\\.generate=.*$", "secret.generate=true");
        assertTrue(staging.contains("zone.create=false"));
        Files.writeString(work.resolve("env/" + name + ".properties"), staging);
    }

    @Given("the environment {string} is in the region {string}")
    public void inTheRegion(String name, String region) throws IOException {
        Path file = work.resolve("env/" + name + ".properties");
        Files.writeString(file, Files.readString(file).replaceAll("(?m)^region=.*$", "region=" + region));
    }

    @Given("the role {string} has the deployer's policy")
    public void theRoleHasThePolicy(String role) throws IOException {
        deployerRole(role, null);
    }

    @Given("the role {string} has the deployer's policy without {string}")
    public void theRoleHasThePolicyWithout(String role, String action) throws IOException {
        deployerRole(role, action);
    }

    /**
     * A role the account's root may assume, with runbook/iam/deployer-policy.json (less one action)
     * as a customer managed policy; under the path IAM Identity Center gives its roles, which a
     * session's ARN does not show.
     */
    private void deployerRole(String role, String without) throws IOException {
        ObjectNode policy = (ObjectNode) new ObjectMapper().readTree(ROOT.resolve("runbook/iam/deployer-policy.json").toFile());
        boolean removed = false;
        for (var statement : policy.path("Statement")) {
            ArrayNode actions = (ArrayNode) statement.path("Action");
            for (int i = actions.size() - 1; i >= 0; i--) {
                if (actions.get(i).asText().equals(without)) {
                    actions.remove(i);
                    removed = true;
                }
            }
        }
        assertTrue(without == null || removed, "the deployer's policy grants " + without);
        try (IamClient iam = client(IamClient.builder())) {
            iam.createRole(r -> r.roleName(role).path(SSO_PATH).assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:root\"},\"Action\":\"sts:AssumeRole\"}]}"));
            String arn = iam.createPolicy(r -> r.policyName(role + "-deployer").policyDocument(policy.toString())).policy().arn();
            iam.attachRolePolicy(r -> r.roleName(role).policyArn(arn));
        }
    }

    @But("the hosted zone {string} has been deleted")
    public void theZoneIsDeleted(String zone) {
        try (Route53Client route53 = client(Route53Client.builder())) {
            String id = route53.listHostedZonesByName(r -> r.dnsName(zone)).hostedZones().get(0).id();
            route53.deleteHostedZone(r -> r.id(id.substring(id.lastIndexOf('/') + 1)));
        }
    }

    @Given("the profile {string} signs in through SSO, and its session has expired")
    public void anExpiredSsoSession(String profile) throws Exception {
        Path aws = Files.createDirectories(work.resolve("home/.aws/sso/cache"));
        Files.writeString(work.resolve("home/.aws/config"), """
                [profile %s]
                sso_session = corp
                sso_account_id = 000000000000
                sso_role_name = Deployer
                region = us-east-1

                [sso-session corp]
                sso_start_url = https://corp.awsapps.com/start
                sso_region = us-east-1
                sso_registration_scopes = sso:account:access
                """.formatted(profile));
        // what `aws sso login` leaves: the session's token, cached under the SHA-1 of the session's name; this one expired
        String cache = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest("corp".getBytes(StandardCharsets.UTF_8)));
        Files.writeString(aws.resolve(cache + ".json"), "{\"accessToken\":\"expired\",\"expiresAt\":\"2026-01-01T00:00:00Z\","
                + "\"region\":\"us-east-1\",\"startUrl\":\"https://corp.awsapps.com/start\"}");
    }

    @Given("the account already has the {int} load balancers its quota allows")
    public void theQuotaIsReached(int count) {
        try (ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder()); Ec2Client ec2 = client(Ec2Client.builder())) {
            List<String> subnets = ec2.describeSubnets(r -> r.filters(Filter.builder().name("default-for-az").values("true").build()))
                    .subnets().stream().map(s -> s.subnetId()).limit(2).toList();
            for (int i = 0; i < count; i++) {
                String name = "other-" + i;
                elb.createLoadBalancer(r -> r.name(name).subnets(subnets));
            }
        }
    }

    // ---- the operator's runs ----------------------------------------------------------------------

    @When("the operator runs {string} as {string} in the role {string}")
    public void runsAsRole(String command, String session, String role) throws Exception {
        runsAsRoleAnswering(command, session, role, "");
    }

    @When("the operator runs {string} as {string} in the role {string}, answering {string} to its question")
    public void runsAsRoleAnswering(String command, String session, String role, String answer) throws Exception {
        this.answer = answer;
        Credentials keys;
        try (StsClient sts = client(StsClient.builder())) {
            keys = sts.assumeRole(r -> r.roleArn("arn:aws:iam::000000000000:role" + SSO_PATH + role).roleSessionName(session)).credentials();
        }
        keysUsed.add(keys.accessKeyId());
        run = runbook("staging", command, Map.of("AWS_ACCESS_KEY_ID", keys.accessKeyId(), "AWS_SECRET_ACCESS_KEY", keys.secretAccessKey(),
                "AWS_SESSION_TOKEN", keys.sessionToken()));
    }

    @When("the operator runs {string} with no credentials anywhere")
    public void runsWithoutCredentials(String command) throws Exception {
        run = runbook("staging", command, Map.of());
    }

    @When("the operator runs {string} with the profile {string}")
    public void runsWithProfile(String command, String profile) throws Exception {
        run = runbook("staging", command, Map.of("AWS_PROFILE", profile));
    }

    @When("the operator runs {string} with temporary keys STS never issued")
    public void runsWithUnknownKeys(String command) throws Exception {
        run = runbook("staging", command, Map.of("AWS_ACCESS_KEY_ID", "ASIAQXYZ2345ABCDEF67", "AWS_SECRET_ACCESS_KEY", "secret",
                "AWS_SESSION_TOKEN", "a-token-of-no-session"));
    }

    @When("the operator runs {string} with the credentials of account {word}")
    public void runsAsAccount(String command, String account) throws Exception {
        keysUsed.add(account);
        run = runbook("staging", command, Map.of("AWS_ACCESS_KEY_ID", account, "AWS_SECRET_ACCESS_KEY", "secret"));
    }

    @When("the operator applies the local environment on this account")
    public void appliesLocally() throws Exception {
        // the product's local settings on this scenario's emulator: the runbook finds it running on its port
        Files.writeString(work.resolve("env/local.properties"), Files.readString(ROOT.resolve("runbook/env/local.properties"))
                .replaceAll("(?m)^emulator\\.port=.*$", "emulator.port=" + aws.endpoint().getPort())
                .replaceAll("(?m)^service\\.desiredCount=.*$", "service.desiredCount=1"));
        run = runbook("local", "apply", Map.of());
    }

    /** runbook/bin/runbook --env ENV COMMAND in a process of its own, with nothing of this JVM's environment but PATH and LANG. */
    private Run runbook(String env, String command, Map<String, String> variables) throws Exception {
        List<String> argv = new ArrayList<>(List.of(ROOT.resolve("runbook/bin/runbook").toString(), "--env", env,
                "--settings-dir", work.resolve("env").toString(), "--state-dir", work.resolve("state").toString(),
                "--reports-dir", work.resolve("reports").toString(), "--server-build", ROOT.resolve("server/target").toString()));
        argv.addAll(List.of(command.split(" ")));
        ProcessBuilder builder = new ProcessBuilder(argv);
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", System.getenv("PATH"));
        environment.put("LANG", "C.UTF-8");
        environment.put("HOME", work.resolve("home").toString());
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
        // the JIT's first tier only: a run of a few seconds starts a second sooner, and behaves the same
        environment.put("JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        environment.put("AWS_ENDPOINT_URL", aws.endpoint().toString());
        environment.putAll(variables);
        Process process = builder.start();
        try (var typed = process.getOutputStream()) {
            typed.write((answer.isEmpty() ? "" : answer + "\n").getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the runbook did not end");
        Run result = new Run(process.exitValue(), out, err.get());
        System.out.println("---- runbook " + command + " → " + result.code() + "\n" + result.terminal());
        return result;
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- what the operator sees ---------------------------------------------------------------------

    /** The line as the issue's operator sees it, then (here, not on AWS) where the SDK's endpoint was pointed. */
    @Then("the first line is {string}")
    public void theFirstLine(String line) {
        assertEquals(line + " (AWS_ENDPOINT_URL " + aws.endpoint() + ")", run.stdout().lines().findFirst().orElse(""), run.terminal());
    }

    @Then("it says {string}")
    public void itSays(String text) {
        assertTrue(run.stdout().lines().anyMatch(l -> l.equals(text)), run.terminal());
    }

    @Then("it ends with exit code {int}, the plan listing what apply would create")
    public void theExitCodeOfAPlan(int code) {
        assertEquals(code, run.code(), run.terminal());
        assertTrue(run.stdout().contains("would create  load balancer"), run.terminal());
    }

    @Then("it lists what it would create, asks {string} and ends with exit code {int}")
    public void itAsks(String question, int code) {
        assertEquals(code, run.code(), run.terminal());
        int listed = run.stdout().indexOf("would create  load balancer");
        int asked = run.stdout().indexOf(question);
        assertTrue(listed > 0 && asked > listed, run.terminal());
        assertTrue(run.stdout().contains("runbook: not confirmed; nothing changed"), run.terminal());
    }

    @Then("it stops with exit code {int}, saying {string} and {string}")
    public void itStops(int code, String first, String second) {
        assertEquals(code, run.code(), run.terminal());
        String error = run.stderr();
        assertTrue(error.startsWith("runbook: "), run.terminal());
        assertTrue(error.contains(first) && error.contains(second), run.terminal());
        assertFalse(run.stdout().contains("… "), "no scenario ran:\n" + run.terminal());
    }

    @Then("it fails with exit code {int}, printing in one line {string} and {string}")
    public void itFails(int code, String first, String second) {
        assertEquals(code, run.code(), run.terminal());
        assertTrue(run.stdout().lines().anyMatch(l -> l.contains(first) && l.contains(second)), run.terminal());
    }

    @Then("the terminal shows no stack trace, and the run's report keeps it")
    public void noTraceButInTheReport() throws IOException {
        theTerminalShowsNoStackTrace();
        try (Stream<Path> reports = Files.walk(work.resolve("reports"))) {
            // an error file holds the trace as printed; Cucumber's JSON report holds it escaped ("\tat …")
            assertTrue(reports.filter(Files::isRegularFile).map(PreflightSteps::read)
                    .anyMatch(text -> STACK_FRAME.matcher(text).find() || text.contains("\\tat software.amazon")), "a report with the stack trace");
        }
    }

    @Then("the terminal shows no stack trace")
    public void theTerminalShowsNoStackTrace() {
        assertFalse(STACK_FRAME.matcher(run.terminal()).find(), run.terminal());
        assertFalse(run.terminal().contains("Exception"), run.terminal());
    }

    /** Checked through the APIs, and by what the emulator served to the keys the runbook used: nothing that changes anything. */
    @Then("nothing was created in the account, nor asked to be changed")
    public void nothingCreated() {
        try (EcrClient ecr = client(EcrClient.builder()); EcsClient ecs = client(EcsClient.builder());
             ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder());
             SecretsManagerClient secrets = client(SecretsManagerClient.builder()); Ec2Client ec2 = client(Ec2Client.builder());
             ElastiCacheClient cache = client(ElastiCacheClient.builder());
             software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient logs = client(software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.builder());
             IamClient iam = client(IamClient.builder())) {
            assertTrue(ecr.describeRepositories().repositories().isEmpty());
            assertTrue(ecs.listClusters().clusterArns().isEmpty());
            assertTrue(elb.describeLoadBalancers().loadBalancers().isEmpty());
            assertTrue(elb.describeTargetGroups().targetGroups().isEmpty());
            for (String secret : List.of("thephillymojo-ws/nextauth-secret", "thephillymojo-ws/cache")) {
                assertThrows(software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException.class,
                        () -> secrets.describeSecret(r -> r.secretId(secret)));
            }
            assertTrue(cache.describeReplicationGroups().replicationGroups().isEmpty());
            assertTrue(logs.describeLogGroups().logGroups().isEmpty());
            assertTrue(ec2.describeSecurityGroups().securityGroups().stream().noneMatch(g -> g.groupName().startsWith("thephillymojo-ws")));
            assertTrue(iam.listRoles().roles().stream().noneMatch(r -> r.roleName().startsWith("thephillymojo-ws")));
        }
        Set<String> readOnly = Set.of("Describe", "List", "Get", "SimulatePrincipalPolicy");
        assertFalse(keysUsed.isEmpty());
        for (String key : keysUsed) {
            for (String action : aws.actionsServed(key)) {
                String operation = action.substring(action.indexOf(':') + 1);
                assertTrue(readOnly.stream().anyMatch(operation::startsWith), "the runbook called " + action + " with " + key);
            }
        }
    }

    /** A client of the test's own (the account's root, another key than the runbook's). */
    private <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("inspector", "x"))).build();
    }

    @After
    public void stop() throws IOException {
        if (aws != null) {
            aws.close();
        }
        if (work != null) {
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
