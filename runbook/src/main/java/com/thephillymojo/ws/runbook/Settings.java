package com.thephillymojo.ws.runbook;

import com.thephillymojo.ws.localstack.LocalAws;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.regions.Region;

/**
 * One environment's settings, read once from {@code runbook/env/NAME.properties} and validated
 * before anything is called: where it runs (the embedded emulator or AWS), its names and sizes.
 * The resource names of the product itself (repository, cluster, load balancer…) are in the
 * feature files; what differs between environments is here.
 */
public record Settings(
        String name,
        Target target,
        Optional<String> account,
        Region region,
        String zone,
        boolean createZone,
        String host,
        List<String> alternativeNames,
        String appUrl,
        List<String> allowedOrigins,
        String vpc,
        List<String> subnets,
        boolean publicIp,
        String bindAddress,
        int cpu,
        int memory,
        String imageBase,
        String imageTag,
        int desiredCount,
        String secretName,
        boolean generateSecret,
        int secretRecoveryDays,
        int logRetentionDays,
        Duration waitLimit,
        boolean confirmChanges,
        Cache cache,
        int emulatorPort,
        Map<String, String> emulator,
        Optional<java.nio.file.Path> deployerPolicy,
        com.thephillymojo.ws.localstack.Faults emulatorFaults) {

    /** An image tag as registries take it (the OCI distribution spec's rule). */
    public static boolean isImageTag(String tag) {
        return tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    }

    /** Where the runbook's AWS calls go. */
    public enum Target { EMBEDDED, AWS }

    /**
     * The ElastiCache replication group's size: its node type, how many nodes (a primary and
     * {@code nodes - 1} replicas) and whether they spread over availability zones with automatic
     * failover (which needs a replica).
     */
    public record Cache(String engine, String nodeType, int nodes, boolean multiAz) {
    }

    /** Every key a settings file may hold, with its default ({@code null}: required). */
    static final Map<String, String> KEYS = keys();

    /** The regional services the runbook uses, by their endpoint prefix (the AWS SDK knows the regions each is offered in). */
    private static final Map<String, String> REGIONAL_SERVICES = Map.of("api.ecr", "ECR", "ecs", "ECS", "elasticloadbalancing", "ELBv2",
            "acm", "ACM", "ec2", "EC2", "logs", "CloudWatch Logs", "secretsmanager", "Secrets Manager", "elasticache", "ElastiCache", "sts", "STS");

    /** CloudWatch Logs' own list of retention periods. */
    private static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
            1827, 2192, 2557, 2922, 3288, 3653);

    private static Map<String, String> keys() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("target", "aws");
        k.put("account", "");
        k.put("region", null);
        k.put("zone", null);
        k.put("zone.create", "false");
        k.put("host", null);
        k.put("certificate.alternativeNames", "");
        k.put("app.url", null);
        k.put("allowedOrigins", null);
        k.put("vpc", "default");
        k.put("subnets", "");
        k.put("tasks.publicIp", "true");
        k.put("tasks.bindAddress", "0.0.0.0");
        k.put("tasks.cpu", "512");
        k.put("tasks.memory", "1024");
        k.put("image.base", "eclipse-temurin:21-jre");
        k.put("image.tag", null);
        k.put("service.desiredCount", "1");
        k.put("secret.name", null);
        k.put("secret.generate", "false");
        k.put("secret.recoveryDays", "7");
        k.put("logs.retentionDays", "30");
        k.put("wait.minutes", "30");
        k.put("confirm", "false");
        k.put("cache.engine", "valkey");
        k.put("cache.nodeType", "cache.t4g.micro");
        k.put("cache.nodes", "2");
        k.put("cache.multiAz", "true");
        return k;
    }

    /** Reads {@code dir/NAME.properties}; an unknown key, a missing one or a bad value is refused with what is wrong. */
    public static Settings load(Path dir, String name) {
        if (!name.matches("[a-z0-9][a-z0-9-]{0,30}")) {
            throw new SettingsException("an environment's name is lowercase letters, digits and '-', not '" + name + "'");
        }
        Path file = dir.resolve(name + ".properties");
        if (!Files.isRegularFile(file)) {
            throw new SettingsException("no settings for environment '" + name + "': " + file + " does not exist");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new SettingsException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(name, file.toString(), p);
    }

    static Settings parse(String name, String source, Properties p) {
        Map<String, String> emulator = new LinkedHashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (String key : p.stringPropertyNames()) {
            if (key.equals("emulator.port") || key.equals("emulator.deployerPolicy") || key.equals("emulator.faults")) {
                continue;
            }
            if (key.startsWith("emulator.")) {
                emulator.put(key.substring("emulator.".length()), p.getProperty(key).trim());
            } else if (!KEYS.containsKey(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new SettingsException(source + ": unknown setting(s) " + unknown + "; known: " + KEYS.keySet() + " and emulator.*");
        }
        Values v = new Values(source, p);
        Target target = switch (v.get("target")) {
            case "embedded" -> Target.EMBEDDED;
            case "aws" -> Target.AWS;
            default -> throw new SettingsException(source + ": target is 'embedded' or 'aws', not '" + v.get("target") + "'");
        };
        if (target == Target.AWS && (!emulator.isEmpty() || p.getProperty("emulator.port") != null
                || p.getProperty("emulator.deployerPolicy") != null || p.getProperty("emulator.faults") != null)) {
            throw new SettingsException(source + ": emulator.* settings apply to target=embedded only");
        }
        for (Map.Entry<String, String> e : emulator.entrySet()) {
            if (!LocalAws.Timing.KNOBS.contains(e.getKey())) {
                throw new SettingsException(source + ": unknown setting emulator." + e.getKey() + "; the emulator's are emulator.port, "
                        + "emulator.deployerPolicy, emulator.faults and "
                        + new TreeSet<>(LocalAws.Timing.KNOBS).stream().map(k -> "emulator." + k).toList());
            }
            try {
                LocalAws.Timing.AWS.with(Map.of(e.getKey(), e.getValue()));
            } catch (IllegalArgumentException bad) {
                throw new SettingsException(source + ": emulator." + e.getKey() + " is a number of 0 or more, not '" + e.getValue() + "'");
            }
        }
        String account = v.get("account");
        if (!account.isEmpty() && !account.matches("\\d{12}")) {
            throw new SettingsException(source + ": account is the AWS account's twelve digits, not '" + account + "'");
        }
        Region region = Region.of(v.get("region"));
        if (!Region.regions().contains(region) || region.isGlobalRegion()) {
            throw new SettingsException(source + ": region '" + v.get("region") + "' is not an AWS region");
        }
        if (target == Target.AWS) {
            List<String> missing = REGIONAL_SERVICES.entrySet().stream()
                    .filter(e -> { var m = software.amazon.awssdk.regions.ServiceMetadata.of(e.getKey()); return m == null || !m.regions().contains(region); })
                    .map(Map.Entry::getValue).sorted().toList();
            if (!missing.isEmpty()) {
                throw new SettingsException(source + ": region " + region.id() + " does not offer " + String.join(", ", missing)
                        + ", which the service needs");
            }
        }
        String zone = v.dnsName("zone");
        String host = v.dnsName("host");
        if (!host.endsWith("." + zone)) {
            throw new SettingsException(source + ": host " + host + " is not inside the zone " + zone);
        }
        String appUrl = v.get("app.url");
        if (!appUrl.matches("https?://[^/\\s]+")) {
            throw new SettingsException(source + ": app.url is the Next.js app's origin (scheme://host), not '" + appUrl + "'");
        }
        List<String> origins = v.list("allowedOrigins");
        if (origins.isEmpty()) {
            throw new SettingsException(source + ": allowedOrigins needs at least one origin");
        }
        String bind = v.get("tasks.bindAddress");
        if (!bind.equals("0.0.0.0") && !bind.equals("127.0.0.1")) {
            throw new SettingsException(source + ": tasks.bindAddress is 0.0.0.0 (every interface, as on Fargate) "
                    + "or 127.0.0.1 (loopback: the emulator's tasks share this machine), not '" + bind + "'");
        }
        int cpu = v.integer("tasks.cpu", 256, 16384);
        int memory = v.integer("tasks.memory", 512, 122880);
        int retention = v.integer("logs.retentionDays", 1, 3653);
        if (!RETENTION_DAYS.contains(retention)) {
            throw new SettingsException(source + ": logs.retentionDays must be one of CloudWatch's periods " + new TreeSet<>(RETENTION_DAYS));
        }
        int recovery = v.integer("secret.recoveryDays", 0, 30);
        if (recovery > 0 && recovery < 7) {
            throw new SettingsException(source + ": secret.recoveryDays is 0 (delete at once) or 7–30");
        }
        String tag = v.get("image.tag");
        if (!isImageTag(tag)) {
            throw new SettingsException(source + ": image.tag '" + tag + "' is not a valid image tag");
        }
        String engine = v.get("cache.engine");
        if (!engine.equals("valkey") && !engine.equals("redis")) {
            throw new SettingsException(source + ": cache.engine is valkey or redis, not '" + engine + "'");
        }
        String nodeType = v.get("cache.nodeType");
        if (!nodeType.matches("cache\\.[a-z0-9]+\\.[a-z0-9]+")) {
            throw new SettingsException(source + ": cache.nodeType is an ElastiCache node type such as cache.t4g.micro, not '" + nodeType + "'");
        }
        int nodes = v.integer("cache.nodes", 1, 6);
        boolean multiAz = v.bool("cache.multiAz");
        if (multiAz && nodes < 2) {
            throw new SettingsException(source + ": cache.multiAz needs a replica to fail over to: cache.nodes 2 or more");
        }
        int emulatorPort = p.getProperty("emulator.port") == null ? 4566 : v.integer("emulator.port", 0, 65535);
        Optional<java.nio.file.Path> deployerPolicy = Optional.ofNullable(p.getProperty("emulator.deployerPolicy")).map(String::trim)
                .map(file -> {
                    java.nio.file.Path dir = java.nio.file.Path.of(source).toAbsolutePath().getParent();
                    java.nio.file.Path path = dir == null ? java.nio.file.Path.of(file) : dir.resolve(file);
                    if (!java.nio.file.Files.isRegularFile(path)) {
                        throw new SettingsException(source + ": emulator.deployerPolicy names no file: " + path);
                    }
                    return path.normalize();
                });
        com.thephillymojo.ws.localstack.Faults faults;
        try {
            faults = com.thephillymojo.ws.localstack.Faults.parse(p.getProperty("emulator.faults", "none"));
        } catch (IllegalArgumentException bad) {
            throw new SettingsException(source + ": emulator." + bad.getMessage());
        }
        return new Settings(name, target, Optional.of(account).filter(a -> !a.isEmpty()), region, zone, v.bool("zone.create"), host,
                v.list("certificate.alternativeNames"), appUrl, origins,
                v.get("vpc"), v.list("subnets"), v.bool("tasks.publicIp"), bind, cpu, memory, v.get("image.base"), tag,
                v.integer("service.desiredCount", 0, 100), v.get("secret.name"), v.bool("secret.generate"), recovery, retention,
                Duration.ofMinutes(v.integer("wait.minutes", 1, 180)), v.bool("confirm"), new Cache(engine, nodeType, nodes, multiAz), emulatorPort,
                Map.copyOf(emulator), deployerPolicy, faults);
    }

    /** Typed reads of one file's values, each error naming the file and the key. */
    private record Values(String source, Properties p) {
        String get(String key) {
            String value = p.getProperty(key, KEYS.get(key));
            if (value == null || value.isBlank() && KEYS.get(key) == null) {
                throw new SettingsException(source + ": '" + key + "' is required");
            }
            return value.trim();
        }

        boolean bool(String key) {
            String value = get(key);
            if (!value.equals("true") && !value.equals("false")) {
                throw new SettingsException(source + ": '" + key + "' is true or false, not '" + value + "'");
            }
            return value.equals("true");
        }

        int integer(String key, int min, int max) {
            String value = get(key);
            try {
                int n = Integer.parseInt(value);
                if (n < min || n > max) {
                    throw new SettingsException(source + ": '" + key + "' is between " + min + " and " + max + ", not " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new SettingsException(source + ": '" + key + "' is a whole number, not '" + value + "'");
            }
        }

        List<String> list(String key) {
            List<String> items = new ArrayList<>();
            Arrays.stream(get(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
            return List.copyOf(items);
        }

        String dnsName(String key) {
            String value = get(key).toLowerCase(java.util.Locale.ROOT);
            if (value.endsWith(".")) {
                value = value.substring(0, value.length() - 1);
            }
            if (!value.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}")) {
                throw new SettingsException(source + ": '" + key + "' is a DNS name, not '" + value + "'");
            }
            return value;
        }
    }

    /**
     * The embedded emulator's clock, AWS's pace but for what {@code emulator.*} says: e.g.
     * {@code emulator.healthcheck.scale=0.05} runs health checks 20 times faster.
     */
    public LocalAws.Timing emulatorTiming() {
        return LocalAws.Timing.AWS.with(emulator);
    }

    /** A settings file that cannot be used; the executor exits 2 with its message. */
    public static final class SettingsException extends RuntimeException {
        public SettingsException(String message) {
            super(message);
        }
    }
}
