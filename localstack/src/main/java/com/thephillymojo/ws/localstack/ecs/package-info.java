/**
 * ECS on the emulator's control plane: clusters, task definitions and their revisions, services with their
 * deployments and rollout state, tasks and their lifecycle as the data plane reports it; the data plane
 * ({@code dataplane/}) runs what it wants.
 */
package com.thephillymojo.ws.localstack.ecs;
