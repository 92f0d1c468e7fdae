package com.thephillymojo.ws.play;

import java.time.Duration;

/**
 * The lobby's limits and timings.
 *
 * @param reconnectGrace   how long a player may be away before forfeiting the match
 * @param ratePerSecond    messages a connection may send per second, sustained
 * @param rateBurst        and in a burst
 * @param maxChatChars     the longest chat line
 * @param rememberedIds    how many recent command ids (and their answers) are kept per user
 */
public record PlayConfig(Duration reconnectGrace, int ratePerSecond, int rateBurst, int maxChatChars, int rememberedIds) {
    public static final PlayConfig DEFAULTS = new PlayConfig(Duration.ofSeconds(60), 20, 40, 500, 256);
}
