/**
 * The server's event log: one JSON line per event on stdout (what CloudWatch Logs keeps), at the level the
 * configuration says, with no secret, cookie or token in any line.
 */
package com.thephillymojo.ws.log;
