/**
 * The operations dashboard ({@code runbook dashboard}): a page and its JSON API on 127.0.0.1 that show the
 * environment as the runbook reads it and the service as a browser sees it, and run deploy, scale, rollback and failover as
 * the runbook's own commands through the {@link com.thephillymojo.ws.runbook.dashboard.Operator} — guarded by a token,
 * the page's origin and host names.
 */
package com.thephillymojo.ws.runbook.dashboard;
