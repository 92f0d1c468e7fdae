/**
 * The emulator's composition root and what every backend shares. {@link com.thephillymojo.ws.localstack.LocalAws}
 * starts it from {@link com.thephillymojo.ws.localstack.LocalAws.Options} (port, account, data plane on or off,
 * the {@link com.thephillymojo.ws.localstack.LocalAws.Timing} of AWS's slow transitions); the
 * {@link com.thephillymojo.ws.localstack.Edge} is its one HTTP endpoint (the AWS APIs and the {@code /_localaws}
 * admin routes); {@link com.thephillymojo.ws.localstack.LocalNetwork} is the machine-side of its names (resolving,
 * the CA and trust stores, the tasks' hosts file, the hints for tools); the backends live in a registry typed by
 * {@link com.thephillymojo.ws.localstack.Backend}, one per service and region. {@link com.thephillymojo.ws.localstack.AwsTarget}
 * is how clients (the runbook, tests) reach AWS or an emulator with the real SDK.
 */
package com.thephillymojo.ws.localstack;
