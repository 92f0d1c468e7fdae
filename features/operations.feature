@runbook
Feature: Operate the WebSocket service
  One command of the executor each (`runbook/bin/runbook --env NAME deploy --tag v2`,
  `scale --count 2`, `status`, `rollback`, `failover`, `rotate-cache-token`, `destroy`; and on
  the local environment `drill --tag v3`); the operations dashboard (`runbook --env NAME
  dashboard`) runs the same scenarios from its deploy, scale, rollback and failover buttons. They work on what `apply` made and
  recorded in the environment's state file. The image tag and the count are the operator's, from
  the command line or the dashboard.

  @deploy
  Scenario: Deploy a new image tag
    When the requested image tag is built and pushed
    And the service is updated to a task definition revision running it
    Then the rolling update has completed: the service is stable on that revision
    And every target of the service is healthy

  @scale
  Scenario: Scale the service
    When the service's desired count is set to the requested count
    Then that many tasks run, each a healthy target

  @status
  Scenario: Report the service's health
    Then the service's state, its deployments and its targets' health are reported

  @rollback
  Scenario: Roll back to the previous revision
    When the service is rolled back to the revision before the one it runs
    Then the service is stable on that revision and every target is healthy

  @failover
  Scenario: Fail the cache over to its replica
    The games live in the cache, whose replica in another zone ElastiCache promotes when the
    primary fails. A change counts only once the replica has it, so the failover loses no move a
    player saw acknowledged. This runs ElastiCache's own test of it.
    When the cache's primary fails and its replica is promoted
    Then every target of the service is healthy again

  @rotate
  Scenario: Rotate the cache's auth token
    Both tokens are accepted while the tasks move to the new one: no game notices.
    When a new auth token is added to the cache beside the old one
    And the service starts new tasks, which connect with the new token
    Then every target of the service is healthy again
    When the old auth token is retired
    Then every target of the service is healthy again

  @drill
  Scenario: A match goes on through a release, a scale-out, a cache failover and a task that dies
    The games live in the cache, not in a task: any task serves any player. The players' client
    reconnects through the public name when its task drains or dies, and sends again what was not
    answered (the same command id: the cache remembers the answer, so nothing is applied twice).
    `runbook/bin/runbook --env local drill --tag v2 --count 3` runs it on the local environment.
    Given two signed-in players are in the middle of a match, connected through different tasks
    When the requested image tag is built and pushed
    And the service is updated to a task definition revision running it
    Then the rolling update has completed: the service is stable on that revision
    And the match is still being played
    When the service's desired count is set to the requested count
    Then that many tasks run, each a healthy target
    When the cache's primary fails and its replica is promoted
    Then the match is still being played
    When the task of one of the players dies
    Then the service runs that many healthy tasks again
    And the match goes on to its end: every version shown in order, no game forfeited, every command answered

  @destroy
  Scenario: Tear down everything the runbook created, in reverse order
    When the alias of the service's host name is deleted
    And the service, its task definitions and the cluster are deleted
    And the listeners, the load balancer and the target group are deleted
    And the certificate and its validation records are deleted
    And the cache and its subnet group are deleted
    And the security groups of the cache, the tasks and the load balancer are deleted
    And the execution role, the log group and the secrets are deleted
    And the image repository is deleted with its images
    And the hosted zone is deleted if the runbook created it
    Then nothing the runbook created is left
