/**
 * The OCI distribution registry behind the emulated ECR: blobs and manifests pushed and pulled by real
 * clients (Jib, skopeo) with ECR's token, stored by digest.
 */
package com.thephillymojo.ws.localstack.registry;
