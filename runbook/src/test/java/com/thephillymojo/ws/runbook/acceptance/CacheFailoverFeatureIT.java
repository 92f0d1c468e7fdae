package com.thephillymojo.ws.runbook.acceptance;

import static io.cucumber.junit.platform.engine.Constants.FILTER_TAGS_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasspathResource;
import org.junit.platform.suite.api.Suite;

/**
 * Runs features/cache-failover.feature: the local environment applied by the runbook on an
 * emulator of its own, a match played through its load balancer while its cache fails over.
 */
@Suite
@IncludeEngines("cucumber")
@SelectClasspathResource("features/cache-failover.feature")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "com.thephillymojo.ws.runbook.acceptance.failover")
@ConfigurationParameter(key = FILTER_TAGS_PROPERTY_NAME, value = "@runbook")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME, value = "pretty, html:target/cucumber/cache-failover.html")
class CacheFailoverFeatureIT {
}
