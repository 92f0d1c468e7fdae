package com.thephillymojo.ws.features;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasspathResource;
import org.junit.platform.suite.api.Suite;

/** Runs features/rules.feature against the packaged bgmoves tool (after `package`, under failsafe). */
@Suite
@IncludeEngines("cucumber")
@SelectClasspathResource("features/rules.feature")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "com.thephillymojo.ws.features")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME, value = "pretty, html:target/cucumber/rules.html")
class RulesFeatureIT {
}
