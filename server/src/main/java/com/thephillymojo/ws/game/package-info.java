/**
 * Backgammon's rules, with GNU Backgammon as the reference: positions and their gnubg IDs, dice, the legal
 * plays of a roll (every rule of using the dice), one {@link com.thephillymojo.ws.game.Game} with the cube and
 * resignations as a log of events it can be replayed from, and a {@link com.thephillymojo.ws.game.Match} to N
 * points with the Crawford rule. Pure and single-threaded: no I/O, no clock.
 */
package com.thephillymojo.ws.game;
