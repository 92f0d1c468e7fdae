package com.thephillymojo.ws.localstack.ecr;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the registry sees of ECR: the repositories of every region's backend, by name. (On one
 * machine the registry has one address; a name in two regions resolves to the first.)
 */
public final class EcrRegistryView {
    private final Supplier<List<EcrBackend>> backends;

    public EcrRegistryView(Supplier<List<EcrBackend>> backends) {
        this.backends = backends;
    }

    private EcrBackend owner(String name) {
        for (EcrBackend backend : backends.get()) {
            if (backend.findRepo(name) != null) {
                return backend;
            }
        }
        return null;
    }

    public boolean exists(String name) {
        return owner(name) != null;
    }

    public EcrImage find(String name, String reference) {
        EcrBackend backend = owner(name);
        return backend == null ? null : backend.findImage(name, reference);
    }

    public void put(String name, EcrImage image, String tag) {
        EcrBackend backend = owner(name);
        if (backend != null) {
            backend.putImage(name, image, tag);
        }
    }
}
