#!/usr/bin/env bash
# For teams with an AWS account (never run in CI, never a gate): what offline tools cannot settle.
#  1. awslabs' cfn-policy-validator (IAM Access Analyzer) on every synthesized template:
#     `validate` (policy grammar, security warnings) and `check-access-not-granted` for the forbidden actions.
#  2. The IAM policy simulator on the deployed stack: the CloudWatch Logs ARN form (log-group:NAME vs NAME:*),
#     what BatchStart/BatchStop enforce, whether MediaLive checks CreateTags on tag-on-create, what the wizard sends.
#  3. The opt-ins' costs (issue 20): stacks under the wizard's or monitor's prefix that hold a stored service role;
#     whether workflow monitor's CreateStack passes ResourceTypes (W4 requires it); whether sns:Unsubscribe is
#     authorized against the topic (S40 scopes it there).
#  4. `adopt` (docs/adopting.md, issue 23): the users under the RestrictedAdmin's user path that are in a group it
#     does not manage or have a policy of their own (it resets their passwords: it would hold those grants; exit
#     1 if any, tools/localdeploy/adopt_check.py, also run on LocalStack); what LocalStack cannot do
#     (tests/test_tools_localdeploy_adopt.py proves the rest): `cdk import` of the console's MediaLiveAccessRole into
#     a stack (LocalStack answers 501 to IMPORT change sets), checked to change nothing (same RoleId, trust,
#     policies) and to keep the role when the stack goes; and the channels a tag-scoped group would lose until
#     tagged (MediaLive is not in LocalStack).
# Needs AWS credentials in the environment (AWS_PROFILE or keys) and `bash scripts/setup.sh` done.
# Usage: [MONITOR_STACK_PREFIX=...] [WIZARD_STACK_PREFIX=...] bash scripts/validate-in-account.sh [cdk.out] [region]
#        [ADMIN_GROUP=MediaLiveAdministrators] [TAG_KEY=Team TAG_VALUE=news] bash scripts/validate-in-account.sh adopt [region]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "adopt" ]; then
  REGION="${2:-${AWS_REGION:-us-east-1}}"
  if ! .venv/bin/python -c "import boto3; boto3.client('sts').get_caller_identity()" >/dev/null 2>&1; then
    echo "validate-in-account: no AWS credentials; this script only runs against a real account" >&2
    exit 2
  fi
  export AWS_REGION="$REGION" CDK_DEFAULT_REGION="$REGION"
  CDK_DEFAULT_ACCOUNT="$(.venv/bin/python -c "import boto3; print(boto3.client('sts').get_caller_identity()['Account'])")"
  export CDK_DEFAULT_ACCOUNT
  APP=".venv/bin/python -m tools.localdeploy.adopt_app"
  state() {  # what must not change: RoleId, CreateDate, trust policy, inline policy names, attached policies
    .venv/bin/python - <<'PY'
import json, boto3
iam = boto3.client("iam")
r = iam.get_role(RoleName="MediaLiveAccessRole")["Role"]
print(json.dumps([r["RoleId"], str(r["CreateDate"]), r["AssumeRolePolicyDocument"],
                  iam.list_role_policies(RoleName="MediaLiveAccessRole")["PolicyNames"],
                  sorted(p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName="MediaLiveAccessRole")["AttachedPolicies"])],
                 sort_keys=True))
