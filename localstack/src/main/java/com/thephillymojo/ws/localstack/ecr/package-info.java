/**
 * ECR on the emulator: repositories, their policies and lifecycle, images by tag and digest, and the
 * authorization token that lets the OCI registry ({@code registry/}) accept a push from Jib or skopeo.
 */
package com.thephillymojo.ws.localstack.ecr;
