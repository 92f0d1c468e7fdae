/**
 * Proof that a deployed service serves players: a smoke game and a long match played through its public
 * name with the service's own client (signed-in players, real WebSockets over TLS), and the HTTP client that
 * reaches the name wherever it resolves.
 */
package com.thephillymojo.ws.runbook.smoke;
