package com.thephillymojo.ws.localstack.ecs;

import com.thephillymojo.ws.localstack.Arns;
import com.thephillymojo.ws.localstack.AwsException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.ecs.model.*;

/**
 * ECS in one region: clusters, task definitions and their revisions, services with their
 * deployments and events, and tasks. In this part tasks are modelled, not run: the data plane
 * (issue 6) reads the desired state from here and reports what really happens.
 */
public final class EcsBackend {
    private final String region;
    private final String account;
    private final Map<String, Cluster> clusters = new LinkedHashMap<>();              // name → cluster
    private final Map<String, List<TaskDefinition>> families = new LinkedHashMap<>();  // family → revisions (index = revision-1)
    private final Map<String, Map<String, Service>> services = new LinkedHashMap<>();  // cluster name → service name → service
    private final Map<String, String> serviceTokens = new LinkedHashMap<>();           // cluster/service → clientToken
    private final Map<String, Map<String, Task>> tasks = new LinkedHashMap<>();        // cluster name → task arn → task
    private final Map<String, List<Tag>> tags = new LinkedHashMap<>();                 // arn → tags

    /** A subnet's availability zone (EC2's), where a task placed in that subnet runs. */
    private final java.util.function.Function<String, Optional<String>> zoneOfSubnet;

    public EcsBackend(String region, String account, java.util.function.Function<String, Optional<String>> zoneOfSubnet) {
        this.region = region;
        this.account = account;
        this.zoneOfSubnet = zoneOfSubnet;
    }

