package com.thephillymojo.ws.features;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasspathResource;
import org.junit.platform.suite.api.Suite;

/** Runs features/auth.feature and features/gameplay.feature against the server on a free port. */
@Suite
@IncludeEngines("cucumber")
@SelectClasspathResource("features/auth.feature")
@SelectClasspathResource("features/gameplay.feature")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "com.thephillymojo.ws.features")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME, value = "pretty, html:target/cucumber/game-server.html")
class GameServerFeaturesIT {
}
