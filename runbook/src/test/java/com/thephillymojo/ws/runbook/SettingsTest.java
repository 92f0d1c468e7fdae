package com.thephillymojo.ws.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class SettingsTest {
    private static final Path ENV = Path.of(System.getProperty("project.root", "..")).resolve("runbook/env");

    @Test
    void theShippedEnvironmentsLoad() {
        Settings production = Settings.load(ENV, "production");
        assertEquals(Settings.Target.AWS, production.target());
        assertEquals("ws.thephillymojo.com", production.host());
        assertEquals("eclipse-temurin:21-jre", production.imageBase());
        assertEquals(Region.US_EAST_1, production.region());
        assertEquals(List.of("https://thephillymojo.com", "https://www.thephillymojo.com"), production.allowedOrigins());
        assertEquals(2, production.desiredCount(), "one task per availability zone");
        assertEquals(new Settings.Cache("valkey", "cache.t4g.micro", 2, true), production.cache());
        assertTrue(production.account().isEmpty(), "production's account is the operator's to pin: the preflight says which one the credentials are of");
        assertEquals(java.util.Optional.of("000000000000"), Settings.load(ENV, "local").account(), "the emulator's account");
        Settings local = Settings.load(ENV, "local");
        assertEquals(Settings.Target.EMBEDDED, local.target());
        assertEquals("0.05", local.emulator().get("healthcheck.scale"));
        assertEquals(4566, local.emulatorPort(), "the local environment's port, LocalStack's");
        assertTrue(!local.emulator().containsKey("port"), "emulator.port is the runbook's, not an emulator property");
        // the emulator's clock, as local.properties says it: health checks 20 times faster, load balancers and DNS at once
        assertEquals(0.05, local.emulatorTiming().healthCheckScale());
        assertEquals(java.time.Duration.ZERO, local.emulatorTiming().loadBalancerProvisioning());
        assertEquals(java.time.Duration.ZERO, local.emulatorTiming().dnsSync());
        assertEquals(java.time.Duration.ofMillis(100), local.emulatorTiming().certificateCheck());
        assertEquals(com.thephillymojo.ws.localstack.LocalAws.Timing.AWS.certificateValidationTimeout(),
                local.emulatorTiming().certificateValidationTimeout(), "not set: AWS's");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "emulator.warp=9                 | unknown setting emulator.warp",
        "emulator.healthcheck.scale=fast | emulator.healthcheck.scale is a number of 0 or more, not 'fast'",
        "emulator.acm.checkMillis=-1     | emulator.acm.checkMillis is a number of 0 or more, not '-1'"})
    void aBadEmulatorSettingIsRefused(String setting, String message) throws Exception {
        Properties p = new Properties();
        try (var in = java.nio.file.Files.newBufferedReader(ENV.resolve("local.properties"))) {
            p.load(in);
        }
        String[] kv = setting.split("=", 2);
        p.setProperty(kv[0].trim(), kv[1].trim());
        Settings.SettingsException e = assertThrows(Settings.SettingsException.class, () -> Settings.parse("local", "test.properties", p));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "colour=blue                 | unknown setting(s) [colour]",
        "region=mars-north-1         | region 'mars-north-1' is not an AWS region",
        "region=aws-global           | region 'aws-global' is not an AWS region",
        "account=12345               | account is the AWS account's twelve digits, not '12345'",
        "host=ws.example.org         | host ws.example.org is not inside the zone thephillymojo.com",
        "logs.retentionDays=10       | logs.retentionDays must be one of CloudWatch's periods",
        "secret.recoveryDays=3       | secret.recoveryDays is 0 (delete at once) or 7–30",
        "tasks.cpu=lots              | 'tasks.cpu' is a whole number, not 'lots'",
        "target=azure                | target is 'embedded' or 'aws', not 'azure'",
        "image.tag=v 2               | image.tag 'v 2' is not a valid image tag",
        "app.url=thephillymojo.com   | app.url is the Next.js app's origin",
        "emulator.healthcheck.scale=1| emulator.* settings apply to target=embedded only",
        "zone=not a name             | 'zone' is a DNS name, not 'not a name'",
        "cache.engine=memcached      | cache.engine is valkey or redis, not 'memcached'",
        "cache.nodeType=t4g.micro    | cache.nodeType is an ElastiCache node type such as cache.t4g.micro",
        "cache.nodes=7               | 'cache.nodes' is between 1 and 6, not 7",
        "cache.nodes=1               | cache.multiAz needs a replica to fail over to",
        "emulator.port=4566          | emulator.* settings apply to target=embedded only"})
    void aBadSettingIsRefusedWithWhatIsWrong(String setting, String message) {
        Properties p = production();
        String[] kv = setting.split("=", 2);
        p.setProperty(kv[0].trim(), kv[1].trim());
        Settings.SettingsException e = assertThrows(Settings.SettingsException.class, () -> Settings.parse("production", "test.properties", p));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aMissingRequiredSettingIsNamed() {
        Properties p = production();
        p.remove("secret.name");
        assertTrue(assertThrows(Settings.SettingsException.class, () -> Settings.parse("production", "test.properties", p)).getMessage()
                .contains("'secret.name' is required"));
    }

    @Test
    void anEnvironmentNameCannotReachOutsideItsFolder() {
        assertTrue(assertThrows(Settings.SettingsException.class, () -> Settings.load(ENV, "../secrets")).getMessage()
                .contains("lowercase letters, digits and '-'"));
    }

    private static Properties production() {
        Properties p = new Properties();
        try (var in = java.nio.file.Files.newBufferedReader(ENV.resolve("production.properties"))) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }
}
