Feature: The rules of checker play, exactly as GNU Backgammon applies them
  Players will hold our server against GNU Backgammon, so the rules engine lists the same legal
  plays as gnubg 1.07 for any position and roll. The tool `bgmoves` shows them: given a GNU
  Backgammon Position ID and two dice, it prints every legal play, one a line, in gnubg's notation.

  Boards below are written from the side on roll's view: "13 8x2" means one checker on its
  13-point and two on its 8-point; "bar" is a checker on the bar. Checkers not shown are borne off.

  Scenario: The opening 3-1 has sixteen plays, making the 5-point among them
    Given the starting position
    When the side on roll rolls 3 and 1
    Then bgmoves lists 16 plays
    And "8/5 6/5" is one of them

  Scenario: Both dice must be played when they can be, even if that forces the order
    Given the side on roll has "13" and the opponent has "8x2"
    When the side on roll rolls 6 and 5
    Then bgmoves lists exactly:
      | 13/2 |

  Scenario: When only one die can be played and either could be, it must be the larger
    Given the side on roll has "13" and the opponent has "2x2"
    When the side on roll rolls 6 and 5
    Then bgmoves lists exactly:
      | 13/7 |

  Scenario: A checker on the bar must enter first; against a closed board nothing can be played
    Given the side on roll has "bar 6x2" and the opponent has "19x2 20x2 21x2 22x2 23x2 24x2"
    When the side on roll rolls 6 and 1
    Then bgmoves lists no play

  Scenario: Entering on a blot hits it, and a hit on the way is shown where it happened
    Given the side on roll has "bar 6x2" and the opponent has "22 19x4"
    When the side on roll rolls 3 and 1
    Then bgmoves lists exactly:
      | bar/21       |
      | bar/22*/21   |
      | bar/22* 6/5  |
      | bar/24 6/3   |

  Scenario: A higher die bears off from the highest point only
    Given the side on roll has "5 2" and the opponent has "19x3"
    When the side on roll rolls 6 and 1
    Then bgmoves lists exactly:
      | 5/off     |
      | 5/off 2/1 |

  Scenario: A bad Position ID is refused with a clear message and exit code 2
    When bgmoves is asked about position "not-a-position" with 3 and 1
    Then bgmoves fails with exit code 2 saying "invalid Position ID"
