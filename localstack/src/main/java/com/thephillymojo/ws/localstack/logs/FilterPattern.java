package com.thephillymojo.ws.localstack.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.localstack.AwsException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * CloudWatch Logs' filter pattern syntax, as FilterLogEvents applies it to each event's message:
 * <ul>
 *   <li>empty: every event;</li>
 *   <li>terms: {@code ERROR Exception} — every term appears (case-sensitive, anywhere, in any order);
 *       {@code "quoted phrase"} is one term; {@code -term} must not appear; {@code ?a ?b} — any of them;</li>
 *   <li>JSON: {@code { $.level = "warn" && $.status >= 400 }} — selectors {@code $.a.b} and {@code $.a[0]},
 *       {@code = !=} on strings (with {@code *} as a wildcard) and numbers, {@code < <= > >=} on numbers,
 *       {@code IS TRUE}, {@code IS FALSE}, {@code IS NULL}, {@code NOT EXISTS}, {@code && ||} and parentheses;
 *       a message that is not JSON never matches.</li>
 * </ul>
 * Space-delimited ({@code [ip, user, ...]}) and regular-expression ({@code %…%}) patterns are refused
 * with InvalidParameterException rather than answered wrongly.
 */
public final class FilterPattern {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Predicate<String> matcher;

    private FilterPattern(Predicate<String> matcher) {
        this.matcher = matcher;
    }

    public boolean matches(String message) {
        return matcher.test(message);
    }

    /** Parses a pattern; InvalidParameterException (AWS's code) when it is not valid. */
    public static FilterPattern parse(String pattern) {
        String p = pattern == null ? "" : pattern.trim();
        if (p.isEmpty()) {
            return new FilterPattern(m -> true);
        }
        if (p.startsWith("{")) {
            if (!p.endsWith("}")) {
                throw invalid("a JSON filter pattern ends with }");
            }
            Json parser = new Json(p.substring(1, p.length() - 1));
            Predicate<JsonNode> expression = parser.expression();
            parser.end();
            return new FilterPattern(message -> {
                JsonNode node = json(message);
                return node != null && expression.test(node);
            });
        }
        if (p.startsWith("[") || p.startsWith("%")) {
            throw invalid("space-delimited and regular-expression filter patterns are not supported by this emulator");
        }
        return terms(p);
    }

    private static AwsException invalid(String why) {
        return new AwsException("InvalidParameterException", "Invalid filter pattern: " + why);
    }

