package com.thephillymojo.ws.localstack.protocol;

import java.util.function.BiFunction;

/**
 * One AWS service on the emulator's single endpoint: how its requests are recognised (the
 * {@code X-Amz-Target} prefix for awsJson, the API version for the query protocols), its XML
 * namespace, and how to make its backend for a region and account.
 *
 * @param signingName the service name in a SigV4 credential scope ({@code ecr}, {@code iam}, …)
 * @param global      one backend for all regions (IAM, Route53)
 * @param withoutOutput the operations whose model has no output: a query protocol answers them with
 *                      its metadata alone, no empty result element (AWS's IAM AttachRolePolicy, …)
 */
public record ServiceSpec(String signingName, Protocol protocol, String targetOrVersion, String namespace, boolean global,
                          BiFunction<String, String, Object> backendFactory, java.util.Set<String> withoutOutput) {
}