    private String arn(String resource) {
        return Arns.of("ecs", region, account, resource);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- clusters ------------------------------------------------------------------------------

    public synchronized CreateClusterResponse createCluster(CreateClusterRequest r) {
        String name = r.clusterName() == null ? "default" : r.clusterName();
        if (!name.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new AwsException("InvalidParameterException", "Cluster name can only contain letters, numbers, hyphens and underscores.");
        }
        Cluster existing = clusters.get(name);
        if (existing != null && existing.status().equals("ACTIVE")) {
            return CreateClusterResponse.builder().cluster(existing).build();
        }
        Cluster cluster = Cluster.builder().clusterArn(arn("cluster/" + name)).clusterName(name).status("ACTIVE")
                .registeredContainerInstancesCount(0).runningTasksCount(0).pendingTasksCount(0).activeServicesCount(0)
                .capacityProviders(r.capacityProviders()).tags(r.tags()).settings(r.settings()).build();
        clusters.put(name, cluster);
        services.putIfAbsent(name, new LinkedHashMap<>());
        tasks.putIfAbsent(name, new LinkedHashMap<>());
        tags.put(cluster.clusterArn(), new ArrayList<>(r.tags()));
        return CreateClusterResponse.builder().cluster(cluster).build();
    }

    /** A cluster by name or ARN (default: "default"); ClusterNotFoundException otherwise. */
    private String clusterName(String nameOrArn) {
        String name = nameOrArn == null ? "default" : nameOrArn.contains(":cluster/") ? nameOrArn.substring(nameOrArn.indexOf(":cluster/") + 9) : nameOrArn;
        Cluster cluster = clusters.get(name);
        if (cluster == null || !cluster.status().equals("ACTIVE")) {
            throw new AwsException("ClusterNotFoundException", "Cluster not found.");
        }
        return name;
    }

    private Cluster withCounts(Cluster cluster) {
        String name = cluster.clusterName();
        long active = services.getOrDefault(name, Map.of()).values().stream().filter(s -> s.status().equals("ACTIVE")).count();
        long running = tasks.getOrDefault(name, Map.of()).values().stream().filter(t -> t.lastStatus().equals("RUNNING")).count();
        long pending = tasks.getOrDefault(name, Map.of()).values().stream()
                .filter(t -> !t.lastStatus().equals("RUNNING") && !t.lastStatus().equals("STOPPED")).count();
        return cluster.toBuilder().activeServicesCount((int) active).runningTasksCount((int) running).pendingTasksCount((int) pending).build();
    }

    public synchronized DescribeClustersResponse describeClusters(DescribeClustersRequest r) {
        List<Cluster> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        List<String> wanted = r.hasClusters() && !r.clusters().isEmpty() ? r.clusters() : List.of("default");
        for (String c : wanted) {
            String name = c.contains(":cluster/") ? c.substring(c.indexOf(":cluster/") + 9) : c;
            Cluster cluster = clusters.get(name);
            if (cluster == null) {
                failures.add(Failure.builder().arn(arn("cluster/" + name)).reason("MISSING").build());
            } else {
                found.add(withCounts(cluster));
            }
        }
        return DescribeClustersResponse.builder().clusters(found).failures(failures).build();
    }

    public synchronized ListClustersResponse listClusters(ListClustersRequest r) {
        List<String> arns = clusters.values().stream().filter(c -> c.status().equals("ACTIVE")).map(Cluster::clusterArn).toList();
        return page(arns, r.nextToken(), r.maxResults(), (items, next) -> ListClustersResponse.builder().clusterArns(items).nextToken(next).build());
    }

    public synchronized DeleteClusterResponse deleteCluster(DeleteClusterRequest r) {
        String name = clusterName(AwsException.require(r.cluster(), "cluster"));
        if (services.get(name).values().stream().anyMatch(s -> !s.status().equals("INACTIVE"))) {
            throw new AwsException("ClusterContainsServicesException",
                    "The Cluster cannot be deleted while Services are active.");
        }
        if (tasks.get(name).values().stream().anyMatch(t -> !t.lastStatus().equals("STOPPED"))) {
            throw new AwsException("ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active.");
        }
        Cluster inactive = clusters.get(name).toBuilder().status("INACTIVE").build();
        clusters.put(name, inactive);
        return DeleteClusterResponse.builder().cluster(inactive).build();
    }

    // ---- task definitions ------------------------------------------------------------------------

    public synchronized RegisterTaskDefinitionResponse registerTaskDefinition(RegisterTaskDefinitionRequest r) {
        String family = AwsException.require(r.family(), "family");
        if (!family.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new AwsException("ClientException", "Family contains invalid characters.");
        }
        if (!r.hasContainerDefinitions() || r.containerDefinitions().isEmpty()) {
            throw new AwsException("ClientException", "Container list cannot be empty.");
        }
        for (ContainerDefinition c : r.containerDefinitions()) {
            if (c.name() == null || c.image() == null) {
                throw new AwsException("ClientException", "Container.name and Container.image should not be null or empty.");
            }
        }
        if (r.requiresCompatibilitiesAsStrings().contains("FARGATE")) {
            if (r.networkModeAsString() == null || !r.networkModeAsString().equals("awsvpc")) {
                throw new AwsException("ClientException", "Fargate only supports network mode 'awsvpc'.");
            }
            if (r.cpu() == null || r.memory() == null) {
                throw new AwsException("ClientException", "Fargate requires task definition to have cpu and memory values.");
            }
            if (!fargateSize(r.cpu(), r.memory())) {
                throw new AwsException("ClientException", "No Fargate configuration exists for given values: " + r.cpu() + " CPU, "
                        + r.memory() + " memory. See the Amazon ECS documentation for the valid values.");
            }
        }
        List<TaskDefinition> revisions = families.computeIfAbsent(family, f -> new ArrayList<>());
        int revision = revisions.size() + 1;
        TaskDefinition definition = TaskDefinition.builder()
                .taskDefinitionArn(arn("task-definition/" + family + ":" + revision)).family(family).revision(revision)
                .containerDefinitions(r.containerDefinitions()).taskRoleArn(r.taskRoleArn()).executionRoleArn(r.executionRoleArn())
                .networkMode(r.networkModeAsString()).volumes(r.volumes()).status(TaskDefinitionStatus.ACTIVE)
                .requiresCompatibilitiesWithStrings(r.requiresCompatibilitiesAsStrings().isEmpty() ? null : r.requiresCompatibilitiesAsStrings())
                .compatibilitiesWithStrings(r.requiresCompatibilitiesAsStrings().contains("FARGATE") ? List.of("EC2", "FARGATE") : List.of("EC2"))
                .cpu(r.cpu()).memory(r.memory()).runtimePlatform(r.runtimePlatform())
                .registeredAt(now()).registeredBy(Arns.of("iam", "", account, "root")).build();
        revisions.add(definition);
        tags.put(definition.taskDefinitionArn(), new ArrayList<>(r.tags()));
        return RegisterTaskDefinitionResponse.builder().taskDefinition(definition).tags(r.tags()).build();
    }

    /** family, family:revision or an ARN; the latest ACTIVE revision of a bare family. */
    public synchronized TaskDefinition taskDefinition(String reference) {
        String ref = reference.contains(":task-definition/") ? reference.substring(reference.indexOf(":task-definition/") + 17) : reference;
        String family = ref.contains(":") ? ref.substring(0, ref.indexOf(':')) : ref;
        List<TaskDefinition> revisions = families.get(family);
        if (revisions != null) {
            if (ref.contains(":")) {
                try {
                    int revision = Integer.parseInt(ref.substring(ref.indexOf(':') + 1));
                    if (revision >= 1 && revision <= revisions.size()) {
                        return revisions.get(revision - 1);
                    }
                } catch (NumberFormatException e) {
                    // not found below
                }
            } else {
                for (int i = revisions.size() - 1; i >= 0; i--) {
                    if (revisions.get(i).status() == TaskDefinitionStatus.ACTIVE) {
                        return revisions.get(i);
                    }
                }
            }
        }
        throw new AwsException("ClientException", "Unable to describe task definition.");
    }

    public synchronized DescribeTaskDefinitionResponse describeTaskDefinition(DescribeTaskDefinitionRequest r) {
        TaskDefinition definition = taskDefinition(AwsException.require(r.taskDefinition(), "taskDefinition"));
        return DescribeTaskDefinitionResponse.builder().taskDefinition(definition)
                .tags(r.includeAsStrings().contains("TAGS") ? tags.getOrDefault(definition.taskDefinitionArn(), List.of()) : null).build();
    }

    public synchronized ListTaskDefinitionsResponse listTaskDefinitions(ListTaskDefinitionsRequest r) {
        List<String> arns = new ArrayList<>();
        String status = r.statusAsString() == null ? "ACTIVE" : r.statusAsString();
        families.forEach((family, revisions) -> {
            if (r.familyPrefix() == null || family.startsWith(r.familyPrefix())) {
                for (TaskDefinition d : revisions) {
                    if (d.statusAsString().equals(status)) {
                        arns.add(d.taskDefinitionArn());
                    }
                }
            }
        });
        if ("DESC".equals(r.sortAsString())) {
            java.util.Collections.reverse(arns);
        }
        return page(arns, r.nextToken(), r.maxResults(), (items, next) -> ListTaskDefinitionsResponse.builder().taskDefinitionArns(items).nextToken(next).build());
    }

    public synchronized DeregisterTaskDefinitionResponse deregisterTaskDefinition(DeregisterTaskDefinitionRequest r) {
        String ref = AwsException.require(r.taskDefinition(), "taskDefinition");
        if (!ref.contains(":")) {
            throw new AwsException("ClientException", "The specified task definition identifier is invalid. Specify a valid name or ARN and revision.");
        }
        TaskDefinition definition = taskDefinition(ref);
        TaskDefinition inactive = definition.toBuilder().status(TaskDefinitionStatus.INACTIVE).deregisteredAt(now()).build();
        families.get(definition.family()).set(definition.revision() - 1, inactive);
        return DeregisterTaskDefinitionResponse.builder().taskDefinition(inactive).build();
    }

    // ---- services ------------------------------------------------------------------------------

    public synchronized CreateServiceResponse createService(CreateServiceRequest r) {
        String cluster = clusterName(r.cluster());
        String name = AwsException.require(r.serviceName(), "serviceName");
        Service existing = services.get(cluster).get(name);
        if (existing != null && !existing.status().equals("INACTIVE")) {
            String token = serviceTokens.get(cluster + "/" + name);
            if (r.clientToken() != null && r.clientToken().equals(token)) {
                return CreateServiceResponse.builder().service(existing).build();
            }
            throw new AwsException("InvalidParameterException", "Creation of service was not idempotent.");
        }
        TaskDefinition definition = taskDefinition(AwsException.require(r.taskDefinition(), "taskDefinition"));
        int desired = r.desiredCount() == null ? 0 : r.desiredCount();
        if (desired < 0) {
            throw new AwsException("InvalidParameterException", "desiredCount can't be less than 0.");
        }
        if ("FARGATE".equals(r.launchTypeAsString()) && r.networkConfiguration() == null) {
            throw new AwsException("InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        }
        Instant now = now();
        String serviceArn = arn("service/" + cluster + "/" + name);
        DeploymentConfiguration config = r.deploymentConfiguration() == null
                ? DeploymentConfiguration.builder().maximumPercent(200).minimumHealthyPercent(100)
                        .deploymentCircuitBreaker(b -> b.enable(false).rollback(false)).build()
                : r.deploymentConfiguration();
        Deployment primary = deployment(definition, desired, r, now);
        Service service = Service.builder().serviceArn(serviceArn).serviceName(name).clusterArn(clusters.get(cluster).clusterArn())
                .status("ACTIVE").desiredCount(desired).runningCount(0).pendingCount(0).launchType(r.launchTypeAsString())
                .taskDefinition(definition.taskDefinitionArn()).deploymentConfiguration(config).deployments(primary)
                .loadBalancers(r.loadBalancers()).networkConfiguration(r.networkConfiguration())
                .healthCheckGracePeriodSeconds(r.healthCheckGracePeriodSeconds()).schedulingStrategy(SchedulingStrategy.REPLICA)
                .createdAt(now).createdBy(Arns.of("iam", "", account, "root")).deploymentController(r.deploymentController())
                .events(ServiceEvent.builder().id(UUID.randomUUID().toString()).createdAt(now)
                        .message("(service " + name + ") was created.").build())
                .propagateTags(r.propagateTagsAsString()).enableECSManagedTags(r.enableECSManagedTags()).build();
        services.get(cluster).put(name, service);
        if (r.clientToken() != null) {
            serviceTokens.put(cluster + "/" + name, r.clientToken());
        }
        tags.put(serviceArn, new ArrayList<>(r.tags()));
        return CreateServiceResponse.builder().service(service).build();
    }

    private Deployment deployment(TaskDefinition definition, int desired, CreateServiceRequest r, Instant now) {
        return Deployment.builder().id("ecs-svc/" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 10_000_000_000_000_000L))
                .status("PRIMARY").taskDefinition(definition.taskDefinitionArn()).desiredCount(desired).pendingCount(0).runningCount(0)
                .failedTasks(0).createdAt(now).updatedAt(now).launchType(r == null ? null : r.launchTypeAsString())
                .networkConfiguration(r == null ? null : r.networkConfiguration())
                .rolloutState(DeploymentRolloutState.IN_PROGRESS).rolloutStateReason("ECS deployment in progress.").build();
    }

    private Service service(String cluster, String nameOrArn) {
        String name = nameOrArn.contains("/") ? nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
        Service service = services.get(cluster).get(name);
        if (service == null) {
            throw new AwsException("ServiceNotFoundException", "Service not found.");
        }
        return service;
    }

    public synchronized UpdateServiceResponse updateService(UpdateServiceRequest r) {
        String cluster = clusterName(r.cluster());
        Service service = service(cluster, AwsException.require(r.service(), "service"));
        if (!service.status().equals("ACTIVE")) {
            throw new AwsException("ServiceNotActiveException", "Service was not ACTIVE.");
        }
        if (r.desiredCount() != null && r.desiredCount() < 0) {
            throw new AwsException("InvalidParameterException", "desiredCount can't be less than 0.");
        }
        Service.Builder updated = service.toBuilder();
        int desired = r.desiredCount() == null ? service.desiredCount() : r.desiredCount();
        updated.desiredCount(desired);
        if (r.deploymentConfiguration() != null) {
            updated.deploymentConfiguration(r.deploymentConfiguration());
        }
        List<Deployment> deployments = new ArrayList<>(service.deployments());
        boolean newDefinition = r.taskDefinition() != null
                && !taskDefinition(r.taskDefinition()).taskDefinitionArn().equals(service.taskDefinition());
        if (newDefinition || Boolean.TRUE.equals(r.forceNewDeployment())) {
            TaskDefinition definition = r.taskDefinition() == null ? taskDefinition(service.taskDefinition()) : taskDefinition(r.taskDefinition());
            List<Deployment> older = new ArrayList<>();
            for (Deployment d : deployments) {
                older.add(d.toBuilder().status("ACTIVE").build());
            }
            Deployment primary = deployment(definition, desired, null, now()).toBuilder()
                    .launchType(service.launchTypeAsString()).networkConfiguration(service.networkConfiguration()).build();
            deployments = new ArrayList<>();
            deployments.add(primary);
            deployments.addAll(older);
            updated.taskDefinition(definition.taskDefinitionArn());
        } else {
            deployments.set(0, deployments.get(0).toBuilder().desiredCount(desired).updatedAt(now()).build());
        }
        updated.deployments(deployments);
        Service result = updated.build();
        services.get(cluster).put(result.serviceName(), result);
        return UpdateServiceResponse.builder().service(result).build();
    }

    public synchronized DescribeServicesResponse describeServices(DescribeServicesRequest r) {
        String cluster = clusterName(r.cluster());
        List<Service> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String s : AwsException.require(r.services(), "services")) {
            String name = s.contains("/") ? s.substring(s.lastIndexOf('/') + 1) : s;
            Service service = services.get(cluster).get(name);
            if (service == null) {
                failures.add(Failure.builder().arn(arn("service/" + cluster + "/" + name)).reason("MISSING").build());
            } else {
                found.add(service);
            }
        }
        return DescribeServicesResponse.builder().services(found).failures(failures).build();
    }

    public synchronized ListServicesResponse listServices(ListServicesRequest r) {
        String cluster = clusterName(r.cluster());
        List<String> arns = services.get(cluster).values().stream().filter(s -> !s.status().equals("INACTIVE"))
                .map(Service::serviceArn).toList();
        return page(arns, r.nextToken(), r.maxResults(), (items, next) -> ListServicesResponse.builder().serviceArns(items).nextToken(next).build());
    }

    public synchronized DeleteServiceResponse deleteService(DeleteServiceRequest r) {
        String cluster = clusterName(r.cluster());
        Service service = service(cluster, AwsException.require(r.service(), "service"));
        if (service.status().equals("INACTIVE")) {
            throw new AwsException("ServiceNotActiveException", "Service was not ACTIVE.");
        }
        if (service.desiredCount() > 0 && !Boolean.TRUE.equals(r.force())) {
            throw new AwsException("InvalidParameterException", "The service cannot be stopped while it is scaled above 0.");
        }
        Service draining = service.toBuilder().status("DRAINING").desiredCount(0).build();
        services.get(cluster).put(service.serviceName(), draining);
        return DeleteServiceResponse.builder().service(draining).build();
    }

    /** The data plane calls this once a draining service has no task left (or at once in part 1). */
    public synchronized void finishDraining(String cluster, String serviceName) {
        Service service = services.getOrDefault(cluster, Map.of()).get(serviceName);
        if (service != null && service.status().equals("DRAINING")) {
            services.get(cluster).put(serviceName, service.toBuilder().status("INACTIVE").build());
        }
    }

    /** Fargate's task sizes: each CPU value with the memory (MiB) it may have — from, to, in steps of. */
    private static final Map<Integer, int[]> FARGATE_MEMORY = Map.of(256, new int[] {512, 2048, 0}, 512, new int[] {1024, 4096, 1024},
            1024, new int[] {2048, 8192, 1024}, 2048, new int[] {4096, 16384, 1024}, 4096, new int[] {8192, 30720, 1024},
            8192, new int[] {16384, 61440, 4096}, 16384, new int[] {32768, 122880, 8192});

    static boolean fargateSize(String cpu, String memory) {
        int c;
        int m;
        try {
            c = Integer.parseInt(cpu.trim());
            m = Integer.parseInt(memory.trim());
        } catch (NumberFormatException e) {
            return true; // the "1 vCPU" / "2 GB" forms are taken as given
        }
        int[] range = FARGATE_MEMORY.get(c);
        if (range == null || m < range[0] || m > range[1]) {
            return false;
        }
        return range[2] == 0 ? m == 512 || m == 1024 || m == 2048 : (m - range[0]) % range[2] == 0;
    }

    // ---- tasks ---------------------------------------------------------------------------------

    public synchronized RunTaskResponse runTask(RunTaskRequest r) {
        String cluster = clusterName(r.cluster());
        TaskDefinition definition = taskDefinition(AwsException.require(r.taskDefinition(), "taskDefinition"));
        int count = r.count() == null ? 1 : r.count();
        if (count < 1 || count > 10) {
            throw new AwsException("InvalidParameterException", "Count must be between 1 and 10.");
        }
        List<String> subnets = r.networkConfiguration() == null || r.networkConfiguration().awsvpcConfiguration() == null
                ? List.of() : r.networkConfiguration().awsvpcConfiguration().subnets();
        List<Task> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Optional<String> subnet = subnets.isEmpty() ? Optional.empty() : Optional.of(subnets.get(i % subnets.size()));
            started.add(newTask(cluster, definition, r.launchTypeAsString(), r.startedBy(), r.group(), r.overrides(), subnet));
        }
        return RunTaskResponse.builder().tasks(started).failures(List.of()).build();
    }

