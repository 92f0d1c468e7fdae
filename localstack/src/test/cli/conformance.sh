#!/usr/bin/env bash
# AWS CLI conformance: drives the standalone emulator with the real AWS CLI through the runbook's
# sequence for ECR, Secrets Manager, CloudWatch Logs, IAM, EC2, ECS, Route53, ACM, ELBv2 and ElastiCache, checking every answer, the
# errors included (AWS's error codes, the CLI's error exit code), then tears everything down.
#
#   localstack/src/test/cli/conformance.sh            starts localstack/bin/localstack on a free port
#   ENDPOINT=http://127.0.0.1:4566 conformance.sh      uses a running emulator
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE

pid=""
driver=""
cleanup() {
  exec 3>&- 4<&- 2>/dev/null
  [ -n "$driver" ] && kill "$driver" 2>/dev/null
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
work="$(mktemp -d)"
trap cleanup EXIT
# a role's session keys go to a profile of their own (calls with --profile session), written once assumed
export AWS_SHARED_CREDENTIALS_FILE="$work/credentials"

if [ -z "${ENDPOINT:-}" ]; then
  # load balancers leave "provisioning" after 200 ms here (the CLI's waiter polls every 15 s)
  # IAM enforced on role sessions: the root keys below may do everything, the role's session only what its policies allow
  JAVA_OPTS="-Dlocalaws.elbv2.provisioningMillis=200" "$here/bin/localstack" --port 0 --enforce-iam > "$work/out" 2> "$work/err" &
  pid=$!
  for _ in $(seq 1 300); do
    grep -q "^localstack ready: " "$work/out" && break
    kill -0 "$pid" 2>/dev/null || { echo "FAIL: the emulator exited: $(cat "$work/err")"; exit 1; }
    sleep 0.1
  done
  ENDPOINT="$(sed -n 's/^localstack ready: \(http[^ ]*\).*/\1/p' "$work/out")"
  [ -n "$ENDPOINT" ] || { echo "FAIL: the emulator never said it was ready"; exit 1; }
fi

passed=0; failed=0
ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
# Each check runs the AWS CLI's own driver (awscli.clidriver, what `aws` runs) in one Python process
# (aws-driver.py): Python and botocore start once, not 300 times. The waiters below run `aws` itself.
python3 -c 'import awscli.clidriver' 2> /dev/null || { echo "FAIL: the AWS CLI's Python package (awscli) is not importable"; exit 1; }
mkfifo "$work/calls" "$work/codes"
python3 "$here/src/test/cli/aws-driver.py" "$work/calls" "$work/codes" "$work/cli.out" "$work/cli.err" &
driver=$!
exec 3> "$work/calls" 4< "$work/codes"
aws_() {
  printf '%s\0' --endpoint-url "$ENDPOINT" --output text "$@" | base64 -w0 >&3
  echo >&3
  local rc
  read -r rc <&4 || { echo "the AWS CLI driver stopped" >&2; return 1; }
  cat "$work/cli.out"
  cat "$work/cli.err" >&2
  return "$rc"
}

# expect "description" "expected output" aws-args...
expect() {
  local what="$1" want="$2"; shift 2
  local got
  got="$(aws_ "$@" 2> "$work/stderr")"; local rc=$?
  if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then ok "$what"; else fail "$what: rc=$rc, wanted [$want], got [$got] $(cat "$work/stderr")"; fi
}
# expect_error "description" "ErrorCode" aws-args...
expect_error() {
  local what="$1" code="$2"; shift 2
  aws_ "$@" > /dev/null 2> "$work/stderr"; local rc=$?
  # the CLI exits 254 (v2) or 255 (older v2 builds, as in Debian bookworm) when the service answers an error
  if { [ $rc -eq 254 ] || [ $rc -eq 255 ]; } && grep -q "($code)" "$work/stderr"; then ok "$what"; else fail "$what: rc=$rc, wanted ($code): $(cat "$work/stderr")"; fi
}

# --- ECR ----------------------------------------------------------------------------------------
expect "ecr: create the repository with scan on push" "True" \
  ecr create-repository --repository-name thephillymojo-ws --image-scanning-configuration scanOnPush=true \
  --query repository.imageScanningConfiguration.scanOnPush
expect_error "ecr: a second create is refused" RepositoryAlreadyExistsException ecr create-repository --repository-name thephillymojo-ws
expect "ecr: the lifecycle policy" "thephillymojo-ws" ecr put-lifecycle-policy --repository-name thephillymojo-ws \
  --lifecycle-policy-text '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}' \
  --query repositoryName
token="$(aws_ ecr get-authorization-token --query 'authorizationData[0].authorizationToken')"
[ "$(echo "$token" | base64 -d | cut -d: -f1)" = "AWS" ] && ok "ecr: the token is AWS:<password>" || fail "ecr: token [$token]"
expect "ecr: describe by name" "thephillymojo-ws" ecr describe-repositories --repository-names thephillymojo-ws --query 'repositories[0].repositoryName'
expect_error "ecr: an unknown repository" RepositoryNotFoundException ecr describe-repositories --repository-names nope
expect "ecr: no images yet" "" ecr list-images --repository-name thephillymojo-ws --query 'imageIds[].imageDigest'

# --- Secrets Manager, Logs, IAM ---------------------------------------------------------------------
expect "secrets: create the NextAuth secret" "thephillymojo/nextauth-secret" secretsmanager create-secret \
  --name thephillymojo/nextauth-secret --secret-string s3cr3t --query Name
expect "secrets: read it back" "s3cr3t" secretsmanager get-secret-value --secret-id thephillymojo/nextauth-secret --query SecretString
expect_error "secrets: a duplicate" ResourceExistsException secretsmanager create-secret --name thephillymojo/nextauth-secret --secret-string x
expect_error "secrets: an unknown secret" ResourceNotFoundException secretsmanager get-secret-value --secret-id nope
expect "logs: create the log group" "" logs create-log-group --log-group-name /ecs/thephillymojo-ws
expect "logs: retention" "" logs put-retention-policy --log-group-name /ecs/thephillymojo-ws --retention-in-days 30
expect "logs: describe" "30" logs describe-log-groups --log-group-name-prefix /ecs/ --query 'logGroups[0].retentionInDays'
expect_error "logs: a duplicate group" ResourceAlreadyExistsException logs create-log-group --log-group-name /ecs/thephillymojo-ws
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
expect "iam: the task execution role" "arn:aws:iam::000000000000:role/thephillymojo-ws-execution" iam create-role \
  --role-name thephillymojo-ws-execution --assume-role-policy-document "$trust" --query Role.Arn
expect "iam: attach the execution policy" "" iam attach-role-policy --role-name thephillymojo-ws-execution \
  --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
expect "iam: the inline secrets policy" "" iam put-role-policy --role-name thephillymojo-ws-execution --policy-name secrets \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}'
expect "iam: list attached" "AmazonECSTaskExecutionRolePolicy" iam list-attached-role-policies --role-name thephillymojo-ws-execution \
  --query 'AttachedPolicies[0].PolicyName'