PY
  }
  echo "== adopt 1/4: users under ${ADMIN_GROUP:-MediaLiveAdministrators}'s user path holding what it does not manage"
  rc=0
  .venv/bin/python -m tools.localdeploy.adopt_check "${ADMIN_GROUP:-MediaLiveAdministrators}" || rc=$?
  echo "== adopt 2/4: the console's MediaLiveAccessRole before the import"
  before="$(state)" || { echo "no MediaLiveAccessRole in this account: nothing to import" >&2; exit 1; }
  echo "$before"
  echo "== adopt 3/4: cdk import into stack MediaLiveAdoptImport (MediaLiveAccessRole(adopt_existing=True)), then destroy"
  LID="$(node_modules/.bin/cdk synth MediaLiveAdoptImport --app "$APP" -c medialive-iam:adoptStep=import --quiet -o cdk.out.adopt >/dev/null && \
        .venv/bin/python -c "import json; t = json.load(open('cdk.out.adopt/MediaLiveAdoptImport.template.json')); print(next(k for k, v in t['Resources'].items() if v['Type'] == 'AWS::IAM::Role'))")"
  echo "{\"$LID\": {\"RoleName\": \"MediaLiveAccessRole\"}}" > cdk.out.adopt/mapping.json
  node_modules/.bin/cdk import MediaLiveAdoptImport --app "$APP" -c medialive-iam:adoptStep=import \
    --resource-mapping cdk.out.adopt/mapping.json --force
  imported="$(state)"
  .venv/bin/python -c "import boto3, sys; r = boto3.client('cloudformation').describe_stack_resources(StackName='MediaLiveAdoptImport')['StackResources']; print([(x['LogicalResourceId'], x['ResourceStatus'], x['PhysicalResourceId']) for x in r])"
  node_modules/.bin/cdk destroy MediaLiveAdoptImport --app "$APP" -c medialive-iam:adoptStep=import --force
  after="$(state)" || { echo "FAIL: MediaLiveAccessRole is gone after the stack's destroy (Retain expected)" >&2; exit 1; }
  [ "$before" = "$imported" ] && echo "OK: the import changed nothing" || { echo "FAIL: the import changed the role:"; echo "$imported"; }
  [ "$before" = "$after" ] && echo "OK: the role outlived the stack, unchanged" || { echo "FAIL: the role changed:"; echo "$after"; }
  echo "== adopt 4/4: channels a group with resource_tag=(${TAG_KEY:-Team}, ${TAG_VALUE:-news}) could not reach until tagged"
  .venv/bin/python - "$REGION" "${TAG_KEY:-Team}" "${TAG_VALUE:-news}" <<'PY'
import sys, boto3
region, key, value = sys.argv[1:]
ml = boto3.client("medialive", region_name=region)
for page in ml.get_paginator("list_channels").paginate():
    for ch in page["Channels"]:
        tags = ml.list_tags_for_resource(ResourceArn=ch["Arn"]).get("Tags", {})
        state = "reachable" if tags.get(key) == value else "UNREACHABLE until tagged"
        print(f"{ch['Id']} {ch.get('Name')} state={ch.get('State')} role={ch.get('RoleArn')} {key}={tags.get(key)}: {state}")
        if state != "reachable":
            print(f"  fix: aws medialive create-tags --resource-arn {ch['Arn']} --tags {key}={value}"
                  f"   (and its inputs: {[a.get('InputId') for a in ch.get('InputAttachments', [])]})")
PY
  exit "$rc"
fi
OUT="${1:-cdk.out}"
REGION="${2:-${AWS_REGION:-us-east-1}}"
if ! .venv/bin/python -c "import boto3; boto3.client('sts').get_caller_identity()" >/dev/null 2>&1; then
  echo "validate-in-account: no AWS credentials; this script only runs against a real account" >&2
  exit 2
