package com.thephillymojo.ws.runbook.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.runbook.State;
import com.thephillymojo.ws.runbook.infra.Caches;
import com.thephillymojo.ws.runbook.infra.Certificates;
import com.thephillymojo.ws.runbook.infra.Cloud;
import com.thephillymojo.ws.runbook.infra.Containers;
import com.thephillymojo.ws.runbook.infra.Dns;
import com.thephillymojo.ws.runbook.infra.LoadBalancing;
import com.thephillymojo.ws.runbook.infra.Registry;
import com.thephillymojo.ws.runbook.infra.Secrets;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * The environment as the dashboard shows it, read through the runbook's own actions and clients
 * (in plan mode): one JSON document with a section per part of the deployment. A section that
 * cannot be read says why (AWS's code and message) and the others are still shown. Secrets appear
 * by name and date only: their values are never read.
 */
final class Overview {
    private static final ObjectMapper JSON = Json.MAPPER;
    static final int EVENTS = 12;

    private final Cloud cloud;
    private final Containers containers;
    private final LoadBalancing loadBalancing;
    private final Certificates certificates;
    private final Caches caches;
    private final Registry registry;
    private final Secrets secrets;
    /** A revision's image, read once: a task definition revision never changes. */
    private final java.util.Map<String, String> imageOfRevision = new java.util.concurrent.ConcurrentHashMap<>();

    Overview(Cloud cloud) {
        this.cloud = cloud;
        loadBalancing = new LoadBalancing(cloud);
        containers = new Containers(cloud, loadBalancing);
        certificates = new Certificates(cloud, new Dns(cloud));
        secrets = new Secrets(cloud);
        caches = new Caches(cloud, secrets);
        registry = new Registry(cloud);
    }

    /** The whole document, read now; {@code recorded} names what apply made. */
    ObjectNode read(State recorded) {
        ObjectNode doc = JSON.createObjectNode();
        Optional<String> cluster = recorded.get("name.cluster");
        Optional<String> serviceName = recorded.get("name.service");
        Optional<Service> service = Optional.empty();
        try {
            service = cluster.flatMap(c -> serviceName.flatMap(s -> containers.service(c, s)));
        } catch (SdkException e) {
            doc.set("service", failed("service", e));
        }
        if (service.isPresent()) {
            Service s = service.get();
            section(doc, "service", () -> service(s, recorded));
            section(doc, "tasks", () -> tasks(cluster.orElseThrow(), s));
            section(doc, "targets", () -> targets(s));
            doc.set("events", events(s));
        } else if (!doc.has("service")) {
            doc.set("service", absent(serviceName.isEmpty() || cluster.isEmpty() ? "the state file records no service: apply first"
                    : "no service " + serviceName.get() + " in cluster " + cluster.get() + ": apply first"));
        }
        recorded.get("name.loadBalancer").ifPresent(name -> section(doc, "loadBalancer", () -> loadBalancer(name)));
        section(doc, "certificate", this::certificate);
        recorded.get("name.cache").ifPresent(id -> section(doc, "cache", () -> cache(id)));
        section(doc, "secrets", () -> secrets(recorded));
        recorded.get("name.repository").ifPresent(repo -> section(doc, "images", () -> images(repo)));
        return doc;
    }

    private ObjectNode service(Service s, State recorded) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", s.serviceName());
        o.put("status", s.status());
        o.put("desired", s.desiredCount());
        o.put("running", s.runningCount());
        o.put("pending", s.pendingCount());
        o.put("taskDefinition", Containers.revisionOf(s.taskDefinition()));
        String image = imageOfRevision.computeIfAbsent(s.taskDefinition(), arn -> containers.describe(arn).containerDefinitions().get(0).image());
        o.put("image", image);
        String tag = image.substring(image.lastIndexOf(':') + 1);
        o.put("imageTag", tag);
        recorded.get("name.repository").flatMap(repo -> registry.digestOf(repo, tag)).ifPresent(d -> o.put("imageDigest", d));
        ArrayNode deployments = o.putArray("deployments");
        for (Deployment d : s.deployments()) {
            ObjectNode dep = deployments.addObject();
            dep.put("id", d.id());
            dep.put("status", d.status());
            dep.put("taskDefinition", Containers.revisionOf(d.taskDefinition()));
            dep.put("desired", d.desiredCount());
            dep.put("running", d.runningCount());
            dep.put("pending", d.pendingCount());
            dep.put("failed", d.failedTasks() == null ? 0 : d.failedTasks());
            dep.put("rolloutState", d.rolloutStateAsString());
            dep.put("rolloutStateReason", d.rolloutStateReason());
            time(dep, "createdAt", d.createdAt());
            time(dep, "updatedAt", d.updatedAt());
        }
        return o;
    }

    private ArrayNode tasks(String cluster, Service s) {
        ArrayNode list = JSON.createArrayNode();
        List<String> arns = cloud.ecs.listTasks(r -> r.cluster(cluster).serviceName(s.serviceName())).taskArns();
        if (arns.isEmpty()) {
            return list;
        }
        List<Task> tasks = cloud.ecs.describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks().stream()
                .sorted(Comparator.comparing(Task::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))).toList();
        for (Task t : tasks) {
            ObjectNode o = list.addObject();
            o.put("id", t.taskArn().substring(t.taskArn().lastIndexOf('/') + 1));
            o.put("taskDefinition", Containers.revisionOf(t.taskDefinitionArn()));
            o.put("availabilityZone", t.availabilityZone());
            Map<String, String> eni = new HashMap<>();
            t.attachments().stream().filter(a -> "ElasticNetworkInterface".equals(a.type()))
                    .flatMap(a -> a.details().stream()).forEach((KeyValuePair d) -> eni.put(d.name(), d.value()));
            o.put("subnet", eni.get("subnetId"));
            o.put("privateIp", eni.get("privateIPv4Address"));
            o.put("lastStatus", t.lastStatus());
            o.put("desiredStatus", t.desiredStatus());
            o.put("health", t.healthStatusAsString());
            time(o, "startedAt", t.startedAt());
            if (t.stoppedReason() != null) {
                o.put("stoppedReason", t.stoppedReason());
            }
        }
        return list;
    }

    private ArrayNode targets(Service s) {
        ArrayNode list = JSON.createArrayNode();
        if (s.loadBalancers().isEmpty()) {
            return list;
        }
        for (Map.Entry<String, TargetHealthDescription> e : loadBalancing.targetHealth(s.loadBalancers().get(0).targetGroupArn()).entrySet()) {
            var h = e.getValue().targetHealth();
            ObjectNode o = list.addObject();
            o.put("target", e.getKey());
            o.put("state", h.stateAsString());
            o.put("reason", h.reasonAsString());
            o.put("description", h.description());
        }
        return list;
    }

    private static ArrayNode events(Service s) {
        ArrayNode list = JSON.createArrayNode();
        s.events().stream().limit(EVENTS).forEach(e -> {
            ObjectNode o = list.addObject();
            time(o, "at", e.createdAt());
            o.put("message", e.message());
        });
        return list;
    }

    private ObjectNode loadBalancer(String name) {
        Optional<LoadBalancer> found = loadBalancing.find(name);
        if (found.isEmpty()) {
            return absent("no load balancer " + name);
        }
        LoadBalancer lb = found.get();
        ObjectNode o = JSON.createObjectNode();
        o.put("name", lb.loadBalancerName());
        o.put("dnsName", lb.dnsName());
        o.put("scheme", lb.schemeAsString());
        o.put("state", lb.state() == null ? null : lb.state().codeAsString());
        cloud.elb.describeLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())).attributes().stream()
                .filter(a -> a.key().equals("idle_timeout.timeout_seconds")).findFirst()
                .ifPresent(a -> o.put("idleTimeoutSeconds", Integer.parseInt(a.value())));
        ArrayNode listeners = o.putArray("listeners");
        cloud.elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners().stream()
                .sorted(Comparator.comparing(l -> l.port())).forEach(l -> {
                    ObjectNode x = listeners.addObject();
                    x.put("port", l.port());
                    x.put("protocol", l.protocolAsString());
                    x.put("action", l.defaultActions().isEmpty() ? null : l.defaultActions().get(0).typeAsString());
                    if (l.sslPolicy() != null) {
                        x.put("sslPolicy", l.sslPolicy());
                    }
                });
        return o;
    }

    private ObjectNode certificate() {
        String host = cloud.settings.host();
        return certificates.find(host).map(c -> {
            ObjectNode o = JSON.createObjectNode();
            o.put("domain", c.domainName());
            ArrayNode names = o.putArray("names");
            c.subjectAlternativeNames().forEach(names::add);
            o.put("status", c.statusAsString());
            time(o, "notAfter", c.notAfter());
            o.put("inUse", c.hasInUseBy() && !c.inUseBy().isEmpty());
            return o;
        }).orElseGet(() -> absent("no issued or pending certificate for " + host));
    }

    private ObjectNode cache(String id) {
        return caches.find(id).map(g -> {
            ObjectNode o = JSON.createObjectNode();
            o.put("id", g.replicationGroupId());
            o.put("status", g.status());
            o.put("engine", g.engine());
            o.put("nodeType", g.cacheNodeType());
            o.put("nodes", g.memberClusters().size());
            o.put("multiAz", g.multiAZAsString());
            o.put("transitEncryption", Boolean.TRUE.equals(g.transitEncryptionEnabled()));
            if (!g.nodeGroups().isEmpty() && g.nodeGroups().get(0).primaryEndpoint() != null) {
                var p = g.nodeGroups().get(0).primaryEndpoint();
                o.put("primaryEndpoint", p.address() + ":" + p.port());
                var reader = g.nodeGroups().get(0).readerEndpoint();
                if (reader != null) {
                    o.put("readerEndpoint", reader.address() + ":" + reader.port());
                }
            }
            return o;
        }).orElseGet(() -> absent("no cache " + id));
    }

    /** Names and dates, never values. */
    private ArrayNode secrets(State recorded) {
        ArrayNode list = JSON.createArrayNode();
        List<String> names = new java.util.ArrayList<>(List.of(cloud.settings.secretName()));
        recorded.get("name.cacheSecret").ifPresent(names::add);
        for (String name : names) {
            ObjectNode o = list.addObject();
            o.put("name", name);
            secrets.find(name).ifPresentOrElse(d -> {
                o.put("exists", d.deletedDate() == null);
                time(o, "lastChanged", d.lastChangedDate());
            }, () -> o.put("exists", false));
        }
        return list;
    }

    /** The repository's images, newest first: what deploy can roll out without a build. */
    private ArrayNode images(String repository) {
        ArrayNode list = JSON.createArrayNode();
        List<ImageDetail> images = cloud.ecr.describeImagesPaginator(r -> r.repositoryName(repository)).imageDetails().stream()
                .sorted(Comparator.comparing(ImageDetail::imagePushedAt, Comparator.nullsLast(Comparator.reverseOrder()))).limit(50).toList();
        for (ImageDetail d : images) {
            ObjectNode o = list.addObject();
            ArrayNode tags = o.putArray("tags");
            d.imageTags().forEach(tags::add);
            o.put("digest", d.imageDigest());
            time(o, "pushedAt", d.imagePushedAt());
            o.put("sizeBytes", d.imageSizeInBytes());
        }
        return list;
    }

    private void section(ObjectNode doc, String name, Supplier<? extends com.fasterxml.jackson.databind.JsonNode> read) {
        try {
            doc.set(name, read.get());
        } catch (SdkException e) {
            doc.set(name, failed(name, e));
        }
    }

    /** A section that could not be read: {"error": {service, code, message}} as AWS (or the SDK, for a network failure) said. */
    ObjectNode failed(String section, SdkException e) {
        ObjectNode o = JSON.createObjectNode();
        o.set("error", Json.failure(Operator.Failure.of("read " + section, Optional.of(e), cloud.environment.variables())));
        return o;
    }

    private static ObjectNode absent(String why) {
        ObjectNode o = JSON.createObjectNode();
        o.put("absent", why);
        return o;
    }

    private static void time(ObjectNode o, String field, Instant at) {
        if (at != null) {
            o.put(field, at.toString());
        }
    }
}
