/**
 * Route 53 on the emulator: hosted zones, record sets (alias records to load balancers included) and change
 * batches (rest-xml); the names it holds are what the emulator's network resolves.
 */
package com.thephillymojo.ws.localstack.route53;