    /**
     * A new task, PROVISIONING, desired RUNNING; the data plane starts it. Placed in {@code subnet}
     * (awsvpc), it runs in that subnet's availability zone and its network interface names the subnet.
     */
    public synchronized Task newTask(String cluster, TaskDefinition definition, String launchType, String startedBy, String group,
                                     TaskOverride overrides, Optional<String> subnet) {
        String id = UUID.randomUUID().toString().replace("-", "");
        Instant now = now();
        List<Container> containers = new ArrayList<>();
        for (ContainerDefinition c : definition.containerDefinitions()) {
            containers.add(Container.builder().containerArn(arn("container/" + cluster + "/" + id + "/" + UUID.randomUUID()))
                    .taskArn(arn("task/" + cluster + "/" + id)).name(c.name()).image(c.image()).lastStatus("PENDING")
                    .cpu(c.cpu() == null ? null : String.valueOf(c.cpu())).memory(c.memory() == null ? null : String.valueOf(c.memory()))
                    .build());
        }
        Task task = Task.builder().taskArn(arn("task/" + cluster + "/" + id)).clusterArn(clusters.get(cluster).clusterArn())
                .taskDefinitionArn(definition.taskDefinitionArn()).lastStatus("PROVISIONING").desiredStatus("RUNNING")
                .launchType(launchType).cpu(definition.cpu()).memory(definition.memory()).containers(containers)
                .createdAt(now).startedBy(startedBy).group(group == null ? "family:" + definition.family() : group)
                .overrides(overrides == null ? TaskOverride.builder().build() : overrides).version(1L)
                .availabilityZone(subnet.flatMap(zoneOfSubnet).orElse(region + "a")).healthStatus(HealthStatus.UNKNOWN)
                .attachments(subnet.map(subnetId -> List.of(Attachment.builder().id(UUID.randomUUID().toString()).type("ElasticNetworkInterface")
                        .status("PRECREATED").details(KeyValuePair.builder().name("subnetId").value(subnetId).build()).build())).orElse(List.of()))
                .build();
        tasks.get(cluster).put(task.taskArn(), task);
        return task;
    }

