package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/** localstack/bin/localstack as a process: the ready line, real clients, SIGTERM; and the AWS CLI conformance script. */
class StandaloneIT {
    private static final Path ROOT = Paths.get(System.getProperty("project.root", ".."));

    @Test
    void theStandaloneEmulatorSaysWhenItIsReadyAndStopsOnSigterm() throws Exception {
        Process p = new ProcessBuilder(ROOT.resolve("localstack/bin/localstack").toString(), "--port", "0").start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("localstack ready: http://127.0.0.1:"), String.valueOf(ready));
            URI endpoint = URI.create(ready.substring("localstack ready: ".length()).split(" ")[0]);
            try (EcrClient ecr = EcrClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
                assertEquals("standalone", ecr.createRepository(r -> r.repositoryName("standalone")).repository().repositoryName());
            }
            assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped after SIGTERM");
            assertEquals(143, p.exitValue(), "the JVM's exit status for SIGTERM");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theAwsCliConformanceScriptPasses() throws Exception {
        boolean cli = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            cli |= Files.isExecutable(Paths.get(dir, "aws"));
        }
        if (!cli) {
            System.err.println("StandaloneIT: the AWS CLI is not installed (Debian package 'awscli'); skipping the conformance script");
        }
        assumeTrue(cli, "the AWS CLI is not installed (Debian package 'awscli')");
        Process p = new ProcessBuilder("bash", ROOT.resolve("localstack/src/test/cli/conformance.sh").toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        System.out.println(output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains(" 0 failed"), output);
    }
}
