package com.thephillymojo.ws.localstack;

/** Who is asking, where: the region and account of one request, as its signature says. */
public record RequestContext(String region, String account, String requestId) {
}
