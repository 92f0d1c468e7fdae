/**
 * Stand-ins for what production has around the service: the Next.js app's sign-in (a NextAuth session cookie
 * for the zone's domain, with the environment's secret) and the command line that opens Chromium on the local
 * environment's names.
 */
package com.thephillymojo.ws.runbook.standin;
