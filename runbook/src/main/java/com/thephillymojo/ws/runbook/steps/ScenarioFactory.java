package com.thephillymojo.ws.runbook.steps;

import io.cucumber.core.backend.ObjectFactory;
import java.util.LinkedHashSet;
import java.util.Set;
import org.picocontainer.DefaultPicoContainer;
import org.picocontainer.MutablePicoContainer;
import org.picocontainer.behaviors.Caching;

/**
 * Cucumber's object factory for one run of the runbook: a PicoContainer per scenario, holding the
 * run's {@link Request} and one instance of each glue class, each given what its constructor asks
 * for ({@link World} the request, the steps the world). This is how the cloud reaches the steps:
 * the executor hands the factory to the Cucumber runtime it builds, no static in between.
 */
public final class ScenarioFactory implements ObjectFactory {
    private final Request request;
    private final Set<Class<?>> glue = new LinkedHashSet<>();
    private MutablePicoContainer scenario;

    public ScenarioFactory(Request request) {
        this.request = request;
    }

    @Override
    public boolean addClass(Class<?> glueClass) {
        glue.add(glueClass);
        return true;
    }

    @Override
    public void start() {
        scenario = new DefaultPicoContainer(new Caching());
        scenario.addComponent(Request.class, request);
        glue.forEach(scenario::addComponent);
        scenario.start();
    }

    @Override
    public void stop() {
        if (scenario != null) {
            scenario.stop();
            scenario.dispose();
            scenario = null;
        }
    }

    @Override
    public <T> T getInstance(Class<T> glueClass) {
        if (scenario == null) {
            throw new IllegalStateException("no scenario runs: " + glueClass.getName() + " is asked for outside one");
        }
        T instance = scenario.getComponent(glueClass);
        if (instance == null) {
            throw new IllegalStateException(glueClass.getName() + " is not glue of the runbook");
        }
        return instance;
    }
}
