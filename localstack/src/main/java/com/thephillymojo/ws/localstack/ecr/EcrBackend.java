package com.thephillymojo.ws.localstack.ecr;

import com.thephillymojo.ws.localstack.Arns;
import com.thephillymojo.ws.localstack.AwsException;
import com.thephillymojo.ws.localstack.Page;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecr.model.*;

/**
 * ECR in one region: repositories, their images (shared with the {@code registry} that serves
 * them over the OCI distribution API), lifecycle policies, scanning and tag-mutability settings,
 * tags, and the authorization tokens the registry accepts.
 */
public final class EcrBackend {
    private static final Pattern NAME = Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");

    /** One repository and everything in it. Guarded by the backend's monitor. */
    static final class Repo {
        Repository repository;
        final Map<String, EcrImage> images = new LinkedHashMap<>();   // digest → image
        final Map<String, String> tags = new LinkedHashMap<>();       // tag → digest
        final List<Tag> resourceTags = new ArrayList<>();
        String lifecyclePolicy;
    }

    private final String region;
    private final String account;
    private final java.util.function.Supplier<String> registryHost;
    private final Map<String, Repo> repos = new LinkedHashMap<>();
    private final java.util.Map<String, String> passwords;
    private final SecureRandom random = new SecureRandom();

    public EcrBackend(String region, String account, java.util.function.Supplier<String> registryHost, java.util.Map<String, String> passwords) {
        this.region = region;
        this.account = account;
        this.registryHost = registryHost;
        this.passwords = passwords;
    }

    /** The registry passwords GetAuthorizationToken handed out, each with the access key it was handed to. */
    public static java.util.Map<String, String> newPasswordStore() {
        return new ConcurrentHashMap<>();
    }

    // ---- repositories --------------------------------------------------------------------------

    public synchronized CreateRepositoryResponse createRepository(CreateRepositoryRequest r) {
        String name = AwsException.require(r.repositoryName(), "repositoryName");
        if (name.length() < 2 || name.length() > 256 || !NAME.matcher(name).matches()) {
            throw new AwsException("InvalidParameterException", "Invalid parameter at 'repositoryName' failed to satisfy constraint: "
                    + "'must satisfy regular expression '" + NAME.pattern() + "''");
        }
        if (repos.containsKey(name)) {
            throw new AwsException("RepositoryAlreadyExistsException", "The repository with name '" + name
                    + "' already exists in the registry with id '" + account + "'");
        }
        Repo repo = new Repo();
        repo.repository = Repository.builder()
                .repositoryArn(Arns.of("ecr", region, account, "repository/" + name))
                .registryId(account)
                .repositoryName(name)
                .repositoryUri(registryHost.get() + "/" + name)
                .createdAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .imageTagMutability(r.imageTagMutability() == null ? ImageTagMutability.MUTABLE : r.imageTagMutability())
                .imageScanningConfiguration(r.imageScanningConfiguration() == null
                        ? ImageScanningConfiguration.builder().scanOnPush(false).build() : r.imageScanningConfiguration())
                .encryptionConfiguration(r.encryptionConfiguration() == null
                        ? EncryptionConfiguration.builder().encryptionType(EncryptionType.AES256).build() : r.encryptionConfiguration())
                .build();
        repo.resourceTags.addAll(r.tags());
        repos.put(name, repo);
        return CreateRepositoryResponse.builder().repository(repo.repository).build();
    }

    public synchronized DescribeRepositoriesResponse describeRepositories(DescribeRepositoriesRequest r) {
        List<Repository> found = new ArrayList<>();
        if (r.hasRepositoryNames() && !r.repositoryNames().isEmpty()) {
            for (String name : r.repositoryNames()) {
                found.add(repo(name).repository);
            }
        } else {
            repos.values().forEach(repo -> found.add(repo.repository));
        }
        if (r.maxResults() != null && (r.maxResults() < 1 || r.maxResults() > 1000)) {
            throw new AwsException("InvalidParameterException", "maxResults must be between 1 and 1000");
        }
        Page<Repository> page = Page.of(found, r.nextToken(), r.maxResults(), 1000);
        return DescribeRepositoriesResponse.builder().repositories(page.items()).nextToken(page.nextToken()).build();
    }

    public synchronized DeleteRepositoryResponse deleteRepository(DeleteRepositoryRequest r) {
        Repo repo = repo(AwsException.require(r.repositoryName(), "repositoryName"));
        if (!repo.images.isEmpty() && !Boolean.TRUE.equals(r.force())) {
            throw new AwsException("RepositoryNotEmptyException", "The repository with name '" + r.repositoryName()
                    + "' in registry with id '" + account + "' cannot be deleted because it still contains images");
        }
        repos.remove(r.repositoryName());
        return DeleteRepositoryResponse.builder().repository(repo.repository).build();
    }

