"""Small CDK app exercising every IAM shape the local-deploy verifier checks.

    npx cdk synth --app "python -m tools.localdeploy.demo_app"      (stack: LocalDeployDemo)

- a group with a customer managed policy (attached via the policy's Groups and the group's
  ManagedPolicyArns) and a path;
- a role trusted by medialive.amazonaws.com with a managed policy, an inline policy and a permissions
  boundary (a customer managed policy in the same stack);
- user ``one`` added to the group with ``group.add_user(user)`` (renders as the user's Groups property);
- a managed policy attached through its own Groups/Roles/Users properties;
- user ``two`` added with an ``AWS::IAM::UserToGroupAddition`` (``iam.CfnUserToGroupAddition``), the
  resource type LocalStack 2026.3.0 does not support without ``localstack_fixes``.
"""

from __future__ import annotations

import os

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

STACK_NAME = "LocalDeployDemo"


class LocalDeployDemoStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        group = iam.Group(self, "Operators", group_name="localdeploy-operators", path="/medialive/")
        operator_policy = iam.ManagedPolicy(
            self,
            "OperatorPolicy",
            managed_policy_name="localdeploy-operator",
            path="/medialive/",
            statements=[
                iam.PolicyStatement(
                    sid="ReadChannels",
                    actions=["medialive:DescribeChannel", "medialive:ListChannels"],
                    resources=["*"],
                ),
                iam.PolicyStatement(
                    sid="StartStopOwnChannels",
                    actions=["medialive:StartChannel", "medialive:StopChannel"],
                    resources=[
                        cdk.Stack.of(self).format_arn(
                            service="medialive", resource="channel", resource_name="*",
                            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                        )
                    ],
                ),
            ],
        )
        group.add_managed_policy(operator_policy)

        boundary = iam.ManagedPolicy(
            self,
            "Boundary",
            managed_policy_name="localdeploy-boundary",
            statements=[
                iam.PolicyStatement(
                    actions=["medialive:*", "s3:GetObject", "s3:ListBucket", "ssm:GetParameters"],
                    resources=["*"],
                )
            ],
        )
        access_policy = iam.ManagedPolicy(
            self,
            "MediaLiveAccess",
            statements=[
                iam.PolicyStatement(
                    actions=["s3:GetObject"],
                    resources=[f"arn:{cdk.Aws.PARTITION}:s3:::localdeploy-input-{cdk.Aws.ACCOUNT_ID}/*"],
                ),
                iam.PolicyStatement(
                    actions=["ssm:GetParameters"],
                    resources=[
                        cdk.Stack.of(self).format_arn(
                            service="ssm", resource="parameter", resource_name="medialive/*"
                        )
                    ],
                ),
            ],
        )
        role = iam.Role(
            self,
            "MediaLiveAccessRole",
            role_name="localdeploy-medialive-access",
            assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"),
            managed_policies=[access_policy],
            permissions_boundary=boundary,
            inline_policies={
                "ListOwnBucket": iam.PolicyDocument(
                    statements=[
                        iam.PolicyStatement(
                            actions=["s3:ListBucket"],
                            resources=[f"arn:{cdk.Aws.PARTITION}:s3:::localdeploy-input-{cdk.Aws.ACCOUNT_ID}"],
                        )
                    ]
                )
            },
        )
        cdk.CfnOutput(self, "RoleArn", value=role.role_arn)

        # path 1: group.add_user -> AWS::IAM::User.Groups
        user_one = iam.User(self, "UserOne", user_name="localdeploy-operator-one")
        group.add_user(user_one)
        # path 2: AWS::IAM::UserToGroupAddition
        user_two = iam.User(self, "UserTwo", user_name="localdeploy-operator-two")
        iam.CfnUserToGroupAddition(
            self, "UserTwoMembership", group_name=group.group_name, users=[user_two.user_name]
        )

        # a managed policy attached through its own Groups/Roles/Users properties
        audit = iam.ManagedPolicy(
            self,
            "AuditPolicy",
            managed_policy_name="localdeploy-audit",
            statements=[
                iam.PolicyStatement(
                    actions=["medialive:DescribeChannel"],
                    resources=[role.role_arn],  # Fn::GetAtt Role.Arn: any ARN exercises the resolver
                    conditions={"StringEquals": {"aws:RequestedRegion": cdk.Aws.REGION}},
                )
            ],
        )
        audit.attach_to_group(group)
        audit.attach_to_role(role)
        audit.attach_to_user(user_one)


def main() -> None:
    app = cdk.App()
    LocalDeployDemoStack(
        app,
        os.environ.get("LOCALDEPLOY_DEMO_STACK", STACK_NAME),
        synthesizer=cdk.DefaultStackSynthesizer(),
    )
    app.synth()


if __name__ == "__main__":
    main()
