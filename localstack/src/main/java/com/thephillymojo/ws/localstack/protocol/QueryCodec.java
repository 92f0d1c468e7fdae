package com.thephillymojo.ws.localstack.protocol;

import com.thephillymojo.ws.localstack.AwsException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * The query protocols, driven by the SDK's field metadata: form parameters → model objects
 * ({@code Tags.member.1.Key} in awsQuery, {@code Filter.1.Value.1} in ec2Query) and model objects →
 * the XML the SDK and botocore read ({@code <member>} or {@code <item>} list entries).
 */
public final class QueryCodec {
    private final boolean ec2;

    public QueryCodec(boolean ec2) {
        this.ec2 = ec2;
    }

    public <T> T read(Map<String, String> params, Class<T> modelClass) {
        SdkPojo builder = SdkPojos.builder(modelClass);
        fill(params, "", builder);
        return modelClass.cast(SdkPojos.build(builder));
    }

    private void fill(Map<String, String> params, String prefix, SdkPojo builder) {
        for (SdkField<?> field : builder.sdkFields()) {
            if (field.location() != MarshallLocation.PAYLOAD) {
                continue;
            }
            Object value = value(params, prefix + field.locationName(), field);
            if (value != null) {
                field.set(builder, value);
            }
        }
    }

    private Object value(Map<String, String> params, String key, SdkField<?> field) {
        switch (field.marshallingType().getKnownType()) {
            case SDK_POJO: {
                if (!hasPrefix(params, key + ".")) {
                    return null;
                }
                SdkPojo nested = field.constructor().get();
                fill(params, key + ".", nested);
                return SdkPojos.build(nested);
            }
            case LIST: {
                ListTrait trait = field.getTrait(ListTrait.class);
                String base = ec2 || trait.isFlattened() ? key + "." : key + "." + memberName(trait) + ".";
                if ("".equals(params.get(key))) {
                    return new ArrayList<>();
                }
                List<Object> list = new ArrayList<>();
                for (int i = 1; hasPrefix(params, base + i); i++) {
                    Object item = value(params, base + i, trait.memberFieldInfo());
                    if (item != null) {
                        list.add(item);
                    }
                }
                return list.isEmpty() ? null : list;
            }
            case MAP: {
                MapTrait trait = field.getTrait(MapTrait.class);
                String base = trait.isFlattened() ? key + "." : key + ".entry.";
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 1; hasPrefix(params, base + i); i++) {
                    String k = params.get(base + i + "." + nonEmpty(trait.keyLocationName(), "key"));
                    Object v = value(params, base + i + "." + nonEmpty(trait.valueLocationName(), "value"), trait.valueFieldInfo());
                    if (k != null) {
                        map.put(k, v);
                    }
                }
                return map.isEmpty() ? null : map;
            }
            default:
                String text = params.get(key);
                return text == null ? null : scalar(field, text, key);
        }
    }

    private static String memberName(ListTrait trait) {
        return nonEmpty(trait.memberLocationName(), "member");
    }

    private static String nonEmpty(String s, String otherwise) {
        return s == null || s.isEmpty() ? otherwise : s;
    }

    private static boolean hasPrefix(Map<String, String> params, String prefix) {
        for (String k : params.keySet()) {
            if (k.equals(prefix) || k.startsWith(prefix + ".") || (prefix.endsWith(".") && k.startsWith(prefix))) {
                return true;
            }
        }
        return false;
    }

    private static Object scalar(SdkField<?> field, String text, String key) {
        try {
            switch (field.marshallingType().getKnownType()) {
                case STRING: return text;
                case INTEGER: return Integer.parseInt(text);
                case LONG: return Long.parseLong(text);
                case DOUBLE: return Double.parseDouble(text);
                case FLOAT: return Float.parseFloat(text);
                case BOOLEAN:
                    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException();
                    }
                    return Boolean.parseBoolean(text);
                case INSTANT: return Instant.parse(text);
                case SDK_BYTES: return SdkBytes.fromByteArray(Base64.getDecoder().decode(text));
                default: return text;
            }
        } catch (RuntimeException e) {
            throw new AwsException(key.contains("Filter") ? "InvalidParameterValue" : "ValidationException",
                    "Invalid value '" + text + "' for " + key);
        }
    }

    // ---- XML out ------------------------------------------------------------------------------

    /** The whole response document of an operation; {@code output}: whether its model has an output (else no result element). */
    public String response(String operation, String namespace, String requestId, SdkPojo result, boolean output) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append('<').append(operation).append("Response xmlns=\"").append(namespace).append("\">");
        if (ec2) {
            xml.append("<requestId>").append(requestId).append("</requestId>");
            members(xml, result);
        } else {
            if (output) {
                // an operation without output (IAM's AttachRolePolicy, …) answers with its metadata alone, as AWS does;
                // one whose output has no members (ELBv2's RegisterTargets) with an empty result element
                xml.append('<').append(operation).append("Result>");
                members(xml, result);
                xml.append("</").append(operation).append("Result>");
            }
            xml.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata>");
        }
        xml.append("</").append(operation).append("Response>");
        return xml.toString();
    }

    /** A restXml response document: the root element and the payload members, as Route53 writes them. */
    public String document(String root, String namespace, SdkPojo result) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append('<').append(root).append(" xmlns=\"").append(namespace).append("\">");
        members(xml, result);
        xml.append("</").append(root).append('>');
        return xml.toString();
    }

    public String error(AwsException e, String namespace, String requestId) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        if (ec2) {
            xml.append("<Response><Errors><Error><Code>").append(escape(e.code())).append("</Code><Message>")
                    .append(escape(e.getMessage())).append("</Message></Error></Errors><RequestID>").append(requestId)
                    .append("</RequestID></Response>");
        } else {
            xml.append("<ErrorResponse xmlns=\"").append(namespace).append("\"><Error><Type>")
                    .append(e.isSender() ? "Sender" : "Receiver").append("</Type><Code>").append(escape(e.code()))
                    .append("</Code><Message>").append(escape(e.getMessage())).append("</Message></Error><RequestId>")
                    .append(requestId).append("</RequestId></ErrorResponse>");
        }
        return xml.toString();
    }

    private void members(StringBuilder xml, SdkPojo pojo) {
        for (SdkField<?> field : pojo.sdkFields()) {
            if (field.location() != MarshallLocation.PAYLOAD) {
                continue;
            }
            element(xml, name(field), field, field.getValueOrDefault(pojo));
        }
    }

    private static String name(SdkField<?> field) {
        return nonEmpty(field.unmarshallLocationName(), field.locationName());
    }

    private void element(StringBuilder xml, String name, SdkField<?> field, Object value) {
        if (value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap) {
            return;
        }
        switch (field.marshallingType().getKnownType()) {
            case SDK_POJO:
                xml.append('<').append(name).append('>');
                members(xml, (SdkPojo) value);
                xml.append("</").append(name).append('>');
                return;
            case LIST: {
                ListTrait trait = field.getTrait(ListTrait.class);
                SdkField<?> member = trait.memberFieldInfo();
                if (trait.isFlattened()) {
                    for (Object item : (List<?>) value) {
                        element(xml, name, member, item);
                    }
                    return;
                }
                String memberName = nonEmpty(trait.memberLocationName(), ec2 ? "item" : "member");
                xml.append('<').append(name).append('>');
                for (Object item : (List<?>) value) {
                    element(xml, memberName, member, item);
                }
                xml.append("</").append(name).append('>');
                return;
            }
            case MAP: {
                MapTrait trait = field.getTrait(MapTrait.class);
                xml.append('<').append(name).append('>');
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    xml.append("<entry><").append(nonEmpty(trait.keyLocationName(), "key")).append('>').append(escape(e.getKey().toString()))
                            .append("</").append(nonEmpty(trait.keyLocationName(), "key")).append('>');
                    element(xml, nonEmpty(trait.valueLocationName(), "value"), trait.valueFieldInfo(), e.getValue());
                    xml.append("</entry>");
                }
                xml.append("</").append(name).append('>');
                return;
            }
            case INSTANT:
                text(xml, name, DateTimeFormatter.ISO_INSTANT.format(((Instant) value).truncatedTo(ChronoUnit.MILLIS)));
                return;
            case SDK_BYTES:
                text(xml, name, Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArray()));
                return;
            default:
                text(xml, name, value.toString());
        }
    }

    private static void text(StringBuilder xml, String name, String text) {
        xml.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&apos;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }
}
