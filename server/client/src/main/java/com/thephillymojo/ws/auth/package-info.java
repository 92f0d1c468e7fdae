/**
 * Sessions as the Next.js app makes them: NextAuth's encrypted session cookie read and checked
 * ({@link com.thephillymojo.ws.auth.SessionCheck}: JWE with the key HKDF derives from the app's secret, expiry,
 * chunked cookies), minted the same way for tests and the runbook's smoke game
 * ({@link com.thephillymojo.ws.auth.SessionMinter}), and which origins may open a socket.
 */
package com.thephillymojo.ws.auth;
