package com.thephillymojo.ws.localstack;

/** ARNs as AWS writes them. */
public final class Arns {
    private Arns() {
    }

    public static String of(String service, String region, String account, String resource) {
        return "arn:aws:" + service + ":" + region + ":" + account + ":" + resource;
    }
}
