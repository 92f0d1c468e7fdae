/**
 * Elastic Load Balancing v2 on the emulator: application load balancers, their attributes, listeners and
 * certificates, target groups with their health checks, and target registration and health as the data
 * plane reports it.
 */
package com.thephillymojo.ws.localstack.elbv2;
