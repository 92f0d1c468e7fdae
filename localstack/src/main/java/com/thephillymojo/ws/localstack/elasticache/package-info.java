/**
 * ElastiCache on the emulator: subnet groups and replication groups (Valkey or Redis OSS, cluster mode off)
 * with their node groups, members, endpoints, transit encryption and auth tokens, modification and replica counts;
 * {@code dataplane.CachePlane} runs the nodes.
 */
package com.thephillymojo.ws.localstack.elasticache;
