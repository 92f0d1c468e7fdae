/**
 * Secrets Manager on the emulator: secrets, their versions and staging labels, deletion with a recovery
 * window and restore; the data plane resolves a task definition's secrets from here.
 */
package com.thephillymojo.ws.localstack.secrets;
