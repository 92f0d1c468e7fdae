package com.thephillymojo.ws.runbook.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.localstack.AwsTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * The ECR repository and the images in it. Tags are immutable: a tag names one build for good,
 * so a rollback to it gets the same bytes, and an image whose tag is already there is unchanged.
 */
public final class Registry {
    /** Untagged images go after a week; of the rest, the newest 30 stay (enough to roll back to). */
    static final String LIFECYCLE_POLICY = """
            {"rules":[
              {"rulePriority":1,"description":"untagged images go after 7 days",
               "selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},
               "action":{"type":"expire"}},
              {"rulePriority":2,"description":"keep the newest 30 images",
               "selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":30},
               "action":{"type":"expire"}}]}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cloud cloud;

    public Registry(Cloud cloud) {
        this.cloud = cloud;
    }

    public Optional<Repository> find(String name) {
        try {
            return Optional.of(cloud.ecr.describeRepositories(r -> r.repositoryNames(name)).repositories().get(0));
        } catch (RepositoryNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The repository: scan on push, immutable tags, the lifecycle policy. */
    public Outcome ensureRepository(String name) {
        Optional<Repository> found = find(name);
        if (found.isEmpty()) {
            if (cloud.planning()) {
                return cloud.report(Outcome.wouldCreate("ecr repository", name, "scan on push, immutable tags, lifecycle policy"));
            }
            Repository made = cloud.ecr.createRepository(r -> r.repositoryName(name).imageTagMutability(ImageTagMutability.IMMUTABLE)
                    .imageScanningConfiguration(c -> c.scanOnPush(true))).repository();
            cloud.ecr.putLifecyclePolicy(r -> r.repositoryName(name).lifecyclePolicyText(LIFECYCLE_POLICY));
            record(name, made);
            return cloud.report(Outcome.created("ecr repository", name, made.repositoryUri()));
        }
        Repository repo = found.get();
        record(name, repo);
        List<String> differences = new ArrayList<>();
        if (repo.imageScanningConfiguration() == null || !Boolean.TRUE.equals(repo.imageScanningConfiguration().scanOnPush())) {
            differences.add("scan on push turned on");
        }
        if (repo.imageTagMutability() != ImageTagMutability.IMMUTABLE) {
            differences.add("tags made immutable");
        }
        if (!lifecyclePolicy(name).map(Registry::parse).equals(Optional.of(parse(LIFECYCLE_POLICY)))) {
            differences.add("lifecycle policy set");
        }
        if (differences.isEmpty()) {
            return cloud.report(Outcome.unchanged("ecr repository", name));
        }
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldChange("ecr repository", name, String.join(", ", differences)));
        }
        cloud.ecr.putImageScanningConfiguration(r -> r.repositoryName(name).imageScanningConfiguration(c -> c.scanOnPush(true)));
        cloud.ecr.putImageTagMutability(r -> r.repositoryName(name).imageTagMutability(ImageTagMutability.IMMUTABLE));
        cloud.ecr.putLifecyclePolicy(r -> r.repositoryName(name).lifecyclePolicyText(LIFECYCLE_POLICY));
        return cloud.report(Outcome.changed("ecr repository", name, String.join(", ", differences)));
    }

    /** The server's image under {@code tag}: built with Jib from the server's build and pushed when the tag is not there yet. */
    public Outcome ensureImage(String repositoryName, String tag) {
        String kind = "image";
        Optional<Repository> repo = find(repositoryName);
        Optional<String> digest = repo.flatMap(r -> digestOf(repositoryName, tag));
        if (digest.isPresent()) {
            cloud.state.put("image." + tag, repo.get().repositoryUri() + "@" + digest.get());
            return cloud.report(Outcome.unchanged(kind, repositoryName + ":" + tag));
        }
        String detail = "built with Jib on " + cloud.settings.imageBase() + " from " + cloud.environment.serverBuild();
        if (cloud.planning()) {
            return cloud.report(Outcome.wouldCreate(kind, repositoryName + ":" + tag, detail));
        }
        AuthorizationData auth = cloud.ecr.getAuthorizationToken().authorizationData().get(0);
        String password = new String(Base64.getDecoder().decode(auth.authorizationToken()), StandardCharsets.UTF_8).substring("AWS:".length());
        boolean local = cloud.target.kind() != AwsTarget.Kind.AWS;
        try {
            ServerImage.Pushed pushed = ServerImage.build(cloud.environment.serverBuild(), cloud.settings.imageBase(), repo.orElseThrow().repositoryUri(), tag,
                    "AWS", password, local);
            cloud.state.put("image." + tag, repo.get().repositoryUri() + "@" + pushed.digest());
            return cloud.report(Outcome.created(kind, repositoryName + ":" + tag, pushed.digest() + ", " + detail));
        } catch (Exception e) {
            throw new IllegalStateException("building or pushing " + repositoryName + ":" + tag + " failed: " + e.getMessage(), e);
        }
    }

    /** The image reference a task definition names for {@code tag}. */
    public String reference(String repositoryName, String tag) {
        return cloud.require(find(repositoryName).map(r -> r.repositoryUri()), "the repository " + repositoryName) + ":" + tag;
    }

    public Optional<String> digestOf(String repositoryName, String tag) {
        try {
            return cloud.ecr.describeImages(r -> r.repositoryName(repositoryName).imageIds(ImageIdentifier.builder().imageTag(tag).build()))
                    .imageDetails().stream().findFirst().map(d -> d.imageDigest());
        } catch (ImageNotFoundException | RepositoryNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Deletes the repository with every image in it. */
    public Outcome destroyRepository(String name) {
        return cloud.delete("ecr repository", name, find(name).isPresent(), "with its images", () -> {
            cloud.ecr.deleteRepository(r -> r.repositoryName(name).force(true));
            cloud.state.forget("repository.");
            cloud.state.forget("image.");
        });
    }

    private Optional<String> lifecyclePolicy(String name) {
        try {
            return Optional.ofNullable(cloud.ecr.getLifecyclePolicy(r -> r.repositoryName(name)).lifecyclePolicyText());
        } catch (LifecyclePolicyNotFoundException e) {
            return Optional.empty();
        }
    }

    private void record(String name, Repository repo) {
        cloud.state.put("repository.name", name);
        cloud.state.put("repository.uri", repo.repositoryUri());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a lifecycle policy is not JSON: " + e.getMessage(), e);
        }
    }
}
