Feature: Playing backgammon over the WebSocket
  Players connect to wss://ws.thephillymojo.com/ws and talk JSON (docs/protocol.md). Every command
  carries an id and is answered by an "ack" or an "error" with a stable code. After every change the
  server pushes the full state of the table — board, dice, cube, score, whose turn, and the legal
  plays of the side on roll — so a client needs no rules of its own. Here the clients are real
  WebSocket clients on real sockets; the dice are seeded so that each run is the same.

  Background:
    Given the game server is running with allowed origin "https://thephillymojo.com"
    And the reconnect grace period is 3 seconds
    And each connection may send 200 messages a second, in bursts of up to 400

  Scenario: A 3-point match with a gammon, the Crawford game, a double, a drop and a game played out
    Given Alice and Bob are signed in and connected
    When Alice creates a private 3-point match
    And Bob joins it with the invite code
    Then both see the match begin at 0-0
    When Bob offers to resign a gammon and Alice accepts
    Then both see the score Alice 2, Bob 0
    And the new game is the Crawford game, in which the player on roll may not double
    When Alice offers to resign a single game and Bob accepts
    Then both see the score Alice 2, Bob 1
    When the game is played until Bob is to roll
    And Bob doubles and Alice drops
    Then both see the score Alice 2, Bob 2
    When the players play the game out, each time choosing one of the legal plays the server lists
    Then the match is over, and its winner has at least 3 points

  Scenario: Two players asking for a quick match are seated together, and may play again after it
    Given Dave and Erin are signed in and connected
    When Dave asks for a quick 1-point match
    Then Dave is told he is waiting for an opponent
    When Erin asks for a quick 1-point match
    Then Dave and Erin are seated at the same table and the match begins
    When Erin offers to resign a single game and Dave accepts
    Then the match is over and Dave has won it
    When Dave and Erin both ask for a rematch
    Then a new 1-point match begins at 0-0 at the same table

  Scenario: Each state tells the story a page shows: the opening roll, the last play and action, the games played
    A page draws the game from its states alone (it has no rules of its own), a page that has just
    connected too: so the state names what a player needs to read, counted as the protocol counts.
    Given Alice and Bob are playing a 5-point match
    Then the first state shows each player's die of the opening roll, and that nobody has acted yet
    When the player on roll makes a move
    Then the states show that play as the last one, counted from its player's side, and the opening roll no more
    When the game is played until Bob is to roll
    And Bob doubles and Alice takes
    Then the states show Alice's take as the last action, and the cube at 2 on Alice's side
    When Bob offers to resign a gammon
    Then the offer is shown as worth 4 points
    When Alice declines the resignation
    Then the states show Alice's refusal as the last action
    When Bob offers to resign a single game and Alice accepts
    Then the match's results list the first game: Alice won 2 points, a single game at the cube's 2, by resignation

  Scenario: Whoever arrives while a player is away is told how long before that player forfeits
    Given the reconnect grace period is 30 seconds
    And Alice and Bob are playing a 1-point match
    When Alice's connection drops
    And Carol is signed in, connected and watching their game
    Then Carol is told, after the state, that Alice is away and forfeits within 30 seconds

  Scenario: A player whose connection drops comes back to the same game
    Given Alice and Bob are playing a 1-point match
    When Alice's connection drops
    Then Bob is told that Alice is away and will forfeit in 3 seconds
    When Alice connects again
    Then Alice is welcomed back into the game with its current state
    And Bob is told that Alice is back
    And the game goes on

  Scenario: A player who stays away past the grace period forfeits the match
    Given Alice and Bob are playing a 1-point match
    When Alice's connection drops
    Then after the grace period Bob wins the match by forfeit

  Scenario: A spectator sees every change and can do nothing else
    Given Alice and Bob are playing a 1-point match
    And Carol is signed in, connected and watching their game
    When the player on roll makes a move
    Then Carol sees the same state as the players
    And Carol's attempts to roll, to double and to chat are refused with "forbidden"
    And the game has not changed

  Scenario: Bad input is refused with its code, and nothing changes
    Given Alice and Bob are playing a 1-point match
    Then these messages are refused with their codes:
      | who                  | message                                      | code          |
      | the player on roll   | this is not json                             | bad_request   |
      | the player on roll   | {"type":"roll"}                              | bad_request   |
      | the player on roll   | {"type":"warp","id":"w1"}                    | bad_request   |
      | the player on roll   | {"type":"resign","id":"r9","level":"all"}    | bad_request   |
      | the player on roll   | {"type":"play","id":"p1","play":"24/1"}      | illegal_play  |
      | the player on roll   | {"type":"play","id":"p2","play":"banana"}    | bad_notation  |
      | the player on roll   | {"type":"double","id":"d1"}                  | bad_state     |
      | the other player     | {"type":"play","id":"p3","play":"13/7"}      | not_your_turn |
      | the other player     | {"type":"join","id":"j1","code":"ZZZZZZ"}    | not_found     |
      | the other player     | {"type":"chat","id":"c1","text":""}          | bad_request   |
    And an illegal play is answered with the list of legal plays
    And text that is not notation is answered without a list of legal plays
    And the game has not changed

  Scenario: A roll that cannot be played is shown to everyone, and the turn passes
    Given Alice and Bob are playing a 7-point match
    And Carol is signed in, connected and watching their game
    When the players play on until a roll cannot be played
    Then the roller's acknowledgement names the dice and says that they passed
    And the players and Carol all see who rolled what, and that the other player is to roll

  Scenario: A command sent twice with the same id is answered twice but applied once
    Given Alice and Bob are playing a 1-point match
    When the player on roll plays the first legal play twice with the same id
    Then both answers are the same acknowledgement
    And the game changed exactly once

  Scenario: A message over 16 KiB closes the connection with code 1009 and changes nothing
    Given Alice and Bob are playing a 1-point match
    When the player on roll sends a 17 KiB message
    Then that connection is closed with code 1009
    And the game has not changed

  Scenario: A flood of messages is rate limited
    The server counts a message when it reads it, so the limit here is low enough that a flood
    exceeds it however fast this machine reads.
    Given each connection may send 5 messages a second, in bursts of up to 10
    And Alice and Bob are playing a 1-point match
    When the other player sends 1000 chat messages at once
    Then some are refused with "rate_limited"
    And the game has not changed

  Scenario: Players chat; a chat line is limited in length
    Given Alice and Bob are playing a 1-point match
    When Alice says "good luck!"
    Then Bob sees Alice say "good luck!"
    And a chat line of 501 characters is refused with "bad_request"