    /**
     * The data plane reports a task's progress here, as a compare-and-set: {@code next} replaces the
     * task only if the task is still the very one the plane read ({@code seen}); otherwise an API call
     * (StopTask, say) came in between, nothing is written, and the plane decides again on the current
     * state. Every change bumps the task's version, as ECS does.
     */
    public synchronized boolean transitionTask(String cluster, Task seen, Task next) {
        Map<String, Task> inCluster = tasks.get(cluster);
        if (inCluster == null || inCluster.get(seen.taskArn()) != seen) {
            return false;
        }
        inCluster.put(seen.taskArn(), next.toBuilder().version(versionAfter(seen)).build());
        return true;
    }

    private static long versionAfter(Task task) {
        return task.version() == null ? 1L : task.version() + 1;
    }

    public synchronized StopTaskResponse stopTask(StopTaskRequest r) {
        String cluster = clusterName(r.cluster());
        Task task = task(cluster, AwsException.require(r.task(), "task"));
        return StopTaskResponse.builder().task(stop(cluster, task, r.reason() == null ? "Task stopped by user" : r.reason(),
                TaskStopCode.USER_INITIATED)).build();
    }

    /** The service scheduler stops a task it no longer wants, in one step (the stop code is ECS's for it). */
    public synchronized void stopByScheduler(String cluster, String taskArn, String reason) {
        Task task = tasks.getOrDefault(cluster, Map.of()).get(taskArn);
        if (task != null && "RUNNING".equals(task.desiredStatus())) {
            stop(cluster, task, reason, TaskStopCode.SERVICE_SCHEDULER_INITIATED);
        }
    }

