package com.thephillymojo.ws.runbook.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.localstack.AwsTarget;
import com.thephillymojo.ws.localstack.LocalAws;
import com.thephillymojo.ws.runbook.Environment;
import com.thephillymojo.ws.runbook.Settings;
import com.thephillymojo.ws.runbook.State;
import com.thephillymojo.ws.runbook.infra.Cloud;
import com.thephillymojo.ws.runbook.infra.Journal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * An apply never sends AWS a placeholder for something that does not exist: the task-definition
 * step, run for real on the emulator with nothing made before it, stops and says what is missing,
 * and registers nothing. A plan of the same step shows what it would make, placeholders and all.
 */
class PrerequisiteTest {
    private static final Path ENV = Path.of(System.getProperty("project.root", "..")).resolve("runbook/env");

    @TempDir
    Path state;

    private String run(LocalAws aws, Cloud.Mode mode) throws Exception {
        Settings settings = Settings.load(ENV, "local");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        State s = State.open(state, "local");
        s.put("name.executionRole", "thephillymojo-ws-execution");
        s.put("name.repository", "thephillymojo-ws");
        s.put("name.logGroup", "/ecs/thephillymojo-ws");
        s.put("name.cacheSecret", "thephillymojo-ws/cache");
        Environment environment = new Environment(settings, ENV.resolve("local.properties"), state, state, state, Map.of());
        try (Cloud cloud = new Cloud(AwsTarget.embeddedShared(aws, settings.region()), environment, s, mode,
                new Journal(new PrintStream(printed, true, StandardCharsets.UTF_8)))) {
            new DeploySteps(new World(new Request(cloud, Optional.empty(), OptionalInt.empty()))).taskDefinition("thephillymojo-ws");
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anApplyStopsAtAMissingPrerequisiteAndAPlanShowsIt() throws Exception {
        try (LocalAws aws = LocalAws.start(LocalAws.Options.defaults().dataPlane(false));
             EcsClient ecs = AwsTarget.embeddedShared(aws, software.amazon.awssdk.regions.Region.US_EAST_1).client(EcsClient.builder())) {
            IllegalStateException stopped = assertThrows(IllegalStateException.class, () -> run(aws, Cloud.Mode.APPLY));
            assertEquals("the secret thephillymojo-ws/nextauth-secret does not exist, and this step refers to it: "
                    + "the step that makes it did not run or did not finish", stopped.getMessage());
            assertTrue(ecs.listTaskDefinitions().taskDefinitionArns().isEmpty(), "nothing was registered");

            String plan = run(aws, Cloud.Mode.PLAN);
            assertTrue(plan.contains("would create"), plan);
            assertTrue(ecs.listTaskDefinitions().taskDefinitionArns().isEmpty(), "a plan registers nothing");
        }
    }
}
