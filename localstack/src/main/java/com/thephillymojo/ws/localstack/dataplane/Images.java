package com.thephillymojo.ws.localstack.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.localstack.ecr.EcrImage;
import com.thephillymojo.ws.localstack.ecr.EcrRegistryView;
import com.thephillymojo.ws.localstack.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Images as the data plane runs them: found in the emulated ECR by the task definition's image
 * reference ({@code host:port/name:tag} or {@code …@sha256:…}), their layers unpacked once into a
 * root directory, their config (entrypoint, command, environment, working directory) read.
 */
public final class Images {
    /** An unpacked image. */
    record Unpacked(Path root, List<String> entrypoint, List<String> cmd, List<String> env, String workingDir) {
    }

    /** An image the emulator cannot run, with the reason a stopped task reports. */
    static final class CannotRun extends Exception {
        private static final long serialVersionUID = 1L;

        CannotRun(String reason) {
            super(reason);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EcrRegistryView ecr;
    private final Registry registry;
    private final Path cache;
    private final Map<String, Unpacked> unpacked = new ConcurrentHashMap<>();

    public Images(EcrRegistryView ecr, Registry registry, Path cache) {
        this.ecr = ecr;
        this.registry = registry;
        this.cache = cache;
    }

    Unpacked pull(String reference, String registryHost) throws CannotRun {
        String ref = reference.startsWith(registryHost + "/") ? reference.substring(registryHost.length() + 1) : reference;
        if (ref.contains("/") && ref.substring(0, ref.indexOf('/')).contains(":") || ref.startsWith("docker.io/")) {
            throw new CannotRun("CannotPullContainerError: " + reference + " is not in this emulator's ECR (" + registryHost + ")");
        }
        String name;
        String tag;
        if (ref.contains("@")) {
            name = ref.substring(0, ref.indexOf('@'));
            tag = ref.substring(ref.indexOf('@') + 1);
        } else {
            int colon = ref.lastIndexOf(':');
            name = colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
            tag = colon > ref.lastIndexOf('/') ? ref.substring(colon + 1) : "latest";
        }
        EcrImage image = ecr.find(name, tag);
        if (image == null) {
            throw new CannotRun("CannotPullContainerError: " + reference + ": not found in the repository " + name);
        }
        Unpacked cached = unpacked.get(image.digest());
        if (cached != null) {
            return cached;
        }
        synchronized (this) {
            cached = unpacked.get(image.digest());
            if (cached != null) {
                return cached;
            }
            try {
                Path root = Files.createDirectories(cache.resolve(image.digest().substring(7)));
                for (String layer : image.layerDigests()) {
                    extract(registry.blobFile(layer), root);
                }
                JsonNode config = JSON.readTree(registry.blobFile(image.configDigest()).toFile()).path("config");
                Unpacked result = new Unpacked(root, strings(config.path("Entrypoint")), strings(config.path("Cmd")),
                        strings(config.path("Env")), config.path("WorkingDir").asText(""));
                unpacked.put(image.digest(), result);
                return result;
            } catch (IOException e) {
                throw new CannotRun("CannotPullContainerError: " + reference + ": " + e.getMessage());
            }
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    private static void extract(Path layer, Path root) throws IOException {
        try (InputStream file = Files.newInputStream(layer); InputStream gz = gzipOrPlain(file);
             TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    continue; // an entry that would escape the root is ignored
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0100) != 0) {
                        target.toFile().setExecutable(true);
                    }
                }
            }
        }
    }

    private static InputStream gzipOrPlain(InputStream in) throws IOException {
        java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(in);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(buffered) : buffered;
    }
}
