package com.thephillymojo.ws.runbook.acceptance;

import static io.cucumber.junit.platform.engine.Constants.FILTER_TAGS_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasspathResource;
import org.junit.platform.suite.api.Suite;

/** Runs features/aws-faults.feature: the runbook's whole life on an emulator that injects AWS's faults. */
@Suite
@IncludeEngines("cucumber")
@SelectClasspathResource("features/aws-faults.feature")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "com.thephillymojo.ws.runbook.acceptance.faults")
@ConfigurationParameter(key = FILTER_TAGS_PROPERTY_NAME, value = "@runbook")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME, value = "pretty, html:target/cucumber/aws-faults.html")
class AwsFaultsFeatureIT {
}
