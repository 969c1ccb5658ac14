#!/usr/bin/env bash
# For teams with an AWS account (never run in CI, never a gate): what offline tools cannot settle.
#  1. awslabs' cfn-policy-validator (IAM Access Analyzer) on every synthesized template:
#     `validate` (policy grammar, security warnings) and `check-access-not-granted` for the forbidden actions.
#  2. The IAM policy simulator on the deployed stack: the CloudWatch Logs ARN form (log-group:NAME vs NAME:*),
#     what BatchStart/BatchStop enforce, whether MediaLive checks CreateTags on tag-on-create, what the wizard sends.
# Needs AWS credentials in the environment (AWS_PROFILE or keys) and `bash scripts/setup.sh` done.
# Usage: bash scripts/validate-in-account.sh [cdk.out] [region]
set -euo pipefail
cd "$(dirname "$0")/.."
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