expect_error "iam: an unknown role" NoSuchEntity iam get-role --role-name nope
expect_error "iam: a duplicate role" EntityAlreadyExists iam create-role --role-name thephillymojo-ws-execution --assume-role-policy-document "$trust"

# --- STS and the policy simulator -------------------------------------------------------------------
expect "sts: who am I" "arn:aws:iam::000000000000:root" sts get-caller-identity --query Arn
expect "iam: a deployer's policy" "arn:aws:iam::000000000000:policy/deployer" iam create-policy --policy-name deployer \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}' --query Policy.Arn
expect "iam: the deployer's role" "" iam attach-role-policy --role-name thephillymojo-ws-execution \
  --policy-arn arn:aws:iam::000000000000:policy/deployer
expect "iam: simulate an allowed action" "allowed" iam simulate-principal-policy \
  --policy-source-arn arn:aws:iam::000000000000:role/thephillymojo-ws-execution --action-names ecs:CreateService \
  --query 'EvaluationResults[0].EvalDecision'
expect "iam: simulate an action no policy grants" "implicitDeny" iam simulate-principal-policy \
  --policy-source-arn arn:aws:iam::000000000000:role/thephillymojo-ws-execution --action-names elasticloadbalancing:CreateLoadBalancer \
  --query 'EvaluationResults[0].EvalDecision'
