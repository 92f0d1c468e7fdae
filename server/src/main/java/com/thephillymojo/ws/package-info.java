/**
 * The server process: {@link com.thephillymojo.ws.WsServer} starts Jetty with {@code /ws} (the game's WebSocket,
 * after the origin and session checks), {@code /health} and {@code /metrics}, from a
 * {@link com.thephillymojo.ws.ServerConfig} read from the environment; {@link com.thephillymojo.ws.GameSocket} hands
 * each socket's frames to {@code play/}.
 */
package com.thephillymojo.ws;
