@runbook
Feature: A cache failover in the middle of a match loses no acknowledged move
  The games live in ElastiCache: a primary, and a replica in another zone that ElastiCache
  promotes when the primary fails. Redis copies to the replica a moment after the primary answers,
  so a change only the primary had is gone after the promotion. The server therefore counts a
  change — answers it, shows it, tells the other tasks — only once the replica has it; until then a
  player is told "unavailable" and sends the same command again, which is applied once.

  Here two players play a match on the local environment, through the load balancer and on two
  different tasks, while the cache fails over. Each keeps a log of the rolls and plays it saw
  acknowledged; the match as the cache keeps it must hold every one of them, in order. The tasks
  keep the players' connections through the failover: nobody has to connect again.

  Background:
    Given the local environment is applied, with two tasks and a cache of a primary and a replica
    And two signed-in players are in the middle of a 5-point match, connected through different tasks

  Scenario: ElastiCache's test of a failover
    When the cache fails over with ElastiCache's TestFailover while the players play on
    Then the match goes on to its end, every game borne off, every command answered
    And every move either player saw acknowledged is in the match the cache keeps
    And neither player had to connect again

  Scenario: The primary's process dies
    When the process of the cache's primary is killed while the players play on
    Then the match goes on to its end, every game borne off, every command answered
    And every move either player saw acknowledged is in the match the cache keeps
    And neither player had to connect again
