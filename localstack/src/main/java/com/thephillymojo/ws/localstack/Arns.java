package com.thephillymojo.ws.localstack;

/** ARNs as AWS writes them. */
public final class Arns {
    private Arns() {
    }

    public static String of(String service, String region, String account, String resource) {
        return "arn:aws:" + service + ":" + region + ":" + account + ":" + resource;
    }

    /** Pages a list the way AWS does: {@code nextToken} is the index to resume at. */
    public static int start(String nextToken) {
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
