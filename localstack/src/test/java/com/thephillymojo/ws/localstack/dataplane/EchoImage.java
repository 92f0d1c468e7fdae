package com.thephillymojo.ws.localstack.dataplane;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link EchoApp} into an image with jib-core (its classes, the Jetty and SLF4J jars) and pushes it. */
public final class EchoImage {
    private EchoImage() {
    }

    /** Pushes to registryHost/repository:tag with the ECR password; returns the image reference. */
    public static String push(String registryHost, String password, Path dir, String repository, String tag) throws Exception {
        System.setProperty("sendCredentialsOverHttp", "true");
        Path classes = dir.resolve("classes-" + repository + "-" + tag);
        Path root = Paths.get(EchoApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String packagePath = EchoApp.class.getPackageName().replace('.', '/');
        Files.createDirectories(classes.resolve(packagePath));
        try (var files = Files.list(root.resolve(packagePath))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("Echo")).toList()) {
                Files.copy(f, classes.resolve(packagePath).resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        List<Path> libs = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String name = Paths.get(entry).getFileName().toString();
            if (name.endsWith(".jar") && (name.startsWith("jetty-") || name.startsWith("slf4j-api"))) {
                libs.add(Paths.get(entry));
            }
        }
        Jib.fromScratch()
                .addLayer(libs, AbsoluteUnixPath.get("/app/libs"))
                .addLayer(List.of(classes.resolve("com")), AbsoluteUnixPath.get("/app/classes"))
                .setEntrypoint("java", "-cp", "/app/classes:/app/libs/*", EchoApp.class.getName())
                .containerize(Containerizer.to(RegistryImage.named(registryHost + "/" + repository + ":" + tag).addCredential("AWS", password))
                        .setAllowInsecureRegistries(true));
        return registryHost + "/" + repository + ":" + tag;
    }
}
