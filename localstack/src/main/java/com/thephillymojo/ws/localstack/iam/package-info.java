/**
 * IAM on the emulator: roles, their managed and inline policies, and the policy
 * simulator ({@link com.thephillymojo.ws.localstack.iam.PolicyEvaluation}) the runbook's preflight asks.
 */
package com.thephillymojo.ws.localstack.iam;
