/**
 * The deploy runbook: idempotent actions behind Cucumber steps and the executor CLI. Empty until
 * the runbook issue lands.
 */
package com.thephillymojo.ws.runbook;
