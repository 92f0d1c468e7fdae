@runbook
Feature: The runbook rides out what AWS does to a deploy
  AWS is eventually consistent and limits its callers, and a first deploy meets it: a role that ECS
  cannot assume for a while after it is made, a security group EC2 does not know for a moment,
  bursts of calls throttled, now and then a 500 or a 503. The runbook makes a throttled or failed
  call again after a pause (the SDK's adaptive retry), and waits where AWS says to wait — never
  without a limit, saying what it waits for.

  Here the local environment's emulator does all of that (its "realistic" profile, seeded so that a
  failure can be replayed), with IAM slower than apply needs to reach the service, and the runbook
  takes an environment through its whole life on it.

  Scenario: A whole life under AWS's faults
    Given the local environment's emulator injects AWS's faults "realistic:20261206,iam=30s"
    When the runbook applies the environment
    And it deploys the image tag "v2"
    And it scales the service to 3 tasks
    And it rolls the service back
    And it destroys the environment
    Then each of these commands succeeded
    And the runbook met throttling, server errors, IAM's propagation and a security group EC2 did not know yet, and rode each out
