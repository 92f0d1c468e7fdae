package com.thephillymojo.ws.runbook.infra;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The WS server's container image, built with Jib (no Docker daemon): the libraries in one layer,
 * the server's jar in another, the entrypoint {@code java -cp … com.thephillymojo.ws.WsServer} in
 * exec form, so the JVM is PID 1's direct child and receives ECS's SIGTERM.
 *
 * <p>The base is configurable: {@code eclipse-temurin:21-jre} for production; {@code scratch}
 * locally, where the emulator runs JVM images on the machine's own Java (and no registry outside
 * can be reached).
 */
public final class ServerImage {
    public static final String MAIN_CLASS = "com.thephillymojo.ws.WsServer";

    /** What was pushed: the image reference by tag and its digest. */
    public record Pushed(String reference, String digest) {
    }

    private ServerImage() {
    }

    /**
     * Builds from {@code server/target} (server.jar and lib/, after {@code mvn package}) and pushes
     * to {@code repositoryUri:tag}, signing in to the registry with ECR's user and password.
     */
    public static Pushed build(Path serverTarget, String base, String repositoryUri, String tag, String user, String password,
                               boolean insecureRegistry) throws Exception {
        Path jar = serverTarget.resolve("server.jar");
        Path lib = serverTarget.resolve("lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new IllegalStateException(serverTarget + " has no server.jar and lib/: run 'mvn -q package -DskipTests' first");
        }
        List<Path> libs;
        try (Stream<Path> files = Files.list(lib)) {
            libs = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        JibContainerBuilder image = base.equals("scratch") ? Jib.fromScratch() : Jib.from(base);
        image.addLayer(libs, AbsoluteUnixPath.get("/app/lib"))
                .addLayer(List.of(jar), AbsoluteUnixPath.get("/app"))
                // G1's default pause goal is 200 ms; a game server's players feel anything over a few tens. The JVM's
                // default heap is a quarter of the task's memory (256 MiB of 1 GiB); the server is most of what a task
                // runs, so three quarters: idle connections and tables are what it holds
                .setEntrypoint("java", "-XX:MaxGCPauseMillis=20", "-XX:MaxRAMPercentage=75", "-cp", "/app/server.jar:/app/lib/*", MAIN_CLASS)
                .addExposedPort(Port.tcp(8080))
                .addEnvironmentVariable("PORT", "8080")
                // a container listens on its own interfaces; the task definition says so too (tasks.bindAddress)
                .addEnvironmentVariable("BIND_ADDRESS", "0.0.0.0");
        if (insecureRegistry) {
            System.setProperty("sendCredentialsOverHttp", "true");
        }
        JibContainer pushed = image.containerize(Containerizer.to(RegistryImage.named(repositoryUri + ":" + tag)
                .addCredential(user, password)).setAllowInsecureRegistries(insecureRegistry));
        return new Pushed(repositoryUri + ":" + tag, pushed.getDigest().toString());
    }
}
