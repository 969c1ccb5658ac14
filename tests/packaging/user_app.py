"""A user's app, as a CDK team writes it from the package's description: every public construct, type-checked
with ``mypy --strict`` against the installed wheel by tests/test_packaging.py (and synthesized there)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from medialive_iam_constructs import (
    MediaLiveAccessRole,
    MediaLiveConsoleUsers,
    MediaLiveIamError,
    MediaLiveNamespaces,
    MediaLiveOperatorGroup,
    MediaLivePermissionsBoundary,
    MediaLiveTrustedRole,
    OperatorTier,
    QuotaExceededError,
    RestrictedAdmin,
    S3Location,
    TrustedEntityOption,
    VpcAccess,
)
from medialive_iam_constructs.guard import MediaLiveIamGuard


class ComplexOption(cdk.Stack):
    def __init__(self, scope: cdk.App, id: str) -> None:
        super().__init__(scope, id)
        sources = s3.Bucket.from_bucket_name(self, "Sources", "medialive-news-sources")
        boundary = MediaLivePermissionsBoundary(
            self, "Boundary", path="/medialive-admin/",
            namespaces=MediaLiveNamespaces(bucket_names=["medialive-news-sources"]),
        )
        news: MediaLiveTrustedRole = MediaLiveTrustedRole(
            self, "News", role_name="MediaLiveNewsWorkflow", permissions_boundary=boundary,
            source_buckets=[S3Location(sources, prefix="live/")],
            vpc_delivery=VpcAccess(subnets=["subnet-0123456789abcdef0"], security_groups=["sg-0123456789abcdef0"]),
        )
        role_arn: str = news.role_arn
        role: iam.IRole = news.role
        rows: tuple[str, ...] = news.rows
        grantable: iam.IGrantable = news
        principal: iam.IPrincipal = news.grant_principal
        ops = MediaLiveOperatorGroup(self, "Operators", tier=OperatorTier.READ_WRITE, trusted_roles=[news],
                                     trusted_entity=TrustedEntityOption.COMPLEX)
        watchers = MediaLiveOperatorGroup(self, "Watchers", tier="basic")
        group: iam.IGroup = ops.group
        admin = RestrictedAdmin(self, "Admins", operator_groups=[ops, watchers], permissions_boundary=boundary)
        # The library's principals are IGrantable: CDK's own grants accept them (the guard reports the grant).
        archive = s3.Bucket(self, "Archive", enforce_ssl=True)
        grant: iam.Grant = archive.grant_read(news)
        news.grant_pass_role(ops)
        policies: list[iam.ManagedPolicy] = news.managed_policies
        boundary_policy: iam.IManagedPolicy = admin.permissions_boundary
        users = MediaLiveConsoleUsers(self, "ConsoleUsers", users={"alice": ops, "dan": admin})
        alice: iam.User = users.users["alice"]
        change: iam.Group | None = users.password_change_group
        print(role_arn, role, rows, grantable, principal, group, grant, policies, boundary_policy, watchers.rows,
              alice, change)


class SimpleOption(cdk.Stack):
    def __init__(self, scope: cdk.App, id: str) -> None:
        super().__init__(scope, id)
        console = MediaLiveAccessRole(self, "Console")
        ops = MediaLiveOperatorGroup(self, "Operators", tier=OperatorTier.ADVANCED,
                                     trusted_entity=TrustedEntityOption.SIMPLE)
        # A second administrator in the same app (one account, as far as synth knows) manages users under a path
        # of its own: under the other's /medialive/ it could reset the passwords of users it does not manage.
        RestrictedAdmin(self, "Admins", operator_groups=[ops], trusted_entity="simple",
                        group_name="MediaLiveSimpleAdministrators", policy_name_prefix="MediaLiveSimpleAdminAccess",
                        user_path="/medialive-simple/")
        console.grant_pass_role(ops.group)


def main() -> None:
    app = cdk.App()
    ComplexOption(app, "Complex")
    SimpleOption(app, "Simple")
    MediaLiveIamGuard.register(app)
    try:
        MediaLiveOperatorGroup(cdk.Stack(cdk.App(), "Bad"), "Bad", tier="READ_WRTIE")
    except MediaLiveIamError as e:
        assert not isinstance(e, QuotaExceededError)
        print("rejected:", e.prop)
    else:
        raise SystemExit("a misspelled tier was accepted")
    app.synth()
    print("synthesized")


if __name__ == "__main__":
    main()
