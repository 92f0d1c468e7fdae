/**
 * ACM on the emulator: certificates requested with DNS validation, issued by the emulator's own
 * {@link com.thephillymojo.ws.localstack.acm.CertificateAuthority} once the validation record resolves, and the key
 * material the load balancer's listeners terminate TLS with.
 */
package com.thephillymojo.ws.localstack.acm;
