package com.thephillymojo.ws.localstack.protocol;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkPojo;

/** Builders of SDK model classes, found once per class and kept. */
final class SdkPojos {
    private static final Map<Class<?>, Method> BUILDERS = new ConcurrentHashMap<>();

    private SdkPojos() {
    }

    /** A fresh builder of the model class (itself an SdkPojo whose fields can be set). */
    static SdkPojo builder(Class<?> modelClass) {
        Method builder = BUILDERS.computeIfAbsent(modelClass, c -> {
            try {
                return c.getMethod("builder");
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(c + " is not an SDK model class", e);
            }
        });
        try {
            return (SdkPojo) builder.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds a builder obtained from {@link #builder} or a field's constructor. */
    static Object build(SdkPojo builder) {
        return ((software.amazon.awssdk.utils.builder.SdkBuilder<?, ?>) builder).build();
    }
}
