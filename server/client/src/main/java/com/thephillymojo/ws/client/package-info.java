/**
 * A player's side of the protocol over a real WebSocket: {@link com.thephillymojo.ws.client.PlayerClient} sends typed
 * commands and waits for typed messages, {@link com.thephillymojo.ws.client.Bot} is the one "roll, or play a legal
 * play" the smoke game, the load generator, the drills and the tests share.
 */
package com.thephillymojo.ws.client;