    Repo repo(String name) {
        Repo repo = repos.get(name);
        if (repo == null) {
            throw new AwsException("RepositoryNotFoundException", "The repository with name '" + name
                    + "' does not exist in the registry with id '" + account + "'");
        }
        return repo;
    }

    /** For the registry: the repository of this name, if it exists. */
    synchronized Repo findRepo(String name) {
        return repos.get(name);
    }

    // ---- auth ----------------------------------------------------------------------------------

    public GetAuthorizationTokenResponse getAuthorizationToken(GetAuthorizationTokenRequest r, com.thephillymojo.ws.localstack.RequestContext context) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        passwords.put(password, context.accessKeyId());
        String token = Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
        return GetAuthorizationTokenResponse.builder().authorizationData(AuthorizationData.builder()
                .authorizationToken(token).proxyEndpoint("http://" + registryHost.get())
                .expiresAt(Instant.now().plus(12, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)).build()).build();
    }

    // ---- images --------------------------------------------------------------------------------

    /** For the registry: stores a pushed manifest under its digest and, if given, a tag. */
    synchronized void putImage(String repositoryName, EcrImage image, String tag) {
        Repo repo = repo(repositoryName);
        if (tag != null) {
            String existing = repo.tags.get(tag);
            if (existing != null && !existing.equals(image.digest())
                    && repo.repository.imageTagMutability() == ImageTagMutability.IMMUTABLE) {
                throw new AwsException("ImageTagAlreadyExistsException", "The image tag '" + tag + "' already exists in the '"
                        + repositoryName + "' repository and cannot be overwritten because the repository is immutable.");
            }
        }
        repo.images.putIfAbsent(image.digest(), image);
        if (tag != null) {
            repo.tags.put(tag, image.digest());
        }
    }

    /** For the registry: the image a tag or digest names, or null. */
    synchronized EcrImage findImage(String repositoryName, String reference) {
        Repo repo = repos.get(repositoryName);
        if (repo == null) {
            return null;
        }
        String digest = reference.startsWith("sha256:") ? reference : repo.tags.get(reference);
        return digest == null ? null : repo.images.get(digest);
    }

    /** Every blob digest some image still names (so the registry keeps them). */
    synchronized Set<String> referencedBlobs() {
        Set<String> digests = new java.util.HashSet<>();
        for (Repo repo : repos.values()) {
            for (EcrImage image : repo.images.values()) {
                digests.add(image.configDigest());
                digests.addAll(image.layerDigests());
            }
        }
        return digests;
    }

    private List<String> tagsOf(Repo repo, String digest) {
        List<String> tags = new ArrayList<>();
        repo.tags.forEach((t, d) -> {
            if (d.equals(digest)) {
                tags.add(t);
            }
        });
        return tags;
    }

    private EcrImage resolve(Repo repo, ImageIdentifier id) {
        String digest = id.imageDigest() != null ? id.imageDigest() : id.imageTag() == null ? null : repo.tags.get(id.imageTag());
        if (digest == null || (id.imageTag() != null && !digest.equals(repo.tags.get(id.imageTag())))) {
            return null; // no such image, or a tag and a digest that name different images
        }
        return repo.images.get(digest);
    }

    public synchronized DescribeImagesResponse describeImages(DescribeImagesRequest r) {
        Repo repo = repo(AwsException.require(r.repositoryName(), "repositoryName"));
        List<ImageDetail> details = new ArrayList<>();
        List<EcrImage> images = new ArrayList<>();
        if (r.hasImageIds() && !r.imageIds().isEmpty()) {
            for (ImageIdentifier id : r.imageIds()) {
                EcrImage image = resolve(repo, id);
                if (image == null) {
                    throw new AwsException("ImageNotFoundException", "The image with imageId " + describe(id)
                            + " does not exist within the repository with name '" + r.repositoryName() + "' in the registry with id '"
                            + account + "'");
                }
                images.add(image);
            }
        } else {
            images.addAll(repo.images.values());
        }
        for (EcrImage image : images) {
            List<String> tags = tagsOf(repo, image.digest());
            if (r.filter() != null && r.filter().tagStatus() == TagStatus.TAGGED && tags.isEmpty()
                    || r.filter() != null && r.filter().tagStatus() == TagStatus.UNTAGGED && !tags.isEmpty()) {
                continue;
            }
            details.add(ImageDetail.builder().registryId(account).repositoryName(r.repositoryName()).imageDigest(image.digest())
                    .imageTags(tags.isEmpty() ? null : tags).imageSizeInBytes(image.sizeInBytes()).imagePushedAt(image.pushedAt())
                    .imageManifestMediaType(image.mediaType()).artifactMediaType(configMediaType(image)).build());
        }
        Page<ImageDetail> page = Page.of(details, r.nextToken(), r.maxResults(), 100);
        return DescribeImagesResponse.builder().imageDetails(page.items()).nextToken(page.nextToken()).build();
    }

    private static String configMediaType(EcrImage image) {
        return image.mediaType().contains("oci") ? "application/vnd.oci.image.config.v1+json"
                : "application/vnd.docker.container.image.v1+json";
    }

    private static String describe(ImageIdentifier id) {
        return "'{imageDigest:'" + id.imageDigest() + "', imageTag:'" + id.imageTag() + "'}'";
    }

    public synchronized ListImagesResponse listImages(ListImagesRequest r) {
        Repo repo = repo(AwsException.require(r.repositoryName(), "repositoryName"));
        List<ImageIdentifier> ids = new ArrayList<>();
        for (EcrImage image : repo.images.values()) {
            List<String> tags = tagsOf(repo, image.digest());
            TagStatus status = r.filter() == null ? null : r.filter().tagStatus();
            if (tags.isEmpty()) {
                if (status != TagStatus.TAGGED) {
                    ids.add(ImageIdentifier.builder().imageDigest(image.digest()).build());
                }
            } else if (status != TagStatus.UNTAGGED) {
                for (String tag : tags) {
                    ids.add(ImageIdentifier.builder().imageDigest(image.digest()).imageTag(tag).build());
                }
            }
        }
        Page<ImageIdentifier> page = Page.of(ids, r.nextToken(), r.maxResults(), 100);
        return ListImagesResponse.builder().imageIds(page.items()).nextToken(page.nextToken()).build();
    }

    private static ImageFailure notFound(ImageIdentifier id) {
        return ImageFailure.builder().imageId(id).failureCode(ImageFailureCode.IMAGE_NOT_FOUND).failureReason("Requested image not found").build();
    }

    public synchronized BatchGetImageResponse batchGetImage(BatchGetImageRequest r) {
        Repo repo = repo(AwsException.require(r.repositoryName(), "repositoryName"));
        List<Image> images = new ArrayList<>();
        List<ImageFailure> failures = new ArrayList<>();
        for (ImageIdentifier id : AwsException.require(r.imageIds(), "imageIds")) {
            EcrImage image = resolve(repo, id);
            if (image == null) {
                failures.add(notFound(id));
            } else {
                images.add(Image.builder().registryId(account).repositoryName(r.repositoryName())
                        .imageId(ImageIdentifier.builder().imageDigest(image.digest()).imageTag(id.imageTag()).build())
                        .imageManifest(new String(image.manifest(), StandardCharsets.UTF_8))
                        .imageManifestMediaType(image.mediaType()).build());
            }
        }
        return BatchGetImageResponse.builder().images(images).failures(failures).build();
    }

    public synchronized BatchDeleteImageResponse batchDeleteImage(BatchDeleteImageRequest r) {
        Repo repo = repo(AwsException.require(r.repositoryName(), "repositoryName"));
        List<ImageIdentifier> deleted = new ArrayList<>();
        List<ImageFailure> failures = new ArrayList<>();
        for (ImageIdentifier id : AwsException.require(r.imageIds(), "imageIds")) {
            EcrImage image = resolve(repo, id);
            if (image == null) {
                failures.add(notFound(id));
                continue;
            }
            if (id.imageTag() != null && id.imageDigest() == null) {
                repo.tags.remove(id.imageTag());
                deleted.add(ImageIdentifier.builder().imageDigest(image.digest()).imageTag(id.imageTag()).build());
                if (!tagsOf(repo, image.digest()).isEmpty()) {
                    continue;
                }
            } else {
                for (String tag : tagsOf(repo, image.digest())) {
                    repo.tags.remove(tag);
                    deleted.add(ImageIdentifier.builder().imageDigest(image.digest()).imageTag(tag).build());
                }
                if (deleted.stream().noneMatch(d -> d.imageDigest().equals(image.digest()))) {
                    deleted.add(ImageIdentifier.builder().imageDigest(image.digest()).build());
                }
            }
            repo.images.remove(image.digest());
        }
        return BatchDeleteImageResponse.builder().imageIds(deleted).failures(failures).build();
    }

    // ---- settings ------------------------------------------------------------------------------

    public synchronized PutLifecyclePolicyResponse putLifecyclePolicy(PutLifecyclePolicyRequest r) {
        Repo repo = repo(AwsException.require(r.repositoryName(), "repositoryName"));
        String text = AwsException.require(r.lifecyclePolicyText(), "lifecyclePolicyText");
        try {
            com.fasterxml.jackson.databind.JsonNode policy = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
            if (!policy.path("rules").isArray()) {
                throw new IllegalArgumentException();
            }
        } catch (Exception e) {
            throw new AwsException("InvalidParameterException", "Invalid parameter at 'LifecyclePolicyText' failed to satisfy "
                    + "constraint: 'Lifecycle policy validation failure: a policy has a \"rules\" array'");
        }
        repo.lifecyclePolicy = text;
        return PutLifecyclePolicyResponse.builder().registryId(account).repositoryName(r.repositoryName())
                .lifecyclePolicyText(text).build();
    }

    public synchronized GetLifecyclePolicyResponse getLifecyclePolicy(GetLifecyclePolicyRequest r) {
        Repo repo = repo(AwsException.require(r.repositoryName(), "repositoryName"));
        if (repo.lifecyclePolicy == null) {
            throw new AwsException("LifecyclePolicyNotFoundException", "Lifecycle policy does not exist for the repository with name '"
                    + r.repositoryName() + "' in the registry with id '" + account + "'");
        }
        return GetLifecyclePolicyResponse.builder().registryId(account).repositoryName(r.repositoryName())
                .lifecyclePolicyText(repo.lifecyclePolicy).lastEvaluatedAt(Instant.now().truncatedTo(ChronoUnit.SECONDS)).build();
    }

    public synchronized PutImageScanningConfigurationResponse putImageScanningConfiguration(PutImageScanningConfigurationRequest r) {
        Repo repo = repo(AwsException.require(r.repositoryName(), "repositoryName"));
        ImageScanningConfiguration config = AwsException.require(r.imageScanningConfiguration(), "imageScanningConfiguration");
        repo.repository = repo.repository.toBuilder().imageScanningConfiguration(config).build();
        return PutImageScanningConfigurationResponse.builder().registryId(account).repositoryName(r.repositoryName())
                .imageScanningConfiguration(config).build();
    }

    public synchronized PutImageTagMutabilityResponse putImageTagMutability(PutImageTagMutabilityRequest r) {
        Repo repo = repo(AwsException.require(r.repositoryName(), "repositoryName"));
        String mutability = AwsException.require(r.imageTagMutabilityAsString(), "imageTagMutability");
        if (ImageTagMutability.fromValue(mutability) == ImageTagMutability.UNKNOWN_TO_SDK_VERSION) {
            throw new AwsException("InvalidParameterException", "Invalid parameter at 'imageTagMutability': " + mutability);
        }
        repo.repository = repo.repository.toBuilder().imageTagMutability(mutability).build();
        return PutImageTagMutabilityResponse.builder().registryId(account).repositoryName(r.repositoryName())
                .imageTagMutability(mutability).build();
    }

    private Repo repoByArn(String arn) {
        for (Repo repo : repos.values()) {
            if (repo.repository.repositoryArn().equals(arn)) {
                return repo;
            }
        }
        throw new AwsException("InvalidParameterException", "Invalid parameter at 'resourceArn' failed to satisfy constraint: "
                + "'repository " + arn + " does not exist'");
    }

    public synchronized TagResourceResponse tagResource(TagResourceRequest r) {
        Repo repo = repoByArn(AwsException.require(r.resourceArn(), "resourceArn"));
        for (Tag tag : r.tags()) {
            repo.resourceTags.removeIf(t -> t.key().equals(tag.key()));
            repo.resourceTags.add(tag);
        }
        return TagResourceResponse.builder().build();
    }

    public synchronized UntagResourceResponse untagResource(UntagResourceRequest r) {
        Repo repo = repoByArn(AwsException.require(r.resourceArn(), "resourceArn"));
        repo.resourceTags.removeIf(t -> r.tagKeys().contains(t.key()));
        return UntagResourceResponse.builder().build();
    }

    public synchronized ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest r) {
        Repo repo = repoByArn(AwsException.require(r.resourceArn(), "resourceArn"));
        return ListTagsForResourceResponse.builder().tags(repo.resourceTags).build();
    }

    public String registryHost() {
        return registryHost.get();
    }

    public String account() {
        return account;
    }
}