    private static JsonNode json(String message) {
        try {
            JsonNode node = JSON.readTree(message);
            return node != null && node.isContainerNode() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    // ---- terms ---------------------------------------------------------------------------------

    private static FilterPattern terms(String p) {
        List<String> required = new ArrayList<>();
        List<String> any = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> into = required;
            if (c == '?' || c == '-') {
                into = c == '?' ? any : excluded;
                i++;
            }
            String term;
            if (i < p.length() && p.charAt(i) == '"') {
                int close = p.indexOf('"', i + 1);
                if (close < 0) {
                    throw invalid("unterminated quoted term");
                }
                term = p.substring(i + 1, close);
                i = close + 1;
            } else {
                int end = i;
                while (end < p.length() && !Character.isWhitespace(p.charAt(end))) {
                    end++;
                }
                term = p.substring(i, end);
                i = end;
            }
            if (term.isEmpty()) {
                throw invalid("an empty term");
            }
            into.add(term);
        }
        return new FilterPattern(message -> required.stream().allMatch(message::contains)
                && (any.isEmpty() || any.stream().anyMatch(message::contains))
                && excluded.stream().noneMatch(message::contains));
    }

    // ---- JSON ----------------------------------------------------------------------------------

    /** A recursive-descent parser: or := and ('||' and)*; and := unary ('&&' unary)*; unary := '(' or ')' | comparison. */
    private static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        void end() {
            skip();
            if (at != text.length()) {
                throw invalid("unexpected '" + text.substring(at) + "'");
            }
        }

        Predicate<JsonNode> expression() {
            Predicate<JsonNode> left = conjunction();
            while (take("||")) {
                left = left.or(conjunction());
            }
            return left;
        }

        private Predicate<JsonNode> conjunction() {
            Predicate<JsonNode> left = unary();
            while (take("&&")) {
                left = left.and(unary());
            }
            return left;
        }

        private Predicate<JsonNode> unary() {
            if (take("(")) {
                Predicate<JsonNode> inner = expression();
                if (!take(")")) {
                    throw invalid("missing )");
                }
                return inner;
            }
            return comparison();
        }

        private Predicate<JsonNode> comparison() {
            List<Object> path = selector();
            if (takeWord("IS")) {
                if (takeWord("TRUE")) {
                    return n -> is(select(n, path), v -> v.isBoolean() && v.booleanValue());
                }
                if (takeWord("FALSE")) {
                    return n -> is(select(n, path), v -> v.isBoolean() && !v.booleanValue());
                }
                if (takeWord("NULL")) {
                    return n -> is(select(n, path), JsonNode::isNull);
                }
                throw invalid("IS takes TRUE, FALSE or NULL");
            }
            if (takeWord("NOT")) {
                if (!takeWord("EXISTS")) {
                    throw invalid("NOT takes EXISTS");
                }
                return n -> select(n, path) == null;
            }
            String op = operator();
            skip();
            if (at < text.length() && text.charAt(at) == '"') {
                String value = quoted();
                return string(path, op, value);
            }
            String literal = bare();
            try {
                BigDecimal number = new BigDecimal(literal);
                return number(path, op, number);
            } catch (NumberFormatException e) {
                return string(path, op, literal);
            }
        }

        private static boolean is(JsonNode value, Predicate<JsonNode> test) {
            return value != null && test.test(value);
        }

        private static Predicate<JsonNode> string(List<Object> path, String op, String value) {
            if (!op.equals("=") && !op.equals("!=")) {
                throw invalid("strings compare with = or != only");
            }
            Pattern wildcard = Pattern.compile(Pattern.quote(value).replace("*", "\\E.*\\Q"), Pattern.DOTALL);
            boolean equal = op.equals("=");
            return n -> {
                JsonNode v = select(n, path);
                if (v == null || v.isContainerNode() || v.isNull()) {
                    return false;
                }
                return wildcard.matcher(v.asText()).matches() == equal;
            };
        }

        private static Predicate<JsonNode> number(List<Object> path, String op, BigDecimal value) {
            return n -> {
                JsonNode v = select(n, path);
                if (v == null || !v.isNumber()) {
                    return false;
                }
                int c = v.decimalValue().compareTo(value);
                switch (op) {
                    case "=": return c == 0;
                    case "!=": return c != 0;
                    case "<": return c < 0;
                    case "<=": return c <= 0;
                    case ">": return c > 0;
                    default: return c >= 0;
                }
            };
        }

        /** $.a.b[2].c → ["a", "b", 2, "c"]. */
        private List<Object> selector() {
            skip();
            if (!text.startsWith("$", at)) {
                throw invalid("a JSON selector starts with $");
            }
            at++;
            List<Object> path = new ArrayList<>();
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '.') {
                    int start = ++at;
                    while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || "_-@".indexOf(text.charAt(at)) >= 0)) {
                        at++;
                    }
                    if (start == at) {
                        throw invalid("an empty selector part");
                    }
                    path.add(text.substring(start, at));
                } else if (c == '[') {
                    int close = text.indexOf(']', at);
                    if (close < 0) {
                        throw invalid("missing ]");
                    }
                    try {
                        path.add(Integer.parseInt(text.substring(at + 1, close).trim()));
                    } catch (NumberFormatException e) {
                        throw invalid("an array index is a number");
                    }
                    at = close + 1;
                } else {
                    break;
                }
            }
            if (path.isEmpty()) {
                throw invalid("a selector names a field");
            }
            return path;
        }

        private static JsonNode select(JsonNode node, List<Object> path) {
            JsonNode current = node;
            for (Object part : path) {
                current = part instanceof Integer i ? current.get(i) : current.get((String) part);
                if (current == null) {
                    return null;
                }
            }
            return current;
        }

        private String operator() {
            skip();
            for (String op : new String[] {"!=", "<=", ">=", "=", "<", ">"}) {
                if (text.startsWith(op, at)) {
                    at += op.length();
                    return op;
                }
            }
            throw invalid("expected one of = != < <= > >= after the selector");
        }

        private String quoted() {
            int close = text.indexOf('"', at + 1);
            if (close < 0) {
                throw invalid("unterminated string");
            }
            String value = text.substring(at + 1, close);
            at = close + 1;
            return value;
        }

        private String bare() {
            int start = at;
            while (at < text.length() && !Character.isWhitespace(text.charAt(at)) && "()&|".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            if (start == at) {
                throw invalid("a value after the operator");
            }
            return text.substring(start, at);
        }

        private boolean take(String token) {
            skip();
            if (text.startsWith(token, at)) {
                at += token.length();
                return true;
            }
            return false;
        }

        private boolean takeWord(String word) {
            skip();
            int end = at + word.length();
            if (text.regionMatches(true, at, word, 0, word.length()) && (end == text.length() || !Character.isLetter(text.charAt(end)))) {
                at = end;
                return true;
            }
            return false;
        }

        private void skip() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