expect "sts: a role's session" "arn:aws:sts::000000000000:assumed-role/thephillymojo-ws-execution/conformance" sts assume-role \
  --role-arn arn:aws:iam::000000000000:role/thephillymojo-ws-execution --role-session-name conformance --query AssumedRoleUser.Arn
expect_error "iam: simulate a principal that is not there" NoSuchEntity iam simulate-principal-policy \
  --policy-source-arn arn:aws:iam::000000000000:role/nope --action-names ecs:CreateService
expect "iam: detach the deployer's policy" "" iam detach-role-policy --role-name thephillymojo-ws-execution \
  --policy-arn arn:aws:iam::000000000000:policy/deployer
expect "iam: delete the deployer's policy" "" iam delete-policy --policy-arn arn:aws:iam::000000000000:policy/deployer

# --- IAM enforced on a role's session ---------------------------------------------------------------
# the role now holds only its inline secrets policy (and an AWS managed policy the emulator has no document of)
read -r key secret token <<< "$(aws_ sts assume-role --role-arn arn:aws:iam::000000000000:role/thephillymojo-ws-execution \
  --role-session-name enforced --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]')"
printf '[session]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n' "$key" "$secret" "$token" > "$work/credentials"
expect "enforced: the session is the role's" "arn:aws:sts::000000000000:assumed-role/thephillymojo-ws-execution/enforced" \
  sts get-caller-identity --profile session --query Arn
expect "enforced: what its policy allows" "s3cr3t" secretsmanager get-secret-value --profile session --secret-id thephillymojo/nextauth-secret \
  --query SecretString
expect_error "enforced: awsJson (ECS) refuses the rest" AccessDeniedException ecs list-clusters --profile session
grep -q "User: arn:aws:sts::000000000000:assumed-role/thephillymojo-ws-execution/enforced is not authorized to perform: ecs:ListClusters on resource: \* because no identity-based policy allows the ecs:ListClusters action" "$work/stderr" \
  && ok "enforced: the CLI prints AWS's message" || fail "enforced: the CLI prints AWS's message: $(cat "$work/stderr")"
expect_error "enforced: awsQuery (IAM) refuses" AccessDenied iam get-role --profile session --role-name thephillymojo-ws-execution
expect_error "enforced: awsQuery (ElastiCache) refuses" AccessDenied elasticache describe-replication-groups --profile session
expect_error "enforced: EC2 refuses" UnauthorizedOperation ec2 describe-vpcs --profile session
expect_error "enforced: restXml (Route53) refuses" AccessDenied route53 list-hosted-zones --profile session

# --- EC2 ------------------------------------------------------------------------------------------
vpc="$(aws_ ec2 describe-vpcs --filters Name=isDefault,Values=true --query 'Vpcs[0].VpcId')"
[[ "$vpc" == vpc-* ]] && ok "ec2: the default VPC exists ($vpc)" || fail "ec2: default VPC [$vpc]"
subnets="$(aws_ ec2 describe-subnets --filters Name=default-for-az,Values=true Name=vpc-id,Values="$vpc" --query 'length(Subnets)')"
[ "$subnets" -ge 2 ] 2>/dev/null && ok "ec2: $subnets default subnets" || fail "ec2: default subnets [$subnets]"
alb_sg="$(aws_ ec2 create-security-group --group-name thephillymojo-ws-alb --description "ALB" --vpc-id "$vpc" --query GroupId)"
task_sg="$(aws_ ec2 create-security-group --group-name thephillymojo-ws-tasks --description "tasks" --vpc-id "$vpc" --query GroupId)"
[[ "$alb_sg" == sg-* && "$task_sg" == sg-* ]] && ok "ec2: two security groups" || fail "ec2: groups [$alb_sg] [$task_sg]"
expect "ec2: 443 and 80 from anywhere to the ALB" "True" ec2 authorize-security-group-ingress --group-id "$alb_sg" \
  --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]' 'IpProtocol=tcp,FromPort=80,ToPort=80,IpRanges=[{CidrIp=0.0.0.0/0}]' \
  --query Return
