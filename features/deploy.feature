@runbook
Feature: Deploy the WebSocket service
  The real-time backgammon service runs as a Fargate service behind an Application Load
  Balancer and answers browsers at wss://ws.thephillymojo.com/ws. This is the deploy runbook:
  `runbook/bin/runbook --env NAME apply` runs it, `plan` runs it without changing anything.
  Each step finds one resource and either leaves it ("unchanged"), corrects what differs
  ("changed", saying what), or makes it ("created"). What differs between environments — the
  region, the host name and its hosted zone, the network, sizes, the secret's name — is in
  runbook/env/NAME.properties; the names below are the product's own.

  @resources
  Scenario: The image
    Given the ECR repository "thephillymojo-ws" scans images on push and expires old ones
    And the server image is built with Jib and pushed to "thephillymojo-ws" under the release tag

  @resources
  Scenario: What a task needs to start: the secrets, the log group and the execution role
    Given the NextAuth secret is kept in Secrets Manager
    And the cache's auth token is generated once and kept in Secrets Manager as "thephillymojo-ws/cache"
    And the log group "/ecs/thephillymojo-ws" keeps the tasks' logs
    And the task execution role "thephillymojo-ws-task-execution" may pull the image, write the logs and read both secrets

  @resources
  Scenario: The network: who may talk to whom
    Given the security group "thephillymojo-ws-alb" admits HTTPS on 443 and HTTP on 80 from anywhere
    And the security group "thephillymojo-ws-tasks" admits port 8080 from "thephillymojo-ws-alb" only
    And the security group "thephillymojo-ws-cache" admits port 6379 from "thephillymojo-ws-tasks" only

  @resources
  Scenario: The cache: where every task keeps the games
    Any task serves any player because the tables, queues and presence live here, not in a task.
    Given the cache subnet group "thephillymojo-ws-cache" spans the environment's subnets
    And the replication group "thephillymojo-ws" runs the environment's engine and nodes in "thephillymojo-ws-cache", encrypted in transit and opened with the auth token only
    And the cache's address is kept with its token in Secrets Manager

  @resources
  Scenario: The certificate
    Given the hosted zone of the environment's domain
    And an ACM certificate for the service's host name, validated through Route53

  @resources
  Scenario: The load balancer
    Given the load balancer "thephillymojo-ws-alb" is internet-facing with an idle timeout of 3600 seconds
    And the target group "thephillymojo-ws-tg" sends HTTP to port 8080 and checks health at "/health"
    And "thephillymojo-ws-alb" serves HTTPS on 443 with the certificate, forwarding to "thephillymojo-ws-tg"
    And "thephillymojo-ws-alb" redirects HTTP on 80 to HTTPS

  @resources
  Scenario: The service
    Given the ECS cluster "thephillymojo-ws"
    And the task definition "thephillymojo-ws" runs the image on port 8080 with NEXTAUTH_URL, ALLOWED_ORIGINS, BIND_ADDRESS and REDIS_ACK_REPLICAS as environment and NEXTAUTH_SECRET and REDIS_URL from Secrets Manager
    And the Fargate service "thephillymojo-ws" runs it in "thephillymojo-ws" behind "thephillymojo-ws-tg", with the deployment circuit breaker and rollback

  @resources
  Scenario: The name
    Given the service's host name is an alias of "thephillymojo-ws-alb"

  @smoke
  Scenario: Smoke test through the public name
    Then "/health" answers 200 over HTTPS at the service's host name
    And two signed-in players play a game to its end over the service's WebSocket
    And a WebSocket upgrade from another site's page is refused with 403
