package com.thephillymojo.ws.localstack.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.thephillymojo.ws.localstack.AwsException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingKnownType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * JSON ↔ SDK model objects, driven by the SDK's own field metadata: the wire name of every
 * member, its type, list members and map values. Timestamps are epoch seconds, blobs Base64, as
 * the awsJson protocols have them. A value of the wrong JSON type is a SerializationException.
 */
public final class JsonCodec {
    static final ObjectMapper JSON = new ObjectMapper();

    private JsonCodec() {
    }

    public static <T> T read(JsonNode node, Class<T> modelClass) {
        SdkPojo builder = SdkPojos.builder(modelClass);
        fill(node, builder);
        return modelClass.cast(SdkPojos.build(builder));
    }

    private static void fill(JsonNode node, SdkPojo builder) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw serialization("expected an object");
        }
        for (SdkField<?> field : builder.sdkFields()) {
            if (field.location() != MarshallLocation.PAYLOAD) {
                continue;
            }
            JsonNode value = node.get(field.locationName());
            if (value == null || value.isNull()) {
                continue;
            }
            field.set(builder, value(field, value));
        }
    }

    private static Object value(SdkField<?> field, JsonNode value) {
        MarshallingKnownType type = field.marshallingType().getKnownType();
        String name = field.locationName();
        switch (type) {
            case STRING:
                if (!value.isTextual()) {
                    throw serialization("'" + name + "' must be a string");
                }
                return value.asText();
            case INTEGER:
                requireNumber(value, name);
                return value.asInt();
            case LONG:
                requireNumber(value, name);
                return value.asLong();
            case DOUBLE:
                requireNumber(value, name);
                return value.asDouble();
            case FLOAT:
                requireNumber(value, name);
                return (float) value.asDouble();
            case BOOLEAN:
                if (!value.isBoolean()) {
                    throw serialization("'" + name + "' must be a boolean");
                }
                return value.asBoolean();
            case INSTANT:
                if (value.isNumber()) {
                    return Instant.ofEpochMilli(Math.round(value.asDouble() * 1000));
                }
                try {
                    return Instant.parse(value.asText());
                } catch (RuntimeException e) {
                    throw serialization("'" + name + "' must be a timestamp");
                }
            case SDK_BYTES:
                return SdkBytes.fromByteArray(Base64.getDecoder().decode(value.asText()));
            case SDK_POJO: {
                SdkPojo nested = field.constructor().get();
                fill(value, nested);
                return SdkPojos.build(nested);
            }
            case LIST: {
                if (!value.isArray()) {
                    throw serialization("'" + name + "' must be a list");
                }
                SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
                List<Object> list = new ArrayList<>();
                for (JsonNode item : value) {
                    list.add(value(member, item));
                }
                return list;
            }
            case MAP: {
                if (!value.isObject()) {
                    throw serialization("'" + name + "' must be a map");
                }
                SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    map.put(e.getKey(), value(member, e.getValue()));
                }
                return map;
            }
            default:
                throw serialization("'" + name + "' has an unsupported type " + type);
        }
    }

    private static void requireNumber(JsonNode value, String name) {
        if (!value.isNumber()) {
            throw serialization("'" + name + "' must be a number");
        }
    }

    private static AwsException serialization(String message) {
        return new AwsException("SerializationException", message);
    }

    public static ObjectNode write(SdkPojo pojo) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            if (field.location() != MarshallLocation.PAYLOAD) {
                continue;
            }
            Object value = field.getValueOrDefault(pojo);
            JsonNode json = json(field, value);
            if (json != null) {
                node.set(field.locationName(), json);
            }
        }
        return node;
    }

    private static JsonNode json(SdkField<?> field, Object value) {
        if (value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap) {
            return null;
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (field.marshallingType().getKnownType()) {
            case STRING: return f.textNode(value.toString());
            case INTEGER: return f.numberNode((Integer) value);
            case LONG: return f.numberNode((Long) value);
            case DOUBLE: return f.numberNode((Double) value);
            case FLOAT: return f.numberNode((Float) value);
            case BOOLEAN: return f.booleanNode((Boolean) value);
            case INSTANT: {
                Instant t = (Instant) value;
                return f.numberNode(BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3));
            }
            case SDK_BYTES: return f.textNode(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArray()));
            case SDK_POJO: return write((SdkPojo) value);
            case LIST: {
                SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
                ArrayNode array = f.arrayNode();
                for (Object item : (List<?>) value) {
                    JsonNode j = json(member, item);
                    array.add(j == null ? f.nullNode() : j);
                }
                return array;
            }
            case MAP: {
                SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
                ObjectNode map = f.objectNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    map.set(e.getKey().toString(), json(member, e.getValue()));
                }
                return map;
            }
            default:
                return null;
        }
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
