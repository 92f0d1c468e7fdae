/**
 * STS on the emulator: who the caller is ({@code GetCallerIdentity}) in the emulator's account, and
 * {@code AssumeRole}.
 */
package com.thephillymojo.ws.localstack.sts;
