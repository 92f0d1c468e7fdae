package com.thephillymojo.ws.localstack.protocol;

import com.thephillymojo.ws.localstack.AwsException;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.traits.ListTrait;

/**
 * restXml requests (Route53) → SDK model objects, driven by the SDK's field metadata: members in
 * the URI path, in the query string and in the XML body.
 */
public final class RestXmlCodec {
    private RestXmlCodec() {
    }

    public static <T> T read(Map<String, String> path, Map<String, String> query, byte[] body, Class<T> modelClass) {
        SdkPojo builder = SdkPojos.builder(modelClass);
        Element root = body.length == 0 ? null : parse(body);
        for (SdkField<?> field : builder.sdkFields()) {
            Object value = null;
            if (field.location() == MarshallLocation.PATH) {
                value = scalar(field, path.get(field.locationName()));
            } else if (field.location() == MarshallLocation.QUERY_PARAM) {
                value = scalar(field, query.get(field.locationName()));
            } else if (field.location() == MarshallLocation.PAYLOAD && root != null) {
                Element child = child(root, field.locationName());
                value = child == null ? null : value(field, child);
            }
            if (value != null) {
                field.set(builder, value);
            }
        }
        return modelClass.cast(SdkPojos.build(builder));
    }

    private static Element parse(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (Exception e) {
            throw new AwsException("InvalidInput", "The XML document is malformed: " + e.getMessage());
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName() == null ? e.getTagName() : e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent) {
        List<Element> list = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                list.add(e);
            }
        }
        return list;
    }

    private static Object value(SdkField<?> field, Element element) {
        switch (field.marshallingType().getKnownType()) {
            case SDK_POJO: {
                SdkPojo nested = field.constructor().get();
                for (SdkField<?> f : nested.sdkFields()) {
                    Element c = child(element, f.locationName());
                    if (c != null) {
                        f.set(nested, value(f, c));
                    }
                }
                return SdkPojos.build(nested);
            }
            case LIST: {
                SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
                List<Object> list = new ArrayList<>();
                for (Element item : children(element)) {
                    list.add(value(member, item));
                }
                return list;
            }
            default:
                return scalar(field, element.getTextContent().trim());
        }
    }

    private static Object scalar(SdkField<?> field, String text) {
        if (text == null) {
            return null;
        }
        try {
            switch (field.marshallingType().getKnownType()) {
                case INTEGER: return Integer.parseInt(text);
                case LONG: return Long.parseLong(text);
                case BOOLEAN: return Boolean.parseBoolean(text);
                case INSTANT: return Instant.parse(text);
                default: return text;
            }
        } catch (RuntimeException e) {
            throw new AwsException("InvalidInput", "Invalid value '" + text + "' for " + field.locationName());
        }
    }
}
