package com.thephillymojo.ws.localstack.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.localstack.AwsException;
import com.thephillymojo.ws.localstack.ecr.EcrRegistryView;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OCI distribution API behind every ECR repository: {@code /v2/}, blobs (HEAD, GET, uploads
 * by POST/PATCH/PUT, monolithic or chunked, cross-repository mounts) and manifests (PUT, GET, HEAD
 * by tag or digest; Docker v2 and OCI media types). It accepts the passwords ECR's
 * GetAuthorizationToken hands out, as Basic auth for user {@code AWS}. Blobs live in files.
 */
public final class Registry {
    private static final Pattern BLOB = Pattern.compile("^/v2/(.+)/blobs/(sha256:[a-f0-9]{64})$");
    private static final Pattern UPLOADS = Pattern.compile("^/v2/(.+)/blobs/uploads/?$");
    private static final Pattern UPLOAD = Pattern.compile("^/v2/(.+)/blobs/uploads/([a-f0-9-]{36})$");
    private static final Pattern MANIFEST = Pattern.compile("^/v2/(.+)/manifests/([A-Za-z0-9_.:-]{1,128})$");

    /** An HTTP exchange, as the registry needs it (LocalAws adapts Jetty's). */
    public interface Exchange {
        String method();

        String path();

        String query(String name);

        String header(String name);

        InputStream body();

        void status(int status);

        void header(String name, String value);

        OutputStream output() throws IOException;
    }

    private final Path blobs;
    private final Path uploads;
    private final EcrRegistryView ecr;
    private final Map<String, String> passwords;
    private final Map<String, Upload> sessions = new ConcurrentHashMap<>();
    private final java.util.function.BiConsumer<String, String> served;
    private final Gate gate;

    /** Whether the key a token was handed to may make a registry call, as ECR authorises it (IAM, when enforced). */
    @FunctionalInterface
    public interface Gate {
        /** Empty when allowed; else AWS's message. */
        java.util.Optional<String> refusal(String accessKeyId, String action, String repository);
    }

    private record Upload(String repository, Path file) {
    }

