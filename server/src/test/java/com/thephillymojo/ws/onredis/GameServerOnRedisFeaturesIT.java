package com.thephillymojo.ws.onredis;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasspathResource;
import org.junit.platform.suite.api.Suite;

/**
 * The same features/auth.feature and features/gameplay.feature, with the server keeping its state
 * in a real Redis (REDIS_URL) instead of its memory: one feature set, two stores.
 */
@Suite
@IncludeEngines("cucumber")
@SelectClasspathResource("features/auth.feature")
@SelectClasspathResource("features/gameplay.feature")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "com.thephillymojo.ws.features,com.thephillymojo.ws.onredis")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME, value = "pretty, html:target/cucumber/game-server-on-redis.html")
class GameServerOnRedisFeaturesIT {
}
