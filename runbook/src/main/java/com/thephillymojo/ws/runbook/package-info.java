/**
 * The runbook's view of one environment: its {@link com.thephillymojo.ws.runbook.Settings} ({@code runbook/env/NAME.properties},
 * validated key by key), its {@link com.thephillymojo.ws.runbook.State} (what apply made, {@code runbook/state/NAME.json})
 * and the {@link com.thephillymojo.ws.runbook.Environment} a command reads once and passes down.
 */
package com.thephillymojo.ws.runbook;
