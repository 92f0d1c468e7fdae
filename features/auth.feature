Feature: Only players signed in on thephillymojo.com can open a game connection
  The Next.js app at thephillymojo.com signs players in with NextAuth. Its session cookie is set on
  ".thephillymojo.com", so the browser sends it with the WebSocket upgrade to ws.thephillymojo.com.
  The server reads the session from that cookie (the cookies used here were made by the real
  next-auth and @auth/core packages) and checks that the page asking comes from an allowed origin.
  A refused upgrade is an HTTP error: no WebSocket is opened.

  Background:
    Given the game server is running with allowed origin "https://thephillymojo.com"

  Scenario: A signed-in player is welcomed by name
    When a browser on "https://thephillymojo.com" connects with the "valid" session cookie
    Then the connection opens and the first message welcomes user "user-alice" named "Alice" with protocol 1

  Scenario Outline: Other kinds of valid session cookies sign the player in too
    When a browser on "https://thephillymojo.com" connects with the "<session>" session cookie
    Then the connection opens and the first message welcomes user "user-alice" named "Alice" with protocol 1

    Examples:
      | session | what it is                                                   |
      | chunked | a large session that next-auth split into three cookies      |
      | v5      | an Auth.js v5 session                                        |

  Scenario Outline: Without a valid session the upgrade is refused with 401
    When a browser on "https://thephillymojo.com" connects with the "<session>" session cookie
    Then the upgrade is refused with HTTP 401

    Examples:
      | session     | what is wrong                                  |
      | expired     | the session expired an hour ago                |
      | wrongSecret | signed by another app's secret                 |
      | tampered    | one character of the token changed             |
      | noSubject   | the token names no user                        |
      | none        | no session cookie at all                       |

  Scenario Outline: A page from another origin is refused with 403, even with a valid session
    When a browser on "<origin>" connects with the "valid" session cookie
    Then the upgrade is refused with HTTP 403

    Examples:
      | origin                      |
      | https://evil.example        |
      | http://thephillymojo.com    |
      | none                        |

  Scenario: One user may hold only so many connections at once
    Given each user may hold 2 connections at once
    When Alice opens 2 connections from "https://thephillymojo.com"
    Then a third connection of Alice is refused with HTTP 429

  Scenario: The server pings every connection, because the load balancer sends none
    Given the server pings every 1 seconds
    When a browser on "https://thephillymojo.com" connects with the "valid" session cookie
    Then the browser receives a ping

  Scenario: Session tokens and cookies never reach the log
    When a browser on "https://thephillymojo.com" connects with the "valid" session cookie
    And a browser on "https://thephillymojo.com" connects with the "expired" session cookie
    Then the server's log contains neither token
