package com.thephillymojo.ws.localstack;

/** Who is asking, where: the region, account and access key of one request, as its signature says ("" unsigned). */
public record RequestContext(String region, String account, String requestId, String accessKeyId) {
}
