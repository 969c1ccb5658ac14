"""The apps the determinism tests synthesize: the sample app in each variant and two user-shaped apps.

``python -m tests.determinism_apps`` synthesizes every app into a temporary cloud assembly and prints one line
per template file, ``<app>/<template file> <sha256 of its bytes>``; tests/test_determinism.py runs it in
separate processes with different ``PYTHONHASHSEED`` values and compares the lines.

The sample app is built as ``app.py`` builds it (``build_app``'s stacks and stages from ``cdk.json`` context plus
overrides) but without registering the cdk-nag packs: they validate, they never change a template, and they
cost seconds per synth.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Callable

from tools.iam_evaluator.project_node import use_project_node  # noqa: E402

use_project_node()

import aws_cdk as cdk  # noqa: E402
from aws_cdk import aws_iam as iam  # noqa: E402
from aws_cdk import aws_kms as kms  # noqa: E402
from aws_cdk import aws_s3 as s3  # noqa: E402
from aws_cdk import aws_secretsmanager as secretsmanager  # noqa: E402
from aws_cdk import aws_ssm as ssm  # noqa: E402

from medialive_iam_constructs import (  # noqa: E402
    MediaLiveOperatorGroup,
    MediaLiveNamespaces,
    MediaLivePermissionsBoundary,
    MediaLiveTrustedRole,
    OperatorTier,
    RestrictedAdmin,
    S3Location,
    VpcAccess,
)
from medialive_iam_constructs.sample import CONTEXT_PREFIX, DEFAULT_STACK_NAME, MediaLiveIamStack, build_stages  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _many_workflows(n: int) -> dict:
    return {f"w{i:02d}": {"sourceBuckets": [f"example-source-{i:02d}"],
                          "destinationBuckets": [{"bucket": f"example-archive-{i:02d}", "prefix": f"w{i:02d}/"}]}
            for i in range(n)}


#: Context overrides (keys without the ``medialive-iam:`` prefix) of each variant of the sample app.
SAMPLE_VARIANTS: dict[str, dict] = {
    "complex": {},
    "simple": {"trustedEntity": "simple"},
    "passRolesByPath": {"passRolesByPath": True},
    "sharded": {"workflows": _many_workflows(9), "rolesPerStack": 4, "passRolesByPath": True},
    "stages": {"stages": [{"name": "Dev", "account": "111111111111", "region": "us-west-2"},
                          {"name": "Prod", "account": "333333333333", "region": "us-east-1", "namePrefix": "Prod"}]},
}


def _cdk_json_context() -> dict:
    import json

    return json.loads((ROOT / "cdk.json").read_text())["context"]


def sample_variant_app(variant: str) -> cdk.App:
    """The sample app in ``variant`` (a key of SAMPLE_VARIANTS), built as ``build_app`` builds it, no nag packs."""
    overrides = {f"{CONTEXT_PREFIX}{k}": v for k, v in SAMPLE_VARIANTS[variant].items()}
    app = cdk.App(context={**_cdk_json_context(), **overrides})
    stages = app.node.try_get_context(CONTEXT_PREFIX + "stages") or []
    if stages:
        build_stages(app, stages)
    else:
        MediaLiveIamStack(app, DEFAULT_STACK_NAME)
    return app


def issue_app() -> cdk.App:
    """The app of the issue: a RestrictedAdmin with an existing user, a READ_WRITE and a BASIC group, a role
    reading an imported bucket under a prefix, a role pushing to a MediaPackage v2 channel."""
    app = cdk.App()
    stack = cdk.Stack(app, "MediaLiveIam", env=cdk.Environment(account="123456789012", region="eu-west-1"))
    sources = s3.Bucket.from_bucket_name(stack, "Sources", "my-news-sources")
    reader = MediaLiveTrustedRole(stack, "Reader", role_name="MediaLiveNewsReader",
                                  source_buckets=[S3Location(sources, prefix="live/")])
    pusher = MediaLiveTrustedRole(stack, "Pusher", mediapackage_v2_channels=[("live", "news")])
    operators = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.READ_WRITE,
                                       trusted_roles=[reader.role, pusher.role])
    watchers = MediaLiveOperatorGroup(stack, "Watchers", tier=OperatorTier.BASIC)
    RestrictedAdmin(stack, "Admins", operator_groups=[operators, watchers],
                    users=[iam.User.from_user_name(stack, "Alice", "alice")])
    return app


def wide_app() -> cdk.App:
    """Another shape: an environment-agnostic stack, many workflows, imported buckets, roles, users, groups,
    parameters, secrets and keys, tag scoping, five groups given to the administrator."""
    app = cdk.App()
    stack = cdk.Stack(app, "Broadcast")
    key = kms.Key.from_key_arn(stack, "ParamKey",
                               "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    # the namespaces cover what the roles name: a boundary given as its .policy is checked too (issue 21)
    boundary = MediaLivePermissionsBoundary(stack, "Boundary", path="/medialive-admin/", namespaces=MediaLiveNamespaces(
        bucket_prefixes=["example-"], mediapackage_v2_channel_groups=["live"], kms_keys=[key]))
    roles = []
    for i in range(8):
        bucket = (s3.Bucket.from_bucket_name(stack, f"In{i}", f"example-in-{i}") if i % 2 else
                  s3.Bucket.from_bucket_arn(stack, f"In{i}", f"arn:aws:s3:::example-in-{i}"))
        roles.append(MediaLiveTrustedRole(
            stack, f"Workflow{i}", permissions_boundary=boundary.policy,
            source_buckets=[S3Location(bucket, prefix=f"feed{i}/"), f"example-shared-{i % 3}"],
            destination_buckets=[S3Location(s3.Bucket.from_bucket_name(stack, f"Out{i}", f"example-out-{i}"))],
            password_parameters=[ssm.StringParameter.from_string_parameter_name(stack, f"Pw{i}", f"/medialive/w{i}/pw")],
            parameter_keys=[key] if i % 4 == 0 else [],
            srt_secrets=[secretsmanager.Secret.from_secret_name_v2(stack, f"Srt{i}", f"medialive/srt{i}")],
            mediapackage_v2_channels=[("live", f"ch{i}")],
            vpc_delivery=VpcAccess(subnets=["subnet-0123456789abcdef0", f"subnet-0fedcba987654321{i}"],
                                   security_groups=["sg-0123456789abcdef0"]) if i == 3 else None,
        ))
    imported_role = iam.Role.from_role_arn(stack, "Legacy", "arn:aws:iam::123456789012:role/medialive/legacy",
                                           mutable=False)
    tagged = MediaLiveOperatorGroup(stack, "News", tier=OperatorTier.READ_WRITE, channel_tag=("Department", "news"),
                                    trusted_roles=[r.role for r in roles[:4]] + [imported_role])
    sports = MediaLiveOperatorGroup(stack, "Sports", tier=OperatorTier.READ_WRITE, trusted_roles=roles[4:],
                                    users=[iam.User.from_user_name(stack, "Bob", "bob"),
                                           iam.User.from_user_arn(stack, "Carol", "arn:aws:iam::123456789012:user/carol")])
    advanced = MediaLiveOperatorGroup(stack, "Leads", tier=OperatorTier.ADVANCED, pass_roles_by_path="/medialive/")
    viewers = MediaLiveOperatorGroup(stack, "Viewers", tier=None, rows=["S3", "S10"], channel_tag=("Team", "ops"))
    # an imported group (Group.from_group_name) is no operator group of the administrator's any more (issue 20):
    # what it holds cannot be checked, and the administrator would hold it through a user of its own
    RestrictedAdmin(stack, "Admins", operator_groups=[viewers, sports, tagged, advanced],
                    permissions_boundary=boundary,
                    users=[iam.User.from_user_name(stack, "Dana", "dana"), iam.User.from_user_name(stack, "Erin", "erin")])
    return app


#: Every app the multi-process test synthesizes, by name.
APPS: dict[str, Callable[[], cdk.App]] = {
    **{f"sample-{v}": (lambda v=v: sample_variant_app(v)) for v in SAMPLE_VARIANTS},
    "user-issue": issue_app,
    "user-wide": wide_app,
}


def template_files(assembly_dir: Path) -> dict[str, bytes]:
    """Every ``*.template.json`` of a cloud assembly (stage assemblies included), by relative path."""
    return {str(p.relative_to(assembly_dir)): p.read_bytes() for p in sorted(assembly_dir.glob("**/*.template.json"))}


def main() -> int:
    import shutil

    import medialive_iam_constructs

    print(f"# package {medialive_iam_constructs.__file__}")
    for name, build in APPS.items():
        assembly = build().synth()  # into a fresh temporary directory (no outdir given)
        try:
            for path, data in template_files(Path(assembly.directory)).items():
                print(f"{name}/{path} {hashlib.sha256(data).hexdigest()}")
        finally:
            shutil.rmtree(assembly.directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
