package com.thephillymojo.ws.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.runbook.cli.Host;
import com.thephillymojo.ws.runbook.cli.Runbook;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployer policy is what the runbook needs, not more: with one action taken out of it, on an
 * emulator that enforces IAM, the runbook stops at the step that needs it — before any change when
 * the deployer may simulate its own policies (the preflight names the action), else at the step
 * itself with the service's AccessDenied and AWS's message, exit 1. (RunbookIT runs the whole life
 * with the policy whole.)
 */
class DeployerPolicyIT {
    private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    private static final String ROLE = "arn:aws:sts::000000000000:assumed-role/runbook-deployer/runbook";

    @TempDir
    Path work;

    /** {@code apply --yes} as a role holding the deployer policy without {@code removed}; its exit code, its output in {@code out}. */
    private int applyWithout(List<String> removed, ByteArrayOutputStream out) throws Exception {
        ObjectNode policy = (ObjectNode) new ObjectMapper().readTree(ROOT.resolve("runbook/iam/deployer-policy.json").toFile());
        for (JsonNode statement : policy.path("Statement")) {
            ArrayNode actions = (ArrayNode) statement.path("Action");
            for (int i = actions.size() - 1; i >= 0; i--) {
                if (removed.contains(actions.get(i).asText())) {
                    actions.remove(i);
                }
            }
        }
        Path policyFile = work.resolve("policy.json");
        Files.writeString(policyFile, policy.toString());
        Files.createDirectories(work.resolve("env"));
        Files.writeString(work.resolve("env/local.properties"), Files.readString(ROOT.resolve("runbook/env/local.properties"))
                .replaceAll("(?m)^emulator\\.port=.*$", "emulator.port=0") + "\nemulator.deployerPolicy=" + policyFile.toAbsolutePath() + "\n");
        try (Runbook runbook = new Runbook(new PrintStream(out, true, StandardCharsets.UTF_8), System.in, false, new Host(ROOT, System.getenv()))) {
            var line = runbook.commandLine();
            line.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));   // the preflight's refusal
            return line.execute("--env", "local", "--settings-dir", work.resolve("env").toString(),
                    "--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString(),
                    "--server-build", ROOT.resolve("server/target").toString(), "apply", "--yes");
        }
    }

    @Test
    void withoutAnActionTheStepThatNeedsItFailsWithAwssAccessDenied() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // a deployer who may not simulate its own policies: the preflight cannot tell, the call itself is refused
        int code = applyWithout(List.of("ecr:PutLifecyclePolicy", "iam:SimulatePrincipalPolicy"), out);
        String output = out.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        assertEquals(Runbook.FAILED, code, output);
        assertTrue(output.contains("PutLifecyclePolicy: AccessDeniedException — User: " + ROLE + " is not authorized to perform: "
                + "ecr:PutLifecyclePolicy on resource: arn:aws:ecr:us-east-1:000000000000:repository/thephillymojo-ws because no "
                + "identity-based policy allows the ecr:PutLifecyclePolicy action"), output);
    }

    @Test
    void aDeployerWhoMaySimulateIsStoppedByThePreflightBeforeAnyChange() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = applyWithout(List.of("ecr:PutLifecyclePolicy"), out);
        String output = out.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        assertEquals(Runbook.USAGE, code, output);
        assertTrue(output.contains("ecr:PutLifecyclePolicy"), output);
        assertTrue(!output.contains("created"), "nothing was made: " + output);
    }
}
