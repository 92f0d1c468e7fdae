/**
 * What is made sure of before a command changes anything: who the caller is and that it is the
 * environment's account, the hosted zone, and — through IAM's policy simulator — that the caller may make every call
 * the command makes ({@link com.thephillymojo.ws.runbook.preflight.Needs}, from {@code iam/commands.json}).
 */
package com.thephillymojo.ws.runbook.preflight;