    private Task stop(String cluster, Task task, String reason, TaskStopCode code) {
        if ("STOPPED".equals(task.desiredStatus())) {
            return task;    // the first stop's reason stands, as in ECS
        }
        Task stopped = task.toBuilder().desiredStatus("STOPPED").stoppingAt(task.stoppingAt() == null ? now() : task.stoppingAt())
                .stoppedReason(reason).stopCode(code).version(versionAfter(task)).build();
        tasks.get(cluster).put(task.taskArn(), stopped);
        return stopped;
    }

    private Task task(String cluster, String idOrArn) {
        for (Task t : tasks.get(cluster).values()) {
            if (t.taskArn().equals(idOrArn) || t.taskArn().endsWith("/" + idOrArn)) {
                return t;
            }
        }
        throw new AwsException("InvalidParameterException", "The referenced task was not found.");
    }

    public synchronized DescribeTasksResponse describeTasks(DescribeTasksRequest r) {
        String cluster = clusterName(r.cluster());
        List<Task> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String id : AwsException.require(r.tasks(), "tasks")) {
            Task t = null;
            for (Task candidate : tasks.get(cluster).values()) {
                if (candidate.taskArn().equals(id) || candidate.taskArn().endsWith("/" + id)) {
                    t = candidate;
                }
            }
            if (t == null) {
                failures.add(Failure.builder().arn(id.startsWith("arn:") ? id : arn("task/" + cluster + "/" + id)).reason("MISSING").build());
            } else {
                found.add(t);
            }
        }
        return DescribeTasksResponse.builder().tasks(found).failures(failures).build();
    }

    public synchronized ListTasksResponse listTasks(ListTasksRequest r) {
        String cluster = clusterName(r.cluster());
        String desired = r.desiredStatusAsString() == null ? "RUNNING" : r.desiredStatusAsString();
        List<String> arns = new ArrayList<>();
        for (Task t : tasks.get(cluster).values()) {
            if (!t.desiredStatus().equals(desired)) {
                continue;
            }
            if (r.serviceName() != null && !("ecs-svc/" + r.serviceName()).equals(t.startedBy()) && !("service:" + r.serviceName()).equals(t.group())) {
                continue;
            }
            if (r.family() != null && !t.group().equals("family:" + r.family()) && !t.taskDefinitionArn().contains("/" + r.family() + ":")) {
                continue;
            }
            arns.add(t.taskArn());
        }
        return page(arns, r.nextToken(), r.maxResults(), (items, next) -> ListTasksResponse.builder().taskArns(items).nextToken(next).build());
    }

    // ---- tags ----------------------------------------------------------------------------------

    public synchronized TagResourceResponse tagResource(TagResourceRequest r) {
        List<Tag> list = tags.get(AwsException.require(r.resourceArn(), "resourceArn"));
        if (list == null) {
            throw new AwsException("InvalidParameterException", "The specified resource is not valid.");
        }
        for (Tag tag : r.tags()) {
            list.removeIf(t -> t.key().equals(tag.key()));
            list.add(tag);
        }
        return TagResourceResponse.builder().build();
    }

    public synchronized ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest r) {
        List<Tag> list = tags.get(AwsException.require(r.resourceArn(), "resourceArn"));
        if (list == null) {
            throw new AwsException("InvalidParameterException", "The specified resource is not valid.");
        }
        return ListTagsForResourceResponse.builder().tags(list).build();
    }

    // ---- reading for the data plane ------------------------------------------------------------

    public String region() {
        return region;
    }

    public synchronized List<String> clusterNames() {
        return clusters.values().stream().filter(c -> c.status().equals("ACTIVE")).map(Cluster::clusterName).toList();
    }

    public synchronized List<Service> services(String cluster) {
        return new ArrayList<>(services.getOrDefault(cluster, Map.of()).values());
    }

    public synchronized List<Task> tasks(String cluster) {
        return new ArrayList<>(tasks.getOrDefault(cluster, Map.of()).values());
    }

    /**
     * The scheduler's write, as a compare-and-set: {@code next} replaces the service only if it is
     * still the very one the scheduler read; an API call in between (DeleteService, UpdateService)
     * wins and the scheduler decides again on the next round.
     */
    public synchronized boolean transitionService(String cluster, Service seen, Service next) {
        Map<String, Service> inCluster = services.get(cluster);
        if (inCluster == null || inCluster.get(seen.serviceName()) != seen) {
            return false;
        }
        inCluster.put(seen.serviceName(), next);
        return true;
    }

    private static <R> R page(List<String> items, String nextToken, Integer maxResults, java.util.function.BiFunction<List<String>, String, R> make) {
        if (maxResults != null && (maxResults < 1 || maxResults > 100)) {
            throw new AwsException("InvalidParameterException", "maxResults must be between 1 and 100.");
        }
        com.thephillymojo.ws.localstack.Page<String> page = com.thephillymojo.ws.localstack.Page.of(items, nextToken, maxResults, 100);
        return make.apply(page.items(), page.nextToken());
    }
}
