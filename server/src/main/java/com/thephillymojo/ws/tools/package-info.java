/**
 * Command-line tools over the rules: {@code bgmoves} lists a position's legal plays for a roll, in gnubg's
 * notation, so the rules can be compared with GNU Backgammon's line by line.
 */
package com.thephillymojo.ws.tools;