expect "ec2: 8080 to the tasks from the ALB's group only" "True" ec2 authorize-security-group-ingress --group-id "$task_sg" \
  --ip-permissions "IpProtocol=tcp,FromPort=8080,ToPort=8080,UserIdGroupPairs=[{GroupId=$alb_sg}]" --query Return
expect "ec2: the rule reads back" "$alb_sg" ec2 describe-security-groups --group-ids "$task_sg" \
  --query 'SecurityGroups[0].IpPermissions[0].UserIdGroupPairs[0].GroupId'
expect_error "ec2: a duplicate group" InvalidGroup.Duplicate ec2 create-security-group --group-name thephillymojo-ws-alb --description x --vpc-id "$vpc"
expect_error "ec2: an unknown group" InvalidGroup.NotFound ec2 describe-security-groups --group-ids sg-0000000000000000

# --- ECS ------------------------------------------------------------------------------------------
expect "ecs: the cluster" "ACTIVE" ecs create-cluster --cluster-name thephillymojo-ws --query cluster.status
expect "ecs: creating it again changes nothing" "ACTIVE" ecs create-cluster --cluster-name thephillymojo-ws --query cluster.status
secret_arn="$(aws_ secretsmanager describe-secret --secret-id thephillymojo/nextauth-secret --query ARN)"
cat > "$work/td.json" <<JSON
{"family":"thephillymojo-ws","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
 "executionRoleArn":"arn:aws:iam::000000000000:role/thephillymojo-ws-execution",
 "containerDefinitions":[{"name":"ws","image":"127.0.0.1/thephillymojo-ws:v1","essential":true,
   "portMappings":[{"containerPort":8080,"protocol":"tcp"}],
   "environment":[{"name":"NEXTAUTH_URL","value":"https://thephillymojo.com"}],
   "secrets":[{"name":"NEXTAUTH_SECRET","valueFrom":"$secret_arn"}],
   "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/thephillymojo-ws","awslogs-region":"us-east-1","awslogs-stream-prefix":"ws"}}}]}
JSON
expect "ecs: the task definition, revision 1" "1" ecs register-task-definition --cli-input-json "file://$work/td.json" --query taskDefinition.revision
expect "ecs: revision 2" "2" ecs register-task-definition --cli-input-json "file://$work/td.json" --query taskDefinition.revision
expect "ecs: the secret is a reference, not plain environment" "NEXTAUTH_SECRET" ecs describe-task-definition \
  --task-definition thephillymojo-ws --query 'taskDefinition.containerDefinitions[0].secrets[0].name'
subnet="$(aws_ ec2 describe-subnets --filters Name=default-for-az,Values=true --query 'Subnets[0].SubnetId')"
expect "ecs: the Fargate service" "ACTIVE" ecs create-service --cluster thephillymojo-ws --service-name ws \
  --task-definition thephillymojo-ws:1 --desired-count 1 --launch-type FARGATE --client-token deploy-1 \
  --network-configuration "awsvpcConfiguration={subnets=[$subnet],securityGroups=[$task_sg],assignPublicIp=ENABLED}" \
  --deployment-configuration 'deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=200,minimumHealthyPercent=100' \
  --query service.status
expect "ecs: describe" "1" ecs describe-services --cluster thephillymojo-ws --services ws --query 'services[0].desiredCount'
expect "ecs: a missing service is a failure, not an error" "MISSING" ecs describe-services --cluster thephillymojo-ws --services ghost \
  --query 'failures[0].reason'
expect "ecs: roll out revision 2" "PRIMARY" ecs update-service --cluster thephillymojo-ws --service ws --task-definition thephillymojo-ws:2 \
  --query 'service.deployments[0].status'
