/**
 * CloudWatch Logs on the emulator: log groups and streams with retention, the tasks' output as events, and
 * {@code FilterLogEvents} with CloudWatch's filter-pattern syntax ({@link com.thephillymojo.ws.localstack.logs.FilterPattern}).
 */
package com.thephillymojo.ws.localstack.logs;
