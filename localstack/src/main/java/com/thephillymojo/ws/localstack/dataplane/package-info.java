/**
 * What the emulator runs for real, reading what the control-plane backends want: ECS tasks as
 * processes of their image's layers ({@link com.thephillymojo.ws.localstack.dataplane.TaskPlane}: lifecycle, launcher,
 * service scheduler), load balancer listeners that terminate TLS and proxy HTTP and WebSockets to healthy
 * targets ({@link com.thephillymojo.ws.localstack.dataplane.LoadBalancerPlane}, {@link com.thephillymojo.ws.localstack.dataplane.ListenerProxy}),
 * and cache nodes as real {@code redis-server} processes ({@link com.thephillymojo.ws.localstack.dataplane.CachePlane}).
 * Every change goes back to the backends as an atomic transition on their current state; a watchdog ends every
 * child process with the emulator.
 */
package com.thephillymojo.ws.localstack.dataplane;
