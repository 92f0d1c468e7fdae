package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** CloudWatch Logs and Secrets Manager through the real AWS SDK v2. */
class LogsAndSecretsTest extends EmulatorTestBase {

    @Test
    void logGroupsStreamsAndEvents() {
        try (CloudWatchLogsClient logs = Clients.of(CloudWatchLogsClient.builder(), aws)) {
            logs.createLogGroup(r -> r.logGroupName("/ecs/thephillymojo-ws"));
            assertThrows(ResourceAlreadyExistsException.class, () -> logs.createLogGroup(r -> r.logGroupName("/ecs/thephillymojo-ws")));
            logs.putRetentionPolicy(r -> r.logGroupName("/ecs/thephillymojo-ws").retentionInDays(30));
            assertThrows(software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException.class,
                    () -> logs.putRetentionPolicy(r -> r.logGroupName("/ecs/thephillymojo-ws").retentionInDays(2)));
            assertEquals(30, logs.describeLogGroups(r -> r.logGroupNamePrefix("/ecs/")).logGroups().get(0).retentionInDays());
            logs.createLogStream(r -> r.logGroupName("/ecs/thephillymojo-ws").logStreamName("ws/ws/abc"));
            long t = System.currentTimeMillis();
            logs.putLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws").logStreamName("ws/ws/abc")
                    .logEvents(InputLogEvent.builder().timestamp(t).message("started").build(),
                            InputLogEvent.builder().timestamp(t + 1).message("player joined").build()));
            assertThrows(software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException.class,
                    () -> logs.putLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws").logStreamName("ws/ws/abc")
                            .logEvents(InputLogEvent.builder().timestamp(t + 5).message("b").build(),
                                    InputLogEvent.builder().timestamp(t).message("a").build())));
            List<OutputLogEvent> events = logs.getLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws").logStreamName("ws/ws/abc")
                    .startFromHead(true)).events();
            assertEquals(List.of("started", "player joined"), events.stream().map(OutputLogEvent::message).toList());
            assertEquals(1, logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws").filterPattern("joined")).events().size());
            // the filter syntax over the wire: terms, a JSON pattern on a JSON line, a bad pattern refused with AWS's code
            logs.putLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws").logStreamName("ws/ws/abc")
                    .logEvents(InputLogEvent.builder().timestamp(t + 2).message("{\"level\":\"warn\",\"status\":401}").build()));
            assertEquals(List.of("player joined"), logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws")
                    .filterPattern("joined player -started")).events().stream().map(e -> e.message()).toList());
            assertEquals(1, logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws")
                    .filterPattern("{ $.level = \"warn\" && $.status = 401 }")).events().size());
            assertThrows(software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException.class,
                    () -> logs.filterLogEvents(r -> r.logGroupName("/ecs/thephillymojo-ws").filterPattern("{ $.level = ")));
            assertEquals("ws/ws/abc", logs.describeLogStreams(r -> r.logGroupName("/ecs/thephillymojo-ws")).logStreams().get(0).logStreamName());
            logs.deleteLogGroup(r -> r.logGroupName("/ecs/thephillymojo-ws"));
            assertThrows(software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException.class,
                    () -> logs.deleteLogGroup(r -> r.logGroupName("/ecs/thephillymojo-ws")));
        }
    }

    @Test
    void secretsHaveVersionsAndAreDeletedWithARecoveryWindow() {
        try (SecretsManagerClient secrets = Clients.of(SecretsManagerClient.builder(), aws)) {
            CreateSecretResponse created = secrets.createSecret(r -> r.name("thephillymojo/nextauth").secretString("first"));
            assertTrue(created.arn().matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:thephillymojo/nextauth-[A-Za-z0-9]{6}"));
            assertThrows(ResourceExistsException.class, () -> secrets.createSecret(r -> r.name("thephillymojo/nextauth").secretString("x")));
            assertEquals("first", secrets.getSecretValue(r -> r.secretId("thephillymojo/nextauth")).secretString());
            assertEquals("first", secrets.getSecretValue(r -> r.secretId(created.arn())).secretString());
            secrets.putSecretValue(r -> r.secretId("thephillymojo/nextauth").secretString("second"));
            assertEquals("second", secrets.getSecretValue(r -> r.secretId("thephillymojo/nextauth")).secretString());
            assertEquals("first", secrets.getSecretValue(r -> r.secretId("thephillymojo/nextauth").versionStage("AWSPREVIOUS")).secretString());
            secrets.updateSecret(r -> r.secretId("thephillymojo/nextauth").description("the NextAuth secret"));
            assertEquals("the NextAuth secret", secrets.describeSecret(r -> r.secretId("thephillymojo/nextauth")).description());
            assertThrows(ResourceNotFoundException.class, () -> secrets.getSecretValue(r -> r.secretId("nope")));
            secrets.deleteSecret(r -> r.secretId("thephillymojo/nextauth").recoveryWindowInDays(7L));
            assertThrows(InvalidRequestException.class, () -> secrets.getSecretValue(r -> r.secretId("thephillymojo/nextauth")));
            assertTrue(secrets.describeSecret(r -> r.secretId("thephillymojo/nextauth")).deletedDate() != null);
            secrets.createSecret(r -> r.name("gone").secretString("x"));
            secrets.deleteSecret(r -> r.secretId("gone").forceDeleteWithoutRecovery(true));
            assertThrows(ResourceNotFoundException.class, () -> secrets.describeSecret(r -> r.secretId("gone")));
        }
    }
}
