/**
 * The AWS wire protocols the emulator speaks — awsJson, query, ec2 query and rest-xml — read from and written
 * to the SDK's own model classes: a backend operation is one method taking the SDK request and returning the SDK
 * response; the {@link com.thephillymojo.ws.localstack.protocol.Dispatcher} routes a request to it and renders the
 * result or the AWS error.
 */
package com.thephillymojo.ws.localstack.protocol;