expect_error "ecs: an unknown cluster" ClusterNotFoundException ecs list-services --cluster nope
expect_error "ecs: an unknown service" ServiceNotFoundException ecs update-service --cluster thephillymojo-ws --service nope --desired-count 1

# --- Route53, ACM, ELBv2: the front door ------------------------------------------------------------
zone="$(aws_ route53 create-hosted-zone --name thephillymojo.com --caller-reference conformance-1 --query HostedZone.Id)"
zone="${zone#/hostedzone/}"
[[ "$zone" == Z* ]] && ok "route53: the hosted zone ($zone)" || fail "route53: zone [$zone]"
expect "route53: SOA and NS at the apex" "NS	SOA" route53 list-resource-record-sets --hosted-zone-id "$zone" --query 'ResourceRecordSets[].Type'
expect_error "route53: an unknown zone" NoSuchHostedZone route53 get-hosted-zone --id ZNOPE
cert="$(aws_ acm request-certificate --domain-name ws.thephillymojo.com --validation-method DNS --idempotency-token conformance --query CertificateArn)"
[[ "$cert" == arn:aws:acm:us-east-1:000000000000:certificate/* ]] && ok "acm: the certificate is requested" || fail "acm: request [$cert]"
expect "acm: it waits for validation" "PENDING_VALIDATION" acm describe-certificate --certificate-arn "$cert" --query Certificate.Status
vname="$(aws_ acm describe-certificate --certificate-arn "$cert" --query 'Certificate.DomainValidationOptions[0].ResourceRecord.Name')"
vvalue="$(aws_ acm describe-certificate --certificate-arn "$cert" --query 'Certificate.DomainValidationOptions[0].ResourceRecord.Value')"
change="$(aws_ route53 change-resource-record-sets --hosted-zone-id "$zone" --change-batch \
  "{\"Changes\":[{\"Action\":\"UPSERT\",\"ResourceRecordSet\":{\"Name\":\"$vname\",\"Type\":\"CNAME\",\"TTL\":300,\"ResourceRecords\":[{\"Value\":\"$vvalue\"}]}}]}" \
  --query ChangeInfo.Id)"
[ -n "$change" ] && ok "route53: the validation CNAME" || fail "route53: validation CNAME"
aws route53 wait resource-record-sets-changed --endpoint-url "$ENDPOINT" --id "${change#/change/}" && ok "route53: the change is INSYNC (waiter)" || fail "route53: waiter"
aws acm wait certificate-validated --endpoint-url "$ENDPOINT" --certificate-arn "$cert" && ok "acm: the certificate is ISSUED (waiter)" || fail "acm: waiter"
expect "acm: issued" "ISSUED" acm describe-certificate --certificate-arn "$cert" --query Certificate.Status
expect_error "acm: an unknown certificate" ResourceNotFoundException acm describe-certificate \
  --certificate-arn arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000
alb_sg2="$(aws_ ec2 create-security-group --group-name conformance-alb --description ALB --query GroupId)"
subnet2="$(aws_ ec2 describe-subnets --filters Name=default-for-az,Values=true --query 'Subnets[1].SubnetId')"
tg="$(aws_ elbv2 create-target-group --name thephillymojo-ws-tg --protocol HTTP --port 8080 --vpc-id "$vpc" --target-type ip \
  --health-check-path /health --query 'TargetGroups[0].TargetGroupArn')"
[[ "$tg" == arn:aws:elasticloadbalancing:* ]] && ok "elbv2: the target group" || fail "elbv2: target group [$tg]"
lb="$(aws_ elbv2 create-load-balancer --name thephillymojo-ws-alb --subnets "$subnet" "$subnet2" --security-groups "$alb_sg2" \
  --scheme internet-facing --type application --query 'LoadBalancers[0].LoadBalancerArn')"
[[ "$lb" == arn:aws:elasticloadbalancing:*:loadbalancer/app/thephillymojo-ws-alb/* ]] && ok "elbv2: the load balancer" || fail "elbv2: lb [$lb]"
aws elbv2 wait load-balancer-available --endpoint-url "$ENDPOINT" --load-balancer-arns "$lb" && ok "elbv2: active (waiter)" || fail "elbv2: waiter"
expect "elbv2: idle timeout for WebSockets" "3600" elbv2 modify-load-balancer-attributes --load-balancer-arn "$lb" \
  --attributes Key=idle_timeout.timeout_seconds,Value=3600 --query "Attributes[?Key=='idle_timeout.timeout_seconds'].Value"
expect_error "elbv2: an idle timeout out of range" ValidationError elbv2 modify-load-balancer-attributes --load-balancer-arn "$lb" \
  --attributes Key=idle_timeout.timeout_seconds,Value=5000
expect "elbv2: HTTPS on 443 with the certificate" "HTTPS" elbv2 create-listener --load-balancer-arn "$lb" --protocol HTTPS --port 443 \
  --certificates CertificateArn="$cert" --default-actions Type=forward,TargetGroupArn="$tg" --query 'Listeners[0].Protocol'
expect "elbv2: HTTP on 80 redirecting to HTTPS" "HTTP_301" elbv2 create-listener --load-balancer-arn "$lb" --protocol HTTP --port 80 \
  --default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}' \
  --query 'Listeners[0].DefaultActions[0].RedirectConfig.StatusCode'
expect_error "elbv2: a second listener on 80" DuplicateListener elbv2 create-listener --load-balancer-arn "$lb" --protocol HTTP --port 80 \
  --default-actions 'Type=fixed-response,FixedResponseConfig={StatusCode=404}'
expect_error "acm: a certificate in use is not deleted" ResourceInUseException acm delete-certificate --certificate-arn "$cert"
lbdns="$(aws_ elbv2 describe-load-balancers --load-balancer-arns "$lb" --query 'LoadBalancers[0].DNSName')"
lbzone="$(aws_ elbv2 describe-load-balancers --load-balancer-arns "$lb" --query 'LoadBalancers[0].CanonicalHostedZoneId')"
expect "route53: the alias ws.thephillymojo.com → the ALB" "PENDING" route53 change-resource-record-sets --hosted-zone-id "$zone" --change-batch \
  "{\"Changes\":[{\"Action\":\"UPSERT\",\"ResourceRecordSet\":{\"Name\":\"ws.thephillymojo.com\",\"Type\":\"A\",\"AliasTarget\":{\"HostedZoneId\":\"$lbzone\",\"DNSName\":\"$lbdns\",\"EvaluateTargetHealth\":false}}}]}" \
  --query ChangeInfo.Status
expect "route53: the alias reads back" "$lbdns" route53 list-resource-record-sets --hosted-zone-id "$zone" \
  --query "ResourceRecordSets[?Name=='ws.thephillymojo.com.'].AliasTarget.DNSName"
expect_error "route53: a zone with records is not deleted" HostedZoneNotEmpty route53 delete-hosted-zone --id "$zone"

# --- ElastiCache --------------------------------------------------------------------------------
cache_sg="$(aws_ ec2 create-security-group --group-name conformance-cache --description cache --query GroupId)"
expect "elasticache: the cache subnet group" "conformance-cache" elasticache create-cache-subnet-group --cache-subnet-group-name conformance-cache \
  --cache-subnet-group-description "the cache's subnets" --subnet-ids "$subnet" "$subnet2" --query CacheSubnetGroup.CacheSubnetGroupName
expect_error "elasticache: a token without transit encryption" InvalidParameterCombination elasticache create-replication-group \
  --replication-group-id conformance-cache --replication-group-description games --cache-node-type cache.t4g.micro --auth-token a-token-of-32-characters-0123456
expect "elasticache: a Valkey replication group with TLS and a token" "creating" elasticache create-replication-group \
  --replication-group-id conformance-cache --replication-group-description games --engine valkey --cache-node-type cache.t4g.micro \
  --num-cache-clusters 2 --automatic-failover-enabled --multi-az-enabled --transit-encryption-enabled \
  --auth-token a-token-of-32-characters-0123456 --cache-subnet-group-name conformance-cache --security-group-ids "$cache_sg" \
  --tags Key=app,Value=thephillymojo-ws --query ReplicationGroup.Status
expect_error "elasticache: a second create is refused" ReplicationGroupAlreadyExists elasticache create-replication-group \
  --replication-group-id conformance-cache --replication-group-description games --cache-node-type cache.t4g.micro
# the nodes start in a fraction of a second; polling first keeps the waiter from its 15-second sleep
for _ in $(seq 1 100); do [ "$(aws_ elasticache describe-replication-groups --replication-group-id conformance-cache --query 'ReplicationGroups[0].Status')" = available ] && break; sleep 0.2; done
aws elasticache wait replication-group-available --endpoint-url "$ENDPOINT" --replication-group-id conformance-cache \
  && ok "elasticache: available (waiter)" || fail "elasticache: waiter"
primary="$(aws_ elasticache describe-replication-groups --replication-group-id conformance-cache --query 'ReplicationGroups[0].NodeGroups[0].PrimaryEndpoint.Address')"
[[ "$primary" == master.conformance-cache.*.use1.cache.amazonaws.com ]] && ok "elasticache: the primary endpoint" || fail "elasticache: primary [$primary]"
expect "elasticache: two nodes, with their endpoints" "conformance-cache-001	conformance-cache-002" elasticache describe-cache-clusters --show-cache-node-info \
  --query "CacheClusters[?ReplicationGroupId=='conformance-cache'].CacheClusterId"
expect "elasticache: tags" "app	thephillymojo-ws" elasticache list-tags-for-resource \
  --resource-name arn:aws:elasticache:us-east-1:000000000000:replicationgroup:conformance-cache --query 'TagList[0].[Key,Value]'
expect "elasticache: ROTATE the token" "modifying" elasticache modify-replication-group --replication-group-id conformance-cache \
  --auth-token another-token-of-32-characters-01 --auth-token-update-strategy ROTATE --apply-immediately --query ReplicationGroup.Status
for _ in $(seq 1 100); do [ "$(aws_ elasticache describe-replication-groups --replication-group-id conformance-cache --query 'ReplicationGroups[0].Status')" = available ] && break; sleep 0.2; done
expect "elasticache: available again" "available" elasticache describe-replication-groups --replication-group-id conformance-cache --query 'ReplicationGroups[0].Status'
expect "elasticache: the first node is the primary" "primary	replica" elasticache describe-replication-groups \
  --replication-group-id conformance-cache --query 'ReplicationGroups[0].NodeGroups[0].NodeGroupMembers[].CurrentRole'
expect_error "elasticache: a node group that does not exist" NodeGroupNotFoundFault elasticache test-failover \
  --replication-group-id conformance-cache --node-group-id 0002
expect "elasticache: test a failover" "modifying" elasticache test-failover --replication-group-id conformance-cache --node-group-id 0001 \
  --query ReplicationGroup.Status
# (a second test-failover while this one runs is refused with InvalidReplicationGroupState — ElastiCacheTest checks the
# refusal on a group that stays "creating"; here the failover may finish before the CLI's next call, so it is not asked)
for _ in $(seq 1 100); do [ "$(aws_ elasticache describe-replication-groups --replication-group-id conformance-cache --query 'ReplicationGroups[0].Status')" = available ] && break; sleep 0.2; done
expect "elasticache: the replica was promoted" "replica	primary" elasticache describe-replication-groups \
  --replication-group-id conformance-cache --query 'ReplicationGroups[0].NodeGroups[0].NodeGroupMembers[].CurrentRole'
expect "elasticache: the failover's event" "Failover from primary node conformance-cache-001 to replica node conformance-cache-002 completed" \
  elasticache describe-events --source-identifier conformance-cache --source-type replication-group \
  --query 'Events[?starts_with(Message, `Failover`)].Message | [0]'
expect_error "elasticache: a subnet group in use is kept" CacheSubnetGroupInUse elasticache delete-cache-subnet-group --cache-subnet-group-name conformance-cache
expect "elasticache: delete the group" "deleting" elasticache delete-replication-group --replication-group-id conformance-cache --query ReplicationGroup.Status
for _ in $(seq 1 100); do aws_ elasticache describe-replication-groups --replication-group-id conformance-cache > /dev/null 2>&1 || break; sleep 0.2; done
aws elasticache wait replication-group-deleted --endpoint-url "$ENDPOINT" --replication-group-id conformance-cache \
  && ok "elasticache: deleted (waiter)" || fail "elasticache: deleted waiter"
expect_error "elasticache: it is gone" ReplicationGroupNotFoundFault elasticache describe-replication-groups --replication-group-id conformance-cache
expect "elasticache: the subnet group is deleted once free" "" elasticache delete-cache-subnet-group --cache-subnet-group-name conformance-cache
aws_ ec2 delete-security-group --group-id "$cache_sg" > /dev/null

# --- teardown, in reverse ---------------------------------------------------------------------------
for l in $(aws_ elbv2 describe-listeners --load-balancer-arn "$lb" --query 'Listeners[].ListenerArn'); do aws_ elbv2 delete-listener --listener-arn "$l"; done
aws_ elbv2 delete-load-balancer --load-balancer-arn "$lb" && aws_ elbv2 delete-target-group --target-group-arn "$tg" \
  && ok "elbv2: listeners, load balancer and target group deleted" || fail "elbv2: teardown"
expect "acm: the certificate is deleted once free" "" acm delete-certificate --certificate-arn "$cert"
aws_ route53 change-resource-record-sets --hosted-zone-id "$zone" --change-batch \
  "{\"Changes\":[{\"Action\":\"DELETE\",\"ResourceRecordSet\":{\"Name\":\"ws.thephillymojo.com\",\"Type\":\"A\",\"AliasTarget\":{\"HostedZoneId\":\"$lbzone\",\"DNSName\":\"$lbdns\",\"EvaluateTargetHealth\":false}}},{\"Action\":\"DELETE\",\"ResourceRecordSet\":{\"Name\":\"$vname\",\"Type\":\"CNAME\",\"TTL\":300,\"ResourceRecords\":[{\"Value\":\"$vvalue\"}]}}]}" > /dev/null \
  && aws_ route53 delete-hosted-zone --id "$zone" > /dev/null && ok "route53: records and zone deleted" || fail "route53: teardown"
aws_ ec2 delete-security-group --group-id "$alb_sg2" > /dev/null

# --- teardown, in reverse ---------------------------------------------------------------------------
expect "ecs: delete the service" "DRAINING" ecs delete-service --cluster thephillymojo-ws --service ws --force --query service.status
expect "ec2: revoke the tasks' rule" "True" ec2 revoke-security-group-ingress --group-id "$task_sg" \
  --ip-permissions "IpProtocol=tcp,FromPort=8080,ToPort=8080,UserIdGroupPairs=[{GroupId=$alb_sg}]" --query Return
expect "ec2: delete the groups" "True" ec2 delete-security-group --group-id "$task_sg" --query Return
aws_ ec2 delete-security-group --group-id "$alb_sg" > /dev/null && ok "ec2: delete the ALB group" || fail "ec2: delete the ALB group"
aws_ iam detach-role-policy --role-name thephillymojo-ws-execution --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy \
  && aws_ iam delete-role-policy --role-name thephillymojo-ws-execution --policy-name secrets \
  && aws_ iam delete-role --role-name thephillymojo-ws-execution && ok "iam: the role is gone" || fail "iam: delete the role"
expect "logs: delete the group" "" logs delete-log-group --log-group-name /ecs/thephillymojo-ws
expect "secrets: delete without recovery" "thephillymojo/nextauth-secret" secretsmanager delete-secret \
  --secret-id thephillymojo/nextauth-secret --force-delete-without-recovery --query Name
expect "ecr: delete the repository" "thephillymojo-ws" ecr delete-repository --repository-name thephillymojo-ws --force \
  --query repository.repositoryName
expect_error "ecr: it is gone" RepositoryNotFoundException ecr describe-repositories --repository-names thephillymojo-ws

echo "conformance: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
