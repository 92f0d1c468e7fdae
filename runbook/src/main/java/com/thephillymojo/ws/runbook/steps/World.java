package com.thephillymojo.ws.runbook.steps;

import com.thephillymojo.ws.runbook.infra.Caches;
import com.thephillymojo.ws.runbook.infra.Certificates;
import com.thephillymojo.ws.runbook.infra.Cloud;
import com.thephillymojo.ws.runbook.infra.Containers;
import com.thephillymojo.ws.runbook.infra.Dns;
import com.thephillymojo.ws.runbook.infra.LoadBalancing;
import com.thephillymojo.ws.runbook.infra.LogGroups;
import com.thephillymojo.ws.runbook.infra.Network;
import com.thephillymojo.ws.runbook.infra.Registry;
import com.thephillymojo.ws.runbook.infra.Roles;
import com.thephillymojo.ws.runbook.infra.Secrets;
import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import java.util.Optional;

/**
 * The world of one scenario: the environment and the actions on it. Resource names come from the
 * feature files; apply records them in the state (key {@code name.KIND}), where the operations
 * (deploy, scale, rollback, status, destroy) find them.
 */
public final class World {
    final Request request;
    final Cloud cloud;
    final Registry registry;
    final Secrets secrets;
    final LogGroups logGroups;
    final Roles roles;
    final Network network;
    final Dns dns;
    final Certificates certificates;
    final LoadBalancing loadBalancing;
    final Containers containers;
    final Caches caches;
    Scenario scenario;

    public World(Request request) {
        this.request = request;
        cloud = request.cloud();
        registry = new Registry(cloud);
        secrets = new Secrets(cloud);
        logGroups = new LogGroups(cloud);
        roles = new Roles(cloud);
        network = new Network(cloud);
        dns = new Dns(cloud);
        certificates = new Certificates(cloud, dns);
        loadBalancing = new LoadBalancing(cloud);
        containers = new Containers(cloud, loadBalancing);
        caches = new Caches(cloud, secrets);
    }

    @Before
    public void begin(Scenario scenario) {
        this.scenario = scenario;
        cloud.journal.mirrorTo(scenario::log);
        cloud.journal.note(scenario.getName());
        String failure = request.firstFailure().get();
        if (failure != null) {
            throw new IllegalStateException("not run: it builds on what failed before (" + failure + ")");
        }
    }

    /** Records the feature's name for a kind of resource (a plan's state is kept in memory only). */
    void name(String kind, String name) {
        cloud.state.put("name." + kind, name);
    }

    /** The name apply recorded for a kind of resource. */
    String name(String kind) {
        return cloud.state.get("name." + kind).orElseThrow(() -> new IllegalStateException("the state file " + cloud.state.file()
                + " records no " + kind + ": run apply for this environment first"));
    }

    Optional<String> recorded(String kind) {
        return cloud.state.get("name." + kind);
    }

}
