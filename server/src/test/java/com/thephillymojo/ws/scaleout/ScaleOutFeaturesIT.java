package com.thephillymojo.ws.scaleout;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasspathResource;
import org.junit.platform.suite.api.Suite;

/** Runs features/scale-out.feature: three server processes (server/bin/ws-server) on one redis-server, after `package`. */
@Suite
@IncludeEngines("cucumber")
@SelectClasspathResource("features/scale-out.feature")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "com.thephillymojo.ws.scaleout")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME, value = "pretty, html:target/cucumber/scale-out.html")
class ScaleOutFeaturesIT {
}