fi
[ -x .venv-validate/bin/cfn-policy-validator ] || { python3 -m venv .venv-validate && .venv-validate/bin/pip install -q cfn-policy-validator==0.0.37; }
[ -d "$OUT" ] || node_modules/.bin/cdk synth --quiet -o "$OUT"
FORBIDDEN="iam:CreateRole,iam:PutRolePolicy,iam:AttachRolePolicy,iam:UpdateAssumeRolePolicy,iam:CreatePolicyVersion,iam:PutUserPolicy,iam:AttachUserPolicy,iam:PutGroupPolicy,iam:AttachGroupPolicy,sts:AssumeRole,cloudformation:DeleteStack,organizations:LeaveOrganization"
for t in "$OUT"/*.template.json; do
  echo "== $t"
  .venv-validate/bin/cfn-policy-validator validate --template-path "$t" --region "$REGION"
  .venv-validate/bin/cfn-policy-validator check-access-not-granted --template-path "$t" --region "$REGION" --actions "$FORBIDDEN" || true
done
echo "== IAM policy simulator on the deployed stack"
.venv/bin/python - "$REGION" <<'PY'
import sys, boto3
iam = boto3.client("iam")
acct = boto3.client("sts").get_caller_identity()["Account"]
region = sys.argv[1]
group = lambda name: iam.get_group(GroupName=name)["Group"]["Arn"]
log = f"arn:aws:logs:{region}:{acct}:log-group:ElementalMediaLive"
for g in ("MediaLiveBasicUsers", "MediaLiveReadWriteUsers", "MediaLiveAdvancedUsers"):
    try:
        users = iam.get_group(GroupName=g)["Users"]
    except iam.exceptions.NoSuchEntityException:
        continue
    for u in users[:1]:
        r = iam.simulate_principal_policy(PolicySourceArn=u["Arn"], ActionNames=["logs:FilterLogEvents"],
                                          ResourceArns=[log, log + ":*"])
        for e in r["EvaluationResults"]:
            print(g, e["EvalActionName"], e["EvalResourceName"], e["EvalDecision"])
PY
echo "== The opt-ins' costs that only an account shows (docs/threat-model.md, issue 20)"
.venv/bin/python - "$REGION" "${MONITOR_STACK_PREFIX:-}" "${WIZARD_STACK_PREFIX:-MediaLiveWorkflow-}" <<'PY'
import sys, json, boto3
region, monitor_prefix, wizard_prefix = sys.argv[1], sys.argv[2], sys.argv[3]
cfn = boto3.client("cloudformation", region_name=region)
# 1. W4 / S15: a stack under an opt-in's prefix that holds a service role runs UpdateStack/DeleteStack under it.
prefixes = [p for p in (monitor_prefix, wizard_prefix) if p]
for page in cfn.get_paginator("describe_stacks").paginate():
    for st in page["Stacks"]:
        if any(st["StackName"].startswith(p) for p in prefixes) and st.get("RoleARN"):
            print(f"RISK {st['StackName']}: stored service role {st['RoleARN']} (an operator's UpdateStack runs under it)")
# 2. W4: does workflow monitor's deployment pass ResourceTypes (cloudformation:ResourceTypes is required by W4)?
ct = boto3.client("cloudtrail", region_name=region)
if monitor_prefix:
    events = ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateStack"}],
                              MaxResults=50)["Events"]
    for e in events:
        detail = json.loads(e["CloudTrailEvent"])
        params = detail.get("requestParameters") or {}
        if str(params.get("stackName", "")).startswith(monitor_prefix):
            print(f"W4 CreateStack {params.get('stackName')}: resourceTypes={params.get('resourceTypes')} "
                  f"invokedBy={detail.get('userIdentity', {}).get('invokedBy')} error={detail.get('errorCode')}")
# 3. S40: is sns:Unsubscribe authorized against the subscription's topic (the catalog scopes it to the topics)?
iam = boto3.client("iam")
acct = boto3.client("sts").get_caller_identity()["Account"]
for g in ("MediaLiveAdvancedUsers", "MediaLiveAdministrators"):
    try:
        users = iam.get_group(GroupName=g)["Users"]
    except iam.exceptions.NoSuchEntityException:
        continue
    for u in users[:1]:
        topic = f"arn:aws:sns:{region}:{acct}:medialive-validate"
        r = iam.simulate_principal_policy(PolicySourceArn=u["Arn"], ActionNames=["sns:Unsubscribe"],
                                          ResourceArns=[topic, f"arn:aws:sns:{region}:{acct}:other-team-topic"])
        for e in r["EvaluationResults"]:
            print(g, e["EvalActionName"], e["EvalResourceName"], e["EvalDecision"])
PY
