/**
 * The runbook's actions on AWS, one class per part of the topology (registry, secrets, log groups, roles,
 * network, DNS, certificates, load balancing, containers, caches), each finding what exists by name, then making,
 * changing or only planning what the feature asks — through one {@link com.thephillymojo.ws.runbook.infra.Cloud}
 * per run, reporting every outcome to its journal. Nothing here knows about Cucumber.
 */
package com.thephillymojo.ws.runbook.infra;
