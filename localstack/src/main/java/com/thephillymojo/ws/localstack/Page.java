package com.thephillymojo.ws.localstack;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of a list, the way AWS pages: {@code nextToken} is where to resume (here the index of
 * the next item), absent on the last page.
 */
public record Page<T>(List<T> items, String nextToken) {

    /** The page of {@code all} that starts at {@code nextToken} and holds up to {@code max} items. */
    public static <T> Page<T> of(List<T> all, String nextToken, Integer max, int defaultMax) {
        int start = start(nextToken);
        int size = max == null ? defaultMax : max;
        int end = Math.min(all.size(), start + size);
        return new Page<>(new ArrayList<>(all.subList(Math.min(start, end), end)), end < all.size() ? String.valueOf(end) : null);
    }

    private static int start(String nextToken) {
        if (nextToken == null || nextToken.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(nextToken);
        } catch (NumberFormatException e) {
            throw new AwsException("InvalidParameterException", "Invalid NextToken");
        }
    }
}
