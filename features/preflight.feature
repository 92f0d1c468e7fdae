@preflight
Feature: Before it changes anything, the runbook checks who runs it, where, and with which rights
  The runbook acts on a real AWS account. Before any scenario of any command it asks STS who the
  credentials belong to, checks that they are of the environment's account (`account` in its
  settings), that the environment's hosted zone exists, and asks IAM's policy simulator whether
  the caller may do what the command will call. A check that fails stops the command, exit code 2,
  with one sentence saying what was looked for and what to do — before anything is changed.
  During a run, an AWS error is one line: service, operation, error code, message and resource;
  the stack trace is in the run's report, never on the terminal.

  Here the runbook runs as an operator runs it — runbook/bin/runbook in its own process, with the
  AWS SDK's own credential chain — against the emulator, which answers STS and IAM as AWS does.
  `AWS_ENDPOINT_URL` points the SDK there, and the first line says so after the region. The role
  "Deployer" sits under the path IAM Identity Center gives its roles, which a session's ARN omits.

  Background:
    Given an AWS account 000000000000 with the public hosted zone "thephillymojo.com"
    And an environment "staging" on AWS in us-east-1, pinned to account 000000000000, whose hosted zone must exist

  Scenario: Every run names the account, the caller and the region on its first line
    Given the role "Deployer" has the deployer's policy
    When the operator runs "plan" as "alice" in the role "Deployer"
    Then the first line is "runbook plan — staging: account 000000000000 as arn:aws:sts::000000000000:assumed-role/Deployer/alice, us-east-1"
    And it says "permissions: IAM allows what plan calls"
    And it ends with exit code 3, the plan listing what apply would create

  Scenario: A caller IAM cannot simulate is told so, and the run goes on
    When the operator runs "plan" with the credentials of account 000000000000
    Then the first line is "runbook plan — staging: account 000000000000 as arn:aws:iam::000000000000:root, us-east-1"
    And it says "permissions: not checked: the account's root user may do everything (AWS advises a role or a user); going on"
    And it ends with exit code 3, the plan listing what apply would create

  Scenario: No credentials anywhere
    When the operator runs "plan" with no credentials anywhere
    Then it stops with exit code 2, saying "no AWS credentials found" and "aws sso login --profile NAME"
    And the terminal shows no stack trace, and the run's report keeps it

  Scenario: An SSO session that expired
    Given the profile "prod" signs in through SSO, and its session has expired
    When the operator runs "plan" with the profile "prod"
    Then it stops with exit code 2, saying "the SSO session of profile 'prod' has expired" and "aws sso login --profile prod"
    And the terminal shows no stack trace, and the run's report keeps it

  Scenario: A profile that does not exist
    Given the profile "prod" signs in through SSO, and its session has expired
    When the operator runs "plan" with the profile "production"
    Then it stops with exit code 2, saying "the profile 'production' (AWS_PROFILE) is in neither" and "[prod]"
    And the terminal shows no stack trace, and the run's report keeps it

  Scenario: Keys AWS does not know
    When the operator runs "plan" with temporary keys STS never issued
    Then it stops with exit code 2, saying "AWS refused the credentials in AWS_ACCESS_KEY_ID (STS GetCallerIdentity: InvalidClientTokenId — " and "then run this again"
    And the terminal shows no stack trace, and the run's report keeps it

  Scenario: Credentials of another account change nothing
    When the operator runs "apply --yes" with the credentials of account 111111111111
    Then the first line is "runbook apply — staging: account 111111111111 as arn:aws:iam::111111111111:root, us-east-1"
    And it stops with exit code 2, saying "these credentials are of account 111111111111" and "staging is account 000000000000"
    And nothing was created in the account, nor asked to be changed

  Scenario: A caller who may not create the load balancer is told before anything is created
    Given the role "Deployer" has the deployer's policy without "elasticloadbalancing:CreateLoadBalancer"
    When the operator runs "apply --yes" as "alice" in the role "Deployer"
    Then it stops with exit code 2, saying "may not do what apply needs" and "elasticloadbalancing:CreateLoadBalancer          implicitDeny"
    And nothing was created in the account, nor asked to be changed

  Scenario: Where the settings say confirm=true, apply shows the plan and asks first
    Given the role "Deployer" has the deployer's policy
    When the operator runs "apply" as "alice" in the role "Deployer", answering "prod" to its question
    Then it lists what it would create, asks "Type the environment's name (staging) to make these changes: " and ends with exit code 4
    And nothing was created in the account, nor asked to be changed

  Scenario: The hosted zone must exist where the environment says it does
    Given the role "Deployer" has the deployer's policy
    But the hosted zone "thephillymojo.com" has been deleted
    When the operator runs "plan" as "alice" in the role "Deployer"
    Then it stops with exit code 2, saying "the public hosted zone thephillymojo.com is not in account 000000000000" and "zone.create=false"

  Scenario: A region the service cannot run in
    Given the environment "staging" is in the region "mars-north-1"
    When the operator runs "plan" with the credentials of account 000000000000
    Then it stops with exit code 2, saying "region 'mars-north-1' is not an AWS region" and "staging.properties"

  Scenario: An AWS error during a run is one line with its code and resource
    Given the account already has the 50 load balancers its quota allows
    When the operator applies the local environment on this account
    Then it fails with exit code 1, printing in one line "ELBv2 CreateLoadBalancer: TooManyLoadBalancers — " and "(Name thephillymojo-ws-alb)"
    And the terminal shows no stack trace, and the run's report keeps it
