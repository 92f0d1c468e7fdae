Feature: Any game server serves any player
  The game servers keep every table, quick-match queue, remembered answer, deadline and the
  presence of every player in one Redis. The load balancer may send each connection to any of
  them: the two players and the spectators of one game may sit on three servers, a release
  replaces servers in the middle of a match, and a server that crashes ends no game.

  Background:
    Given three game servers A, B and C keep their state in one Redis
    And Alice is connected to server A and Bob to server B
    And Alice and Bob are playing a 3-point match

  Scenario: Two players and a spectator on three servers play a match to its end
    Given Carol watches their game from server C
    When they play the match to its end
    Then Alice, Bob and Carol each saw the table change in order, to the same final state
    And the match ended with one player at 3 points or more

  Scenario: A server stopped for a release: its player moves to another and the match goes on
    Given they have played a few moves
    When server A is stopped as ECS stops a task
    Then Alice is told to come back
    And Alice reconnects to server B and finds the match at the same version
    And Alice's last command sent again to server B gets its first answer and changes nothing
    And the match goes on with both players connected and nobody forfeiting
    And server A has stopped within ECS's stop timeout

  Scenario: A server that crashes: its player reconnects elsewhere and play goes on
    Given they have played a few moves
    When server B is killed
    Then Bob's connection stops counting within the servers' heartbeat time
    And Bob reconnects to server C and finds the match where it was
    And the match goes on with both players connected and nobody forfeiting

  Scenario: A player who never comes back forfeits on time, though the server that saw them is dead
    When server B is killed
    And Bob never comes back
    Then Alice is told that Bob is away
    And after the grace period Alice wins the match by forfeit, once

  Scenario: Redis unreachable for a few seconds: commands are refused as unavailable, then play resumes
    Given they have played a few moves
    When Redis stops answering
    Then the player on roll's next command is answered "unavailable"
    And the servers' health says the game's state cannot be reached
    And a new connection is refused with status 503
    When Redis answers again
    Then the command sent again with the same id is answered once, with nothing lost
    And the match goes on with both players connected and nobody forfeiting
