package com.thephillymojo.ws.runbook.acceptance;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasspathResource;
import org.junit.platform.suite.api.Suite;

/** Runs features/preflight.feature: the runbook as its own process, against an emulator of each scenario's own. */
@Suite
@IncludeEngines("cucumber")
@SelectClasspathResource("features/preflight.feature")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "com.thephillymojo.ws.runbook.acceptance")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME, value = "pretty, html:target/cucumber/preflight.html")
class PreflightFeatureIT {
}
