/**
 * Where the state of play lives: the {@link com.thephillymojo.ws.store.PlayStore} interface of atomic steps
 * (a table's compare-and-set, a user's seat, answered commands, connections, deadlines, the queue, the change feed),
 * made for Redis ({@link com.thephillymojo.ws.store.RedisStore}: Lua scripts over one Lettuce connection) and in memory
 * for a single task ({@link com.thephillymojo.ws.store.MemoryStore}); tables and the changes between tasks each have
 * one codec.
 */
package com.thephillymojo.ws.store;
