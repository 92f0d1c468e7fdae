/**
 * The Cucumber glue of deploy.feature and operations.feature: each step one action of {@code infra/}, on the
 * {@link com.thephillymojo.ws.runbook.steps.World} of its scenario, which the
 * {@link com.thephillymojo.ws.runbook.steps.ScenarioFactory} builds around the run's
 * {@link com.thephillymojo.ws.runbook.steps.Request}.
 */
package com.thephillymojo.ws.runbook.steps;
