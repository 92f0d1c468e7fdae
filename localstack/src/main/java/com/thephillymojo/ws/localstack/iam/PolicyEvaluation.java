package com.thephillymojo.ws.localstack.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * IAM's decision over identity policies, as {@code iam:SimulatePrincipalPolicy} reports it: an
 * explicit {@code Deny} that matches wins, else an {@code Allow} that matches, else the implicit
 * deny. A statement matches by {@code Action}/{@code NotAction} (wildcards {@code *} and {@code ?},
 * case-insensitive), {@code Resource}/{@code NotResource} (wildcards, case-sensitive) and its
 * {@code Condition} against the context given. Conditions: the {@code String…} and {@code Arn…}
 * operators, {@code Bool}, each with {@code …IfExists}; a key missing from the context fails a
 * positive operator and satisfies a negated one, and is reported as missing. Not evaluated (the
 * emulator's limits): resource policies, permissions boundaries, SCPs, session policies,
 * {@code ForAnyValue:}/{@code ForAllValues:}, numeric and date operators (a statement using them
 * does not match), and policy variables.
 */
final class PolicyEvaluation {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One policy the principal has: its name, AWS's source type ({@code role}, {@code user-managed}, …) and document. */
    record Source(String id, String type, String document) {
    }

    /** One statement that decided, as IAM names it: the policy it is in. */
    record Match(String sourceId, String sourceType) {
    }

    enum Decision {
        // least permissive last
        ALLOWED("allowed"), IMPLICIT_DENY("implicitDeny"), EXPLICIT_DENY("explicitDeny");

        final String wire;

        Decision(String wire) {
            this.wire = wire;
        }
    }

    record Result(Decision decision, List<Match> matched, Set<String> missingContext) {
    }

    private record Statement(Source source, boolean allow, JsonNode node) {
    }

    private final List<Statement> statements = new ArrayList<>();

    PolicyEvaluation(List<Source> sources) {
        for (Source source : sources) {
            JsonNode document;
            try {
                document = JSON.readTree(source.document());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (JsonNode statement : list(document.path("Statement"))) {
                statements.add(new Statement(source, "Allow".equals(statement.path("Effect").asText()), statement));
            }
        }
    }

    /** The decision for one action on one resource ({@code *} when none is named), with the context's keys in lower case. */
    Result decide(String action, String resource, Map<String, List<String>> context) {
        List<Match> allows = new ArrayList<>();
        List<Match> denies = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        for (Statement s : statements) {
            if (!actionMatches(s.node(), action) || !resourceMatches(s.node(), resource)) {
                continue;
            }
            if (conditionHolds(s.node().path("Condition"), context, missing)) {
                (s.allow() ? allows : denies).add(new Match(s.source().id(), s.source().type()));
            }
        }
        if (!denies.isEmpty()) {
            return new Result(Decision.EXPLICIT_DENY, denies, missing);
        }
        return allows.isEmpty() ? new Result(Decision.IMPLICIT_DENY, List.of(), missing) : new Result(Decision.ALLOWED, allows, missing);
    }

    private static boolean actionMatches(JsonNode statement, String action) {
        if (statement.has("NotAction")) {
            return list(statement.get("NotAction")).stream().noneMatch(p -> wildcard(p.asText(), action, true));
        }
        return list(statement.path("Action")).stream().anyMatch(p -> wildcard(p.asText(), action, true));
    }

    private static boolean resourceMatches(JsonNode statement, String resource) {
        if (statement.has("NotResource")) {
            return list(statement.get("NotResource")).stream().noneMatch(p -> wildcard(p.asText(), resource, false));
        }
        return list(statement.path("Resource")).stream().anyMatch(p -> wildcard(p.asText(), resource, false));
    }

    private static boolean conditionHolds(JsonNode condition, Map<String, List<String>> context, Set<String> missing) {
        for (Map.Entry<String, JsonNode> op : condition.properties()) {
            for (Map.Entry<String, JsonNode> key : op.getValue().properties()) {
                List<String> wanted = list(key.getValue()).stream().map(JsonNode::asText).toList();
                if (!holds(op.getKey(), key.getKey(), wanted, context, missing)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(String operator, String key, List<String> wanted, Map<String, List<String>> context, Set<String> missing) {
        boolean ifExists = operator.endsWith("IfExists");
        String op = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        boolean negated = op.contains("Not");
        String positive = op.replace("Not", "");
        List<String> values = context.get(key.toLowerCase(Locale.ROOT));
        if (values == null || values.isEmpty()) {
            missing.add(key);
            return ifExists || negated;
        }
        boolean any;
        switch (positive) {
            case "StringEquals", "ArnEquals" -> any = values.stream().anyMatch(wanted::contains);
            case "StringEqualsIgnoreCase" -> any = values.stream().anyMatch(v -> wanted.stream().anyMatch(w -> w.equalsIgnoreCase(v)));
            case "StringLike", "ArnLike" -> any = values.stream().anyMatch(v -> wanted.stream().anyMatch(w -> wildcard(w, v, false)));
            case "Bool" -> any = values.stream().anyMatch(v -> wanted.stream().anyMatch(w -> w.equalsIgnoreCase(v)));
            default -> {
                return false;
            }
        }
        return negated != any;
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> all = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(all::add);
        } else if (!node.isMissingNode() && !node.isNull()) {
            all.add(node);
        }
        return all;
    }

    static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
    }
}
