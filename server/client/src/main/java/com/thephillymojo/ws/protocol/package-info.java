/**
 * The protocol of docs/protocol.md as types: the commands a client sends
 * ({@link com.thephillymojo.ws.protocol.ClientCommand}), the messages the server sends
 * ({@link com.thephillymojo.ws.protocol.ServerMessage}, a sealed family of records) and the one
 * {@link com.thephillymojo.ws.protocol.Codec} that turns both into JSON and back, used by the server and every client
 * alike.
 */
package com.thephillymojo.ws.protocol;
