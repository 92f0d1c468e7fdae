package com.thephillymojo.ws.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;

/** jib-core pushes a small Java app to the emulated ECR; the registry serves it back; skopeo copies it out. */
class RegistryPushTest {
    private static LocalAws aws;
    private static EcrClient ecr;
    private static String password;

    @BeforeAll
    static void start() {
        System.setProperty("sendCredentialsOverHttp", "true"); // jib drops credentials over plain HTTP otherwise
        aws = LocalAws.start(0);
        ecr = Clients.of(EcrClient.builder(), aws);
        String token = ecr.getAuthorizationToken().authorizationData().get(0).authorizationToken();
        password = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).substring(4);
    }

    @AfterAll
    static void stop() {
        ecr.close();
        aws.close();
    }

    private static JibContainer push(String repository, String tag, Path app) throws Exception {
        return Jib.fromScratch()
                .addLayer(List.of(app), AbsoluteUnixPath.get("/app"))
                .setEntrypoint("java", "-cp", "/app", "Hello")
                .containerize(Containerizer.to(RegistryImage.named(aws.registryHost() + "/" + repository + ":" + tag)
                        .addCredential("AWS", password)).setAllowInsecureRegistries(true));
    }

    private static HttpResponse<byte[]> get(String path, String accept, boolean withAuth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + aws.registryHost() + path)).header("Accept", accept);
        if (withAuth) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void jibPushesAnImageThatEcrDescribesAndTheRegistryServesBack(@TempDir Path dir) throws Exception {
        ecr.createRepository(r -> r.repositoryName("hello"));
        Path app = dir.resolve("Hello.txt");
        Files.writeString(app, "hello from the emulated registry");
        JibContainer pushed = push("hello", "v1", app);
        String digest = pushed.getDigest().toString();

        ImageDetail detail = ecr.describeImages(r -> r.repositoryName("hello")).imageDetails().get(0);
        assertEquals(digest, detail.imageDigest());
        assertEquals(List.of("v1"), detail.imageTags());
        assertTrue(detail.imageSizeInBytes() > 0);

        String manifest = ecr.batchGetImage(r -> r.repositoryName("hello").imageIds(i -> i.imageTag("v1"))).images().get(0).imageManifest();
        HttpResponse<byte[]> byDigest = get("/v2/hello/manifests/" + digest, detail.imageManifestMediaType(), true);
        assertEquals(200, byDigest.statusCode());
        assertArrayEquals(manifest.getBytes(StandardCharsets.UTF_8), byDigest.body());
        assertEquals(digest, byDigest.headers().firstValue("Docker-Content-Digest").orElseThrow());
        assertEquals(401, get("/v2/hello/manifests/" + digest, detail.imageManifestMediaType(), false).statusCode());
        assertEquals(404, get("/v2/nope/manifests/v1", detail.imageManifestMediaType(), true).statusCode());

        // a repository with images is only deleted with force
        software.amazon.awssdk.services.ecr.model.RepositoryNotEmptyException notEmpty = org.junit.jupiter.api.Assertions.assertThrows(
                software.amazon.awssdk.services.ecr.model.RepositoryNotEmptyException.class, () -> ecr.deleteRepository(r -> r.repositoryName("hello")));
        assertEquals("RepositoryNotEmptyException", notEmpty.awsErrorDetails().errorCode());

        // a second repository gets the same layers by cross-repository mount
        ecr.createRepository(r -> r.repositoryName("hello-copy"));
        assertEquals(digest, push("hello-copy", "v1", app).getDigest().toString());
    }

    @Test
    void imagesAreListedTaggedAndDeleted(@TempDir Path dir) throws Exception {
        String arn = ecr.createRepository(r -> r.repositoryName("listing")).repository().repositoryArn();
        Path one = dir.resolve("a.txt");
        Files.writeString(one, "a");
        String digest = push("listing", "v1", one).getDigest().toString();
        push("listing", "latest", one);
        var ids = ecr.listImages(r -> r.repositoryName("listing")).imageIds();
        assertEquals(2, ids.size(), ids.toString());
        assertTrue(ids.stream().allMatch(i -> i.imageDigest().equals(digest)));
        ecr.tagResource(r -> r.resourceArn(arn).tags(software.amazon.awssdk.services.ecr.model.Tag.builder().key("team").value("ws").build()));
        assertEquals("ws", ecr.listTagsForResource(r -> r.resourceArn(arn)).tags().get(0).value());

        var untag = ecr.batchDeleteImage(r -> r.repositoryName("listing").imageIds(i -> i.imageTag("latest"), i -> i.imageTag("nope")));
        assertEquals("latest", untag.imageIds().get(0).imageTag());
        assertEquals("ImageNotFound", untag.failures().get(0).failureCodeAsString());
        assertEquals(List.of("v1"), ecr.describeImages(r -> r.repositoryName("listing")).imageDetails().get(0).imageTags());
        ecr.batchDeleteImage(r -> r.repositoryName("listing").imageIds(i -> i.imageDigest(digest)));
        assertTrue(ecr.listImages(r -> r.repositoryName("listing")).imageIds().isEmpty());
        ecr.deleteRepository(r -> r.repositoryName("listing"));
    }

    @Test
    void anImmutableTagRefusesAnOverwrite(@TempDir Path dir) throws Exception {
        ecr.createRepository(r -> r.repositoryName("frozen").imageTagMutability(ImageTagMutability.IMMUTABLE));
        Path one = dir.resolve("one.txt");
        Files.writeString(one, "one");
        String first = push("frozen", "release", one).getDigest().toString();
        Path two = dir.resolve("two.txt");
        Files.writeString(two, "two");
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> push("frozen", "release", two));
        assertTrue(String.valueOf(refused.getMessage()).contains("TAG_INVALID") || String.valueOf(refused.getCause()).contains("TAG_INVALID")
                || refused.toString().contains("cannot be overwritten"), refused.toString());
        assertEquals(first, ecr.describeImages(r -> r.repositoryName("frozen").imageIds(i -> i.imageTag("release")))
                .imageDetails().get(0).imageDigest());
    }

    @Test
    void skopeoCopiesThePushedImageOut(@TempDir Path dir) throws Exception {
        Path skopeo = Path.of("/usr/bin/skopeo");
        if (!Files.isExecutable(skopeo)) {
            System.err.println("RegistryPushTest: skopeo is not installed (Debian package 'skopeo'); skipping the copy-out");
        }
        assumeTrue(Files.isExecutable(skopeo), "skopeo is not installed (Debian package 'skopeo')");
        ecr.createRepository(r -> r.repositoryName("to-copy"));
        Path app = dir.resolve("app.txt");
        Files.writeString(app, "copy me");
        String digest = push("to-copy", "v1", app).getDigest().toString();
        Path out = dir.resolve("out");
        Process p = new ProcessBuilder(skopeo.toString(), "--insecure-policy", "copy", "--src-tls-verify=false",
                "--src-creds", "AWS:" + password, "docker://" + aws.registryHost() + "/to-copy:v1", "dir:" + out)
                .redirectErrorStream(true).redirectOutput(dir.resolve("skopeo.out").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "skopeo finished");
        String output = Files.readString(dir.resolve("skopeo.out"));
        assertEquals(0, p.exitValue(), output);
        assertTrue(Files.exists(out.resolve("manifest.json")), output);
        byte[] copied = Files.readAllBytes(out.resolve("manifest.json"));
        assertEquals(digest, "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(copied)));
    }
}
