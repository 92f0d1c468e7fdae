/**
 * The executor, {@code runbook/bin/runbook}: picocli commands ({@link com.thephillymojo.ws.runbook.cli.Runbook}) that each
 * read the environment, run the preflight checks they declare and then the scenarios of deploy.feature or
 * operations.feature through a Cucumber runtime built here ({@link com.thephillymojo.ws.runbook.cli.Scenarios}); the
 * choice of AWS or the emulator, the exit codes, and what a local apply leaves serving.
 */
package com.thephillymojo.ws.runbook.cli;
