package com.thephillymojo.ws.play;

import java.time.Duration;

/**
 * The lobby's limits and timings.
 *
 * @param reconnectGrace    how long a player may be away before forfeiting the match
 * @param ratePerSecond     messages a connection may send per second, sustained
 * @param rateBurst         and in a burst
 * @param maxChatChars      the longest chat line
 * @param rememberedIds     how many recent command ids (and their answers) are kept per user
 * @param finishedRetention how long a finished (or abandoned) table is kept after its last change
 * @param heartbeatTtl      how long a task counts as alive after its last heartbeat (its connections with it)
 * @param answersTtl        how long a user's remembered answers outlive their last command
 */
public record PlayConfig(Duration reconnectGrace, int ratePerSecond, int rateBurst, int maxChatChars, int rememberedIds,
                         Duration finishedRetention, Duration heartbeatTtl, Duration answersTtl) {
    public static final PlayConfig DEFAULTS = new PlayConfig(Duration.ofSeconds(60), 20, 40, 500, 256, Duration.ofDays(1),
            Duration.ofSeconds(10), Duration.ofHours(1));
}