    /**
     * {@code passwords}: ECR's tokens, each with the access key it was handed to; {@code served} hears
     * that key and the IAM action of every request (ECR authorises registry calls as ecr:PutImage, …),
     * which {@code gate} allows or refuses (403 {@code DENIED} with AWS's message).
     */
    public Registry(Path directory, EcrRegistryView ecr, Map<String, String> passwords, java.util.function.BiConsumer<String, String> served,
                    Gate gate) {
        this.served = served;
        this.gate = gate;
        this.blobs = directory.resolve("blobs");
        this.uploads = directory.resolve("uploads");
        this.ecr = ecr;
        this.passwords = passwords;
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(uploads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void handle(Exchange x) throws IOException {
        String principal = principal(x.header("Authorization"));
        if (principal == null) {
            x.header("WWW-Authenticate", "Basic realm=\"ecr\",service=\"ecr.amazonaws.com\"");
            error(x, 401, "UNAUTHORIZED", "authentication required: use the token ECR's GetAuthorizationToken hands out");
            return;
        }
        x.header("Docker-Distribution-API-Version", "registry/2.0");
        String path = x.path();
        if (path.equals("/v2/") || path.equals("/v2")) {
            json(x, 200, "{}");
            return;
        }
        // each request is also heard as the IAM action ECR authorises it as (its mapping of the distribution API)
        Matcher m;
        if ((m = UPLOADS.matcher(path)).matches() && x.method().equals("POST")) {
            if (allowed(x, principal, "ecr:InitiateLayerUpload", m.group(1))) {
                startUpload(x, m.group(1));
            }
        } else if ((m = UPLOAD.matcher(path)).matches()) {
            if (allowed(x, principal, x.method().equals("PUT") ? "ecr:CompleteLayerUpload" : "ecr:UploadLayerPart", m.group(1))) {
                upload(x, m.group(1), m.group(2));
            }
        } else if ((m = BLOB.matcher(path)).matches() && (x.method().equals("GET") || x.method().equals("HEAD"))) {
            if (allowed(x, principal, x.method().equals("HEAD") ? "ecr:BatchCheckLayerAvailability" : "ecr:GetDownloadUrlForLayer", m.group(1))) {
                blob(x, m.group(1), m.group(2));
            }
        } else if ((m = MANIFEST.matcher(path)).matches()) {
            if (allowed(x, principal, x.method().equals("PUT") ? "ecr:PutImage" : "ecr:BatchGetImage", m.group(1))) {
                manifest(x, m.group(1), m.group(2));
            }
        } else {
            error(x, 404, "NOT_FOUND", "no such registry endpoint: " + x.method() + " " + path);
        }
    }

    /** Records the call as its action and answers 403 when the gate refuses it. */
    private boolean allowed(Exchange x, String principal, String action, String repository) throws IOException {
        served.accept(principal, action);
        java.util.Optional<String> refusal = gate.refusal(principal, action, repository);
        if (refusal.isPresent()) {
            error(x, 403, "DENIED", refusal.get());
            return false;
        }
        return true;
    }

    /** The access key whose token authorises the request; null when none does. */
    private String principal(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            return decoded.startsWith("AWS:") ? passwords.get(decoded.substring(4)) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private boolean repositoryExists(Exchange x, String name) throws IOException {
        if (!ecr.exists(name)) {
            error(x, 404, "NAME_UNKNOWN", "repository " + name + " not known to registry");
            return false;
        }
        return true;
    }

    // ---- blobs ---------------------------------------------------------------------------------

    /** Where a blob's bytes are (the data plane unpacks image layers from here). */
    public Path blobFile(String digest) {
        return blobs.resolve(digest.substring("sha256:".length()));
    }

    private void blob(Exchange x, String name, String digest) throws IOException {
        if (!repositoryExists(x, name)) {
            return;
        }
        Path file = blobFile(digest);
        if (!Files.exists(file)) {
            error(x, 404, "BLOB_UNKNOWN", "blob unknown to registry: " + digest);
            return;
        }
        x.status(200);
        x.header("Content-Type", "application/octet-stream");
        x.header("Docker-Content-Digest", digest);
        x.header("Content-Length", String.valueOf(Files.size(file)));
        if (x.method().equals("GET")) {
            try (OutputStream out = x.output()) {
                Files.copy(file, out);
            }
        } else {
            x.output().close();
        }
    }

    private void startUpload(Exchange x, String name) throws IOException {
        if (!repositoryExists(x, name)) {
            return;
        }
        String mount = x.query("mount");
        if (mount != null && Files.exists(blobFile(mount))) {
            x.status(201);
            x.header("Location", "/v2/" + name + "/blobs/" + mount);
            x.header("Docker-Content-Digest", mount);
            x.output().close();
            return;
        }
        String digest = x.query("digest");
        String id = UUID.randomUUID().toString();
        Path file = uploads.resolve(id);
        try (InputStream in = x.body()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (digest != null) {   // monolithic upload in one POST
            finish(x, name, file, digest);
            return;
        }
        sessions.put(id, new Upload(name, file));
        x.status(202);
        x.header("Location", "/v2/" + name + "/blobs/uploads/" + id);
        x.header("Docker-Upload-UUID", id);
        x.header("Range", "0-0");
        x.output().close();
    }

    private void upload(Exchange x, String name, String id) throws IOException {
        Upload upload = sessions.get(id);
        if (upload == null || !upload.repository().equals(name)) {
            error(x, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
            return;
        }
        switch (x.method()) {
            case "PATCH": {
                try (InputStream in = x.body(); OutputStream out = Files.newOutputStream(upload.file(), StandardOpenOption.APPEND)) {
                    in.transferTo(out);
                }
                long size = Files.size(upload.file());
                x.status(202);
                x.header("Location", "/v2/" + name + "/blobs/uploads/" + id);
                x.header("Docker-Upload-UUID", id);
                x.header("Range", "0-" + Math.max(0, size - 1));
                x.output().close();
                return;
            }
            case "PUT": {
                try (InputStream in = x.body(); OutputStream out = Files.newOutputStream(upload.file(), StandardOpenOption.APPEND)) {
                    in.transferTo(out);
                }
                sessions.remove(id);
                String digest = x.query("digest");
                if (digest == null) {
                    Files.deleteIfExists(upload.file());
                    error(x, 400, "DIGEST_INVALID", "the upload's closing PUT names no digest");
                    return;
                }
                finish(x, name, upload.file(), digest);
                return;
            }
            case "DELETE":
                sessions.remove(id);
                Files.deleteIfExists(upload.file());
                x.status(204);
                x.output().close();
                return;
            default:
                error(x, 405, "UNSUPPORTED", x.method() + " on an upload");
        }
    }

    private void finish(Exchange x, String name, Path file, String digest) throws IOException {
        String actual = "sha256:" + sha256(file);
        if (!actual.equals(digest)) {
            Files.deleteIfExists(file);
            error(x, 400, "DIGEST_INVALID", "provided digest " + digest + " does not match content " + actual);
            return;
        }
        Files.move(file, blobFile(digest), StandardCopyOption.REPLACE_EXISTING);
        x.status(201);
        x.header("Location", "/v2/" + name + "/blobs/" + digest);
        x.header("Docker-Content-Digest", digest);
        x.output().close();
    }

    // ---- manifests -----------------------------------------------------------------------------

    private void manifest(Exchange x, String name, String reference) throws IOException {
        if (!repositoryExists(x, name)) {
            return;
        }
        switch (x.method()) {
            case "GET":
            case "HEAD": {
                var image = ecr.find(name, reference);
                if (image == null) {
                    error(x, 404, "MANIFEST_UNKNOWN", "manifest unknown: " + reference);
                    return;
                }
                x.status(200);
                x.header("Content-Type", image.mediaType());
                x.header("Docker-Content-Digest", image.digest());
                x.header("Content-Length", String.valueOf(image.manifest().length));
                try (OutputStream out = x.output()) {
                    if (x.method().equals("GET")) {
                        out.write(image.manifest());
                    }
                }
                return;
            }
            case "PUT":
                putManifest(x, name, reference);
                return;
            default:
                error(x, 405, "UNSUPPORTED", x.method() + " on a manifest");
        }
    }

    private void putManifest(Exchange x, String name, String reference) throws IOException {
        byte[] bytes;
        try (InputStream in = x.body()) {
            bytes = in.readAllBytes();
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
        if (reference.startsWith("sha256:") && !reference.equals(digest)) {
            error(x, 400, "DIGEST_INVALID", "manifest digest " + digest + " does not match " + reference);
            return;
        }
        JsonNode manifest;
        try {
            manifest = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            error(x, 400, "MANIFEST_INVALID", "the manifest is not JSON");
            return;
        }
        String mediaType = x.header("Content-Type");
        if (mediaType == null || mediaType.isBlank()) {
            mediaType = manifest.path("mediaType").asText("application/vnd.oci.image.manifest.v1+json");
        }
        mediaType = mediaType.split(";")[0].trim();
        String config = manifest.path("config").path("digest").asText(null);
        List<String> layers = new ArrayList<>();
        long size = bytes.length;
        for (JsonNode layer : manifest.path("layers")) {
            layers.add(layer.path("digest").asText());
            size += layer.path("size").asLong();
        }
        List<String> missing = new ArrayList<>();
        if (config != null && !Files.exists(blobFile(config))) {
            missing.add(config);
        }
        for (String layer : layers) {
            if (!Files.exists(blobFile(layer))) {
                missing.add(layer);
            }
        }
        if (!missing.isEmpty()) {
            error(x, 400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry: " + missing.get(0));
            return;
        }
        String tag = reference.startsWith("sha256:") ? null : reference;
        try {
            ecr.put(name, new com.thephillymojo.ws.localstack.ecr.EcrImage(digest, mediaType, bytes, size,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS), config, layers), tag);
        } catch (AwsException e) {
            error(x, 400, "TAG_INVALID", e.getMessage());
            return;
        }
        x.status(201);
        x.header("Location", "/v2/" + name + "/manifests/" + digest);
        x.header("Docker-Content-Digest", digest);
        x.output().close();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void error(Exchange x, int status, String code, String message) throws IOException {
        json(x, status, "{\"errors\":[{\"code\":\"" + code + "\",\"message\":" + Json.MAPPER.writeValueAsString(message) + "}]}");
    }

    private static void json(Exchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.status(status);
        x.header("Content-Type", "application/json");
        x.header("Content-Length", String.valueOf(bytes.length));
        try (OutputStream out = x.output()) {
            if (!x.method().equals("HEAD")) {
                out.write(bytes);
            }
        }
    }

    /** Jackson, loaded on first use rather than with the class (the emulator's cold start). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
