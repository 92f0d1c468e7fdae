/**
 * Test support for whoever tests against an AWS: a JUnit extension that gives tests one emulator for the whole run
 * ({@link com.thephillymojo.ws.localstack.testing.LocalAwsExtension}), the Testcontainers LocalStack backend
 * ({@link com.thephillymojo.ws.localstack.testing.LocalStackContainers}) and the choice between them by setting
 * ({@link com.thephillymojo.ws.localstack.testing.TestTargets}). A test-scope artifact: no production classpath
 * carries it.
 */
package com.thephillymojo.ws.localstack.testing;
