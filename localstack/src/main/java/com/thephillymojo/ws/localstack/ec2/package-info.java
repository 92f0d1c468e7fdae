/**
 * EC2 on the emulator, as far as the deploy needs it: the default VPC, its subnets and security groups with
 * their rules (the query protocol, with EC2's own error codes).
 */
package com.thephillymojo.ws.localstack.ec2;
