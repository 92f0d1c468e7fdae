/**
 * Play across tasks: a connection's commands routed, checked and applied to a table as one compare-and-set
 * on the store, and every change fanned out to the connections that care on any task — with presence, forfeits,
 * matchmaking and housekeeping each in their own class. {@link com.thephillymojo.ws.play.Lobby} is the package's
 * front; it builds protocol records, never JSON.
 */
package com.thephillymojo.ws.play;
